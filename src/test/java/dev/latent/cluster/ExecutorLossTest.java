package dev.latent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.testing.Models;
import dev.latent.testing.Processes;
import dev.latent.testing.Project;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code submit/latent fit --master 'local-cluster[2,1,1024]'} as a user types it: two executor JVMs beside
 * the driver. One executor is killed (SIGKILL) in the middle of EM; Spark must recompute its cached
 * partition elsewhere and the fit must end with the model of an undisturbed run, to 1e-9 relative
 * (the reference runs in-process on other partitions). Both engines are run against the same
 * reference: the aggregate engine, whose lost task Spark re-runs, and the barrier engine, whose whole
 * stage fails and whose scan the driver runs again in a new round.
 */
@Tag("cluster")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ExecutorLossTest extends SharedSpark {
  private static final Duration JOB = Duration.ofSeconds(300);
  private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

  @Test
  void fitSurvivesTheLossOfAnExecutorWithEitherEngine() throws Exception {
    Path dir = Files.createTempDirectory(Project.home().resolve("target"), "executor-loss-");
    // tol 0 runs every one of the 40 iterations, so plenty are left after the kill at iteration 3.
    List<String> fit = List.of("fit", "--input", Project.testdata("iris.csv").toString(), "--k", "3",
        "--exclude", "label", "--tol", "0", "--max-iter", "40");

    Path reference = dir.resolve("undisturbed");
    Runs.Result r = Runs.main(jsc, concat(fit, "--output", reference.toString()));
    assertEquals(0, r.code(), r.toString());

    for (String engine : List.of("aggregate", "barrier")) {
      Path out = dir.resolve("after-loss-" + engine);
      List<String> cmd = new ArrayList<>();
      cmd.add(Project.script("latent").toString());
      cmd.addAll(fit);
      cmd.addAll(List.of("--output", out.toString(), "--master", "local-cluster[2,1,1024]", "--engine", engine));
      // Both executors registered before the first job, so each caches one of the two partitions.
      Map<String, String> env = Map.of("LATENT_JAVA_OPTS",
          "-Xmx512m -Dspark.scheduler.minRegisteredResourcesRatio=1.0 -Dspark.ui.enabled=false");
      long t0 = System.nanoTime();
      try (Processes procs = new Processes()) {
        Processes.Child driver = procs.start("driver", cmd, Project.home(), env, dir.resolve("driver-" + engine + ".log"));
        driver.awaitLine("iteration 3: ", JOB);
        List<ProcessHandle> executors = Processes.descendantsRunning(driver.process().toHandle(), EXECUTOR_MAIN);
        assertEquals(2, executors.size(), "executor JVMs under the driver: " + executors);
        ProcessHandle victim = executors.get(0);
        victim.destroyForcibly();
        victim.onExit().get(30, TimeUnit.SECONDS);
        assertEquals(0, driver.awaitExit(JOB), driver.logText());

        String log = driver.logText();
        System.out.printf("local-cluster fit, --engine %s, with a lost executor: %.1f s%s%n", engine,
            (System.nanoTime() - t0) / 1e9, log.contains("barrier round lost") ? " (a barrier round was re-run)" : "");
        assertTrue(log.contains("Lost executor"), "the driver saw the executor go:\n" + Processes.tail(log));
        assertTrue(log.contains("iteration 40: "), Processes.tail(log));
        assertTrue(log.contains("engine " + engine), Processes.tail(log));
      }
      Models.assertSameModel(reference.resolve("model.json"), out.resolve("model.json"), 1e-9);
      assertEquals(40, Runs.json(out.resolve("summary.json")).path("iterations").asInt());
      assertEquals(engine, Runs.json(out.resolve("summary.json")).path("run").path("engine").asText());
    }
  }

  private static String[] concat(List<String> a, String... b) {
    String[] out = a.toArray(new String[a.size() + b.length]);
    System.arraycopy(b, 0, out, a.size(), b.length);
    return out;
  }
}
