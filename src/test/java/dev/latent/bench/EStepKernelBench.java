package dev.latent.bench;

import dev.latent.em.DataBlock;
import dev.latent.em.EStep;
import dev.latent.em.EStepTask;
import dev.latent.em.RowEStep;
import dev.latent.em.SuffStats;
import dev.latent.io.BlockBuilder;
import dev.latent.math.Kernels;
import dev.latent.math.TileKernels;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH microbenchmark of one E-step with statistics on one thread, over n rows in Latent's blocks: GMM
 * (soft, full covariance: the GMM iteration's work) and K-means (hard, K = 8 and 64), for the
 * row-at-a-time reference, the blocked kernels in plain Java, and the blocked kernels on the Vector API;
 * and in the same run the core's peak, the throughput of independent fused multiply-adds on
 * {@code DoubleVector.SPECIES_PREFERRED} ({@link PeakFma}). {@link #main} reports GFLOP/s counted as the
 * vector kernels do them (see {@link #gmmFlopsPerRow}) and as a fraction of that peak, and K-means in
 * ns per row. Run by {@code submit/bench --kernels}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EStepKernelBench {
  /** Rows per E-step: 100k (8 MB at d = 10, in this machine's L3 cache), or {@code -Dlatent.bench.rows}. */
  static final int N = Integer.getInteger("latent.bench.rows", 100_000);

  @Param({"row", "java", "vector"})
  public String path;

  /** kmeans-general: the same centres as a spherical mixture of variance 1 + 2^-40, which takes the general
   * hard path (a squared distance per component, argmax of the logits), for comparison with kmeans. */
  @Param({"gmm", "kmeans", "kmeans-general"})
  public String model;

  @Param({"10"})
  public int d;

  @Param({"8", "64"})
  public int k;

  private List<DataBlock> blocks;
  private EStepTask task;
  private TileKernels kernels;

  @Setup
  public void setUp() throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    double[][] means = new double[k][d];
    double[][] cov = new double[k][d * d];
    double[] w = new double[k];
    for (int j = 0; j < k; j++) {
      w[j] = 1.0 / k;
      for (int i = 0; i < d; i++) {
        means[j][i] = 4.0 * rnd.nextGaussian();
        cov[j][i * d + i] = 1.0 + rnd.nextDouble();
      }
      cov[j][1] = 0.3;
      cov[j][d] = 0.3;
    }
    blocks = new ArrayList<>();
    int per = BlockBuilder.blockRows(d);
    for (int r0 = 0; r0 < N; r0 += per) {
      int rows = Math.min(per, N - r0);
      double[] x = new double[rows * d];
      long[] keys = new long[rows];
      for (int r = 0; r < rows; r++) {
        int j = rnd.nextInt(k);
        keys[r] = DataBlock.rowKey(0, r0 + r + 2);
        for (int i = 0; i < d; i++) {
          x[r * d + i] = means[j][i] + rnd.nextGaussian();
        }
      }
      blocks.add(new DataBlock(rows, d, x, keys, null, null));
    }
    double[][] unit = new double[k][];
    for (int j = 0; j < k; j++) {
      unit[j] = new double[] {1.0 + 0x1p-40};
    }
    task = switch (model) {
      case "kmeans" -> EStepTask.nearest(means, EStepTask.Scatter.NONE);
      case "kmeans-general" -> EStepTask.under(Mixture.of(CovarianceType.SPHERICAL, w, means, unit), true,
          EStepTask.Scatter.NONE);
      default -> EStepTask.under(Mixture.of(CovarianceType.FULL, w, means, cov), false, EStepTask.Scatter.FULL);
    };
    kernels = switch (path) {
      case "java" -> Kernels.java();
      case "vector" -> Kernels.vector();
      default -> null;
    };
    if (path.equals("vector") && kernels == null) {
      throw new IllegalStateException("the JVM lacks --add-modules=jdk.incubator.vector");
    }
  }

  @Benchmark
  public SuffStats estep() {
    SuffStats s = SuffStats.zeroFor(task);
    for (DataBlock b : blocks) {
      if (kernels == null) {
        RowEStep.accumulate(task, b, s);
      } else {
        EStep.accumulate(task, b, s, kernels);
      }
    }
    return s;
  }

  /**
   * Floating-point operations per row of the soft full-covariance E-step as the vector kernels do them
   * (a fused multiply-add counts 2), per component: the centred triangular norms d^2 + 3d (row i of
   * L^-1: i + 1 fused multiply-adds from zero, then a fused square-and-add) plus the centring they redo
   * per block of factor rows ({@link #centringsPerRow}), the logit 2, the posterior 4 (a subtraction,
   * exp, a sum, a scale; exp counted as one, though it takes about 20 operations), and the statistics
   * ({@link #statisticsPerRow}). At d = 10: 2d^2 + 4d + 6 + 22 + 63 = 331 per component.
   */
  static double gmmFlopsPerRow(int d, int k) {
    return k * (d * d + 3.0 * d + centringsPerRow(d) + 6.0 + statisticsPerRow(d));
  }

  /**
   * The same with every centring of a column counted once (in the norms d, in the statistics d
   * subtractions and d weighings): the work a kernel that stored the centred columns would count.
   */
  static double gmmFlopsPerRowCentredOnce(int d, int k) {
    return k * (d * d + 3.0 * d + d + 6.0 + (1.0 + 3 * d + d * (d + 1)));
  }

  /**
   * Operations per row and component of VectorTileKernels.centredWeightedGram: the weight's total 1, the
   * column sums d, the Gram matrix's upper triangle d(d + 1), and each register block's own centring (a
   * subtraction per column it reads) and weighing (a product per column on its left side): 30 and 22 at
   * d = 10 (63 in all).
   */
  static int statisticsPerRow(int d) {
    int g = d - d % 4;
    int sub = 0;
    int mul = 0;
    for (int i0 = 0; i0 < g; i0 += 4) {
      sub += 4;
      mul += 4;
      for (int p0 = i0 + 4; p0 < g; p0 += 4) {
        sub += 8;
        mul += 4;
      }
      int p = g;
      for (; p + 2 <= d; p += 2) {
        sub += 6;
        mul += 4;
      }
      if (p < d) {
        sub += 5;
        mul += 4;
      }
    }
    switch (d - g) {
      case 1 -> {
        sub += 1;
        mul += 1;
      }
      case 2 -> {
        sub += 2;
        mul += 2;
      }
      case 3 -> {
        sub += 2 + 3 + 1;
        mul += 2 + 2 + 1;
      }
      default -> { }
    }
    return 1 + d + sub + mul + d * (d + 1);
  }

  /**
   * Subtractions of the mean per row and component in VectorTileKernels.centredTriangularNorms: a block of
   * factor rows i0 .. i1 - 1 (fours, then a pair, then one) centres columns 0 .. i1 - 1 again.
   */
  static int centringsPerRow(int d) {
    int g = d - d % 4;
    int c = 0;
    for (int i0 = 0; i0 < g; i0 += 4) {
      c += i0 + 4;
    }
    int i1 = g;
    if (i1 + 2 <= d) {
      c += i1 + 2;
      i1 += 2;
    }
    if (i1 < d) {
      c += i1 + 1;
    }
    return c;
  }

  /**
   * The peak of one core: {@link #CHAINS} independent chains of fused multiply-adds on the widest vector
   * species, enough to hide the instruction's latency, 2 flops per lane each.
   */
  @State(Scope.Thread)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  @Fork(1)
  public static class PeakFma {
    static final int CHAINS = 12;
    static final int STEPS = 1_000_000;
    private final double[] init = new double[CHAINS * DoubleVector.SPECIES_PREFERRED.length()];

    static double flops() {
      return 2.0 * CHAINS * STEPS * DoubleVector.SPECIES_PREFERRED.length();
    }

    @Benchmark
    public double fma() {
      VectorSpecies<Double> sp = DoubleVector.SPECIES_PREFERRED;
      int l = sp.length();
      DoubleVector a = DoubleVector.broadcast(sp, 0.999999);
      DoubleVector b = DoubleVector.broadcast(sp, 1e-9);
      DoubleVector s0 = DoubleVector.fromArray(sp, init, 0);
      DoubleVector s1 = DoubleVector.fromArray(sp, init, l);
      DoubleVector s2 = DoubleVector.fromArray(sp, init, 2 * l);
      DoubleVector s3 = DoubleVector.fromArray(sp, init, 3 * l);
      DoubleVector s4 = DoubleVector.fromArray(sp, init, 4 * l);
      DoubleVector s5 = DoubleVector.fromArray(sp, init, 5 * l);
      DoubleVector s6 = DoubleVector.fromArray(sp, init, 6 * l);
      DoubleVector s7 = DoubleVector.fromArray(sp, init, 7 * l);
      DoubleVector s8 = DoubleVector.fromArray(sp, init, 8 * l);
      DoubleVector s9 = DoubleVector.fromArray(sp, init, 9 * l);
      DoubleVector s10 = DoubleVector.fromArray(sp, init, 10 * l);
      DoubleVector s11 = DoubleVector.fromArray(sp, init, 11 * l);
      for (int i = 0; i < STEPS; i++) {
        s0 = s0.fma(a, b);
        s1 = s1.fma(a, b);
        s2 = s2.fma(a, b);
        s3 = s3.fma(a, b);
        s4 = s4.fma(a, b);
        s5 = s5.fma(a, b);
        s6 = s6.fma(a, b);
        s7 = s7.fma(a, b);
        s8 = s8.fma(a, b);
        s9 = s9.fma(a, b);
        s10 = s10.fma(a, b);
        s11 = s11.fma(a, b);
      }
      return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).add(s8).add(s9).add(s10).add(s11)
          .reduceLanes(VectorOperators.ADD);
    }
  }

  public static void main(String[] args) throws RunnerException {
    if (args.length > 0 && args[0].equals("--help")) {
      System.out.println("usage: submit/bench --kernels [JMH options, e.g. -p path=vector -p model=kmeans,kmeans-general"
          + " -p k=8]");
      return;
    }
    // Extra arguments are JMH's own, e.g. -p path=vector -p model=kmeans,kmeans-general.
    Options opts;
    try {
      opts = new OptionsBuilder().parent(new CommandLineOptions(args))
          .include(EStepKernelBench.class.getSimpleName()).build();
    } catch (CommandLineOptionException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Collection<RunResult> results = new Runner(opts).run();
    double peak = Double.NaN;
    for (RunResult r : results) {
      if (r.getParams().getBenchmark().endsWith("PeakFma.fma")) {
        peak = PeakFma.flops() / (r.getPrimaryResult().getScore() / 1e3) / 1e9;
      }
    }
    System.out.println();
    System.out.println(String.format(Locale.ROOT, "peak of one core: %.2f GFLOP/s (%d chains of fused"
        + " multiply-adds, %d doubles per vector)", peak, PeakFma.CHAINS, DoubleVector.SPECIES_PREFERRED.length()));
    System.out.println("one E-step with statistics, one thread, n = " + N + " rows, d = 10:");
    for (RunResult r : results) {
      if (r.getParams().getBenchmark().endsWith("PeakFma.fma")) {
        continue;
      }
      String p = r.getParams().getParam("path");
      String model = r.getParams().getParam("model");
      int d = Integer.parseInt(r.getParams().getParam("d"));
      int k = Integer.parseInt(r.getParams().getParam("k"));
      double ms = r.getPrimaryResult().getScore();
      if (model.equals("gmm")) {
        double gflops = gmmFlopsPerRow(d, k) * N / (ms / 1e3) / 1e9;
        double once = gmmFlopsPerRowCentredOnce(d, k) * N / (ms / 1e3) / 1e9;
        double nominal = 4.0 * N * k * d * d / (ms / 1e3) / 1e9;
        System.out.println(String.format(Locale.ROOT, "  GMM full  %-7s K=%-3d %8.3f ms per pass, %6.1f ns per"
            + " row, %5.2f GFLOP/s as done = %4.1f%% of peak (each centring once: %4.1f%%; nominal 4 n K d^2:"
            + " %5.2f GFLOP/s)", p, k, ms, ms * 1e6 / N, gflops, 100 * gflops / peak, 100 * once / peak, nominal));
      } else {
        System.out.println(String.format(Locale.ROOT, "  %-14s %-7s K=%-3d %8.3f ms per pass, %6.1f ns per"
            + " row", model, p, k, ms, ms * 1e6 / N));
      }
    }
  }
}
