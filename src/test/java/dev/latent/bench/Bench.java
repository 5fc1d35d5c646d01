package dev.latent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.config.Engine;
import dev.latent.em.ColumnStats;
import dev.latent.em.DataBlock;
import dev.latent.em.DataPass;
import dev.latent.em.EStepTask;
import dev.latent.em.EmLoop;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.MStep;
import dev.latent.em.SampleTask;
import dev.latent.em.StartParams;
import dev.latent.em.SuffStats;
import dev.latent.em.TopRows;
import dev.latent.math.Kernels;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.spark.BarrierDataPass;
import dev.latent.spark.Engines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.clustering.GaussianMixture;
import org.apache.spark.mllib.clustering.GaussianMixtureModel;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Matrices;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.stat.distribution.MultivariateGaussian;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;

/**
 * Latent against Spark MLlib (RDD API) in one JVM, on the same seeded synthetic mixture cached once as
 * Latent's blocks and once as MLlib's fastest input (a cached {@code RDD<Vector>}, same partitions).
 * Run by {@code submit/bench}; see docs/benchmarks.md for what is measured and the latest figures.
 *
 * <p>Per-iteration time is the marginal cost: (time of a run of {@code iters} iterations - time of a run
 * of 2) / (iters - 2), each after a warm-up run of {@code iters} iterations (long enough for the JIT to
 * compile every kernel: after a 2-iteration warm-up Latent's first rounds ran 39-45% slow), so start-up
 * work of either library (MLlib converts and caches its input inside every run) does not count as
 * iterations. The machine's speed varies, so Latent and scikit-learn (a process of its own, {@link
 * Peers.Sklearn}) are measured in alternation, round by round ({@code repeats} rounds, three times as many
 * for K-means), and each keeps its best round; MLlib runs afterwards in JVMs of its own. Both
 * wall-clock time and the process's CPU time (which other processes' load barely changes) are reported.
 * Both start from the same parameters:
 * GMM from Latent's default initialisation (k-means++, K-means, one M-step), K-means from the same k
 * random rows. Final log-likelihoods and costs are evaluated by one Latent pass over the same data.
 */
