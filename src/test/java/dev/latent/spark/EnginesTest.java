package dev.latent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.config.Engine;
import dev.latent.em.ColumnStats;
import dev.latent.em.DataBlock;
import dev.latent.em.EmLoop;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.StartParams;
import dev.latent.io.UsageException;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.testing.Models;
import dev.latent.testing.Project;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two engines on one local[2] context. On the same partitions they add the same partition sums in
 * the same order, so their fits must be equal bit for bit (model, trace, scores, warnings), whatever the
 * round length; when the barrier engine has to move the blocks to one partition per slot, the sums are
 * grouped differently and the fits agree to 1e-9, as for any change of partitioning.
 */
class EnginesTest extends SharedSpark {
  @TempDir
  Path tmp;

  private static final String[][] FITS = {
      {"--k", "3", "--restarts", "3", "--tol", "0", "--max-iter", "30"},
      {"--k", "2..4", "--covariance", "all", "--max-iter", "15"},
      {"--k", "4", "--model", "kmeans", "--restarts", "2"},
  };

  @ParameterizedTest(name = "fit {0}")
  @ValueSource(ints = {0, 1, 2})
  void bothEnginesGiveTheSameBitsOnTheSamePartitions(int fit) {
    JsonNode[] aggregate = fit("aggregate-" + fit, FITS[fit], "--engine", "aggregate");
    for (String round : new String[] {"1", "4", "1000"}) {
      JsonNode[] barrier = fit("barrier-" + fit + "-" + round, FITS[fit], "--engine", "barrier", "--round-scans",
          round);
      assertEquals(aggregate[0], barrier[0], "model.json, rounds of " + round);
      assertEquals(aggregate[1], barrier[1], "summary.json, rounds of " + round);
    }
  }

  @Test
  void autoChoosesBarrierHere() {
    Path out = tmp.resolve("auto");
    Runs.ok(jsc, cmd(new String[] {"--k", "3"}, "--output", out.toString()));
    JsonNode run = Runs.json(out.resolve("summary.json")).path("run");
    assertEquals("barrier", run.path("engine").asText());
    JsonNode scans = run.path("barrierScans");
    assertTrue(scans.path("scans").asInt() > 0, run.toString());
    assertTrue(scans.path("slowestTaskMs").asDouble() <= scans.path("scanMs").asDouble()
        && scans.path("fastestTaskMs").asDouble() <= scans.path("slowestTaskMs").asDouble(), run.toString());
    Path agg = tmp.resolve("aggregate");
    Runs.ok(jsc, cmd(new String[] {"--k", "3"}, "--engine", "aggregate", "--output", agg.toString()));
    assertTrue(Runs.json(agg.resolve("summary.json")).path("run").path("barrierScans").isMissingNode(),
        "no barrier account without the barrier engine");
  }

  @Test
  void blocksMovedToOnePartitionPerSlotAgreeTo1e9() {
    String[] args = {"--k", "3", "--tol", "0", "--max-iter", "30", "--partitions", "5"};
    Path a = tmp.resolve("five-aggregate");
    Path b = tmp.resolve("five-barrier");
    Runs.ok(jsc, cmd(args, "--engine", "aggregate", "--output", a.toString()));
    Runs.ok(jsc, cmd(args, "--engine", "barrier", "--output", b.toString()));
    assertEquals("barrier", Runs.json(b.resolve("summary.json")).path("run").path("engine").asText());
    Models.assertSameModel(a.resolve("model.json"), b.resolve("model.json"), 1e-9);
    double[] ta = Models.flatten(Runs.json(a.resolve("summary.json")).path("trace"));
    double[] tb = Models.flatten(Runs.json(b.resolve("summary.json")).path("trace"));
    assertEquals(ta.length, tb.length);
    for (int i = 0; i < ta.length; i++) {
      assertEquals(ta[i], tb[i], 1e-9 * Math.abs(ta[i]), "trace[" + i + "]");
    }
  }

  @Test
  void movingBlocksKeepsTheirOrderAndBalancesThem() {
    List<Integer> ints = new ArrayList<>();
    for (int i = 0; i < 37; i++) {
      ints.add(i);
    }
    JavaRDD<DataBlock> blocks = jsc.parallelize(ints, 5).map(i -> new DataBlock(1, 1, new double[] {i},
        new long[] {DataBlock.rowKey(0, i + 1)}, null, null));
    JavaRDD<DataBlock> moved = Engines.inPartitions(blocks, 3);
    assertEquals(3, moved.getNumPartitions());
    List<List<DataBlock>> parts = moved.glom().collect();
    List<Double> order = new ArrayList<>();
    for (List<DataBlock> p : parts) {
      assertTrue(p.size() >= 12 && p.size() <= 13, "balanced: " + p.size());
      for (DataBlock blk : p) {
        order.add(blk.x[0]);
      }
    }
    for (int i = 0; i < 37; i++) {
      assertEquals(i, order.get(i), 0.0, "block order");
    }
    assertTrue(Engines.onePartitionCount(moved.rdd(), 3), "the stage after the shuffle has one partition count");
    assertFalse(Engines.onePartitionCount(blocks.union(blocks).rdd(), 10), "a union is not barrier material");
    assertFalse(Engines.onePartitionCount(blocks.coalesce(2).rdd(), 2), "nor a coalesce");
  }

