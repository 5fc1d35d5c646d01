package dev.latent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.testing.Models;
import dev.latent.testing.Processes;
import dev.latent.testing.Project;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real multi-process Spark standalone cluster: a Master and a Worker started as separate JVMs from a
 * Spark home assembled out of the project's Maven jars (submit/spark-home), on 127.0.0.1 with ports the
 * daemons choose themselves (port 0, read back from their logs), no REST server and no fixed web UI port.
 * The application jar goes in through submit/spark-submit-latent, its executors run in JVMs the Worker
 * starts, and the model must equal the local-mode fit to 1e-9. Every process is stopped by its id in
 * {@link #stopCluster}, which runs even when a test or the start-up fails.
 */
@Tag("cluster")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class StandaloneClusterTest extends SharedSpark {
  /** Generous: these machines are shared, and a loaded one takes many times the quiet start-up time. */
  private static final Duration DAEMON_START = Duration.ofSeconds(150);
  private static final Duration JOB = Duration.ofSeconds(300);

  private Path dir;
  private Path sparkHome;
  private Processes procs;
  private String masterUrl;

  @BeforeAll
  void startCluster() throws Exception {
    procs = new Processes();
    dir = Files.createTempDirectory(Project.home().resolve("target"), "standalone-");
    sparkHome = sparkHome();
    Path logConf = Path.of(getClass().getResource("/log4j2-daemon.properties").toURI());
    Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1");

    List<String> master = daemon(logConf, "org.apache.spark.deploy.master.Master", "-Dspark.master.rest.enabled=false");
    master.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--webui-port", "0"));
    Processes.Child m = procs.start("master", master, dir, env, dir.resolve("master.log"));
    masterUrl = m.awaitLine("Starting Spark master at (spark://127\\.0\\.0\\.1:\\d+)", DAEMON_START);
    m.awaitLine("elected leader", DAEMON_START);

    // Two cores, so the application gets two executors of one core each.
    Path work = Files.createDirectories(dir.resolve("work"));
    List<String> worker = daemon(logConf, "org.apache.spark.deploy.worker.Worker");
    worker.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", "2",
        "--memory", "2g", "--work-dir", work.toString(), masterUrl));
    procs.start("worker", worker, dir, env, dir.resolve("worker.log"))
        .awaitLine("Successfully registered with master", DAEMON_START);
  }

  @AfterAll
  void stopCluster() {
    if (procs != null) {
      procs.close();
    }
  }

  @Test
  void fitSubmittedToTheClusterEqualsTheLocalFit() throws Exception {
    String input = Project.testdata("iris.csv").toString();
    Path local = dir.resolve("local");
    Runs.Result r = Runs.main(jsc, "fit", "--input", input, "--k", "3", "--exclude", "label", "--output",
        local.toString());
    assertEquals(0, r.code(), r.toString());

    // Both engines on the same daemons: the barrier engine's tasks, in the Worker's executor JVMs, connect
    // back to the driver; on the same two partitions both engines give the same bits.
    for (String engine : List.of("aggregate", "barrier")) {
      Path out = dir.resolve("cluster-" + engine);
      List<String> submit = List.of(Project.script("spark-submit-latent").toString(),
          "--master", masterUrl,
          "--conf", "spark.executor.memory=512m",
          "--conf", "spark.executor.cores=1",
          "--conf", "spark.cores.max=2",
          // Wait for both executors, so the data really are split between two JVMs.
          "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
          "--conf", "spark.ui.enabled=false",
          "fit", "--input", input, "--k", "3", "--exclude", "label", "--output", out.toString(), "--engine", engine);
      Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1",
          "LATENT_JAVA_OPTS", "-Xmx512m");
      long t0 = System.nanoTime();
      Processes.Child driver = procs.start("driver-" + engine, submit, Project.home(), env,
          dir.resolve("driver-" + engine + ".log"));
      try {
        assertEquals(0, driver.awaitExit(JOB), driver.logText());
      } finally {
        Processes.stop(driver.process().toHandle());
      }
      System.out.printf("standalone cluster fit, --engine %s: %.1f s%n", engine, (System.nanoTime() - t0) / 1e9);

      String log = driver.logText();
      assertTrue(log.contains("spark-submit-latent: ") && log.contains("org.apache.spark.deploy.SparkSubmit"),
          "the wrapper prints the command it runs:\n" + log);
      assertTrue(Files.exists(out.resolve("_SUCCESS")), log);
      Models.assertSameModel(local.resolve("model.json"), out.resolve("model.json"), 1e-9);
      JsonNode run = Runs.json(out.resolve("summary.json")).path("run");
      assertEquals(masterUrl, run.path("master").asText());
      assertEquals(engine, run.path("engine").asText());
    }
    Models.assertSameModel(dir.resolve("cluster-aggregate").resolve("model.json"),
        dir.resolve("cluster-barrier").resolve("model.json"), 0.0);
    // The Worker ran the executors: one folder each under work/<app id>/, two per application.
    try (Stream<Path> apps = Files.list(dir.resolve("work"))) {
      List<Path> all = apps.toList();
      assertEquals(2, all.size(), "applications: " + all);
      for (Path app : all) {
        try (Stream<Path> e = Files.list(app)) {
          assertEquals(2, e.toList().size(), "executor folders of " + app);
        }
      }
    }
  }

  /** java with the JDK 17 opens and a small heap, on the Spark home's jars. */
  private List<String> daemon(Path logConf, String mainClass, String... properties) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Project.java());
    cmd.add("-Xmx512m");
    cmd.addAll(Project.jvmFlags());
    cmd.addAll(List.of(properties));
    cmd.add("-Dlog4j2.configurationFile=" + logConf);
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + File.separator + "*");
    cmd.add(mainClass);
    return cmd;
  }

  /** submit/spark-home: jars/ linked from the Maven class path (made at process-classes). */
  static Path sparkHome() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Project.script("spark-home").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("submit/spark-home failed: " + out);
    }
    return Path.of(out);
  }
}
