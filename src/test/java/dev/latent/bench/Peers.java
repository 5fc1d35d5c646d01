package dev.latent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latent.em.DataBlock;
import dev.latent.em.EStep;
import dev.latent.em.EStepTask;
import dev.latent.em.StartParams;
import dev.latent.em.SuffStats;
import dev.latent.io.BlockBuilder;
import dev.latent.io.DecimalText;
import dev.latent.io.InputSchema;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.clustering.GaussianMixtureModel;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The benchmark's other peers and measurements, beside {@link Bench}'s Latent-against-MLlib-RDD core:
 * MLlib's DataFrame API ({@code ml.GaussianMixture}, {@code ml.KMeans} with the row and the block
 * solver) and its RDD K-means, in JVMs of their own, one with netlib on the JDK Vector API and one on a
 * native BLAS (netlib binds once per JVM; the Vector API's profiles are shared within one),
 * scikit-learn on the same CSV from the same start (submit/bench-sklearn.py), the kernels alone on one
 * thread, and CSV parsing and number writing throughput on one thread.
 */
final class Peers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Peers() {}

  /** netlib's BLAS in this JVM: VectorBLAS (JDK Vector API), JNIBLAS (a native library) or Java. */
  static String blasName() {
    return dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getSimpleName();
  }

  /** The cached DataFrame of MLlib's ml API, one vector column "features", from the same rows. */
  static Dataset<Row> frame(JavaSparkContext jsc, JavaRDD<Vector> vectors) {
    SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)});
    JavaRDD<Row> rows = vectors.map(v -> RowFactory.create(v.asML()));
    Dataset<Row> df = spark.createDataFrame(rows, schema).persist(StorageLevel.MEMORY_ONLY());
    df.count();
    return df;
  }

  /** Per-iteration seconds of the ml API's GMM and K-means (both solvers) on {@code df}, best of rounds. */
  static Map<String, Object> mlApi(Dataset<Row> df, Bench.Options o, String prefix) {
    Map<String, Object> out = new LinkedHashMap<>();
    int it = o.iters();
    mlGmm(df, o, it);
    Bench.Marginal g = new Bench.Marginal();
    GaussianMixtureModel lastG = null;
    for (int round = 0; round < o.repeats(); round++) {
      lastG = g.measure(it, n -> mlGmm(df, o, n), m -> m.summary().numIter());
    }
    double meanLl = lastG.summary().logLikelihood() / o.n();
    Bench.say("GMM full  MLlib ml.GaussianMixture (%s, BLAS %s): %s (%d iterations; own start, mean"
        + " log-likelihood %.6f)", prefix, blasName(), g, lastG.summary().numIter(), meanLl);
    out.put("gmm_sec_per_iter", g.wall);
    out.put("gmm_cpu_sec_per_iter", g.cpu);
    out.put("gmm_iters", lastG.summary().numIter());
    out.put("gmm_loglik", meanLl);
    for (String solver : new String[] {"row", "block"}) {
      mlKmeans(df, o, it, solver);
      Bench.Marginal km = new Bench.Marginal();
      KMeansModel last = null;
      for (int round = 0; round < o.repeats(); round++) {
        last = km.measure(it, n -> mlKmeans(df, o, n, solver), m -> m.summary().numIter());
      }
      Bench.say("K-means   MLlib ml.KMeans solver=%s (%s, BLAS %s): %s (%d iterations; own k-means|| start, cost"
          + " %.6e)", solver, prefix, blasName(), km, last.summary().numIter(), last.summary().trainingCost());
      out.put("kmeans_" + solver + "_sec_per_iter", km.wall);
      out.put("kmeans_" + solver + "_cpu_sec_per_iter", km.cpu);
      out.put("kmeans_" + solver + "_iters", last.summary().numIter());
    }
    out.put("blas", blasName());
    return out;
  }

  private static GaussianMixtureModel mlGmm(Dataset<Row> df, Bench.Options o, int iters) {
    return new org.apache.spark.ml.clustering.GaussianMixture().setK(o.k()).setMaxIter(iters).setTol(0.0)
        .setSeed(o.seed()).fit(df);
  }

  private static KMeansModel mlKmeans(Dataset<Row> df, Bench.Options o, int iters, String solver) {
    return new org.apache.spark.ml.clustering.KMeans().setK(o.k()).setMaxIter(iters).setTol(0.0)
        .setSolver(solver).setSeed(o.seed()).fit(df);
  }

  /**
   * {@code Bench --peer-blas DIR}: MLlib's measurements (ml GMM, ml K-means with both solvers, mllib
   * K-means from the start's centres) in a JVM of their own, netlib bound to the JDK Vector API or, when
   * the JVM may load one, to a native BLAS; the figures go to {@code DIR/mllib-vector.json} or
   * {@code mllib-native.json}.
   */
  static void blasPeer(JavaSparkContext jsc, Bench.Options o) throws IOException {
    boolean nativeWanted = System.getProperty(NO_NATIVE) == null;
    File result = new File(o.peer(), nativeWanted ? "mllib-native.json" : "mllib-vector.json");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("blas", blasName());
    if (nativeWanted && !blasName().equals("JNIBLAS")) {
      Bench.say("native-BLAS peer: netlib found no native BLAS (it chose %s); nothing to measure", blasName());
      JSON.writeValue(result, out);
      return;
    }
    SyntheticMixture truth = SyntheticMixture.random(o.d(), o.k(), o.spread(), o.seed());
    JavaRDD<Vector> vectors = truth.vectors(jsc, o.n(), o.partitions(), o.seed())
        .persist(StorageLevel.MEMORY_ONLY());
    vectors.count();
    JsonNode start = JSON.readTree(new File(o.peer(), "start.json"));
    double[][] centres = JSON.convertValue(start.get("kmeans").get(0).get("centres"), double[][].class);
    String where = nativeWanted ? "native BLAS JVM" : "Vector API JVM";
    out.putAll(mlApi(frame(jsc, vectors), o, where));
    out.put("kmeans_mllib_sec_per_iter", Bench.mllibKmeansPerIter(vectors.rdd(), centres, o));
    JSON.writeValue(result, out);
  }

  /** The system property that keeps netlib off native libraries (bench sets it for the main JVM). */
  private static final String NO_NATIVE = "dev.ludovic.netlib.blas.nativeLibPath";

  /**
   * Starts {@link #blasPeer} in a JVM with this JVM's flags: as they are (netlib on the Vector API), or
   * without the one that keeps netlib off native libraries.
   */
  static JsonNode runBlasPeer(Path dir, Bench.Options o, boolean nativeBlas) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!nativeBlas || !a.startsWith("-D" + NO_NATIVE)) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Bench.class.getName(), "--n",
        Long.toString(o.n()), "--d", Integer.toString(o.d()), "--k", Integer.toString(o.k()), "--iters",
        Integer.toString(o.iters()), "--master", o.master(), "--partitions", Integer.toString(o.partitions()),
        "--seed", Long.toString(o.seed()), "--repeats", Integer.toString(o.repeats()), "--spread",
        Double.toString(o.spread()), "--peer-blas", dir.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    threads(pb);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroy();
      Bench.say("%s peer failed (exit %s)", nativeBlas ? "native-BLAS" : "Vector-API", p.isAlive() ? "timeout"
          : p.exitValue());
      return null;
    }
    return JSON.readTree(dir.resolve(nativeBlas ? "mllib-native.json" : "mllib-vector.json").toFile());
  }

  /** BLAS and OpenMP threads at the core count for a peer process. */
  private static void threads(ProcessBuilder pb) {
    String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
    pb.environment().put("OPENBLAS_NUM_THREADS", cores);
    pb.environment().put("OMP_NUM_THREADS", cores);
    pb.environment().put("MKL_NUM_THREADS", cores);
  }

  /**
   * The data as CSV (the header x0..x{d-1}, shortest round-trip decimals) and the start of every peer as
   * JSON, for scikit-learn.
   */
  static void writeCsvAndStart(JavaRDD<DataBlock> blocks, int d, Path dir, Bench.Options o, StartParams gmm,
      List<double[][]> centres) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("data.csv"), StandardCharsets.UTF_8)) {
      StringBuilder h = new StringBuilder();
      for (int i = 0; i < d; i++) {
        h.append(i == 0 ? "" : ",").append('x').append(i);
      }
      w.write(h.append('\n').toString());
      Iterator<DataBlock> it = blocks.toLocalIterator();
      StringBuilder line = new StringBuilder(256);
      while (it.hasNext()) {
        DataBlock b = it.next();
        for (int r = 0; r < b.rows; r++) {
          line.setLength(0);
          for (int i = 0; i < d; i++) {
            line.append(i == 0 ? "" : ",").append(DecimalText.of(b.x[r * d + i]));
          }
          w.write(line.append('\n').toString());
        }
      }
    }
    Map<String, Object> start = new LinkedHashMap<>();
    start.put("iters", o.iters());
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("weights", gmm.weights());
    g.put("means", gmm.means());
    g.put("covariances", gmm.covariances());
    start.put("gmm", g);
    List<Object> km = new ArrayList<>();
    for (double[][] c : centres) {
      km.add(Map.of("centres", c));
    }
    start.put("kmeans", km);
    JSON.writeValue(dir.resolve("start.json").toFile(), start);
  }

  /**
   * scikit-learn (Debian python3-sklearn) in a process of its own (submit/bench-sklearn.py), asked for one
   * timed round at a time so that Bench can alternate its rounds with Latent's: a slow spell of the
   * machine then falls on both libraries' rounds, not on one library's whole measurement. BLAS threads at
   * the core count; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for it alone (they slow a current
   * OpenBLAS; tests keep them).
   */
  static final class Sklearn implements AutoCloseable {
    private final Process process;
    private final BufferedWriter commands;
    private final BufferedReader answers;
    /** Versions, load time, n, d and threadpoolctl's BLAS report. */
    final JsonNode header;

    private Sklearn(Process process, BufferedReader answers, JsonNode header) {
      this.process = process;
      this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      this.answers = answers;
      this.header = header;
    }

    /** Started on the CSV and start of {@code dir}, its data loaded; null (and said why) when it cannot run. */
    static Sklearn start(Path dir) throws IOException, InterruptedException {
      String python = "/usr/bin/python3";
      Path script = Path.of("submit", "bench-sklearn.py").toAbsolutePath();
      ProcessBuilder check = new ProcessBuilder(python, "-c", "import sklearn, threadpoolctl")
          .redirectErrorStream(true);
      Process c;
      try {
        c = check.start();
      } catch (IOException e) {
        Bench.say("scikit-learn: %s not found; install with: apt-get install -y python3-sklearn libopenblas0", python);
        return null;
      }
      c.getInputStream().readAllBytes();
      if (c.waitFor() != 0) {
        Bench.say("scikit-learn is not installed; install with: apt-get install -y python3-sklearn libopenblas0");
        return null;
      }
      ProcessBuilder pb = new ProcessBuilder(python, script.toString(), dir.toString(),
          Integer.toString(Runtime.getRuntime().availableProcessors()))
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      threads(pb);
      pb.environment().remove("OPENBLAS_CORETYPE");
      pb.environment().remove("OPENBLAS_L2_SIZE");
      Process p = pb.start();
      BufferedReader answers = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = answers.readLine();
      if (first == null) {
        p.waitFor(1, TimeUnit.MINUTES);
        Bench.say("scikit-learn failed to start (exit %s)", p.isAlive() ? "none" : p.exitValue());
        p.destroy();
        return null;
      }
      return new Sklearn(p, answers, JSON.readTree(first));
    }

    /** One round of {@code command} ("kmeans K ALGORITHM" or "gmm"): both run lengths, iterations, final score. */
    JsonNode round(String command) throws IOException {
      commands.write(command + "\n");
      commands.flush();
      String line = answers.readLine();
      if (line == null) {
        throw new IOException("scikit-learn's process ended during \"" + command + "\"");
      }
      JsonNode r = JSON.readTree(line);
      if (r.has("error")) {
        throw new IOException("scikit-learn: " + r.get("error").asText());
      }
      return r;
    }

    /** A round of {@code command} added to {@code m}; the round's answer. */
    JsonNode measure(String command, Bench.Marginal m) throws IOException {
      JsonNode r = round(command);
      m.add(r.get("short_seconds").asDouble(), r.get("long_seconds").asDouble(),
          r.get("short_cpu_seconds").asDouble(), r.get("long_cpu_seconds").asDouble(), r.get("iters").asInt());
      return r;
    }

    @Override
    public void close() throws IOException, InterruptedException {
      try {
        commands.write("quit\n");
        commands.flush();
      } catch (IOException e) {
        // Already gone: nothing to end.
      }
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
    }
  }

  /** Timed passes of {@link #kernelSeconds} after its two warm-ups. */
  static final int KERNEL_PASSES = 20;

  /** One kernel's passes over all rows: the fastest, the median, and the thread's CPU seconds in the fastest. */
  record KernelTime(double best, double median, double cpuOfBest) {}

  /**
   * The E-step kernels alone, one thread, no Spark: seconds per pass over all rows, the fastest of
   * {@link #KERNEL_PASSES} after two warm-ups, i.e. the core time of one iteration's E-step. Many passes
   * because one pass (30-100 ms) runs at different speeds from one pass to the next in the same JVM, with
   * the same compiled code, as the rest of the machine changes (docs/benchmarks.md, "Why the kernel's
   * speed differed between JVMs").
   */
  static KernelTime kernelSeconds(List<DataBlock> blocks, EStepTask task) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] wall = new double[KERNEL_PASSES];
    double best = Double.POSITIVE_INFINITY;
    double cpuOfBest = Double.NaN;
    for (int pass = -2; pass < KERNEL_PASSES; pass++) {
      SuffStats s = SuffStats.zeroFor(task);
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (DataBlock b : blocks) {
        EStep.accumulate(task, b, s);
      }
      double t = (System.nanoTime() - t0) / 1e9;
      double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
      if (pass >= 0) {
        wall[pass] = t;
        if (t < best) {
          best = t;
          cpuOfBest = cpu;
        }
      }
    }
    Arrays.sort(wall);
    return new KernelTime(best, wall[KERNEL_PASSES / 2], cpuOfBest);
  }

  /**
   * One thread: CSV lines into blocks as the fit reads a text file (io/BlockBuilder's fast path on the
   * lines' ASCII bytes), the same from strings (lines that are not ASCII, and other sources), the same with
   * every number through Double.parseDouble (the checking path), and an assignment line per row
   * (input line, cluster, K probabilities) formatted with Schubfach and with the JDK's Double.toString.
   * MB/s of input read and of output made; the best of 3 passes.
   */
  static Map<String, Object> ioThroughput(Path csv, int d, int k) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    long bytes = 0;
    for (String l : lines) {
      bytes += l.length() + 1;
    }
    String[] header = lines.get(0).split(",");
    InputSchema schema = InputSchema.resolve("data.csv", header, null, List.of(), null, null);
    Map<String, Object> out = new LinkedHashMap<>();
    byte[][] ascii = new byte[lines.size()][];
    for (int i = 0; i < ascii.length; i++) {
      ascii[i] = lines.get(i).getBytes(StandardCharsets.ISO_8859_1);
    }
    double fast = Double.POSITIVE_INFINITY;
    double strings = Double.POSITIVE_INFINITY;
    double slow = Double.POSITIVE_INFINITY;
    double[] dst = new double[d];
    dev.latent.io.RowParser checking = new dev.latent.io.RowParser(schema, "data.csv", k);
    double sink = 0.0;
    for (int round = 0; round < 3; round++) {
      BlockBuilder bb = new BlockBuilder(schema, "data.csv", 0, k);
      long t0 = System.nanoTime();
      for (int i = 0; i < ascii.length; i++) {
        DataBlock b = bb.add(ascii[i], ascii[i].length, i + 1);
        if (b != null) {
          sink += b.x[0];
        }
      }
      fast = Math.min(fast, (System.nanoTime() - t0) / 1e9);
      bb = new BlockBuilder(schema, "data.csv", 0, k);
      t0 = System.nanoTime();
      for (int i = 0; i < lines.size(); i++) {
        DataBlock b = bb.add(lines.get(i), i + 1);
        if (b != null) {
          sink += b.x[0];
        }
      }
      strings = Math.min(strings, (System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      for (int i = 1; i < lines.size(); i++) {
        checking.features(checking.fields(lines.get(i), i + 1), i + 1, dst, 0);
        sink += dst[0];
      }
      slow = Math.min(slow, (System.nanoTime() - t0) / 1e9);
    }
    // Writing: the fit's full assignment line, with K probabilities drawn from a fixed softmax-like pattern.
    double[] p = new double[k];
    double ws = Double.POSITIVE_INFINITY;
    double wj = Double.POSITIVE_INFINITY;
    long outBytes = 0;
    for (int round = 0; round < 3; round++) {
      for (boolean schubfach : new boolean[] {true, false}) {
        long made = 0;
        StringBuilder sb = new StringBuilder(512);
        long t0 = System.nanoTime();
        for (int i = 1; i < lines.size(); i++) {
          String l = lines.get(i);
          double total = 0.0;
          for (int j = 0; j < k; j++) {
            p[j] = Math.exp(-((i * 31 + j * 17) % 97) * 0.37);
            total += p[j];
          }
          sb.setLength(0);
          sb.append(l).append(',').append(i % k);
          for (int j = 0; j < k; j++) {
            double v = p[j] / total;
            if (schubfach) {
              sb.append(',').append(DecimalText.of(v));
            } else {
              sb.append(',').append(v);
            }
          }
          made += sb.length() + 1;
        }
        double t = (System.nanoTime() - t0) / 1e9;
        if (schubfach) {
          ws = Math.min(ws, t);
          outBytes = made;
        } else {
          wj = Math.min(wj, t);
        }
      }
    }
    out.put("csv_bytes", bytes);
    out.put("parse_mb_per_s", bytes / fast / 1e6);
    out.put("parse_mb_per_s_strings", bytes / strings / 1e6);
    out.put("parse_mb_per_s_parse_double", bytes / slow / 1e6);
    out.put("write_bytes", outBytes);
    out.put("write_mb_per_s", outBytes / ws / 1e6);
    out.put("write_mb_per_s_jdk", outBytes / wj / 1e6);
    Bench.say("I/O, one thread: parse %.0f MB/s (fast path on a text file's ASCII bytes), %.0f MB/s (the same on"
        + " strings), %.0f MB/s (split + Double.parseDouble); write assignment lines %.0f MB/s (Schubfach) vs %.0f"
        + " MB/s (Double.toString) [%s]", bytes / fast / 1e6, bytes / strings / 1e6, bytes / slow / 1e6, outBytes / ws / 1e6, outBytes / wj / 1e6, sink == 0 ? "" : "ok");
    return out;
  }
}
