package dev.latent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.em.Annealing;
import dev.latent.em.Distance;
import dev.latent.em.EmLoop;
import dev.latent.em.EmState;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.LocalData;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.testing.Refs;
import dev.latent.vb.PriorSettings;
import dev.latent.vb.WeightPrior;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint folder: exact round trips, one state kept, atomic replacement, and refusals that say why. */
class CheckpointStoreTest {
  private static final FitSpec SPEC =
      new FitSpec(ModelKind.GMM, CovarianceType.FULL, 3, 100, 1e-6, 1e-6, 0, InitMethod.KMEANS_PP, null, 2);
  private static final Map<String, Object> FIT = Map.of("settings", Map.of("k", 3, "tol", 1e-6), "rows", 150L);

  @TempDir
  Path tmp;

  @Test
  void aFitResumedFromTheFileEndsExactlyAsTheUninterruptedOne() throws IOException {
    LocalData data = LocalData.of(Refs.features("iris"), null, null);
    FitResult whole = EmLoop.fit(data, SPEC, data.columns());

    // Stop after scan 9 by failing the save of scan 10: the file then holds scan 9.
    CheckpointStore store = CheckpointStore.open(new Configuration(), tmp.toString(), FIT);
    List<Integer> seen = new ArrayList<>();
    assertThrows(IllegalStateException.class, () -> EmLoop.fit(data, SPEC, data.columns(), null, s -> {
      if (s.scans() == 10) {
        throw new IllegalStateException("the driver died");
      }
      store.save(s);
      seen.add(s.scans());
    }));
    assertEquals(List.of("state-000009.json"), stateFiles());

    EmState back = CheckpointStore.open(new Configuration(), tmp.toString(), FIT).latest();
    assertEquals(9, back.scans());
    FitResult resumed = EmLoop.fit(data, SPEC, data.columns(), back, null);
    assertArrayEquals(whole.weights(), resumed.weights(), 0.0);
    for (int j = 0; j < 3; j++) {
      assertArrayEquals(whole.means()[j], resumed.means()[j], 0.0);
      assertArrayEquals(whole.covariances()[j], resumed.covariances()[j], 0.0);
    }
    assertArrayEquals(whole.trace(), resumed.trace(), 0.0);
    assertEquals(whole.iterations(), resumed.iterations());
    assertEquals(whole.warnings(), resumed.warnings());
    // Small: K d^2 numbers per candidate plus the traces, whatever the number of rows.
    long bytes = Files.size(tmp.resolve("state-000009.json"));
    assertTrue(bytes < 16_000, bytes + " bytes");
  }

  @Test
  void annealedFitsResumeFromTheFileInTheirStage() {
    LocalData data = LocalData.of(Refs.features("iris"), null, null);
    for (Annealing a : new Annealing[] {new Annealing(Double.NaN, true, 0.1, 2.0), new Annealing(1.0, true, 0.1, 2.0)}) {
      FitSpec spec = new FitSpec(ModelKind.GMM, CovarianceType.SPHERICAL, 3, 100, 1e-6, 1e-6, 0,
          InitMethod.KMEANS_PP, null, 1, Distance.EUCLIDEAN, a);
      FitResult whole = EmLoop.fit(data, spec, data.columns());
      int stop = whole.iterations() / 2 + 3;
      EmState back = killedAt(data, spec, stop, tmp.resolve(a.fixed() ? "variance" : "beta"));
      assertTrue(back.candidates().get(0).annealed().stage() > 0, "stopped in a later stage");
      FitResult resumed = EmLoop.fit(data, spec, data.columns(), back, null);
      assertEquals(whole.annealing(), resumed.annealing());
      assertArrayEquals(whole.weights(), resumed.weights(), 1e-12);
      assertArrayEquals(whole.trace(), resumed.trace(), 1e-12);
      assertEquals(whole.iterations(), resumed.iterations());
    }
  }