  @Test
  void theBarrierEngineAccountsForEveryScan() {
    List<Integer> ints = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ints.add(i);
    }
    // 40 blocks of 50 rows in 2 partitions (the 2 task slots of local[2]): two groups around 0 and 10.
    JavaRDD<DataBlock> blocks = jsc.parallelize(ints, 2).map(i -> {
      double[] x = new double[50 * 2];
      long[] keys = new long[50];
      for (int r = 0; r < 50; r++) {
        x[2 * r] = (i % 2) * 10 + Math.sin(i * 50 + r);
        x[2 * r + 1] = Math.cos(i * 50 + r);
        keys[r] = DataBlock.rowKey(0, i * 50L + r + 2);
      }
      return new DataBlock(50, 2, x, keys, null, null);
    }).cache();
    ColumnStats cols = blocks.treeAggregate(new ColumnStats(2), ColumnStats::add, ColumnStats::merge, 2);
    double[][] centres = {{0.5, 0.0}, {9.0, 0.0}};
    StartParams start = new StartParams(ModelKind.KMEANS, null, new double[2], centres, null);
    FitSpec spec = new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, 2, 7, 0.0, 1e-6, 0, InitMethod.MODEL, start, 1);
    try (Engines.Prepared p = Engines.open(jsc, blocks, 2, 2, Engine.DEFAULT.as(Engine.Kind.BARRIER),
        List.of(spec))) {
      BarrierDataPass pass = (BarrierDataPass) p.pass();
      FitResult fit = EmLoop.fit(pass, spec, cols);
      BarrierDataPass.Profile prof = pass.profile();
      // Each iteration is a scan, and one more scores the final centres.
      assertEquals(fit.iterations() + 1, prof.scans(), prof.toString());
      assertTrue(prof.fastestMs() > 0 && prof.fastestMs() <= prof.slowestMs() && prof.slowestMs() <= prof.wallMs(),
          prof.toString());
      assertTrue(prof.betweenMs() > 0, prof.toString());
      double[] each = prof.partitionMs();
      assertEquals(2, each.length, prof.toString());
      // The mean of each scan's slowest is at least every partition's mean, the fastest's at most.
      assertTrue(Math.max(each[0], each[1]) <= prof.slowestMs() + 1e-9, prof.toString());
      assertTrue(Math.min(each[0], each[1]) >= prof.fastestMs() - 1e-9, prof.toString());
      pass.resetProfile();
      assertEquals(0, pass.profile().scans());
    } finally {
      blocks.unpersist();
    }
  }

  /**
   * One partition of 96 blocks of 1000 rows (11 chunks) and one of 4: the small one's task, done at once,
   * takes chunks of the large one's scan in the same JVM. The fit must still be the aggregate engine's bit
   * for bit.
   */
  @Test
  void tasksInOneJvmShareTheirScansAndKeepTheBits() {
    JavaRDD<DataBlock> blocks = jsc.parallelize(List.of(96, 4), 2).mapPartitionsWithIndex((p, it) -> {
      List<DataBlock> out = new ArrayList<>();
      int n = it.next();
      for (int b = 0; b < n; b++) {
        double[] x = new double[1000 * 3];
        long[] keys = new long[1000];
        for (int r = 0; r < 1000; r++) {
          long row = (long) b * 1000 + r;
          for (int i = 0; i < 3; i++) {
            x[3 * r + i] = (row % 3) * 6 + Math.sin(row * (i + 1.7) + p);
          }
          keys[r] = DataBlock.rowKey(p, row + 2);
        }
        out.add(new DataBlock(1000, 3, x, keys, null, null));
      }
      return out.iterator();
    }, true).cache();
    ColumnStats cols = blocks.treeAggregate(new ColumnStats(3), ColumnStats::add, ColumnStats::merge, 2);
    double[][] centres = {{0.5, 0, 0}, {6.5, 0, 0}, {11.0, 0.5, 0}};
    StartParams start = new StartParams(ModelKind.KMEANS, null, new double[3], centres, null);
    FitSpec spec = new FitSpec(ModelKind.GMM, CovarianceType.FULL, 3, 8, 0.0, 1e-6, 0, InitMethod.MODEL, start, 1);
    try {
      FitResult[] fits = new FitResult[2];
      double helped = 0;
      for (Engine.Kind kind : List.of(Engine.Kind.AGGREGATE, Engine.Kind.BARRIER)) {
        try (Engines.Prepared p = Engines.open(jsc, blocks, 3, 2, Engine.DEFAULT.as(kind), List.of(spec))) {
          fits[kind == Engine.Kind.BARRIER ? 1 : 0] = EmLoop.fit(p.pass(), spec, cols);
          if (p.pass() instanceof BarrierDataPass b) {
            helped = b.profile().helpedChunksPerScan();
          }
        }
      }
      assertTrue(helped > 0, "chunks of the large partition computed by the small one's task: " + helped);
      assertEquals(0, RoundNeighbours.open(), "every task left its round");
      assertArrayEquals(fits[0].trace(), fits[1].trace());
      assertArrayEquals(fits[0].weights(), fits[1].weights());
      for (int j = 0; j < 3; j++) {
        assertArrayEquals(fits[0].means()[j], fits[1].means()[j]);
        assertArrayEquals(fits[0].covariances()[j], fits[1].covariances()[j]);
      }
    } finally {
      blocks.unpersist();
    }
  }

  @Test
  void theSlotsToWaitForComeFromTheConfiguration() {
    assertEquals(6, TaskSlots.expected(new org.apache.spark.SparkConf().setMaster("local-cluster[2, 3,1024]")));
    assertEquals(3, TaskSlots.expected(new org.apache.spark.SparkConf().setMaster("local-cluster[2,3,1024]")
        .set("spark.task.cpus", "2")));
    assertEquals(8, TaskSlots.expected(new org.apache.spark.SparkConf().setMaster("yarn")
        .set("spark.executor.instances", "4").set("spark.executor.cores", "2").set("spark.cores.max", "99")));
    assertEquals(10, TaskSlots.expected(new org.apache.spark.SparkConf().setMaster("spark://h:7077")
        .set("spark.cores.max", "10")));
    assertEquals(0, TaskSlots.expected(new org.apache.spark.SparkConf().setMaster("yarn")
        .set("spark.executor.instances", "4")), "instances without their cores name no number");
    // Local mode has its slots at once: no wait.
    long t0 = System.nanoTime();
    assertEquals(2, TaskSlots.await(jsc, 30_000));
    assertTrue(System.nanoTime() - t0 < 500_000_000L, "local mode does not wait");
  }

  @Test
  void theRulesDecideAndAutoSaysWhy() {
    Engines.Facts ok = new Engines.Facts(4, 4, false, 1 << 20, false);
    assertEquals(Engine.Kind.BARRIER, Engines.choose(Engine.Kind.AUTO, ok).kind());
    assertEquals(Engine.Kind.AGGREGATE, Engines.choose(Engine.Kind.AGGREGATE, ok).kind());

    Engines.Facts dynamic = new Engines.Facts(4, 4, true, 1 << 20, false);
    Engines.Choice c = Engines.choose(Engine.Kind.AUTO, dynamic);
    assertEquals(Engine.Kind.AGGREGATE, c.kind());
    assertTrue(c.reason().contains("dynamic allocation"), c.reason());
    UsageException e = assertThrows(UsageException.class, () -> Engines.choose(Engine.Kind.BARRIER, dynamic));
    assertTrue(e.getMessage().contains("--engine barrier cannot run here: dynamic allocation"), e.getMessage());

    // 100 slots x 1 MB: 100 MB into the driver per scan, over the limit; asked for, it still runs.
    Engines.Facts big = new Engines.Facts(100, 100, false, 1 << 20, false);
    c = Engines.choose(Engine.Kind.AUTO, big);
    assertEquals(Engine.Kind.AGGREGATE, c.kind());
    assertTrue(c.reason().contains("the aggregate engine's tree is cheaper"), c.reason());
    assertEquals(Engine.Kind.BARRIER, Engines.choose(Engine.Kind.BARRIER, big).kind());

    Engines.Facts none = new Engines.Facts(0, 4, false, 1 << 20, false);
    assertEquals(Engine.Kind.AGGREGATE, Engines.choose(Engine.Kind.AUTO, none).kind());
    Engines.Facts secret = new Engines.Facts(4, 4, false, 1 << 20, true);
    assertTrue(Engines.choose(Engine.Kind.AUTO, secret).reason().contains("encrypted"));
  }

  @Test
  void badEngineSettingsAreUsageErrors() {
    Runs.Result r = Runs.main(jsc, cmd(new String[] {"--k", "3"}, "--engine", "fast", "--output",
        tmp.resolve("x").toString()));
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("--engine is auto, barrier or aggregate, got 'fast'"), r.err());
    r = Runs.main(jsc, cmd(new String[] {"--k", "3"}, "--round-scans", "0", "--output", tmp.resolve("y").toString()));
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("--round-scans"), r.err());
  }

  /** model.json without its creation time, and summary.json without how the run went. */
  private JsonNode[] fit(String name, String[] fit, String... engine) {
    Path out = tmp.resolve(name);
    List<String> more = new ArrayList<>(List.of(engine));
    more.addAll(List.of("--output", out.toString()));
    Runs.ok(jsc, cmd(fit, more.toArray(new String[0])));
    ObjectNode model = (ObjectNode) Runs.json(out.resolve("model.json"));
    ((ObjectNode) model.path("provenance")).remove("createdAt");
    ObjectNode summary = (ObjectNode) Runs.json(out.resolve("summary.json"));
    summary.remove("run");
    return new JsonNode[] {model, summary};
  }

  /** {@code fit} on iris with the fit's options, then {@code more}. */
  private static String[] cmd(String[] fit, String... more) {
    List<String> all = new ArrayList<>(List.of("fit", "--input", Project.testdata("iris.csv").toString(),
        "--exclude", "label"));
    all.addAll(List.of(fit));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}
