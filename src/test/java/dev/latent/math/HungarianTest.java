package dev.latent.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The assignment against brute force over every injection, for square and rectangular matrices up to
 * 7 x 7, with continuous costs and with many ties (small integers). The totals must agree to 1e-12
 * relative (they are sums of the same numbers in another order).
 */
class HungarianTest {

  @Test
  void matchesBruteForceOnRandomMatrices() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int trial = 0; trial < 600; trial++) {
      int n = 1 + rnd.nextInt(7);
      int m = 1 + rnd.nextInt(7);
      boolean ties = trial % 2 == 0;
      double[][] c = new double[n][m];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          c[i][j] = ties ? rnd.nextInt(4) : rnd.nextDouble() * 100 - 20;
        }
      }
      int[] a = Hungarian.assign(c);
      checkInjective(a, n, m);
      double best = bruteForce(c, 0, new boolean[m], n <= m);
      double got = Hungarian.total(c, a);
      assertEquals(best, got, 1e-12 * Math.max(1, Math.abs(best)), "trial " + trial + " (" + n + "x" + m + ")");
    }
  }

  @Test
  void knownSmallCases() {
    // The diagonal is the expensive choice; the anti-diagonal costs 3.
    assertArrayEquals(new int[] {1, 0}, Hungarian.assign(new double[][] {{5, 1}, {2, 7}}));
    double[][] c = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
    int[] a = Hungarian.assign(c);
    assertEquals(5.0, Hungarian.total(c, a), 0.0);
    assertArrayEquals(new int[] {1, 0, 2}, a);
    // Three rows, two columns: the row left out gets -1.
    assertArrayEquals(new int[] {-1, 0, 1}, Hungarian.assign(new double[][] {{9, 9}, {1, 5}, {4, 1}}));
    assertArrayEquals(new int[0], Hungarian.assign(new double[0][]));
  }

  @Test
  void rejectsNonFiniteCosts() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Hungarian.assign(new double[][] {{1, Double.NaN}, {0, 1}}));
    assertTrue(e.getMessage().contains("finite"), e.getMessage());
  }

  private static void checkInjective(int[] a, int n, int m) {
    boolean[] used = new boolean[m];
    int assigned = 0;
    for (int i = 0; i < n; i++) {
      if (a[i] >= 0) {
        assertTrue(a[i] < m);
        assertTrue(!used[a[i]], "column used twice");
        used[a[i]] = true;
        assigned++;
      }
    }
    assertEquals(Math.min(n, m), assigned);
  }

  /** Minimum over every injection of rows into columns (n <= m), or of columns into rows (n > m). */
  private static double bruteForce(double[][] c, int row, boolean[] used, boolean rowsIntoColumns) {
    if (!rowsIntoColumns) {
      double[][] t = new double[c[0].length][c.length];
      for (int i = 0; i < c.length; i++) {
        for (int j = 0; j < c[0].length; j++) {
          t[j][i] = c[i][j];
        }
      }
      return bruteForce(t, 0, new boolean[c.length], true);
    }
    if (row == c.length) {
      return 0.0;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int j = 0; j < used.length; j++) {
      if (!used[j]) {
        used[j] = true;
        best = Math.min(best, c[row][j] + bruteForce(c, row + 1, used, true));
        used[j] = false;
      }
    }
    return best;
  }
}
