package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.testing.Models;
import dev.latent.testing.Processes;
import dev.latent.testing.Project;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A driver killed (SIGKILL) in the middle of EM, then the same command with {@code --resume}: the fit
 * continues from the last checkpoint, loses at most the iteration under way, and ends with the model of
 * an uninterrupted run. Run with each engine (the barrier engine steps on the driver too, so it also
 * checkpoints after every scan).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DriverRestartTest extends SharedSpark {
  @TempDir
  Path tmp;

  @ParameterizedTest(name = "--engine {0}")
  @ValueSource(strings = {"aggregate", "barrier"})
  void aKilledDriverResumesFromItsCheckpoint(String engine) throws Exception {
    // tol 0: all 40 iterations run, so the kill at iteration 10 is well inside the fit.
    List<String> fit = List.of("fit", "--input", Project.testdata("iris.csv").toString(), "--k", "3",
        "--exclude", "label", "--tol", "0", "--max-iter", "40", "--engine", engine);
    Path tmp = this.tmp.resolve(engine);
    Path reference = tmp.resolve("uninterrupted");
    Runs.Result r = Runs.main(jsc, args(fit, "--output", reference.toString()));
    assertEquals(0, r.code(), r.toString());

    Path checkpoint = tmp.resolve("checkpoint");
    Path out = tmp.resolve("out");
    List<String> cmd = new ArrayList<>();
    cmd.add(Project.script("latent").toString());
    cmd.addAll(fit);
    cmd.addAll(List.of("--checkpoint", checkpoint.toString(), "--output", out.toString(), "--master", "local[2]"));
    try (Processes procs = new Processes()) {
      Processes.Child driver = procs.start("driver", cmd, Project.home(), Map.of("LATENT_JAVA_OPTS", "-Xmx512m"),
          tmp.resolve("driver.log"));
      driver.awaitLine("iteration 10: ", Duration.ofMinutes(3));
      driver.process().destroyForcibly();
      assertTrue(driver.process().waitFor(30, TimeUnit.SECONDS), "the driver is gone");
    }
    assertFalse(Files.exists(out), "a killed run commits nothing");
    // A save renames the new state in, then deletes the older: a kill between the two leaves both, complete.
    List<Path> states = states(checkpoint);
    assertTrue(states.size() == 1 || states.size() == 2, "one or two complete states: " + states);
    for (Path p : states) {
      assertEquals("latent-checkpoint", Runs.json(p).path("format").asText(), p + " is complete");
    }
    int saved = Runs.json(states.get(states.size() - 1)).path("candidates").get(0).path("iterations").asInt();
    assertTrue(saved >= 9, "at most the iteration under way is lost: the checkpoint holds " + saved);

    // Another fit's --resume is refused and leaves the checkpoint alone.
    Runs.Result wrong = Runs.main(jsc, args(fit, "--k", "4", "--checkpoint", checkpoint.toString(), "--resume",
        "--output", out.toString()));
    assertEquals(3, wrong.code(), wrong.toString());
    assertTrue(wrong.err().contains("belongs to another fit"), wrong.toString());
    assertEquals(states, states(checkpoint));

    Runs.Result resumed = Runs.main(jsc, args(fit, "--checkpoint", checkpoint.toString(), "--resume",
        "--output", out.toString()));
    assertEquals(0, resumed.code(), resumed.toString());
    Models.assertSameModel(reference.resolve("model.json"), out.resolve("model.json"), 1e-9);
    JsonNode summary = Runs.json(out.resolve("summary.json"));
    assertEquals(40, summary.path("iterations").asInt());
    assertTrue(summary.path("run").path("resumedAfterScan").asInt() > 9, summary.path("run").toString());
    // The whole history survives the restart: the trace of all 40 iterations, as the uninterrupted run's.
    double[] expected = Models.flatten(Runs.json(reference.resolve("summary.json")).path("trace"));
    double[] trace = Models.flatten(summary.path("trace"));
    assertEquals(expected.length, trace.length);
    for (int i = 0; i < trace.length; i++) {
      assertEquals(expected[i], trace[i], 1e-9 * Math.abs(expected[i]), "trace[" + i + "]");
    }
    // Done: the checkpoint is cleared, so the next --resume starts afresh.
    assertEquals(List.of(), states(checkpoint));
  }

  private static List<Path> states(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("state-")).sorted().toList();
    }
  }

  private static String[] args(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}
