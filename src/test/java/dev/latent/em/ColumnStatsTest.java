package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ColumnStats against the two-pass formulas (mean, then mean squared deviation). Tolerance 1e-12 relative
 * to the value for well-scaled data; 1e-9 relative for data offset by 1e6, where even the two-pass
 * reference loses about six digits of the deviations.
 */
class ColumnStatsTest {
  private static final double TOL = 1e-12;

  @Test
  void matchesTwoPassFormulas() {
    double[][] x = randomRows(new Random(1), 257, 3, 0.0);
    ColumnStats s = new ColumnStats(3).add(block(x, null, 0));
    assertClose(twoPassMean(x, null), s.mean(), TOL, "mean");
    assertClose(twoPassVariance(x, null), s.variance(), TOL, "variance");
    assertEquals(257, s.rows);
    assertEquals(257.0, s.weight, 0.0);
  }

  @Test
  void largeOffsetDoesNotCancel() {
    // sum(x^2)/n - mean^2 would lose every digit here (x^2 ~ 1e12, variance ~ 1).
    double[][] x = randomRows(new Random(2), 500, 2, 1e6);
    ColumnStats s = new ColumnStats(2).add(block(x, null, 0));
    assertClose(twoPassMean(x, null), s.mean(), TOL, "mean");
    assertClose(twoPassVariance(x, null), s.variance(), 1e-9, "variance");
  }

  /** Values near the largest double, and large weights: the mean must not overflow on the way. */
  @Test
  void valuesNearTheLargestDoubleKeepAFiniteMean() {
    double[][] x = {{1e308, -1e308}, {1e308, -1e308}, {1e308, -1e308}};
    ColumnStats s = new ColumnStats(2).add(block(x, null, 0)).add(block(x, new double[] {1e10, 3e10, 0.5}, 3));
    assertArrayEquals(new double[] {1e308, -1e308}, s.mean(), 1e292, "mean");
    assertArrayEquals(new double[] {0.0, 0.0}, s.variance(), 0.0, "variance");
    for (double c : s.covariance(0)) {
      assertEquals(0.0, c, 0.0, "covariance");
    }
  }

  @Test
  void mergeOfSplitsEqualsWhole() {
    double[][] x = randomRows(new Random(3), 300, 4, 5.0);
    double[] w = new double[x.length];
    Random rnd = new Random(4);
    for (int r = 0; r < w.length; r++) {
      w[r] = rnd.nextInt(4) == 0 ? 0.0 : 0.1 + rnd.nextDouble() * 3;
    }
    ColumnStats whole = new ColumnStats(4).add(block(x, w, 0));
    for (int[] cuts : new int[][] {{0, 300}, {1, 299}, {100, 200}, {150, 150}, {7, 11, 290}}) {
      ColumnStats merged = new ColumnStats(4);
      int from = 0;
      for (int i = 0; i <= cuts.length; i++) {
        int to = i < cuts.length ? cuts[i] : x.length;
        merged.merge(new ColumnStats(4).add(block(slice(x, from, to), slice(w, from, to), from)));
        from = to;
      }
      assertEquals(whole.rows, merged.rows);
      assertEquals(whole.weight, merged.weight, TOL * whole.weight);
      assertClose(whole.mean(), merged.mean(), TOL, "mean");
      assertClose(whole.variance(), merged.variance(), TOL, "variance");
    }
    assertClose(twoPassMean(x, w), whole.mean(), TOL, "weighted mean");
    assertClose(twoPassVariance(x, w), whole.variance(), TOL, "weighted variance");
  }

  @Test
  void covarianceMatchesTwoPassAndMergesAcrossSplits() {
    double[][] x = randomRows(new Random(5), 200, 3, 1e6);
    double[] w = new double[x.length];
    Random rnd = new Random(6);
    for (int r = 0; r < w.length; r++) {
      w[r] = rnd.nextInt(5) == 0 ? 0.0 : 0.5 + rnd.nextDouble();
    }
    double[] m = twoPassMean(x, w);
    double total = 0.0;
    double[] expected = new double[9];
    for (int r = 0; r < x.length; r++) {
      total += w[r];
      for (int i = 0; i < 3; i++) {
        for (int p = 0; p < 3; p++) {
          expected[i * 3 + p] += w[r] * (x[r][i] - m[i]) * (x[r][p] - m[p]);
        }
      }
    }
    double[] sample = expected.clone();
    for (int i = 0; i < 9; i++) {
      expected[i] /= total;
      sample[i] /= total - 1.0;
    }
    ColumnStats whole = new ColumnStats(3).add(block(x, w, 0));
    ColumnStats merged = new ColumnStats(3).add(block(slice(x, 0, 70), slice(w, 0, 70), 0))
        .merge(new ColumnStats(3).add(block(slice(x, 70, 200), slice(w, 70, 200), 70)));
    // Offset 1e6 on every column: a one-pass E[xx^T] - mu mu^T would keep no digit of these.
    assertClose(expected, whole.covariance(0), 1e-9, "population covariance");
    assertClose(sample, whole.covariance(1), 1e-9, "sample covariance");
    assertClose(expected, merged.covariance(0), 1e-9, "merged covariance");
    double[] cov = whole.covariance(0);
    double[] var = whole.variance();
    for (int i = 0; i < 3; i++) {
      assertEquals(var[i], cov[i * 3 + i], 0.0, "the diagonal is the variance, bit for bit");
    }
  }

