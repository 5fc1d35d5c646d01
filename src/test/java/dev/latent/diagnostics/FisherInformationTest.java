package dev.latent.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.em.DataBlock;
import dev.latent.em.EStep;
import dev.latent.em.EStepTask;
import dev.latent.em.EmLoop;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.LocalData;
import dev.latent.em.RowEStep;
import dev.latent.em.StartParams;
import dev.latent.em.SuffStats;
import dev.latent.math.LogSumExp;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The information matrices against finite differences of the log-likelihood on small weighted data, for
 * every covariance type, at parameters that are not a maximum (the identities used are exact anywhere):
 * OPG against the outer products of per-row scores by central differences of each row's log-density, and
 * the observed information (Louis's method) against minus the second differences of the total
 * log-likelihood. Then the mapper's invariants: the blocked E-step equals the row reference, and the
 * standard errors do not depend on how the rows are split (1e-9).
 */
class FisherInformationTest {
  private static final int N = 60;
  private static final int D = 3;
  private static final int K = 3;

  /** Three overlapping clouds, so responsibilities are far from 0 and 1 and the missing information matters. */
  private static double[][] data(long seed) {
    Random rnd = new Random(seed);
    double[][] x = new double[N][D];
    for (int r = 0; r < N; r++) {
      int c = r % K;
      for (int a = 0; a < D; a++) {
        x[r][a] = 0.8 * c * (a == c % D ? 1 : 0.3) + rnd.nextGaussian() * (1.0 + 0.3 * a);
      }
      x[r][1] += 0.5 * x[r][0];
    }
    return x;
  }

  private static double[] rowWeights(long seed) {
    Random rnd = new Random(seed + 1);
    double[] w = new double[N];
    for (int r = 0; r < N; r++) {
      w[r] = 0.5 + 1.5 * rnd.nextDouble();
    }
    return w;
  }

  /** Parameters near the data but not fitted: weights, means, and covariances of the type's shape. */
  private static Object[] parameters(CovarianceType type) {
    double[] w = {0.3, 0.45, 0.25};
    double[][] mu = {{0.1, 0.2, -0.1}, {0.9, 0.6, 0.3}, {1.2, 1.5, 0.4}};
    double[][] full = {
        {1.1, 0.4, 0.1, 0.4, 1.6, -0.2, 0.1, -0.2, 2.0},
        {0.9, 0.3, 0.0, 0.3, 1.3, 0.2, 0.0, 0.2, 1.7},
        {1.3, 0.5, -0.1, 0.5, 1.9, 0.1, -0.1, 0.1, 2.4}};
    double[][] cov = switch (type) {
      case FULL -> full;
      case TIED -> new double[][] {full[1]};
      case DIAG -> new double[][] {{1.1, 1.6, 2.0}, {0.9, 1.3, 1.7}, {1.3, 1.9, 2.4}};
      case SPHERICAL -> new double[][] {{1.4}, {1.1}, {1.8}};
    };
    return new Object[] {w, mu, cov};
  }

  /** theta of (weights, means, covariances) in {@link FreeParameters}' order. */
  static double[] pack(FreeParameters th, double[] w, double[][] mu, double[][] cov) {
    double[] t = new double[th.p];
    for (int j = 0; j < th.k - 1; j++) {
      t[th.weight(j)] = w[j];
    }
    for (int j = 0; j < th.k; j++) {
      for (int a = 0; a < th.d; a++) {
        t[th.mean(j, a)] = mu[j][a];
      }
    }
    for (int b = 0; b < th.type.blocks(th.k); b++) {
      for (int g = 0; g < th.q; g++) {
        t[th.covariance(b, g)] = switch (th.type) {
          case FULL, TIED -> cov[b][th.entryRow[g] * th.d + th.entryCol[g]];
          case DIAG -> cov[b][g];
          case SPHERICAL -> cov[b][0];
        };
      }
    }
    return t;
  }

  /** Per-row log-densities log p(x_r | theta), computed directly (Mixture's logits, log-sum-exp). */
  static double[] rowLogLik(FreeParameters th, double[] t, double[][] x) {
    int k = th.k;
    int d = th.d;
    double[] w = new double[k];
    double last = 1.0;
    for (int j = 0; j < k - 1; j++) {
      w[j] = t[th.weight(j)];
      last -= w[j];
    }
    w[k - 1] = last;
    double[][] mu = new double[k][d];
    for (int j = 0; j < k; j++) {
      for (int a = 0; a < d; a++) {
        mu[j][a] = t[th.mean(j, a)];
      }
    }
    int blocks = th.type.blocks(k);
    double[][] cov = new double[blocks][];
    for (int b = 0; b < blocks; b++) {
      cov[b] = new double[th.type.blockLength(d)];
      for (int g = 0; g < th.q; g++) {
        double v = t[th.covariance(b, g)];
        switch (th.type) {
          case FULL, TIED -> {
            cov[b][th.entryRow[g] * d + th.entryCol[g]] = v;
            cov[b][th.entryCol[g] * d + th.entryRow[g]] = v;
          }
          case DIAG -> cov[b][g] = v;
          case SPHERICAL -> cov[b][0] = v;
        }
      }
    }
    Mixture m;
    try {
      m = Mixture.of(th.type, w, mu, cov);
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalStateException(e);
    }
    double[] out = new double[x.length];
    double[] maha = new double[k];
    double[] logits = new double[k];
    double[] diff = new double[d];
    for (int r = 0; r < x.length; r++) {
      m.logits(x[r], 0, maha, logits, diff);
      out[r] = LogSumExp.of(logits, 0, k);
    }
    return out;
  }

  private static double total(double[] rows, double[] w) {
    double s = 0.0;
    for (int r = 0; r < rows.length; r++) {
      s += w[r] * rows[r];
    }
    return s;
  }

  private static double[] information(CovarianceType type, InformationMethod method, LocalData data) throws Exception {
    Object[] par = parameters(type);
    FreeParameters th = new FreeParameters(type, K, D);
    return StandardErrors.scan(data, th, method, (double[]) par[0], (double[][]) par[1], (double[][]) par[2])
        .matrix();
  }

  private static double maxAbs(double[] a) {
    double m = 0.0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void opgIsTheSumOfFiniteDifferenceScoreProducts(CovarianceType type) throws Exception {
    double[][] x = data(1);
    double[] rw = rowWeights(1);
    Object[] par = parameters(type);
    FreeParameters th = new FreeParameters(type, K, D);
    double[] t = pack(th, (double[]) par[0], (double[][]) par[1], (double[][]) par[2]);
    int p = th.p;
    double[][] score = new double[p][];
    for (int a = 0; a < p; a++) {
      double h = 1e-5 * Math.max(1.0, Math.abs(t[a]));
      double[] up = t.clone();
      double[] down = t.clone();
      up[a] += h;
      down[a] -= h;
      double[] lu = rowLogLik(th, up, x);
      double[] ld = rowLogLik(th, down, x);
      score[a] = new double[N];
      for (int r = 0; r < N; r++) {
        score[a][r] = (lu[r] - ld[r]) / (2 * h);
      }
    }
    double[] expected = new double[p * p];
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        double s = 0.0;
        for (int r = 0; r < N; r++) {
          s += rw[r] * score[a][r] * score[b][r];
        }
        expected[a * p + b] = s;
      }
    }
    double[] got = information(type, InformationMethod.OPG, LocalData.of(x, rw, null));
    assertMatrixClose(th, expected, got, 1e-7);
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void observedIsMinusTheSecondDifferencesOfTheLogLikelihood(CovarianceType type) throws Exception {
    double[][] x = data(2);
    double[] rw = rowWeights(2);
    Object[] par = parameters(type);
    FreeParameters th = new FreeParameters(type, K, D);
    double[] t = pack(th, (double[]) par[0], (double[][]) par[1], (double[][]) par[2]);
    int p = th.p;
    double[] expected = new double[p * p];
    double[] h = new double[p];
    for (int a = 0; a < p; a++) {
      h[a] = 1e-4 * Math.max(1.0, Math.abs(t[a]));
    }
    for (int a = 0; a < p; a++) {
      for (int b = a; b < p; b++) {
        double f = 0.0;
        for (int sa = -1; sa <= 1; sa += 2) {
          for (int sb = -1; sb <= 1; sb += 2) {
            double[] tt = t.clone();
            tt[a] += sa * h[a];
            tt[b] += sb * h[b];
            f += sa * sb * total(rowLogLik(th, tt, x), rw);
          }
        }
        double v = -f / (4 * h[a] * h[b]);
        expected[a * p + b] = v;
        expected[b * p + a] = v;
      }
    }
    double[] got = information(type, InformationMethod.OBSERVED, LocalData.of(x, rw, null));
    assertMatrixClose(th, expected, got, 1e-6);
  }

  /** Entry-wise |expected - got| <= tol * max|expected| (entries span several orders of magnitude). */
  private static void assertMatrixClose(FreeParameters th, double[] expected, double[] got, double tol) {
    double scale = maxAbs(expected);
    int p = th.p;
    double worst = 0.0;
    String where = "";
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        double e = Math.abs(expected[a * p + b] - got[a * p + b]) / scale;
        if (e > worst) {
          worst = e;
          where = th.name(a) + " x " + th.name(b) + ": expected " + expected[a * p + b] + ", got " + got[a * p + b];
        }
      }
    }
    assertTrue(worst <= tol, "largest difference " + worst + " of the matrix scale at " + where);
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void blockedMapperEqualsTheRowReference(CovarianceType type) throws Exception {
    double[][] x = data(3);
    double[] rw = rowWeights(3);
    rw[5] = 0.0;
    Object[] par = parameters(type);
    double[] w = (double[]) par[0];
    double[][] mu = (double[][]) par[1];
    double[][] cov = (double[][]) par[2];
    FreeParameters th = new FreeParameters(type, K, D);
    for (InformationMethod method : InformationMethod.values()) {
      ScoreKernel kernel = new ScoreKernel(th, method, w, mu, StandardErrors.precisions(type, K, D, cov));
      EStepTask task = EStepTask.under(Mixture.of(type, w, mu, cov), false, EStepTask.Scatter.of(type))
          .withRowStatistic(kernel);
      DataBlock block = block(x, rw, 0, N);
      double[] blocked = EStep.accumulate(task, block, SuffStats.zeroFor(task)).rowStatistic();
      double[] rows = RowEStep.accumulate(task, block, SuffStats.zeroFor(task)).rowStatistic();
      double scale = maxAbs(rows);
      for (int i = 0; i < rows.length; i++) {
        assertEquals(rows[i], blocked[i], 1e-12 * scale, method + " entry " + i);
      }
    }
  }

  private static DataBlock block(double[][] x, double[] w, int from, int to) {
    int n = to - from;
    double[] flat = new double[n * D];
    long[] keys = new long[n];
    double[] ws = new double[n];
    for (int r = 0; r < n; r++) {
      System.arraycopy(x[from + r], 0, flat, r * D, D);
      keys[r] = DataBlock.rowKey(0, from + r + 1);
      ws[r] = w[from + r];
    }
    return new DataBlock(n, D, flat, keys, ws, null);
  }

  /** At the maximum-likelihood fit (EM from the test parameters), for both methods. */
  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void standardErrorsDoNotDependOnTheSplit(CovarianceType type) {
    double[][] x = data(4);
    double[] rw = rowWeights(4);
    Object[] par = parameters(type);
    LocalData whole = LocalData.of(x, rw, null);
    FitSpec spec = new FitSpec(ModelKind.GMM, type, K, 5000, 1e-12, 1e-6, 0, InitMethod.MODEL,
        new StartParams(ModelKind.GMM, type, (double[]) par[0], (double[][]) par[1], (double[][]) par[2]), 1);
    FitResult fit = EmLoop.fit(whole, spec, whole.columns());
    assertTrue(fit.converged());
    List<DataBlock> split = new ArrayList<>();
    int[] cuts = {0, 7, 8, 31, 50, N};
    for (int i = 0; i + 1 < cuts.length; i++) {
      split.add(block(x, rw, cuts[i], cuts[i + 1]));
    }
    for (InformationMethod method : InformationMethod.values()) {
      StandardErrors one = StandardErrors.compute(whole, method, type, fit.weights(), fit.means(),
          fit.covariances());
      StandardErrors many = StandardErrors.compute(new LocalData(split), method, type, fit.weights(), fit.means(),
          fit.covariances());
      assertTrue(one.computed(), one.reason());
      assertTrue(many.computed(), many.reason());
      assertClose(one.weights(), many.weights(), 1e-9);
      for (int j = 0; j < K; j++) {
        assertClose(one.means()[j], many.means()[j], 1e-9);
      }
      for (int b = 0; b < one.covariances().length; b++) {
        assertClose(one.covariances()[b], many.covariances()[b], 1e-9);
      }
    }
  }

  private static void assertClose(double[] a, double[] b, double rel) {
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], rel * Math.abs(a[i]), "entry " + i);
    }
  }

  @Test
  void opgWithFewerRowsThanParametersIsSingular() {
    double[][] x = new double[10][];
    System.arraycopy(data(5), 0, x, 0, 10);
    Object[] par = parameters(CovarianceType.FULL);
    StandardErrors se = StandardErrors.compute(LocalData.of(x, null, null), InformationMethod.OPG,
        CovarianceType.FULL, (double[]) par[0], (double[][]) par[1], (double[][]) par[2]);
    assertFalse(se.computed());
    assertNull(se.weights());
    assertNull(se.means());
    assertNull(se.covariances());
    assertEquals(29, se.parameters());
    assertTrue(se.reason().contains("singular") && se.reason().contains("10 rows"), se.reason());
    assertTrue(se.warning().contains("singular"), se.warning());
  }

  @Test
  void rankDeficientInformationIsSingularAndIndefiniteIsNotPositiveDefinite() {
    FreeParameters th = new FreeParameters(CovarianceType.SPHERICAL, 2, 1);
    // p = 1 + 2 + 2 = 5; parameter 3 is a copy of parameter 2.
    int p = th.p;
    double[] info = new double[p * p];
    for (int a = 0; a < p; a++) {
      info[a * p + a] = 2.0 + a;
    }
    info[2 * p + 3] = info[3 * p + 2] = Math.sqrt(info[2 * p + 2] * info[3 * p + 3]);
    StandardErrors s = StandardErrors.invert(th, InformationMethod.OPG, info);
    assertTrue(s.reason().contains("singular") && s.reason().contains("covariance[0]"), s.reason());
    info[2 * p + 3] = info[3 * p + 2] = 2.0 * Math.sqrt(info[2 * p + 2] * info[3 * p + 3]);
    StandardErrors n = StandardErrors.invert(th, InformationMethod.OBSERVED, info);
    assertTrue(n.reason().contains("not positive definite") && n.reason().contains("not at a maximum"), n.reason());
    assertNull(n.weights());
  }

  @Test
  void diagonalInformationGivesTheReciprocalSquareRootsAndTheDeltaMethodWeight() {
    FreeParameters th = new FreeParameters(CovarianceType.DIAG, 3, 1);
    int p = th.p;
    double[] info = new double[p * p];
    for (int a = 0; a < p; a++) {
      info[a * p + a] = 4.0 * (a + 1);
    }
    // Weights 0 and 1 correlated: V_w = inverse of [[4, 2], [2, 8]] = [[8, -2], [-2, 4]] / 28.
    info[1] = info[p] = 2.0;
    StandardErrors s = StandardErrors.invert(th, InformationMethod.OPG, info);
    assertEquals(Math.sqrt(8.0 / 28), s.weights()[0], 1e-15);
    assertEquals(Math.sqrt(4.0 / 28), s.weights()[1], 1e-15);
    assertEquals(Math.sqrt((8.0 - 4.0 + 4.0) / 28), s.weights()[2], 1e-15);
    assertEquals(1.0 / Math.sqrt(4.0 * (th.mean(1, 0) + 1)), s.means()[1][0], 1e-15);
    assertEquals(1.0 / Math.sqrt(4.0 * (th.covariance(2, 0) + 1)), s.covariances()[2][0], 1e-15);
  }

  @Test
  void tooManyParametersIsAReasonNotAnAllocation() {
    double[][] x = {{0.0}, {1.0}};
    int d = 40;
    double[][] mu = new double[3][d];
    double[][] cov = new double[3][d * d];
    for (double[] c : cov) {
      for (int a = 0; a < d; a++) {
        c[a * d + a] = 1.0;
      }
    }
    StandardErrors s = StandardErrors.compute(LocalData.of(new double[][] {new double[d]}, null, null),
        InformationMethod.OBSERVED, CovarianceType.FULL, new double[] {0.2, 0.3, 0.5}, mu, cov);
    assertEquals(2 + 3 * 40 + 3 * 820, s.parameters());
    assertTrue(s.reason().contains("limit of 1000"), s.reason());
    assertNull(s.means());
    assertEquals(2, x.length);
  }
}
