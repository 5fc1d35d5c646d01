package dev.latent.bench;

import dev.latent.em.DataBlock;
import dev.latent.em.EStep;
import dev.latent.em.EStepTask;
import dev.latent.em.SuffStats;
import dev.latent.io.BlockBuilder;
import dev.latent.math.Kernels;
import dev.latent.math.TileKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * K-means' E-step alone, one thread, timed as the fastest of many rounds (so a loaded machine disturbs it
 * less than an average): the data of {@link EStepKernelBench} (100,000 rows, d = 10, in Latent's
 * blocks), the vector kernels, each K given in turn within every round. Prints ns per row and the
 * statistics' bits (inertia, log-likelihood, a checksum of the sums, the label hashes), so two builds can
 * be compared for speed and for identical results.
 *
 * <p>Usage: {@code java [conf/jvm-flags] -cp target/classes:target/test-classes:DEPS
 * dev.latent.bench.KMeansKernelTiming [rounds, default 300] [K list, default 8,64]}.
 */
public final class KMeansKernelTiming {
  private static final int N = 100_000;
  private static final int D = 10;

  private KMeansKernelTiming() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    String[] ks = (args.length > 1 ? args[1] : "8,64").split(",");
    TileKernels kernels = Kernels.vector();
    if (kernels == null) {
      throw new IllegalStateException("the JVM lacks --add-modules=jdk.incubator.vector");
    }
    List<List<DataBlock>> data = new ArrayList<>();
    EStepTask[] tasks = new EStepTask[ks.length];
    for (int t = 0; t < ks.length; t++) {
      int k = Integer.parseInt(ks[t]);
      SplittableRandom rnd = new SplittableRandom(7);
      double[][] means = new double[k][D];
      for (int j = 0; j < k; j++) {
        for (int i = 0; i < D; i++) {
          means[j][i] = 4.0 * rnd.nextGaussian();
        }
      }
      data.add(blocks(rnd, means));
      tasks[t] = EStepTask.nearest(means, EStepTask.Scatter.NONE);
    }
    double[] best = new double[ks.length];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    SuffStats[] last = new SuffStats[ks.length];
    for (int round = 0; round < rounds; round++) {
      for (int t = 0; t < ks.length; t++) {
        long t0 = System.nanoTime();
        SuffStats s = SuffStats.zeroFor(tasks[t]);
        for (DataBlock b : data.get(t)) {
          EStep.accumulate(tasks[t], b, s, kernels);
        }
        double ns = (System.nanoTime() - t0) / (double) N;
        // The first quarter of the rounds warms the JIT up.
        if (round >= rounds / 4) {
          best[t] = Math.min(best[t], ns);
        }
        last[t] = s;
      }
    }
    for (int t = 0; t < ks.length; t++) {
      SuffStats s = last[t];
      long hash = 0;
      double sums = 0.0;
      for (int j = 0; j < s.k; j++) {
        hash = hash * 31 + s.assignHash(j);
        double[] sum = s.sumOf(j);
        for (int i = 0; i < D; i++) {
          sums += sum[i] * (j + 1) * (i + 1);
        }
      }
      System.out.println(String.format(Locale.ROOT, "K=%-3s %6.2f ns per row (fastest of %d rounds)  inertia %s"
          + "  logLik %s  sums %s  hashes %d", ks[t], best[t], rounds - rounds / 4, Double.toHexString(s.hardDist),
          Double.toHexString(s.logLik), Double.toHexString(sums), hash));
    }
  }

  private static List<DataBlock> blocks(SplittableRandom rnd, double[][] means) {
    List<DataBlock> blocks = new ArrayList<>();
    int per = BlockBuilder.blockRows(D);
    for (int r0 = 0; r0 < N; r0 += per) {
      int rows = Math.min(per, N - r0);
      double[] x = new double[rows * D];
      long[] keys = new long[rows];
      for (int r = 0; r < rows; r++) {
        int j = rnd.nextInt(means.length);
        keys[r] = DataBlock.rowKey(0, r0 + r + 2);
        for (int i = 0; i < D; i++) {
          x[r * D + i] = means[j][i] + rnd.nextGaussian();
        }
      }
      blocks.add(new DataBlock(rows, D, x, keys, null, null));
    }
    return blocks;
  }
}