  @Test
  void mergeWithEmptyIsIdentity() {
    double[][] x = randomRows(new Random(5), 20, 2, 0.0);
    ColumnStats a = new ColumnStats(2).add(block(x, null, 0));
    ColumnStats left = new ColumnStats(2).merge(a);
    ColumnStats right = new ColumnStats(2).add(block(x, null, 0)).merge(new ColumnStats(2));
    assertArrayEquals(a.mean(), left.mean(), 0.0);
    assertArrayEquals(a.variance(), left.variance(), 0.0);
    assertArrayEquals(a.mean(), right.mean(), 0.0);
    assertArrayEquals(a.variance(), right.variance(), 0.0);
    assertArrayEquals(new double[2], new ColumnStats(2).variance(), 0.0, "no data, no variance");
  }

  @Test
  void weightTwoEqualsDuplicatedRow() {
    double[][] x = randomRows(new Random(6), 40, 3, 1.0);
    double[] w = new double[x.length];
    double[][] dup = new double[2 * x.length][];
    int n = 0;
    for (int r = 0; r < x.length; r++) {
      w[r] = r % 3 == 0 ? 2.0 : 1.0;
      dup[n++] = x[r];
      if (r % 3 == 0) {
        dup[n++] = x[r];
      }
    }
    dup = Arrays.copyOf(dup, n);
    ColumnStats weighted = new ColumnStats(3).add(block(x, w, 0));
    ColumnStats duplicated = new ColumnStats(3).add(block(dup, null, 0));
    assertEquals(duplicated.weight, weighted.weight, 0.0);
    assertClose(duplicated.mean(), weighted.mean(), TOL, "mean");
    assertClose(duplicated.variance(), weighted.variance(), TOL, "variance");
  }

  @Test
  void zeroWeightRowsCountButDoNotMove() {
    double[][] x = {{1, 1}, {1000, -1000}, {3, 5}};
    ColumnStats s = new ColumnStats(2).add(block(x, new double[] {1, 0, 1}, 0));
    assertEquals(3, s.rows);
    assertEquals(2.0, s.weight, 0.0);
    assertClose(new double[] {2, 3}, s.mean(), TOL, "mean");
    assertClose(new double[] {1, 4}, s.variance(), TOL, "variance");
  }

  private static double[][] randomRows(Random rnd, int n, int d, double offset) {
    double[][] x = new double[n][d];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        x[r][i] = offset + (i + 1) * rnd.nextGaussian() + i;
      }
    }
    return x;
  }

  static DataBlock block(double[][] x, double[] w, int firstRow) {
    int n = x.length;
    int d = n == 0 ? 1 : x[0].length;
    double[] flat = new double[n * d];
    long[] keys = new long[n];
    for (int r = 0; r < n; r++) {
      System.arraycopy(x[r], 0, flat, r * d, d);
      keys[r] = DataBlock.rowKey(0, firstRow + r + 1);
    }
    return new DataBlock(n, d, flat, keys, w, null);
  }

  private static double[][] slice(double[][] x, int from, int to) {
    return Arrays.copyOfRange(x, from, to);
  }

  private static double[] slice(double[] w, int from, int to) {
    return Arrays.copyOfRange(w, from, to);
  }

  private static double[] twoPassMean(double[][] x, double[] w) {
    int d = x[0].length;
    double[] m = new double[d];
    double total = 0.0;
    for (int r = 0; r < x.length; r++) {
      double wr = w == null ? 1.0 : w[r];
      total += wr;
      for (int i = 0; i < d; i++) {
        m[i] += wr * x[r][i];
      }
    }
    for (int i = 0; i < d; i++) {
      m[i] /= total;
    }
    return m;
  }

  private static double[] twoPassVariance(double[][] x, double[] w) {
    int d = x[0].length;
    double[] m = twoPassMean(x, w);
    double[] v = new double[d];
    double total = 0.0;
    for (int r = 0; r < x.length; r++) {
      double wr = w == null ? 1.0 : w[r];
      total += wr;
      for (int i = 0; i < d; i++) {
        double t = x[r][i] - m[i];
        v[i] += wr * t * t;
      }
    }
    for (int i = 0; i < d; i++) {
      v[i] /= total;
    }
    return v;
  }

  /** Element-wise, relative to max(1, |expected|): means near zero are compared absolutely. */
  private static void assertClose(double[] expected, double[] actual, double rel, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], rel * Math.max(1.0, Math.abs(expected[i])), what + "[" + i + "]");
    }
  }
}