  @Test
  void variationalFitsResumeFromTheFileExactly() {
    LocalData data = LocalData.of(Refs.features("iris"), null, null);
    for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.TIED}) {
      for (WeightPrior prior : WeightPrior.values()) {
        FitSpec spec = new FitSpec(ModelKind.VBGMM, type, 4, 200, 1e-6, 1e-6, 3, InitMethod.KMEANS_PP, null, 2, null,
            new PriorSettings(prior, Double.NaN, Double.NaN, Double.NaN));
        // Stop half way between the first state with a posterior and the last state.
        List<Integer> iterating = new ArrayList<>();
        FitResult whole = EmLoop.fit(data, spec, data.columns(), null, s -> {
          if (s.candidates().get(0).variational() != null) {
            iterating.add(s.scans());
          }
        });
        int stop = (iterating.get(0) + iterating.get(iterating.size() - 1)) / 2 + 1;
        EmState back = killedAt(data, spec, stop, tmp.resolve(type.key() + "-" + prior.key()));
        assertEquals(stop - 1, back.scans());
        assertTrue(back.candidates().get(0).variational() != null, "stopped while iterating the posterior");
        FitResult resumed = EmLoop.fit(data, spec, data.columns(), back, null);
        String what = type.key() + ", " + prior.key();
        assertArrayEquals(whole.weights(), resumed.weights(), 0.0, what);
        for (int j = 0; j < 4; j++) {
          assertArrayEquals(whole.means()[j], resumed.means()[j], 0.0, what);
        }
        assertArrayEquals(whole.variational().elboTrace(), resumed.variational().elboTrace(), 0.0, what);
        assertArrayEquals(whole.variational().posterior().degreesOfFreedom(),
            resumed.variational().posterior().degreesOfFreedom(), 0.0, what);
        assertEquals(whole.iterations(), resumed.iterations(), what);
        assertEquals(whole.candidate(), resumed.candidate(), what);
      }
    }
    // A state whose posterior does not fit the spec is refused with the reason.
    FitSpec full = new FitSpec(ModelKind.VBGMM, CovarianceType.FULL, 4, 200, 1e-6, 1e-6, 3, InitMethod.KMEANS_PP,
        null, 2, null, PriorSettings.DEFAULTS);
    EmState tied = CheckpointStore.open(new Configuration(), tmp.resolve("tied-dirichlet-process").toString(), FIT)
        .latest();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tied.check(full, 4));
    assertTrue(e.getMessage().contains("the posterior is tied"), e.getMessage());
  }

  /** Fits with checkpoints in {@code dir} until the save of scan {@code stop} fails; the state read back. */
  private static EmState killedAt(LocalData data, FitSpec spec, int stop, Path dir) {
    CheckpointStore store = CheckpointStore.open(new Configuration(), dir.toString(), FIT);
    assertThrows(IllegalStateException.class, () -> EmLoop.fit(data, spec, data.columns(), null, s -> {
      if (s.scans() == stop) {
        throw new IllegalStateException("the driver died");
      }
      store.save(s);
    }));
    return CheckpointStore.open(new Configuration(), dir.toString(), FIT).latest();
  }

  @Test
  void clearRemovesOnlyStatesAndLeavesOtherFilesAlone() throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "mine");
    CheckpointStore store = CheckpointStore.open(new Configuration(), tmp.toString(), FIT);
    LocalData data = LocalData.of(Refs.features("iris"), null, null);
    EmLoop.fit(data, SPEC, data.columns(), null, store::save);
    assertEquals(1, stateFiles().size());
    store.clear();
    assertEquals(List.of(), stateFiles());
    assertNull(store.latest());
    assertEquals("mine", Files.readString(tmp.resolve("notes.txt")));
  }

  @Test
  void aCheckpointOfAnotherFitIsRefused() {
    LocalData data = LocalData.of(Refs.features("iris"), null, null);
    CheckpointStore store = CheckpointStore.open(new Configuration(), tmp.toString(), FIT);
    EmLoop.fit(data, SPEC, data.columns(), null, store::save);
    Map<String, Object> other = Map.of("settings", Map.of("k", 4, "tol", 1e-6), "rows", 150L);
    InputException e = assertThrows(InputException.class,
        () -> CheckpointStore.open(new Configuration(), tmp.toString(), other).latest());
    assertTrue(e.getMessage().contains("state-") && e.getMessage().contains("belongs to another fit"),
        e.getMessage());
  }

  @Test
  void aDamagedCheckpointNamesTheFileLineAndColumn() throws IOException {
    Files.writeString(tmp.resolve("state-000003.json"), "{\"format\": \"latent-checkpoint\",\n \"version\": ");
    InputException e = assertThrows(InputException.class,
        () -> CheckpointStore.open(new Configuration(), tmp.toString(), FIT).latest());
    assertTrue(e.getMessage().matches(".*state-000003\\.json: not a valid checkpoint \\(.* at line 2, column \\d+\\)"),
        e.getMessage());
  }

  private List<String> stateFiles() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      // Hadoop's local file system keeps a .crc beside each file; it comes and goes with its file.
      return s.map(p -> p.getFileName().toString()).filter(n -> n.contains("state-") && !n.endsWith(".crc"))
          .sorted().toList();
    }
  }
}
