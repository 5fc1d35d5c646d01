package dev.latent.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Selection by counting passes against sorting, on in-memory arrays standing in for a distributed data
 * set. The answer must be exact (equal as doubles), within the stated bound on passes.
 */
class RankSelectTest {

  @Test
  void keysPreserveTheOrderOfDoubles() {
    double[] v = {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1e300, -2.5, -Double.MIN_VALUE, -0.0, 0.0,
        Double.MIN_VALUE, 1e-300, 1.0, 3.5, Double.MAX_VALUE, Double.POSITIVE_INFINITY};
    for (int i = 0; i + 1 < v.length; i++) {
      assertTrue(RankSelect.key(v[i]) < RankSelect.key(v[i + 1]), v[i] + " < " + v[i + 1]);
      assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(RankSelect.value(RankSelect.key(v[i]))));
    }
  }

  @Test
  void selectsExactlyOnAwkwardDistributions() {
    SplittableRandom rnd = new SplittableRandom(7);
    double[][] sets = {
        gaussian(rnd, 20000),
        heavyTail(rnd, 20000),
        ties(rnd, 20000),
        withInfinities(rnd, 5000),
        {3.0},
        {-1.0, -1.0, -1.0},
    };
    for (double[] data : sets) {
      double[] sorted = data.clone();
      Arrays.sort(sorted);
      for (double q : new double[] {0.0, 1e-4, 0.01, 0.05, 0.5, 0.999, 1.0}) {
        for (int limit : new int[] {0, 50, 1 << 16}) {
          long want = (long) Math.floor(q * data.length);
          RankSelect.Result r = RankSelect.select(n -> (long) Math.floor(q * n), counter(data), fetcher(data),
              limit);
          assertEquals(data.length, r.n());
          assertEquals(want, r.rank());
          if (want == 0) {
            assertTrue(Double.isNaN(r.value()));
          } else {
            assertEquals(sorted[(int) want - 1], r.value(), 0.0, "q " + q + ", limit " + limit);
          }
          assertTrue(r.passes() <= 8, "passes " + r.passes());
        }
      }
    }
  }

  private static RankSelect.Counter counter(double[] data) {
    return bins -> {
      long[] c = new long[bins.count()];
      for (double v : data) {
        int b = bins.bin(v);
        if (b >= 0) {
          c[b]++;
        }
      }
      return c;
    };
  }

  private static RankSelect.Fetcher fetcher(double[] data) {
    return (lo, hi) -> Arrays.stream(data).filter(v -> RankSelect.key(v) >= lo && RankSelect.key(v) <= hi).toArray();
  }

  private static double[] gaussian(SplittableRandom rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = -5 + Math.sqrt(-2 * Math.log(rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
    return v;
  }

  /** Log-densities of far outliers reach -1e6 while most rows sit near -3. */
  private static double[] heavyTail(SplittableRandom rnd, int n) {
    double[] v = gaussian(rnd, n);
    for (int i = 0; i < n; i += 97) {
      v[i] = -Math.exp(rnd.nextDouble() * 14);
    }
    return v;
  }

  private static double[] ties(SplittableRandom rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextInt(3) - 0.0;
    }
    v[1] = -0.0;
    return v;
  }

  private static double[] withInfinities(SplittableRandom rnd, int n) {
    double[] v = gaussian(rnd, n);
    for (int i = 0; i < n; i += 50) {
      v[i] = Double.NEGATIVE_INFINITY;
    }
    v[3] = Double.NaN;
    return Arrays.stream(v).filter(x -> !Double.isNaN(x)).toArray();
  }
}
