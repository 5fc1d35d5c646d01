package dev.latent.bench;

import dev.latent.em.CovarianceType;
import dev.latent.em.DataBlock;
import dev.latent.em.EStep;
import dev.latent.em.EStepTask;
import dev.latent.em.Mixture;
import dev.latent.em.RowEStep;
import dev.latent.em.SuffStats;
import dev.latent.io.BlockBuilder;
import dev.latent.math.Kernels;
import dev.latent.math.TileKernels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH microbenchmark of one E-step with statistics (soft, full covariance: the GMM iteration's work) on
 * one thread, over n rows in Latent's blocks: the row-at-a-time reference, the blocked kernels in plain
 * Java, and the blocked kernels on the Vector API. {@link #main} runs it and reports GFLOP/s against the
 * nominal count 4 n K d^2 (2 n K d^2 for the distances as a full matrix product, as much again for the
 * scatter; the triangles actually computed are about half of that). Run by {@code submit/bench --kernels}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EStepKernelBench {
  static final int N = 100_000;

  @Param({"row", "java", "vector"})
  public String path;

  @Param({"10"})
  public int d;

  @Param({"8"})
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
    task = EStepTask.under(Mixture.of(CovarianceType.FULL, w, means, cov), false, EStepTask.Scatter.FULL);
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

  public static void main(String[] args) throws RunnerException {
    Options opts = new OptionsBuilder().include(EStepKernelBench.class.getSimpleName()).build();
    Collection<RunResult> results = new Runner(opts).run();
    System.out.println();
    System.out.println("E-step + statistics, soft, full covariance, one thread, n = " + N + " rows:");
    for (RunResult r : results) {
      String p = r.getParams().getParam("path");
      int d = Integer.parseInt(r.getParams().getParam("d"));
      int k = Integer.parseInt(r.getParams().getParam("k"));
      double ms = r.getPrimaryResult().getScore();
      double gflops = 4.0 * N * k * d * d / (ms / 1e3) / 1e9;
      System.out.println(String.format(Locale.ROOT,
          "  %-7s d=%d K=%d: %8.3f ms per pass, %6.1f ns per row, %5.2f GFLOP/s (nominal 4 n K d^2)", p, d, k,
          ms, ms * 1e6 / N, gflops));
    }
  }
}
