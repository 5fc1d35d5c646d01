package dev.latent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.testing.Models;
import dev.latent.testing.Processes;
import dev.latent.testing.Project;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The barrier tasks of one executor JVM share their scans there too, not only in local mode: one executor
 * with two cores ({@code local-cluster[1,2,1024]}) runs both tasks of a round, on 63000 rows in two files
 * (two partitions of about 31500: eight chunks each); whichever task ends its own chunks first takes the
 * other's unclaimed ones (1-3 a scan in a cold JVM, 21 scans here). The fit must
 * count those chunks ({@code run.barrierScans.helpedChunks}) and equal, bit for bit, the same fit in this
 * JVM (local[2]): the fit waits for the executor's slots before it reads, so both read the same two
 * partitions.
 */
@Tag("cluster")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ExecutorSharingTest extends SharedSpark {
  private static final Duration JOB = Duration.ofSeconds(240);

  /** {@code rows} rows of four groups in d = 4, with a header. */
  private static void write(Path file, int rows, long seed) throws IOException {
    Random rnd = new Random(seed);
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      w.println("a,b,c,d");
      for (int r = 0; r < rows; r++) {
        int g = rnd.nextInt(4);
        w.printf(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f%n", 5.0 * g + rnd.nextGaussian(), (g % 2) * 4 + rnd.nextGaussian(),
            rnd.nextGaussian(), g * 1.5 + 0.5 * rnd.nextGaussian());
      }
    }
  }

  @Test
  void theTasksOfOneExecutorShareTheirScans() throws Exception {
    Path dir = Files.createTempDirectory(Project.home().resolve("target"), "executor-sharing-");
    Path input = Files.createDirectories(dir.resolve("input"));
    write(input.resolve("part-a.csv"), 60_000, 1);
    write(input.resolve("part-b.csv"), 3_000, 2);
    List<String> fit = List.of("fit", "--input", input.toString(), "--k", "4", "--tol", "0", "--max-iter", "15",
        "--engine", "barrier", "--assignments", "none", "--report", "none");

    Path reference = dir.resolve("in-process");
    List<String> here = new ArrayList<>(fit);
    here.addAll(List.of("--output", reference.toString()));
    Runs.ok(jsc, here.toArray(new String[0]));

    Path out = dir.resolve("executor");
    List<String> cmd = new ArrayList<>();
    cmd.add(Project.script("latent").toString());
    cmd.addAll(fit);
    cmd.addAll(List.of("--output", out.toString(), "--master", "local-cluster[1,2,1024]"));
    Map<String, String> env = Map.of("LATENT_JAVA_OPTS",
        "-Xmx512m -Dspark.scheduler.minRegisteredResourcesRatio=1.0 -Dspark.ui.enabled=false");
    try (Processes procs = new Processes()) {
      Processes.Child driver = procs.start("driver", cmd, Project.home(), env, dir.resolve("driver.log"));
      assertEquals(0, driver.awaitExit(JOB), driver.logText());
      // The fit waited for the executor's two slots before reading: the input went straight into two
      // partitions, as in this JVM, with no move of the cached blocks.
      assertTrue(!driver.logText().contains("blocks moved"), Processes.tail(driver.logText()));
    }
    JsonNode run = Runs.json(out.resolve("summary.json")).path("run");
    assertEquals("barrier", run.path("engine").asText(), run.toString());
    double helped = run.path("barrierScans").path("helpedChunks").asDouble();
    assertTrue(helped > 0, "chunks of the large partition computed by the other task in the executor: " + run);
    Models.assertSameModel(reference.resolve("model.json"), out.resolve("model.json"), 0.0);
  }
}
