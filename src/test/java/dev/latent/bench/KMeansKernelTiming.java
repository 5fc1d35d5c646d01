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
 * less than an average): the data of {@link EStepKernelBench} (100,000 rows unless given, d = 10, in Latent's
 * blocks), the vector kernels, each K given in turn within every round. Prints ns per row and the
 * statistics' bits (inertia, log-likelihood, a checksum of the sums, the label hashes), so two builds can
 * be compared for speed and for identical results.
 *
 * <p>Usage: {@code java [conf/jvm-flags] -cp target/classes:target/test-classes:DEPS
 * dev.latent.bench.KMeansKernelTiming [rounds, default 300] [K list, default 8,64] [rows, default 100000]}.
 * The median round is printed too: a scan's time follows the machine's pace, which the fastest hides.
 */
public final class KMeansKernelTiming {
  private static final int D = 10;

  private KMeansKernelTiming() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    String[] ks = (args.length > 1 ? args[1] : "8,64").split(",");
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
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
      data.add(blocks(rnd, means, n));
      tasks[t] = EStepTask.nearest(means, EStepTask.Scatter.NONE);
    }
    double[][] times = new double[ks.length][rounds - rounds / 4];
    SuffStats[] last = new SuffStats[ks.length];
    for (int round = 0; round < rounds; round++) {
      for (int t = 0; t < ks.length; t++) {
        long t0 = System.nanoTime();
        SuffStats s = SuffStats.zeroFor(tasks[t]);
        for (DataBlock b : data.get(t)) {
          EStep.accumulate(tasks[t], b, s, kernels);
        }
        double ns = (System.nanoTime() - t0) / (double) n;
        // The first quarter of the rounds warms the JIT up.
        if (round >= rounds / 4) {
          times[t][round - rounds / 4] = ns;
        }
        last[t] = s;
      }
    }
    for (int t = 0; t < ks.length; t++) {
      Arrays.sort(times[t]);
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
      System.out.println(String.format(Locale.ROOT, "K=%-3s %6.2f ns per row (fastest of %d rounds;"
          + " median %.2f)  inertia %s  logLik %s  sums %s  hashes %d", ks[t], times[t][0], times[t].length,
          times[t][times[t].length / 2], Double.toHexString(s.hardDist),
          Double.toHexString(s.logLik), Double.toHexString(sums), hash));
    }
  }

  private static List<DataBlock> blocks(SplittableRandom rnd, double[][] means, int n) {
    List<DataBlock> blocks = new ArrayList<>();
    int per = BlockBuilder.blockRows(D);
    for (int r0 = 0; r0 < n; r0 += per) {
      int rows = Math.min(per, n - r0);
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
