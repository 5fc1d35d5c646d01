package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.testing.Refs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoint and resume in the EM loop: continuing from the state saved after any scan gives exactly the
 * result of the uninterrupted fit (in memory the scans are deterministic, so bit for bit), and so does
 * resuming after a crash in the middle of a scan. Every phase is covered: seeding, K-means, the GMM start,
 * EM, the final scoring, finished candidates beside running ones (restarts), and label initialisation.
 */
class ResumeTest {

  static Stream<Arguments> fits() {
    int[] labels = Refs.ints(Refs.ref("kmeans_iris").get("labels"));
    return Stream.of(
        Arguments.of("gmm full, kmeans++, 3 restarts",
            new FitSpec(ModelKind.GMM, CovarianceType.FULL, 3, 100, 1e-6, 1e-6, 7, InitMethod.KMEANS_PP, null, 3),
            null),
        Arguments.of("gmm diag, random rows",
            new FitSpec(ModelKind.GMM, CovarianceType.DIAG, 4, 30, 0.0, 1e-6, 3, InitMethod.RANDOM, null, 1), null),
        Arguments.of("kmeans, random rows, 2 restarts",
            new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, 6, 100, 0.0, 0.0, 1, InitMethod.RANDOM, null, 2), null),
        Arguments.of("gmm spherical, k-means||, 2 restarts",
            new FitSpec(ModelKind.GMM, CovarianceType.SPHERICAL, 3, 100, 1e-6, 1e-6, 5, InitMethod.KMEANS_PARALLEL,
                null, 2), null),
        Arguments.of("gmm tied, from labels",
            new FitSpec(ModelKind.GMM, CovarianceType.TIED, 3, 100, 1e-8, 1e-6, 0, InitMethod.LABELS, null, 1),
            labels));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fits")
  void resumingAfterAnyScanGivesTheUninterruptedFit(String name, FitSpec spec, int[] labels) {
    LocalData data = LocalData.of(Refs.features("iris"), null, labels);
    List<EmState> saved = new ArrayList<>();
    FitResult whole = EmLoop.fit(data, spec, data.columns(), null, saved::add);
    assertTrue(saved.size() > 5, name + ": one state after seeding and one per scan");
    for (int s = 0; s < saved.size(); s++) {
      assertEquals(s, saved.get(s).scans());
      FitResult resumed = EmLoop.fit(data, spec, data.columns(), saved.get(s), null);
      assertSame(whole, resumed, name + ", resumed after scan " + s);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fits")
  void aCrashMidScanLosesOnlyThatScan(String name, FitSpec spec, int[] labels) {
    LocalData data = LocalData.of(Refs.features("iris"), null, labels);
    FitResult whole = EmLoop.fit(data, spec, data.columns());
    List<EmState> saved = new ArrayList<>();
    int[] seedingScans = new int[1];
    Crashing crashing = new Crashing(data, 9);
    assertThrows(IllegalStateException.class, () -> EmLoop.fit(crashing, spec, data.columns(), null, s -> {
      if (s.scans() == 0) {
        // k-means|| seeding runs E-steps of its own before the first state.
        seedingScans[0] = crashing.scans;
      }
      saved.add(s);
    }));
    EmState last = saved.get(saved.size() - 1);
    // The ninth E-step died: every EM scan completed before it is in the last state.
    assertEquals(8 - seedingScans[0], last.scans());
    assertSame(whole, EmLoop.fit(data, spec, data.columns(), last, saved::add), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fits")
  void aStateForAnotherFitIsRefused(String name, FitSpec spec, int[] labels) {
    LocalData data = LocalData.of(Refs.features("iris"), null, labels);
    List<EmState> saved = new ArrayList<>();
    EmLoop.fit(data, spec, data.columns(), null, saved::add);
    FitSpec otherK = new FitSpec(spec.kind(), spec.covariance(), spec.k() + 1, spec.maxIter(), spec.tol(),
        spec.regCovar(), spec.seed(), spec.init(), null, spec.restarts());
    EmState mid = saved.get(saved.size() / 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mid.check(otherK, 4));
    assertTrue(e.getMessage().startsWith("candidate 0: "), e.getMessage());
  }

  /** A sweep (K 2..4, two covariance types, two restarts) shares scans: its state is every candidate's. */
  @Test
  void aSweepResumesAsAWhole() {
    LocalData data = LocalData.of(Refs.features("iris"), null, null);
    List<FitSpec> specs = new ArrayList<>();
    for (int k = 2; k <= 4; k++) {
      for (CovarianceType t : List.of(CovarianceType.FULL, CovarianceType.DIAG)) {
        specs.add(new FitSpec(ModelKind.GMM, t, k, 100, 1e-6, 1e-6, 11, InitMethod.KMEANS_PP, null, 2));
      }
    }
    List<EmState> saved = new ArrayList<>();
    List<FitResult> whole = EmLoop.sweep(data, specs, data.columns(), null, saved::add);
    assertEquals(12, saved.get(0).candidates().size());
    for (int s : new int[] {0, 1, saved.size() / 3, saved.size() / 2, saved.size() - 1}) {
      List<FitResult> resumed = EmLoop.sweep(data, specs, data.columns(), saved.get(s), null);
      for (int i = 0; i < specs.size(); i++) {
        assertSame(whole.get(i), resumed.get(i), specs.get(i).label() + ", resumed after scan " + s);
      }
    }
    List<FitSpec> fewer = specs.subList(0, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> saved.get(3).check(fewer, 4));
    assertTrue(e.getMessage().contains("12 candidate(s), the fit has 8"), e.getMessage());
  }

  static void assertSame(FitResult a, FitResult b, String where) {
    assertArrayEquals(a.weights(), b.weights(), 0.0, where + ": weights");
    for (int j = 0; j < a.k(); j++) {
      assertArrayEquals(a.means()[j], b.means()[j], 0.0, where + ": means");
    }
    if (a.covariances() != null) {
      for (int j = 0; j < a.covariances().length; j++) {
        assertArrayEquals(a.covariances()[j], b.covariances()[j], 0.0, where + ": covariances");
      }
    }
    assertEquals(a.iterations(), b.iterations(), where + ": iterations");
    assertEquals(a.initIterations(), b.initIterations(), where + ": initial k-means passes");
    assertEquals(a.converged(), b.converged(), where + ": converged");
    assertArrayEquals(a.trace(), b.trace(), 0.0, where + ": trace");
    assertArrayEquals(a.inertiaTrace(), b.inertiaTrace(), 0.0, where + ": inertia trace");
    assertEquals(a.logLik(), b.logLik(), 0.0, where + ": log-likelihood");
    assertArrayEquals(a.candidateScores(), b.candidateScores(), 0.0, where + ": candidate scores");
    assertEquals(a.warnings(), b.warnings(), where + ": warnings");
  }

  /** A data pass whose n-th scan fails, as a driver that dies in the middle of an iteration. */
  private static final class Crashing implements DataPass {
    private final DataPass data;
    private final int failAt;
    int scans;

    Crashing(DataPass data, int failAt) {
      this.data = data;
      this.failAt = failAt;
    }

    @Override
    public SuffStats[] estep(EStepTask[] tasks) {
      if (++scans == failAt) {
        throw new IllegalStateException("the driver died");
      }
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
  }
}
