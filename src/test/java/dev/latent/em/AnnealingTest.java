package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sigma -> 0 path and tempered EM on the one mapper: the temperature is one multiply (beta = 1 keeps
 * today's bits), the blocked mapper agrees with the row reference (1e-9 relative, labels exactly), a
 * fixed small variance makes every EM iteration a Lloyd iteration (means to 1e-12 relative, labels row
 * for row), and the variance path ends at a K-means fixed point.
 */
class AnnealingTest {
  private static final int K = 3;
  private static final int D = 2;

  /** Three overlapping clouds, so Lloyd needs many passes from a rough start. */
  private static double[][] data(int n, long seed) {
    Random rnd = new Random(seed);
    double[][] c = {{0, 0}, {2.5, 0.5}, {1, 2.2}};
    double[][] x = new double[n][D];
    for (int r = 0; r < n; r++) {
      double[] m = c[r % K];
      for (int i = 0; i < D; i++) {
        x[r][i] = m[i] + rnd.nextGaussian();
      }
    }
    return x;
  }

  private static Mixture spherical(double[] w, double[][] means, double v) throws Exception {
    double[][] cov = new double[means.length][];
    for (int j = 0; j < cov.length; j++) {
      cov[j] = new double[] {v};
    }
    return Mixture.of(CovarianceType.SPHERICAL, w, means, cov);
  }

  private static DataBlock block(double[][] x) {
    double[] flat = new double[x.length * D];
    long[] keys = new long[x.length];
    for (int r = 0; r < x.length; r++) {
      System.arraycopy(x[r], 0, flat, r * D, D);
      keys[r] = DataBlock.rowKey(0, r + 1);
    }
    return new DataBlock(x.length, D, flat, keys, null, null);
  }

  @Test
  void betaOneIsBitwisePlainEmAndTheBlockedMapperMatchesTheRowReference() throws Exception {
    double[][] x = data(1001, 4);
    LocalData data = LocalData.of(x, null, null);
    Mixture m = spherical(new double[] {0.2, 0.3, 0.5}, new double[][] {{0, 0}, {2, 1}, {1, 2}}, 0.8);
    EStepTask plain = EStepTask.under(m, false, EStepTask.Scatter.DIAG);
    SuffStats a = data.estep(new EStepTask[] {plain})[0];
    SuffStats b = data.estep(new EStepTask[] {plain.tempered(1.0, Double.NaN, false)})[0];
    assertEquals(a.logLik, b.logLik, 0.0);
    assertEquals(a.classLogLik, b.classLogLik, 0.0);
    assertArrayEquals(a.resp, b.resp, 0.0);
    assertArrayEquals(a.sum, b.sum, 0.0);
    assertArrayEquals(a.scat, b.scat, 0.0);
    for (EStepTask t : new EStepTask[] {plain.tempered(0.3, Double.NaN, true), plain.tempered(1.0, 0.8, true),
        plain.tempered(0.25, 0.8, true), plain.tempered(1.0, 1e-9, true)}) {
      Mixture fixedOrNot = t.fixed() ? spherical(m.weights(), m.means(), t.fixedVariance) : m;
      EStepTask task = EStepTask.under(fixedOrNot, false, EStepTask.Scatter.DIAG)
          .tempered(t.beta, t.fixedVariance, true);
      SuffStats blocked = data.estep(new EStepTask[] {task})[0];
      SuffStats row = SuffStats.zeroFor(task);
      RowEStep.accumulate(task, block(x), row);
      String where = "beta " + t.beta + " S " + t.fixedVariance;
      close(row.logLik, blocked.logLik, where + " logLik");
      close(row.hardness, blocked.hardness, where + " hardness");
      close(row.temperedEntropy, blocked.temperedEntropy, where + " entropy");
      for (int j = 0; j < K; j++) {
        close(row.resp(j), blocked.resp(j), where + " resp");
        assertEquals(row.hardCount(j), blocked.hardCount(j), 0.0, where + " labels");
        assertEquals(row.assignHash(j), blocked.assignHash(j), where + " label fingerprint");
      }
    }
    // Untempered log-likelihood whatever beta: the same as plain EM's under the same parameters.
    SuffStats cold = data.estep(new EStepTask[] {plain.tempered(0.3, Double.NaN, true)})[0];
    close(a.logLik, cold.logLik, "untempered log-likelihood at beta 0.3");
    // The fixed-variance logits give the same log-likelihood as the mixture's own.
    SuffStats fixed = data.estep(new EStepTask[] {plain.tempered(1.0, 0.8, false)})[0];
    close(a.logLik, fixed.logLik, "fixed-variance log-likelihood");
    // A tiny beta leaves responsibilities nearly uniform: the entropy is ln K, the hardness 1/K.
    SuffStats hot = data.estep(new EStepTask[] {plain.tempered(1e-9, Double.NaN, true)})[0];
    assertEquals(Math.log(K), hot.temperedEntropy / hot.weightSum, 1e-6);
    assertEquals(1.0 / K, hot.hardness / hot.weightSum, 1e-6);
  }

  @Test
  void atATinyFixedVarianceEveryEmIterationIsALloydIteration() throws Exception {
    double[][] x = data(600, 7);
    LocalData data = LocalData.of(x, null, null);
    ColumnStats cols = data.columns();
    // Not a fixed point: one Lloyd pass from three rows.
    double[][] c0 = lloyd(x, new double[][] {x[0].clone(), x[1].clone(), x[2].clone()});
    double[] w0 = fractions(x, c0);
    StartParams start = new StartParams(ModelKind.KMEANS, null, w0, c0, null);
    double s = 1e-9;
    int lloydPasses = 0;
    double[][] entering = c0;
    for (int t = 1; t <= 60; t++) {
      FitSpec km = new FitSpec(ModelKind.KMEANS, CovarianceType.SPHERICAL, K, t, 0.0, 1e-6, 0, InitMethod.MODEL,
          start, 1);
      FitSpec gm = new FitSpec(ModelKind.GMM, CovarianceType.SPHERICAL, K, t, 0.0, 1e-6, 0, InitMethod.MODEL,
          start, 1, Distance.EUCLIDEAN, new Annealing(s, false, 0.1, 2.0));
      FitResult a = EmLoop.fit(data, km, cols);
      FitResult b = EmLoop.fit(data, gm, cols);
      // The premise: every row's two nearest squared distances (under the centres entering the last
      // iteration) differ by more than 2 S (746 + max |ln w_j / w_k|).
      assertTrue(minGap(x, entering) > 2 * s * (746 + maxLogRatio(b.weights())), "gap at iteration " + t);
      entering = a.means();
      for (int j = 0; j < K; j++) {
        for (int i = 0; i < D; i++) {
          assertEquals(a.means()[j][i], b.means()[j][i], 1e-12 * Math.abs(a.means()[j][i]) + 1e-300,
              "iteration " + t + " mean " + j + "," + i);
        }
      }
      assertArrayEquals(labels(x, a.means()), labels(x, b.means()), "labels after iteration " + t);
      assertArrayEquals(a.clusterWeights(), b.clusterWeights(), 0.0, "cluster sizes after iteration " + t);
      assertEquals(a.iterations(), b.iterations(), "iterations at cap " + t);
      assertEquals(a.converged(), b.converged(), "converged at cap " + t);
      lloydPasses = a.iterations();
      if (a.converged()) {
        break;
      }
    }
    assertTrue(lloydPasses > 3, "the start should not be near a fixed point: " + lloydPasses + " passes");
  }

  @Test
  void theVariancePathEndsAtAKMeansFixedPoint() {
    double[][] x = data(900, 11);
    LocalData data = LocalData.of(x, null, null);
    FitSpec spec = new FitSpec(ModelKind.GMM, CovarianceType.SPHERICAL, K, 100, 1e-3, 1e-6, 0,
        InitMethod.KMEANS_PP, null, 1, Distance.EUCLIDEAN, new Annealing(2.0, true, 0.1, 2.0));
    FitResult r = EmLoop.fit(data, spec, data.columns());
    List<Annealing.Stage> stages = r.annealing();
    assertNotNull(stages);
    assertTrue(stages.size() > 5 && stages.size() <= Annealing.MAX_VARIANCE_STAGES, stages.size() + " stages");
    for (int t = 0; t < stages.size(); t++) {
      assertEquals(1.0, stages.get(t).beta(), 0.0);
      assertEquals(2.0 / Math.pow(2.0, t), stages.get(t).variance(), 0.0);
      assertTrue(stages.get(t).hardness() >= 1.0 / K - 1e-12 && stages.get(t).hardness() <= 1.0);
      assertTrue(stages.get(t).entropy() >= 0.0 && stages.get(t).entropy() <= Math.log(K) + 1e-12);
    }
    Annealing.Stage last = stages.get(stages.size() - 1);
    assertTrue(last.hardness() > Annealing.HARD, "last hardness " + last.hardness());
    assertTrue(stages.get(0).hardness() < last.hardness());
    int[] before = labels(x, r.means());
    int[] after = labels(x, lloyd(x, r.means()));
    assertArrayEquals(before, after, "one more Lloyd pass changes no label");
    assertEquals(r.covariances()[0][0], last.variance(), 0.0, "the model keeps the last stage's variance");
    // The variances are given, not estimated: BIC counts K d means and K - 1 weights.
    assertEquals((long) K * D + K - 1, r.parameters());
  }

  @Test
  void theBetaPathRisesToOneAndPlainFitsHaveNoStages() {
    double[][] x = data(600, 3);
    LocalData data = LocalData.of(x, null, null);
    FitSpec spec = new FitSpec(ModelKind.GMM, CovarianceType.FULL, K, 200, 1e-6, 1e-6, 0,
        InitMethod.KMEANS_PP, null, 1, Distance.EUCLIDEAN, new Annealing(Double.NaN, true, 0.1, 2.0));
    FitResult r = EmLoop.fit(data, spec, data.columns());
    double[] betas = r.annealing().stream().mapToDouble(Annealing.Stage::beta).toArray();
    assertArrayEquals(new double[] {0.1, 0.2, 0.4, 0.8, 1.0}, betas, 1e-15);
    int total = 0;
    for (Annealing.Stage st : r.annealing()) {
      assertTrue(Double.isNaN(st.variance()));
      total += st.iterations();
    }
    assertEquals(r.iterations(), total);
    assertTrue(r.converged());
    // At beta = 1 the last stage is plain EM: it is a fixed point of plain EM to within tol.
    FitSpec plain = new FitSpec(ModelKind.GMM, CovarianceType.FULL, K, 200, 1e-6, 1e-6, 0, InitMethod.MODEL,
        new StartParams(ModelKind.GMM, CovarianceType.FULL, r.weights(), r.means(), r.covariances()), 1);
    FitResult p = EmLoop.fit(data, plain, data.columns());
    assertNull(p.annealing());
    assertTrue(Math.abs(p.meanLogLik() - r.meanLogLik()) < 1e-5, p.meanLogLik() + " vs " + r.meanLogLik());
  }

  @Test
  void annealedAndFixedVarianceFitsDoNotDependOnThePartitioning() {
    double[][] x = data(700, 5);
    LocalData one = LocalData.of(x, null, null);
    List<DataBlock> parts = new ArrayList<>();
    int[] cuts = {0, 1, 130, 131, 400, 700};
    for (int p = 0; p + 1 < cuts.length; p++) {
      double[][] rows = Arrays.copyOfRange(x, cuts[p], cuts[p + 1]);
      double[] flat = new double[rows.length * D];
      long[] keys = new long[rows.length];
      for (int r = 0; r < rows.length; r++) {
        System.arraycopy(rows[r], 0, flat, r * D, D);
        keys[r] = DataBlock.rowKey(0, cuts[p] + r + 1);
      }
      parts.add(new DataBlock(rows.length, D, flat, keys, null, null));
    }
    LocalData split = new LocalData(parts);
    for (Annealing a : new Annealing[] {new Annealing(Double.NaN, true, 0.1, 2.0),
        new Annealing(0.5, true, 0.1, 2.0), new Annealing(0.05, false, 0.1, 2.0)}) {
      FitSpec spec = new FitSpec(ModelKind.GMM, CovarianceType.SPHERICAL, K, 300, 1e-8, 1e-6, 2,
          InitMethod.KMEANS_PP, null, 1, Distance.EUCLIDEAN, a);
      FitResult r1 = EmLoop.fit(one, spec, one.columns());
      FitResult r2 = EmLoop.fit(split, spec, split.columns());
      assertEquals(r1.iterations(), r2.iterations(), a.toString());
      close(r1.logLik(), r2.logLik(), a + " log-likelihood");
      for (int j = 0; j < K; j++) {
        close(r1.weights()[j], r2.weights()[j], a + " weight");
        for (int i = 0; i < D; i++) {
          close(r1.means()[j][i], r2.means()[j][i], a + " mean");
        }
      }
      if (a.anneal()) {
        assertEquals(r1.annealing().size(), r2.annealing().size());
        for (int t = 0; t < r1.annealing().size(); t++) {
          close(r1.annealing().get(t).hardness(), r2.annealing().get(t).hardness(), a + " hardness");
          close(r1.annealing().get(t).entropy(), r2.annealing().get(t).entropy(), a + " entropy");
        }
      }
    }
  }

  // --- plain-Java references -------------------------------------------------------------------

  /** Nearest centre per row, the lowest index on ties. */
  static int[] labels(double[][] x, double[][] c) {
    int[] l = new int[x.length];
    for (int r = 0; r < x.length; r++) {
      double best = Double.POSITIVE_INFINITY;
      for (int j = 0; j < c.length; j++) {
        double s = 0.0;
        for (int i = 0; i < x[r].length; i++) {
          double t = x[r][i] - c[j][i];
          s += t * t;
        }
        if (s < best) {
          best = s;
          l[r] = j;
        }
      }
    }
    return l;
  }

  /** One Lloyd pass: the centroids of the nearest-centre partition. */
  static double[][] lloyd(double[][] x, double[][] c) {
    int[] l = labels(x, c);
    double[][] out = new double[c.length][x[0].length];
    int[] n = new int[c.length];
    for (int r = 0; r < x.length; r++) {
      n[l[r]]++;
      for (int i = 0; i < x[r].length; i++) {
        out[l[r]][i] += x[r][i];
      }
    }
    for (int j = 0; j < c.length; j++) {
      for (int i = 0; i < out[j].length; i++) {
        out[j][i] /= n[j];
      }
    }
    return out;
  }

  private static double[] fractions(double[][] x, double[][] c) {
    int[] l = labels(x, c);
    double[] w = new double[c.length];
    for (int v : l) {
      w[v] += 1.0 / x.length;
    }
    return w;
  }

  private static double maxLogRatio(double[] w) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : w) {
      lo = Math.min(lo, Math.log(v));
      hi = Math.max(hi, Math.log(v));
    }
    return hi - lo;
  }

  /** The smallest gap between a row's two nearest squared distances. */
  private static double minGap(double[][] x, double[][] c) {
    double min = Double.POSITIVE_INFINITY;
    for (double[] row : x) {
      double a = Double.POSITIVE_INFINITY;
      double b = Double.POSITIVE_INFINITY;
      for (double[] cj : c) {
        double s = 0.0;
        for (int i = 0; i < row.length; i++) {
          s += (row[i] - cj[i]) * (row[i] - cj[i]);
        }
        if (s < a) {
          b = a;
          a = s;
        } else if (s < b) {
          b = s;
        }
      }
      min = Math.min(min, b - a);
    }
    return min;
  }

  private static void close(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-9 * Math.max(1.0, Math.abs(expected)), what);
  }
}
