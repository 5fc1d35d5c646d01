package dev.latent.bench;

import dev.latent.config.Engine;
import dev.latent.em.ColumnStats;
import dev.latent.em.DataBlock;
import dev.latent.em.DataPass;
import dev.latent.em.EmLoop;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.LocalData;
import dev.latent.em.StartParams;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.spark.BarrierDataPass;
import dev.latent.spark.Engines;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * The terms of docs/cost-model.md, measured: per-iteration fixed cost of each engine (tiny data, many
 * iterations: (t(N) - t(M)) / (N - M)), time per row from 250k to 2M rows, and the cost of large
 * statistics (K = 100, d = 50 on a few hundred rows, against the same fit without Spark). Engines alternate
 * within each repeat, so a load change on the shared machine hits both. {@code submit/engine-cost --help}.
 */
public final class EngineCost {
  private EngineCost() {}

  public static void main(String[] args) {
    String master = "local[2]";
    int reps = 3;
    String what = "fixed,rows,size";
    long[] sizes = {250_000, 1_000_000, 2_000_000};
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--master" -> master = args[i + 1];
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        case "--what" -> what = args[i + 1];
        case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToLong(Long::parseLong).toArray();
        default -> {
          System.out.println("usage: submit/engine-cost [--master local[2]|local-cluster[2,1,1024]] [--reps 3]"
              + " [--what fixed,rows,size] [--sizes 250000,1000000,2000000]");
          return;
        }
      }
    }
    SparkConf conf = new SparkConf().setMaster(master).setAppName("engine-cost")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.scheduler.minRegisteredResourcesRatio", "1.0");
    if (master.startsWith("local-cluster")) {
      // Executors need the test classes too (the synthetic data are generated on them).
      conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
      conf.set("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
    }
    try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
      jsc.setLogLevel("WARN");
      int slots = slots(jsc);
      say("master %s, %d task slots, load average %.2f", master, slots, load());
      for (String w : what.split(",")) {
        switch (w) {
          case "fixed" -> fixed(jsc, slots, reps);
          case "rows" -> rows(jsc, slots, reps, sizes);
          case "size" -> size(jsc, slots, reps);
          default -> throw new IllegalArgumentException("--what: " + w);
        }
      }
      say("load average at the end %.2f", load());
    }
  }

  /** Tiny data (2000 rows, d = 2, K = 2), 20 and 220 iterations. */
  private static void fixed(JavaSparkContext jsc, int slots, int reps) {
    Data data = Data.of(jsc, 2000, 2, 2, slots);
    warmUp(jsc, data);
    for (int r = 0; r < reps; r++) {
      for (Engine.Kind kind : order(r)) {
        double a = seconds(jsc, data, kind, 20).seconds();
        double b = seconds(jsc, data, kind, 220).seconds();
        say("fixed  %-9s rep %d: %.2f ms per iteration ((t(220) - t(20)) / 200; t(20) %.3f s, t(220) %.3f s),"
            + " load %.2f", kind.key(), r, (b - a) / 200 * 1e3, a, b, load());
      }
      // A round per scan: what a new round (one barrier stage) adds to a scan.
      Engine each = new Engine(Engine.Kind.BARRIER, 1, Engine.DEFAULT.roundSeconds());
      Engine rounds = Engine.DEFAULT.as(Engine.Kind.BARRIER);
      double perRound = (seconds(jsc, data, each, 60).seconds() - seconds(jsc, data, each, 20).seconds()) / 40;
      double perScan = (seconds(jsc, data, rounds, 60).seconds() - seconds(jsc, data, rounds, 20).seconds()) / 40;
      say("fixed  rounds    rep %d: %.2f ms per iteration with a round per scan, %.2f ms in rounds of %d: a round"
          + " costs %.2f ms more, load %.2f", r, perRound * 1e3, perScan * 1e3, rounds.roundScans(),
          (perRound - perScan) * 1e3, load());
    }
    data.close();
  }

  /**
   * d = 10, K = 8 at 250k, 1M and 2M rows: seconds per iteration ((t(5 + m) - t(5)) / m, m = 20 at the
   * largest size and as many rows at the others: 160 at 250k) and nanoseconds per row, then per engine the
   * best of the repeats at each size and their spread (largest / smallest - 1):
   * flat time per row means the fixed cost is small against the scan even at 250k rows. The JIT keeps
   * improving the kernels for a while (sizes run smallest first once gave 250k 40% more per row than 2M,
   * largest first 8%), so every size is cached first, both engines warm up on the largest, and the repeats
   * visit the sizes in alternating order.
   */
  private static void rows(JavaSparkContext jsc, int slots, int reps, long[] sizes) {
    Map<Engine.Kind, double[]> best = new EnumMap<>(Engine.Kind.class);
    Data[] data = new Data[sizes.length];
    int largest = 0;
    for (int i = 0; i < sizes.length; i++) {
      data[i] = Data.of(jsc, sizes[i], 10, 8, slots);
      largest = sizes[i] > sizes[largest] ? i : largest;
    }
    warmUp(jsc, data[largest]);
    for (int r = 0; r < reps; r++) {
      for (int step = 0; step < sizes.length; step++) {
        int i = r % 2 == 0 ? step : sizes.length - 1 - step;
        long n = sizes[i];
        // As many scanned rows per timed difference at every size (20 iterations at the largest): a short
        // run's figure moves with the machine's slow spells (a task's share of one 250k fit's scans took 12-22 ms).
        int timed = (int) Math.max(20, Math.round(20.0 * sizes[largest] / n));
        for (Engine.Kind kind : order(r)) {
          double a = seconds(jsc, data[i], kind, 5).seconds();
          Timed b = seconds(jsc, data[i], kind, 5 + timed);
          double per = (b.seconds() - a) / timed;
          double[] bestOf = best.computeIfAbsent(kind, x -> filled(sizes.length, Double.POSITIVE_INFINITY));
          bestOf[i] = Math.min(bestOf[i], per / n * 1e9);
          say("rows   %-9s n %7d rep %d: %.4f s per iteration, %.1f ns per row, load %.2f%s", kind.key(), n, r, per,
              per / n * 1e9, load(), b.profile() == null ? "" : String.format(Locale.ROOT, "; slowest task %.1f ns"
              + " per row of its partition, %s", b.profile().slowestMs() * 1e6 / (n / slots), b.profile()));
        }
      }
    }
    for (Data x : data) {
      x.close();
    }
    for (Map.Entry<Engine.Kind, double[]> e : best.entrySet()) {
      double[] v = e.getValue();
      double lo = Arrays.stream(v).min().orElseThrow();
      double hi = Arrays.stream(v).max().orElseThrow();
      StringBuilder each = new StringBuilder();
      for (int i = 0; i < sizes.length; i++) {
        each.append(String.format(Locale.ROOT, "%s%d %.1f", i == 0 ? "" : ", ", sizes[i], v[i]));
      }
      say("rows   %-9s best ns per row: %s; spread %.1f%% (largest / smallest - 1)", e.getKey().key(), each,
          (hi / lo - 1) * 100);
    }
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  /** K = 100, d = 50 on 400 rows: each engine against the same fit on the driver alone. */
  private static void size(JavaSparkContext jsc, int slots, int reps) {
    Data data = Data.of(jsc, 400, 50, 100, slots);
    LocalData local = new LocalData(data.blocks.collect());
    warmUp(jsc, data);
    EmLoop.fit(local, spec(data.start, 3), data.cols);
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime();
      EmLoop.fit(local, spec(data.start, 3), data.cols);
      double a = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      EmLoop.fit(local, spec(data.start, 9), data.cols);
      double lb = (System.nanoTime() - t0) / 1e9;
      double localPer = (lb - a) / 6;
      say("size   no-spark  rep %d: %.2f ms per iteration (E-step on 400 rows and M-step, one JVM)", r,
          localPer * 1e3);
      for (Engine.Kind kind : order(r)) {
        double x = seconds(jsc, data, kind, 3).seconds();
        double y = seconds(jsc, data, kind, 9).seconds();
        double per = (y - x) / 6;
        say("size   %-9s rep %d: %.2f ms per iteration, %.2f ms more than without Spark, load %.2f", kind.key(), r,
            per * 1e3, (per - localPer) * 1e3, load());
      }
    }
    data.close();
  }

  /** Both engines once, untimed: the first fits of a JVM pay for class loading and compilation. */
  private static void warmUp(JavaSparkContext jsc, Data data) {
    for (Engine.Kind kind : order(0)) {
      seconds(jsc, data, kind, 30);
    }
  }

  private static List<Engine.Kind> order(int rep) {
    return rep % 2 == 0 ? List.of(Engine.Kind.AGGREGATE, Engine.Kind.BARRIER)
        : List.of(Engine.Kind.BARRIER, Engine.Kind.AGGREGATE);
  }

  private static FitSpec spec(StartParams start, int iters) {
    return new FitSpec(ModelKind.GMM, CovarianceType.FULL, start.k(), iters, 0.0, 1e-6, 0, InitMethod.MODEL,
        start, 1);
  }

  /** A fit's wall-clock seconds, and the barrier engine's account of its scans (null for aggregate). */
  private record Timed(double seconds, BarrierDataPass.Profile profile) {}

  /** One fit of {@code iters} iterations (tol 0) with the engine, timed; setup excluded. */
  private static Timed seconds(JavaSparkContext jsc, Data data, Engine.Kind kind, int iters) {
    return seconds(jsc, data, Engine.DEFAULT.as(kind), iters);
  }

  private static Timed seconds(JavaSparkContext jsc, Data data, Engine engine, int iters) {
    FitSpec spec = spec(data.start, iters);
    try (Engines.Prepared p = Engines.open(jsc, data.blocks, data.d, 2, engine, List.of(spec))) {
      DataPass pass = p.pass();
      long t0 = System.nanoTime();
      EmLoop.fit(pass, spec, data.cols);
      double t = (System.nanoTime() - t0) / 1e9;
      return new Timed(t, pass instanceof BarrierDataPass b ? b.profile() : null);
    }
  }

  private record Data(JavaRDD<DataBlock> blocks, ColumnStats cols, StartParams start, int d) {
    static Data of(JavaSparkContext jsc, long n, int d, int k, int partitions) {
      SyntheticMixture truth = SyntheticMixture.random(d, k, 1.5, 42);
      JavaRDD<DataBlock> blocks = truth.blocks(jsc, n, partitions, 42).persist(StorageLevel.MEMORY_ONLY());
      ColumnStats cols = blocks.treeAggregate(new ColumnStats(d), ColumnStats::add, ColumnStats::merge, 2);
      Mixture m = truth.mixture();
      return new Data(blocks, cols, new StartParams(ModelKind.GMM, CovarianceType.FULL, m.weights(), m.means(),
          m.covariances()), d);
    }

    void close() {
      blocks.unpersist(true);
    }
  }

  /** Task slots, once executors have registered (local-cluster starts them after the context returns). */
  private static int slots(JavaSparkContext jsc) {
    long until = System.nanoTime() + 180_000_000_000L;
    int slots = 0;
    int seen = -1;
    while (System.nanoTime() < until) {
      slots = jsc.sc().maxNumConcurrentTasks(jsc.sc().resourceProfileManager().defaultResourceProfile());
      if (slots > 0 && slots == seen) {
        return slots;
      }
      seen = slots;
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("no task slots registered in 3 minutes");
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void say(String fmt, Object... args) {
    System.out.println(String.format(Locale.ROOT, fmt, args));
  }
}