public final class Bench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Bench() {}

  record Options(long n, int d, int k, int iters, String master, int partitions, long seed, boolean scaling,
      boolean mllib, int depth, int repeats, double spread, String peer, boolean sklearn, String engine) {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    Configurator.setLevel("dev.latent", Level.WARN);
    SparkConf conf = new SparkConf().setMaster(o.master()).setAppName("latent-bench")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.showConsoleProgress", "false");
    JavaSparkContext jsc = new JavaSparkContext(conf);
    jsc.setLogLevel("WARN");
    int code = 0;
    try {
      if (o.peer() != null) {
        Peers.blasPeer(jsc, o);
      } else {
        run(jsc, o);
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      code = 1;
    } finally {
      jsc.stop();
    }
    System.exit(code);
  }

  static String usage() {
    return "usage: submit/bench [--n ROWS] [--d DIM] [--k K] [--iters N] [--master URL] [--partitions P]\n"
        + "                    [--seed S] [--depth D] [--repeats R] [--spread S] [--scaling] [--no-mllib]"
        + " [--engine auto|barrier|aggregate]"
        + " [--no-sklearn]\n"
        + "defaults: --n 1000000 --d 10 --k 8 --iters 20 --master local[2] --partitions 4 --seed 42 --depth 2"
        + " --repeats 2 --spread 1.5 (means uniform in [-S, S]^d)\n"
        + "rounds: GMM --repeats, K-means 3 x --repeats, each tool's fastest kept; scikit-learn's rounds (lloyd and"
        + " elkan for K-means) alternate with Latent's";
  }

  static Options parse(String[] a) {
    long n = 1_000_000;
    int d = 10;
    int k = 8;
    int iters = 20;
    String master = "local[2]";
    int partitions = 4;
    long seed = 42;
    boolean scaling = false;
    boolean mllib = true;
    int depth = 2;
    int repeats = 2;
    double spread = 1.5;
    String peer = null;
    boolean sklearn = true;
    String engine = "auto";
    for (int i = 0; i < a.length; i++) {
      String flag = a[i];
      switch (flag) {
        case "--scaling" -> scaling = true;
        case "--no-mllib" -> mllib = false;
        case "--no-sklearn" -> sklearn = false;
        case "--help", "-h" -> {
          System.out.println(usage());
          System.exit(0);
        }
        default -> {
          if (i + 1 >= a.length) {
            throw new IllegalArgumentException("unknown option or missing value: " + flag);
          }
          String v = a[++i];
          try {
            switch (flag) {
              case "--n" -> n = Long.parseLong(v.replace("_", ""));
              case "--d" -> d = Integer.parseInt(v);
              case "--k" -> k = Integer.parseInt(v);
              case "--iters" -> iters = Integer.parseInt(v);
              case "--master" -> master = v;
              case "--partitions" -> partitions = Integer.parseInt(v);
              case "--seed" -> seed = Long.parseLong(v);
              case "--depth" -> depth = Integer.parseInt(v);
              case "--repeats" -> repeats = Integer.parseInt(v);
              case "--spread" -> spread = Double.parseDouble(v);
              case "--peer-blas" -> peer = v;
              case "--engine" -> engine = v;
              default -> throw new IllegalArgumentException("unknown option " + flag);
            }
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a number: " + v);
          }
        }
      }
    }
    if (n < 1000 || d < 1 || k < 2 || iters < 3 || partitions < 1 || depth < 1 || repeats < 1) {
      throw new IllegalArgumentException(
          "need --n >= 1000, --d >= 1, --k >= 2, --iters >= 3, --partitions >= 1, --repeats >= 1");
    }
    if (!List.of("auto", "barrier", "aggregate").contains(engine)) {
      throw new IllegalArgumentException("--engine is auto, barrier or aggregate, got " + engine);
    }
    return new Options(n, d, k, iters, master, partitions, seed, scaling, mllib, depth, repeats, spread, peer,
        sklearn, engine);
  }

  static void run(JavaSparkContext jsc, Options o) throws IOException, InterruptedException {
    Map<String, Object> out = new LinkedHashMap<>();
    SyntheticMixture truth = SyntheticMixture.random(o.d(), o.k(), o.spread(), o.seed());
    say("machine: %d cores, JDK %s, max heap %.1f GiB; Spark %s %s; E-step kernels: %s",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() / 1073741824.0, jsc.version(), o.master(), Kernels.get().name());
    say("data: n=%d d=%d K=%d, means in [-%s, %s]^d, %d partitions, seed %d; %d iterations per timed run, best"
        + " of %d rounds", o.n(), o.d(), o.k(), o.spread(), o.spread(), o.partitions(), o.seed(), o.iters(),
        o.repeats());
    double loadStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    say("system load average at start: %.2f (other processes on these %d cores slow both libraries)", loadStart,
        Runtime.getRuntime().availableProcessors());
    out.put("load_average_start", loadStart);
    out.put("n", o.n());
    out.put("spread", o.spread());
    out.put("d", o.d());
    out.put("k", o.k());
    out.put("iters", o.iters());
    out.put("master", o.master());
    out.put("partitions", o.partitions());
    out.put("kernels", Kernels.get().name());

    long t0 = System.nanoTime();
    JavaRDD<DataBlock> blocks = truth.blocks(jsc, o.n(), o.partitions(), o.seed())
        .setName("latent-blocks").persist(StorageLevel.MEMORY_ONLY());
    ColumnStats cols = blocks.treeAggregate(new ColumnStats(o.d()), ColumnStats::add, ColumnStats::merge,
        o.depth());
    say("Latent blocks generated and cached on the executors in %.1f s", (System.nanoTime() - t0) / 1e9);
    Engines.Prepared scans = engine(jsc, blocks, o);
    DataPass pass = scans.pass();
    out.put("engine", scans.choice().kind().key());
    out.put("engine_reason", scans.choice().reason());
    say("Latent's scans: engine %s (%s)", scans.choice().kind().key(), scans.choice().reason());
    double raw = 8.0 * o.n() * o.d();
    long latentBytes = cachedBytes(jsc, blocks.rdd());
    say("cached: Latent %.1f MB = %.3f x raw n*d*8 (%.1f MB)", latentBytes / 1e6, latentBytes / raw, raw / 1e6);
    out.put("raw_bytes", (long) raw);
    out.put("cached_bytes_latent", latentBytes);
    out.put("cached_ratio_latent", latentBytes / raw);

    double trueLl = meanLogLik(pass, truth.mixture());
    say("mean log-likelihood under the true parameters: %.6f", trueLl);
    out.put("gmm_loglik_true", trueLl);

    // The GMM start: Latent's default initialisation (k-means++ seeding, K-means as scikit-learn runs it,
    // one M-step on its labels), computed once and handed to both libraries.
    t0 = System.nanoTime();
    FitSpec kmSpec = new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, o.k(), FitSpec.INIT_KMEANS_MAX_ITER,
        FitSpec.INIT_KMEANS_TOL, 1e-6, o.seed(), InitMethod.KMEANS_PP, null, 1);
    FitResult init = EmLoop.fit(pass, kmSpec, cols);
    StartParams gmmStart = gmmStart(pass, init.means(), cols);
    say("Latent default initialisation: %d k-means passes, %.1f s", init.iterations(),
        (System.nanoTime() - t0) / 1e9);

    double[][] centres = centres(pass, o.seed(), o.k());
    double[][] centres64 = centres(pass, o.seed(), 64);
    Path dir = Files.createTempDirectory("latent-bench");
    try {
      Peers.writeCsvAndStart(blocks, o.d(), dir, o, gmmStart, List.of(centres, centres64));
      out.put("io", Peers.ioThroughput(dir.resolve("data.csv"), o.d(), o.k()));
      // scikit-learn's rounds alternate with Latent's (a null process when it is not wanted or not there).
      ObjectNode sk = null;
      try (Peers.Sklearn peer = o.sklearn() ? Peers.Sklearn.start(dir) : null) {
        if (peer != null) {
          sk = peer.header.deepCopy();
        }
        gmm(o, pass, cols, gmmStart, out, peer, sk);
        kmeans(o, pass, cols, centres, "kmeans", out, peer, sk);
        kmeans(o, pass, cols, centres64, "kmeans64", out, peer, sk);
      }
      kernelsAlone(o, blocks, gmmStart, centres, centres64, out);
      peers(jsc, o, dir, truth, pass, gmmStart, centres, sk, out);
    } finally {
      try (java.util.stream.Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }

    out.put("driver_result_bytes", resultBytes(pass, gmmStart));
    say("driver receives %d bytes per GMM E-step (treeAggregate result: O(K d^2), independent of n)",
        (long) out.get("driver_result_bytes"));
    if (o.scaling()) {
      blocks.unpersist(true);
      scaling(jsc, o, truth, gmmStart, out);
    }
    double loadEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    say("system load average at the end: %.2f", loadEnd);
    out.put("load_average_end", loadEnd);
    out.put("peak_heap_bytes", peakHeap());
    out.put("peak_rss_bytes", peakRss());
    say("peak memory: heap %.0f MB (sum of pool peaks), process RSS %.0f MB", peakHeap() / 1e6, peakRss() / 1e6);
    System.out.println(JSON.writeValueAsString(out));
  }

  /** The kernels alone: one thread over every row, no Spark (the per-iteration cost without the job). */
  private static void kernelsAlone(Options o, JavaRDD<DataBlock> blocks, StartParams gmmStart, double[][] centres,
      double[][] centres64, Map<String, Object> out) {

    List<DataBlock> local = blocks.collect();
    int cores = Runtime.getRuntime().availableProcessors();
    Peers.KernelTime kg = Peers.kernelSeconds(local, EStepTask.under(toMixture(gmmStart.weights(),
        gmmStart.means(), gmmStart.covariances()), false, EStepTask.Scatter.FULL));
    Peers.KernelTime kk = Peers.kernelSeconds(local, EStepTask.nearest(centres, EStepTask.Scatter.NONE));
    Peers.KernelTime kk64 = Peers.kernelSeconds(local, EStepTask.nearest(centres64, EStepTask.Scatter.NONE));
    say("kernels alone, one thread, all %d rows, fastest of %d passes: GMM full %.4f s (%.1f ns/row), K-means K=%d"
        + " %.4f s (%.1f ns/row), K=64 %.4f s (%.1f ns/row); over %d cores: %.4f, %.4f, %.4f s per iteration",
        o.n(), Peers.KERNEL_PASSES, kg.best(), kg.best() * 1e9 / o.n(), o.k(), kk.best(), kk.best() * 1e9 / o.n(),
        kk64.best(), kk64.best() * 1e9 / o.n(), cores, kg.best() / cores, kk.best() / cores, kk64.best() / cores);
    // The median and the thread's CPU time tell a disturbed measurement (CPU below wall: the thread waited).
    say("          median pass %.1f, %.1f, %.1f ns/row; thread CPU in the fastest pass %.0f%%, %.0f%%, %.0f%% of its wall"
        + " time", kg.median() * 1e9 / o.n(), kk.median() * 1e9 / o.n(), kk64.median() * 1e9 / o.n(),
        100 * kg.cpuOfBest() / kg.best(), 100 * kk.cpuOfBest() / kk.best(), 100 * kk64.cpuOfBest() / kk64.best());
    out.put("gmm_kernel_core_sec_per_iter", kg.best());
    out.put("kmeans_kernel_core_sec_per_iter", kk.best());
    out.put("kmeans64_kernel_core_sec_per_iter", kk64.best());
    out.put("gmm_kernel_core_sec_median", kg.median());
    out.put("kmeans_kernel_core_sec_median", kk.median());
    out.put("kmeans64_kernel_core_sec_median", kk64.median());
  }

  /**
   * MLlib's fastest (JVMs of their own) and its same-start checks, then the ratios to scikit-learn's
   * rounds ({@code sk}, null without it), each peer against Latent's figures in {@code out}.
   */
  private static void peers(JavaSparkContext jsc, Options o, Path dir, SyntheticMixture truth, DataPass pass,
      StartParams gmmStart, double[][] centres, ObjectNode sk, Map<String, Object> out)
      throws IOException, InterruptedException {
    double raw = 8.0 * o.n() * o.d();
    if (o.mllib()) {
      // MLlib in JVMs of its own, one per BLAS binding: the JDK's Vector API profiles are shared by
      // every caller in a JVM, so MLlib's VectorBLAS and Latent's kernels slow each other down when one
      // JVM runs both (Latent's K = 64 kernel, first compiled after MLlib had run: 545 instead of 83 ns
      // per row). Each library is thus measured at its fastest.
      double lg = (double) out.get("gmm_sec_per_iter_latent");
      double lk = (double) out.get("kmeans_sec_per_iter_latent");
      double mlGmm = Double.POSITIVE_INFINITY;
      double mlKm = Double.POSITIVE_INFINITY;
      double mlGmmCpu = Double.NaN;
      String mlGmmConf = "";
      String mlKmConf = "";
      for (boolean nativeBlas : new boolean[] {false, true}) {
        JsonNode peer = Peers.runBlasPeer(dir, o, nativeBlas);
        String key = nativeBlas ? "mllib_native_blas" : "mllib_vector_blas";
        if (peer == null || !peer.has("gmm_sec_per_iter")) {
          out.put(key, peer == null ? "failed" : "no native BLAS found by netlib");
          continue;
        }
        out.put(key, peer);
        String blas = peer.get("blas").asText();
        if (!nativeBlas) {
          out.put("kmeans_sec_per_iter_mllib", peer.get("kmeans_mllib_sec_per_iter").asDouble());
        }
        if (peer.get("gmm_sec_per_iter").asDouble() < mlGmm) {
          mlGmm = peer.get("gmm_sec_per_iter").asDouble();
          mlGmmCpu = peer.get("gmm_cpu_sec_per_iter").asDouble();
          mlGmmConf = "ml.GaussianMixture, " + blas;
        }
        for (String solver : new String[] {"kmeans_row", "kmeans_block", "kmeans_mllib"}) {
          double t = peer.get(solver + "_sec_per_iter").asDouble();
          if (t < mlKm) {
            mlKm = t;
            mlKmConf = (solver.equals("kmeans_mllib") ? "mllib.KMeans same centres" : "ml.KMeans solver="
                + solver.substring(7)) + ", " + blas;
          }
        }
      }
      if (!mlGmmConf.isEmpty()) {
        say("MLlib's fastest: GMM %.4f s/iter (%s), K-means %.4f s/iter (%s)", mlGmm, mlGmmConf, mlKm, mlKmConf);
        say("speed-up against MLlib's fastest: GMM %.1fx, K-means %.2fx", mlGmm / lg, mlKm / lk);
        out.put("gmm_fastest_mllib", mlGmmConf);
        out.put("kmeans_fastest_mllib", mlKmConf);
        out.put("gmm_speedup_cpu_ml", mlGmmCpu / (double) out.get("gmm_cpu_sec_per_iter_latent"));
        out.put("gmm_speedup", mlGmm / lg);
        out.put("kmeans_speedup", mlKm / lk);
      }
      // Same start, same answer: MLlib's RDD APIs (the ones that take a start) here, once, untimed,
      // after every Latent measurement.
      JavaRDD<Vector> vectors = truth.vectors(jsc, o.n(), o.partitions(), o.seed()).setName("mllib-vectors")
          .persist(StorageLevel.MEMORY_ONLY());
      vectors.count();
      long mllibBytes = cachedBytes(jsc, vectors.rdd());
      say("cached: MLlib RDD<Vector> %.1f MB = %.3f x raw", mllibBytes / 1e6, mllibBytes / raw);
      out.put("cached_bytes_mllib", mllibBytes);
      out.put("cached_ratio_mllib", mllibBytes / raw);
      sameStart(pass, vectors, o, gmmStart, centres, out);
      vectors.unpersist(true);
    }
    if (sk != null) {
      out.put("sklearn", sk);
      double sg = sk.get("gmm").get("sec_per_iter").asDouble();
      double sk8 = sk.get("kmeans_k" + o.k()).get("sec_per_iter").asDouble();
      double sk64 = sk.get("kmeans_k64").get("sec_per_iter").asDouble();
      JsonNode s8 = sk.get("kmeans_k" + o.k());
      JsonNode s64 = sk.get("kmeans_k64");
      say("scikit-learn %s (%s): GMM full %.4f s/iter (%d iterations, mean log-likelihood %.6f), K-means K=%d %.4f"
          + " s/iter (%s, %d iterations), K=64 %.4f s/iter (%s, %d iterations)", sk.get("sklearn_version").asText(),
          sk.get("threadpools"), sg, sk.get("gmm").get("iters").asInt(), sk.get("gmm").get("mean_loglik").asDouble(),
          o.k(), sk8, s8.get("algorithm").asText(), s8.get("iters").asInt(), sk64, s64.get("algorithm").asText(),
          s64.get("iters").asInt());
      // CPU time too: the machine may be shared, and process CPU time changes little with others' load.
      out.put("gmm_speedup_sklearn_cpu", sk.get("gmm").get("cpu_sec_per_iter").asDouble()
          / (double) out.get("gmm_cpu_sec_per_iter_latent"));
      out.put("kmeans_speedup_sklearn_cpu", sk.get("kmeans_k" + o.k()).get("cpu_sec_per_iter").asDouble()
          / (double) out.get("kmeans_cpu_sec_per_iter_latent"));
      out.put("kmeans64_speedup_sklearn_cpu", sk.get("kmeans_k64").get("cpu_sec_per_iter").asDouble()
          / (double) out.get("kmeans64_cpu_sec_per_iter_latent"));
      say("CPU time per iteration, scikit-learn / Latent: GMM %.2fx, K-means K=%d %.2fx, K=64 %.2fx",
          out.get("gmm_speedup_sklearn_cpu"), o.k(), out.get("kmeans_speedup_sklearn_cpu"),
          out.get("kmeans64_speedup_sklearn_cpu"));
      out.put("gmm_speedup_sklearn", sg / (double) out.get("gmm_sec_per_iter_latent"));
      out.put("kmeans_speedup_sklearn", sk8 / (double) out.get("kmeans_sec_per_iter_latent"));
      out.put("kmeans64_speedup_sklearn", sk64 / (double) out.get("kmeans64_sec_per_iter_latent"));
      say("speed-up against scikit-learn: GMM %.1fx, K-means K=%d %.2fx, K=64 %.2fx",
          out.get("gmm_speedup_sklearn"), o.k(), out.get("kmeans_speedup_sklearn"), out.get("kmeans64_speedup_sklearn"));
    }
  }

  private static void gmm(Options o, DataPass pass, ColumnStats cols, StartParams start, Map<String, Object> out,
      Peers.Sklearn peer, ObjectNode sk) throws IOException {
    int it = o.iters();
    latentGmm(pass, cols, start, it);
    scanProfile(pass, null, null);
    Marginal latent = new Marginal();
    Marginal other = new Marginal();
    FitResult lastL = null;
    JsonNode lastP = null;
    for (int round = 0; round < o.repeats(); round++) {
      lastL = latent.measure(it, n -> latentGmm(pass, cols, start, n), r -> it);
      if (peer != null) {
        lastP = peer.measure("gmm", other);
      }
    }
    if (peer != null) {
      sk.set("gmm", other.json(lastP, "mean_loglik"));
    }
    double llL = lastL.meanLogLik();
    double[] trace = lastL.trace();
    double lastChange = trace[trace.length - 1] - trace[trace.length - 2];
    say("GMM full  Latent: %s; mean log-likelihood %.6f (change in the last iteration %.3g)", latent, llL,
        lastChange);
    scanProfile(pass, "gmm", out);
    out.put("gmm_last_change_latent", lastChange);
    out.put("gmm_sec_per_iter_latent", latent.wall);
    out.put("gmm_cpu_sec_per_iter_latent", latent.cpu);
    out.put("gmm_loglik_latent", llL);
  }

  /**
   * The same-start quality checks, untimed: MLlib's RDD GMM (the MLlib API that takes an initial model)
   * from Latent's start must reach Latent's mean log-likelihood, and MLlib's RDD K-means from the same
   * centres Latent's cost.
   */
  private static void sameStart(DataPass pass, JavaRDD<Vector> vectors, Options o, StartParams start,
      double[][] centres, Map<String, Object> out) {
    int it = o.iters();
    GaussianMixtureModel init = toMllib(start);
    Timed<GaussianMixtureModel> m = time(() -> mllibGmm(vectors.rdd(), init, o, it));
    double llM = meanLogLik(pass, fromMllib(m.value()));
    double llL = (double) out.get("gmm_loglik_latent");
    say("GMM full  MLlib mllib.GaussianMixture (RDD API, same start, %d iterations): mean log-likelihood %.6f"
        + " (Latent %.6f, difference %.3g); %.2f s per iteration (the whole run / %d, one run)", it, llM, llL,
        llL - llM, m.seconds / it, it);
    out.put("gmm_loglik_mllib_rdd", llM);
    out.put("gmm_sec_per_iter_mllib_rdd_whole_run", m.seconds / it);
    KMeansModel km = mllibKmeans(vectors.rdd(), startAt(centres), o, it);
    double[][] mc = new double[centres.length][];
    for (int j = 0; j < mc.length; j++) {
      mc[j] = km.clusterCenters()[j].toArray();
    }
    double costM = inertia(pass, mc);
    say("K-means   MLlib mllib.KMeans (RDD API, same centres, %d iterations): cost %.6e (Latent %.6e; its own: %.6e)",
        km.numIter(), costM, (double) out.get("kmeans_cost_latent"), km.trainingCost());
    out.put("kmeans_iters_mllib", km.numIter());
    out.put("kmeans_cost_mllib", costM);
  }

  /**
   * Where the barrier scans since the last call spent their time (per scan: the slowest and fastest
   * task's own work, the exchange, the driver between scans), said and put in {@code out} under
   * {@code key} (with a null key only restarted); nothing for the aggregate engine.
   */
  private static void scanProfile(DataPass pass, String key, Map<String, Object> out) {
    if (!(pass instanceof BarrierDataPass b)) {
      return;
    }
    BarrierDataPass.Profile p = b.profile();
    b.resetProfile();
    if (key == null) {
      return;
    }
    say("          %s", p);
    out.put(key + "_barrier_scans", p.summary());
  }

  /** k distinct rows drawn by the seeded random keys: the K-means start of every library. */
  static double[][] centres(DataPass pass, long seed, int k) {
    TopRows rows = pass.sample(new SampleTask[] {new SampleTask(new double[0][], seed, 0, k)})[0];
    double[][] centres = new double[k][];
    int[] order = rows.order();
    for (int j = 0; j < k; j++) {
      centres[j] = rows.row(order[j]);
    }
    return centres;
  }

  /** MLlib's K-means model of {@code centres}, the start of its RDD K-means. */
  private static KMeansModel startAt(double[][] centres) {
    Vector[] c = new Vector[centres.length];
    for (int j = 0; j < c.length; j++) {
      c[j] = Vectors.dense(centres[j].clone());
    }
    return new KMeansModel(c);
  }

  /** MLlib's RDD K-means per iteration from {@code centres}. */
  static double mllibKmeansPerIter(RDD<Vector> data, double[][] centres, Options o) {
    KMeansModel init = startAt(centres);
    mllibKmeans(data, init, o, o.iters());
    Marginal m = new Marginal();
    KMeansModel last = null;
    for (int round = 0; round < o.repeats(); round++) {
      last = m.measure(o.iters(), n -> mllibKmeans(data, init, o, n), KMeansModel::numIter);
    }
    say("K-means   MLlib mllib.KMeans (RDD API, same centres, BLAS %s): %s (%d iterations)", Peers.blasName(), m,
        last.numIter());
    return m.wall;
  }

  /**
   * Latent's K-means per iteration from {@code centres}, its figures in {@code out} under {@code key}, and
   * scikit-learn's rounds of the same in between, with each of its algorithms (Lloyd's, and Elkan's, which
   * skips distances by triangle-inequality bounds): each into {@code sk} as kmeans_kK_ALGORITHM, the faster
   * as kmeans_kK. Three times as many rounds as {@code --repeats}: a round takes about a second, and the
   * machine's speed varies most at this scale.
   */
  private static void kmeans(Options o, DataPass pass, ColumnStats cols, double[][] centres, String key,
      Map<String, Object> out, Peers.Sklearn peer, ObjectNode sk) throws IOException {
    int it = o.iters();
    String[] algorithms = {"lloyd", "elkan"};
    // Both warm up with a run of every iteration: Latent's JIT, scikit-learn's thread pools.
    latentKmeans(pass, cols, centres, it);
    if (peer != null) {
      for (String a : algorithms) {
        peer.round("kmeans " + centres.length + " " + a);
      }
    }
    scanProfile(pass, null, null);
    Marginal latent = new Marginal();
    Marginal[] other = {new Marginal(), new Marginal()};
    JsonNode[] lastP = new JsonNode[2];
    FitResult lastL = null;
    for (int round = 0; round < 3 * o.repeats(); round++) {
      lastL = latent.measure(it, n -> latentKmeans(pass, cols, centres, n), FitResult::iterations);
      if (peer != null) {
        for (int a = 0; a < algorithms.length; a++) {
          lastP[a] = peer.measure("kmeans " + centres.length + " " + algorithms[a], other[a]);
        }
      }
    }
    double costL = inertia(pass, lastL.means());
    say("K-means   Latent K=%d: %s (%d passes); cost %.6e", centres.length, latent, lastL.iterations(), costL);
    scanProfile(pass, key, out);
    out.put(key + "_sec_per_iter_latent", latent.wall);
    out.put(key + "_cpu_sec_per_iter_latent", latent.cpu);
    out.put(key + "_iters_latent", lastL.iterations());
    out.put(key + "_cost_latent", costL);
    if (peer != null) {
      int fastest = other[1].wall < other[0].wall ? 1 : 0;
      for (int a = 0; a < algorithms.length; a++) {
        ObjectNode n = other[a].json(lastP[a], "inertia");
        n.put("algorithm", algorithms[a]);
        sk.set("kmeans_k" + centres.length + "_" + algorithms[a], n);
        if (a == fastest) {
          sk.set("kmeans_k" + centres.length, n);
        }
      }
      say("K-means   scikit-learn K=%d: lloyd %s; elkan %s", centres.length, other[0], other[1]);
    }
  }

  /**
   * Marginal seconds per iteration, wall-clock and process CPU: a run of 2 iterations and a run of iters,
   * each timed in every round and the fastest kept (a burst of load elsewhere only ever adds time), then
   * the difference divided by the iterations between them.
   */
  static final class Marginal {
    double wall = Double.NaN;
    double cpu = Double.NaN;
    private double shortWall = Double.POSITIVE_INFINITY;
    private double longWall = Double.POSITIVE_INFINITY;
    private double shortCpu = Double.POSITIVE_INFINITY;
    private double longCpu = Double.POSITIVE_INFINITY;
    private int iters;

    <T> T measure(int iters, java.util.function.IntFunction<T> run, java.util.function.ToIntFunction<T> done) {
      Timed<T> a = time(() -> run.apply(2));
      Timed<T> b = time(() -> run.apply(iters));
      add(a.seconds, b.seconds, a.cpuSeconds, b.cpuSeconds, done.applyAsInt(b.value));
      return b.value;
    }

    /** A round timed elsewhere (another process): its two runs' seconds, the long run's iterations. */
    void add(double shortRun, double longRun, double shortCpuRun, double longCpuRun, int iterations) {
      shortWall = Math.min(shortWall, shortRun);
      longWall = Math.min(longWall, longRun);
      shortCpu = Math.min(shortCpu, shortCpuRun);
      longCpu = Math.min(longCpu, longCpuRun);
      iters = iterations;
      wall = perIteration(shortWall, longWall, iterations);
      cpu = perIteration(shortCpu, longCpu, iterations);
    }

    /** As the JSON of a peer: per iteration, both fastest runs, iterations, and the last round's {@code score}. */
    ObjectNode json(JsonNode lastRound, String score) {
      ObjectNode n = JSON.createObjectNode();
      n.put("sec_per_iter", wall);
      n.put("short_seconds", shortWall);
      n.put("long_seconds", longWall);
      n.put("iters", iters);
      n.put("cpu_sec_per_iter", cpu);
      n.set(score, lastRound.get(score));
      return n;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.4f s/iter wall (runs of 2 and all: %.2f s, %.2f s), %.4f CPU s/iter",
          wall, shortWall, longWall, cpu);
    }
  }

  /** Latent alone at n = 250k, 500k, 1M, 2M: per-iteration time against n, fitted by least squares. */
  private static void scaling(JavaSparkContext jsc, Options o, SyntheticMixture truth, StartParams start,
      Map<String, Object> out) {
    long[] sizes = {250_000, 500_000, 1_000_000, 2_000_000};
    double[] gmm = new double[sizes.length];
    double[] kmw = new double[sizes.length];
    double[] gmmCpu = new double[sizes.length];
    double[] kmCpu = new double[sizes.length];
    List<Map<String, Object>> points = new ArrayList<>();
    for (int s = 0; s < sizes.length; s++) {
      long n = sizes[s];
      JavaRDD<DataBlock> blocks = truth.blocks(jsc, n, o.partitions(), o.seed()).persist(StorageLevel.MEMORY_ONLY());
      ColumnStats cols = blocks.treeAggregate(new ColumnStats(o.d()), ColumnStats::add, ColumnStats::merge,
          o.depth());
      Engines.Prepared scans = engine(jsc, blocks, o);
      DataPass pass = scans.pass();
      latentGmm(pass, cols, start, o.iters());
      double[][] centres = start.means();
      Marginal g = new Marginal();
      Marginal km = new Marginal();
      // Latent alone is cheap to time: a few more rounds steady the slope.
      for (int round = 0; round < Math.max(3, o.repeats()); round++) {
        g.measure(o.iters(), it -> latentGmm(pass, cols, start, it), r -> o.iters());
        km.measure(o.iters(), it -> latentKmeans(pass, cols, centres, it), FitResult::iterations);
      }
      gmm[s] = g.wall;
      kmw[s] = km.wall;
      gmmCpu[s] = g.cpu;
      kmCpu[s] = km.cpu;
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      say("scaling n=%8d: GMM %.4f s/iter (CPU %.4f), K-means %.4f s/iter (CPU %.4f); heap in use after GC"
          + " %.0f MB (cached data included)", n, gmm[s], gmmCpu[s], kmw[s], kmCpu[s], heap / 1e6);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("n", n);
      p.put("gmm_sec_per_iter", gmm[s]);
      p.put("kmeans_sec_per_iter", kmw[s]);
      p.put("gmm_cpu_sec_per_iter", gmmCpu[s]);
      p.put("kmeans_cpu_sec_per_iter", kmCpu[s]);
      p.put("heap_after_gc_bytes", heap);
      points.add(p);
      blocks.unpersist(true);
    }
    Map<String, Object> sc = new LinkedHashMap<>();
    sc.put("points", points);
    sc.put("gmm", line("GMM wall", sizes, gmm));
    sc.put("kmeans", line("K-means wall", sizes, kmw));
    sc.put("gmm_cpu", line("GMM CPU", sizes, gmmCpu));
    sc.put("kmeans_cpu", line("K-means CPU", sizes, kmCpu));
    out.put("scaling", sc);
  }

  /** Least-squares line t = a + b n; b against the 1M-to-2M slope. */
  private static Map<String, Object> line(String what, long[] n, double[] t) {
    int m = n.length;
    double mn = 0.0;
    double mt = 0.0;
    for (int i = 0; i < m; i++) {
      mn += n[i] / (double) m;
      mt += t[i] / m;
    }
    double sxy = 0.0;
    double sxx = 0.0;
    for (int i = 0; i < m; i++) {
      sxy += (n[i] - mn) * (t[i] - mt);
      sxx += (n[i] - mn) * (n[i] - mn);
    }
    double slope = sxy / sxx;
    double fixed = mt - slope * mn;
    double last = (t[m - 1] - t[m - 2]) / (n[m - 1] - n[m - 2]);
    say("scaling %s: %.1f ns per row per iteration (least squares over 250k..2M), %.1f ns 1M->2M (ratio %.2f);"
        + " fixed overhead %.1f ms per iteration", what, slope * 1e9, last * 1e9, slope / last, fixed * 1e3);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("ns_per_row", slope * 1e9);
    r.put("ns_per_row_1m_2m", last * 1e9);
    r.put("slope_ratio", slope / last);
    r.put("fixed_ms_per_iter", fixed * 1e3);
    return r;
  }

  /**
   * Latent's scans as a fit runs them: the engine --engine asks for (auto: barrier where its rules hold,
   * as `latent fit` chooses), judged for the largest statistics the bench asks for (GMM full, K = max(k, 64)).
   */
  private static Engines.Prepared engine(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, Options o) {
    FitSpec largest = new FitSpec(ModelKind.GMM, CovarianceType.FULL, Math.max(o.k(), 64), o.iters(), 0.0, 1e-6,
        o.seed(), InitMethod.KMEANS_PP, null, 1);
    return Engines.open(jsc, blocks, o.d(), o.depth(),
        Engine.DEFAULT.as(Engine.Kind.valueOf(o.engine().toUpperCase(java.util.Locale.ROOT))), List.of(largest));
  }

  private static FitResult latentGmm(DataPass pass, ColumnStats cols, StartParams start, int iters) {
    // tol 0: exactly iters iterations, as MLlib with convergenceTol 0.
    FitSpec spec = new FitSpec(ModelKind.GMM, CovarianceType.FULL, start.k(), iters, 0.0, 1e-6, 0,
        InitMethod.MODEL, start, 1);
    return EmLoop.fit(pass, spec, cols);
  }

  private static FitResult latentKmeans(DataPass pass, ColumnStats cols, double[][] centres, int iters) {
    StartParams start = new StartParams(ModelKind.KMEANS, null, new double[centres.length], centres, null);
    FitSpec spec = new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, centres.length, iters, 0.0, 1e-6, 0,
        InitMethod.MODEL, start, 1);
    return EmLoop.fit(pass, spec, cols);
  }

  private static GaussianMixtureModel mllibGmm(RDD<Vector> data, GaussianMixtureModel init, Options o, int iters) {
    return new GaussianMixture().setK(o.k()).setMaxIterations(iters).setConvergenceTol(0.0)
        .setInitialModel(init).setSeed(o.seed()).run(data);
  }

  private static KMeansModel mllibKmeans(RDD<Vector> data, KMeansModel init, Options o, int iters) {
    return new KMeans().setK(o.k()).setMaxIterations(iters).setEpsilon(0.0).setInitialModel(init)
        .setSeed(o.seed()).run(data);
  }

  /** One M-step on the hard assignments to the K-means centres: how Latent starts a GMM. */
  private static StartParams gmmStart(DataPass pass, double[][] centres, ColumnStats cols) {
    EStepTask task = EStepTask.under(Mixture.forCentres(centres), true, EStepTask.Scatter.FULL);
    SuffStats s = pass.estep(new EStepTask[] {task})[0];
    MStep.Update u = MStep.gmm(s, centres, CovarianceType.FULL, 1e-6, cols.variance());
    return new StartParams(ModelKind.GMM, CovarianceType.FULL, u.weights(), u.means(), u.covariances());
  }

  private static double meanLogLik(DataPass pass, Mixture m) {
    SuffStats s = pass.estep(new EStepTask[] {EStepTask.under(m, false, EStepTask.Scatter.NONE)})[0];
    return s.logLik / s.weightSum;
  }

  private static double inertia(DataPass pass, double[][] centres) {
    EStepTask t = EStepTask.under(Mixture.forCentres(centres), true, EStepTask.Scatter.NONE);
    return pass.estep(new EStepTask[] {t})[0].hardDist;
  }

  private static long resultBytes(DataPass pass, StartParams start) throws IOException {
    Mixture m = toMixture(start.weights(), start.means(), start.covariances());
    SuffStats[] s = pass.estep(new EStepTask[] {EStepTask.under(m, false, EStepTask.Scatter.FULL)});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
      oos.writeObject(s);
    }
    return bytes.size();
  }

  private static GaussianMixtureModel toMllib(StartParams p) {
    int k = p.k();
    int d = p.means()[0].length;
    MultivariateGaussian[] g = new MultivariateGaussian[k];
    for (int j = 0; j < k; j++) {
      // Symmetric, so row-major is column-major.
      g[j] = new MultivariateGaussian(Vectors.dense(p.means()[j].clone()),
          Matrices.dense(d, d, p.covariances()[j].clone()));
    }
    return new GaussianMixtureModel(p.weights().clone(), g);
  }

  private static Mixture fromMllib(GaussianMixtureModel m) {
    int k = m.k();
    double[][] means = new double[k][];
    double[][] cov = new double[k][];
    for (int j = 0; j < k; j++) {
      means[j] = m.gaussians()[j].mu().toArray();
      cov[j] = m.gaussians()[j].sigma().toArray();
    }
    return toMixture(m.weights(), means, cov);
  }

  private static Mixture toMixture(double[] w, double[][] means, double[][] cov) {
    try {
      return Mixture.of(CovarianceType.FULL, w, means, cov);
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double perIteration(double shortRun, double longRun, int iters) {
    return iters > 2 ? (longRun - shortRun) / (iters - 2) : longRun / iters;
  }

  private record Timed<T>(T value, double seconds, double cpuSeconds) {}

  private static <T> Timed<T> time(Supplier<T> f) {
    long c0 = processCpuNanos();
    long t0 = System.nanoTime();
    T v = f.get();
    return new Timed<>(v, (System.nanoTime() - t0) / 1e9, (processCpuNanos() - c0) / 1e9);
  }

  /** CPU time of this process, all threads (Spark's executor threads run in it in local mode). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long cachedBytes(JavaSparkContext jsc, RDD<?> rdd) {
    for (RDDInfo info : jsc.sc().getRDDStorageInfo()) {
      if (info.id() == rdd.id()) {
        return info.memSize();
      }
    }
    return -1;
  }

  private static long peakHeap() {
    long s = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        s += p.getPeakUsage().getUsed();
      }
    }
    return s;
  }

  private static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  static void say(String fmt, Object... args) {
    System.out.println(String.format(Locale.ROOT, fmt, args));
  }
}
