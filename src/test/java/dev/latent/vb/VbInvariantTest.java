package dev.latent.vb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.em.DataBlock;
import dev.latent.em.DataPass;
import dev.latent.em.EStepTask;
import dev.latent.em.EmLoop;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.LocalData;
import dev.latent.em.SampleTask;
import dev.latent.em.StartParams;
import dev.latent.em.SuffStats;
import dev.latent.em.Sweep;
import dev.latent.em.TopRows;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.testing.Refs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariants of the variational fit without Spark: results do not depend on how the rows are cut into
 * blocks (partitions), a fit continued from its own posterior repeats the uninterrupted iterations, an
 * emptied component stays at its prior (never re-seeded), the prior defaults are scikit-learn's, and a
 * start from a GMM model or from seeded K-means runs with a bound that never decreases.
 */
class VbInvariantTest {
  private static final double[][] IRIS = Refs.features("iris");
  private static final int[] LABELS = Refs.ints(Refs.ref("bgmm_iris").get("init").get("kmeans_labels"));

  private static FitSpec spec(CovarianceType type, WeightPrior prior, int k, int maxIter, double tol,
      InitMethod init, StartParams start, int restarts) {
    return new FitSpec(ModelKind.VBGMM, type, k, maxIter, tol, 1e-6, 3, init, start, restarts, null,
        new PriorSettings(prior, Double.NaN, Double.NaN, Double.NaN));
  }

  /** The rows in blocks of {@code size} (the last one shorter), keys and labels kept. */
  private static LocalData blocks(double[][] x, int[] labels, int size) {
    int d = x[0].length;
    List<DataBlock> out = new ArrayList<>();
    for (int r0 = 0; r0 < x.length; r0 += size) {
      int n = Math.min(size, x.length - r0);
      double[] flat = new double[n * d];
      long[] keys = new long[n];
      int[] lab = new int[n];
      for (int r = 0; r < n; r++) {
        System.arraycopy(x[r0 + r], 0, flat, r * d, d);
        keys[r] = DataBlock.rowKey(0, r0 + r + 1);
        lab[r] = labels[r0 + r];
      }
      out.add(new DataBlock(n, d, flat, keys, null, lab));
    }
    return new LocalData(out);
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void resultsDoNotDependOnTheBlocks(CovarianceType type) {
    for (WeightPrior prior : WeightPrior.values()) {
      // tol 0: the same number of iterations whatever the rounding of the merged sums.
      FitSpec spec = spec(type, prior, 10, 40, 0.0, InitMethod.LABELS, null, 1);
      LocalData one = blocks(IRIS, LABELS, IRIS.length);
      FitResult a = EmLoop.fit(one, spec, one.columns());
      for (int size : new int[] {1, 7, 64}) {
        LocalData many = blocks(IRIS, LABELS, size);
        FitResult b = EmLoop.fit(many, spec, many.columns());
        String where = type + " " + prior + ", blocks of " + size;
        assertEquals(a.variational().elbo(), b.variational().elbo(), 1e-9 * Math.abs(a.variational().elbo()), where);
        assertArrayEquals(a.weights(), b.weights(), 1e-9, where);
        for (int j = 0; j < 10; j++) {
          assertArrayEquals(a.means()[j], b.means()[j], 1e-9 * 8, where + ": mean " + j);
        }
      }
    }
  }

  @Test
  void aFitContinuedFromItsPosteriorRepeatsTheIterations() {
    for (CovarianceType type : CovarianceType.values()) {
      LocalData data = LocalData.of(IRIS, null, LABELS);
      FitResult whole = EmLoop.fit(data, spec(type, WeightPrior.DIRICHLET_PROCESS, 10, 50, 0.0, InitMethod.LABELS,
          null, 1), data.columns());
      FitResult first = EmLoop.fit(data, spec(type, WeightPrior.DIRICHLET_PROCESS, 10, 30, 0.0, InitMethod.LABELS,
          null, 1), data.columns());
      StartParams from = new StartParams(ModelKind.VBGMM, type, first.weights(), first.means(), first.covariances(),
          first.variational().posterior());
      FitResult rest = EmLoop.fit(data, spec(type, WeightPrior.DIRICHLET_PROCESS, 10, 20, 0.0, InitMethod.MODEL,
          from, 1), data.columns());
      double[] w = whole.variational().elboTrace();
      double[] r = rest.variational().elboTrace();
      assertEquals(20, r.length);
      for (int i = 0; i < 20; i++) {
        assertEquals(w[30 + i], r[i], 1e-12 * Math.abs(w[30 + i]), type + ": iteration " + (31 + i));
      }
    }
  }

  /**
   * Three tight blobs labelled 0..2 for a 4-component fit: component 3 starts with N_k = 10 eps, at its
   * prior, and stays near it (never re-seeded: only the little responsibility the broad prior component
   * takes from the blobs' rows, N_3 about 3e-5, moves it).
   */
  @ParameterizedTest
  @EnumSource(WeightPrior.class)
  void anEmptyComponentStaysAtItsPrior(WeightPrior prior) {
    Random rnd = new Random(9);
    double[][] x = new double[180][];
    int[] labels = new int[180];
    for (int r = 0; r < 180; r++) {
      labels[r] = r % 3;
      x[r] = new double[] {(labels[r] == 1 ? 10 : 0) + 0.01 * rnd.nextGaussian(),
          (labels[r] == 2 ? 10 : 0) + 0.1 * rnd.nextGaussian()};
    }
    LocalData data = LocalData.of(x, null, labels);
    FitResult r = EmLoop.fit(data, spec(CovarianceType.FULL, prior, 4, 200, 1e-10, InitMethod.LABELS, null, 1),
        data.columns());
    assertTrue(r.converged());
    VariationalPosterior p = r.variational().posterior();
    Priors p0 = r.variational().priors();
    double n3 = p.meanPrecision()[3] - p0.meanPrecision();
    assertTrue(n3 > 0 && n3 < 1e-3, "N_3 = beta_3 - beta_0 = " + n3);
    assertEquals(n3, p.degreesOfFreedom()[3] - p0.degreesOfFreedom(), 1e-12, "nu_3 = nu_0 + N_3");
    assertArrayEquals(p0.mean(), p.means()[3], 1e-2, "m_3 = (beta_0 m_0 + N_3 x_3) / beta_3");
    double[] expected = p0.covariance().clone();
    for (int i = 0; i < expected.length; i++) {
      expected[i] /= p0.degreesOfFreedom();
    }
    assertArrayEquals(expected, p.covariances()[3], 1e-2, "W_3^-1 / nu_3 = W_0^-1 / nu_0 nearly");
    assertEquals(List.of("initial labels: no row has label 3: component 3 starts at its prior"), r.warnings(),
        "no component is re-seeded");
    assertTrue(r.weights()[3] > 0 && r.weights()[3] < 0.01, "its weight is small but positive");
    assertEquals(3, p.effectiveComponents());
  }

  /**
   * The step state leaves the driver (the barrier engine runs it inside Spark tasks): a sweep serialized
   * before every scan gives the plain loop's variational fit bit for bit.
   */
  @Test
  void aSerializedSweepGivesTheSameFit() {
    LocalData data = LocalData.of(IRIS, null, LABELS);
    for (FitSpec spec : List.of(
        spec(CovarianceType.TIED, WeightPrior.DIRICHLET_PROCESS, 10, 30, 1e-3, InitMethod.LABELS, null, 1),
        spec(CovarianceType.SPHERICAL, WeightPrior.DIRICHLET_DISTRIBUTION, 5, 30, 1e-3, InitMethod.KMEANS_PP, null,
            2))) {
      FitResult plain = EmLoop.fit(data, spec, data.columns());
      DataPass travelling = new DataPass() {
        @Override
        public Sweep advance(Sweep sweep) {
          Sweep there = copy(sweep);
          there.accept(data.estep(there.tasks()));
          return copy(there);
        }

        @Override
        public SuffStats[] estep(EStepTask[] tasks) {
          return data.estep(tasks);
        }

        @Override
        public TopRows[] sample(SampleTask[] tasks) {
          return data.sample(tasks);
        }

        @Override
        public int dimension() {
          return data.dimension();
        }
      };
      FitResult away = EmLoop.fit(travelling, spec, data.columns());
      assertArrayEquals(plain.variational().elboTrace(), away.variational().elboTrace(), 0.0, spec.label());
      assertArrayEquals(plain.weights(), away.weights(), 0.0, spec.label());
    }
  }

  private static Sweep copy(Sweep s) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(s);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (Sweep) in.readObject();
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theDefaultPriorsAreScikitLearns() {
    double[] mean = {1.0, 2.0};
    double[] cov = {4.0, 1.0, 1.0, 9.0};
    Priors full = PriorSettings.DEFAULTS.priors(CovarianceType.FULL, 5, mean, cov);
    assertEquals(WeightPrior.DIRICHLET_PROCESS, full.weightPrior());
    assertEquals(0.2, full.weightConcentration(), 0.0, "1 / K");
    assertEquals(1.0, full.meanPrecision(), 0.0);
    assertEquals(2.0, full.degreesOfFreedom(), 0.0, "d");
    assertArrayEquals(cov, full.covariance(), 0.0);
    assertArrayEquals(cov, PriorSettings.DEFAULTS.priors(CovarianceType.TIED, 5, mean, cov).covariance(), 0.0);
    assertArrayEquals(new double[] {4.0, 9.0},
        PriorSettings.DEFAULTS.priors(CovarianceType.DIAG, 5, mean, cov).covariance(), 0.0);
    assertArrayEquals(new double[] {6.5},
        PriorSettings.DEFAULTS.priors(CovarianceType.SPHERICAL, 5, mean, cov).covariance(), 0.0);
    Priors given = new PriorSettings(WeightPrior.DIRICHLET_DISTRIBUTION, 3.0, 0.5, 7.0)
        .priors(CovarianceType.DIAG, 5, mean, cov);
    assertEquals(3.0, given.weightConcentration(), 0.0);
    assertEquals(0.5, given.meanPrecision(), 0.0);
    assertEquals(7.0, given.degreesOfFreedom(), 0.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PriorSettings(WeightPrior.DIRICHLET_PROCESS, Double.NaN, Double.NaN, 1.0)
            .priors(CovarianceType.FULL, 5, mean, cov));
    assertTrue(e.getMessage().contains("degrees of freedom 1.0 (d = 2)"), e.getMessage());
  }

  /** From a GMM model (its responsibilities, then the variational M-step) and from seeded K-means restarts. */
  @Test
  void otherStartsRunWithABoundThatNeverDecreases() {
    LocalData data = LocalData.of(IRIS, null, null);
    double[][] cov = new double[3][16];
    double[][] means = {IRIS[0], IRIS[60], IRIS[120]};
    for (int j = 0; j < 3; j++) {
      for (int i = 0; i < 4; i++) {
        cov[j][i * 4 + i] = 0.3;
      }
    }
    StartParams gmm = new StartParams(ModelKind.GMM, CovarianceType.FULL, new double[] {0.3, 0.3, 0.4}, means, cov);
    List<FitResult> results = List.of(
        EmLoop.fit(data, spec(CovarianceType.FULL, WeightPrior.DIRICHLET_PROCESS, 3, 500, 1e-8, InitMethod.MODEL,
            gmm, 1), data.columns()),
        EmLoop.fit(data, spec(CovarianceType.DIAG, WeightPrior.DIRICHLET_DISTRIBUTION, 6, 500, 1e-8,
            InitMethod.KMEANS_PP, null, 3), data.columns()));
    for (FitResult r : results) {
      assertTrue(r.converged(), r.warnings().toString());
      double[] t = r.variational().elboTrace();
      for (int i = 1; i < t.length; i++) {
        assertTrue(t[i] >= t[i - 1] - 1e-9 * Math.abs(t[i - 1]), "the bound decreased at " + i);
      }
      assertEquals(List.of(), r.warnings());
    }
    FitResult restarts = results.get(1);
    double best = Double.NEGATIVE_INFINITY;
    for (double s : restarts.candidateScores()) {
      best = Math.max(best, s);
    }
    assertEquals(best, restarts.variational().elbo(), 0.0, "the restart with the highest bound is kept");
  }
}
