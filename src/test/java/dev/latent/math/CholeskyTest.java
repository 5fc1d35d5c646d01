package dev.latent.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Closed-form checks of the Cholesky kernel. Tolerance 1e-12 (absolute, entries of order 1..100) for the
 * hand-factorised 3x3 matrix, and 1e-12 relative to the largest entry for the random round trips.
 */
class CholeskyTest {
  private static final double TOL = 1e-12;

  // A = L L^T with L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]]: the textbook example, det A = 36.
  private static final double[] A = {
      4, 12, -16,
      12, 37, -43,
      -16, -43, 98};
  private static final double[] L = {
      2, 0, 0,
      6, 1, 0,
      -8, 5, 3};
  // L^-1 by forward substitution by hand: [[1/2, 0, 0], [-3, 1, 0], [19/3, -5/3, 1/3]].
  private static final double[] L_INV = {
      0.5, 0, 0,
      -3, 1, 0,
      19.0 / 3.0, -5.0 / 3.0, 1.0 / 3.0};

  @Test
  void decomposesKnownMatrix() throws Exception {
    assertArrayClose(L, Cholesky.decompose(A, 3), TOL, "L");
  }

  @Test
  void invertsKnownFactor() {
    assertArrayClose(L_INV, Cholesky.invertLower(L, 3), TOL, "L^-1");
  }

  @Test
  void logDiagSumIsHalfLogDeterminant() {
    // log det A = 2 log 6, so the sum over L is log 6 and over L^-1 it is -log 6.
    assertEquals(Math.log(6.0), Cholesky.logDiagSum(L, 3), TOL);
    assertEquals(-Math.log(6.0), Cholesky.logDiagSum(L_INV, 3), TOL);
  }

  @Test
  void factorReproducesRandomSpdMatrices() throws Exception {
    Random rnd = new Random(42);
    for (int d : new int[] {1, 2, 5, 9}) {
      double[] a = randomSpd(rnd, d);
      double[] l = Cholesky.decompose(a, d);
      for (int i = 0; i < d; i++) {
        for (int j = i + 1; j < d; j++) {
          assertEquals(0.0, l[i * d + j], 0.0, "upper triangle must stay zero");
        }
      }
      double scale = maxAbs(a);
      double[] llt = new double[d * d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          double s = 0.0;
          for (int p = 0; p < d; p++) {
            s += l[i * d + p] * l[j * d + p];
          }
          llt[i * d + j] = s;
        }
      }
      assertArrayClose(a, llt, TOL * scale, "L L^T, d=" + d);

      double[] inv = Cholesky.invertLower(l, d);
      double[] eye = new double[d * d];
      for (int i = 0; i < d; i++) {
        eye[i * d + i] = 1.0;
      }
      // L^-1 L = I; the factor's condition number is small here, so 1e-12 holds.
      assertArrayClose(eye, multiply(inv, l, d), TOL, "L^-1 L, d=" + d);
      assertEquals(0.5 * logDet(a, d), Cholesky.logDiagSum(l, d), TOL * Math.max(1, Math.abs(logDet(a, d))));
    }
  }

  @Test
  void indefiniteMatrixThrowsAndNamesThePivot() {
    // Eigenvalues 3 and -1: the second pivot is 1 - 4 = -3.
    double[] a = {1, 2, 2, 1};
    Cholesky.NotPositiveDefiniteException e =
        assertThrows(Cholesky.NotPositiveDefiniteException.class, () -> Cholesky.decompose(a, 2));
    assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
    assertTrue(e.getMessage().contains("pivot 1"), e.getMessage());
  }

  @Test
  void singularZeroAndNanMatricesThrow() {
    assertThrows(Cholesky.NotPositiveDefiniteException.class, () -> Cholesky.decompose(new double[] {1, 1, 1, 1}, 2));
    assertThrows(Cholesky.NotPositiveDefiniteException.class, () -> Cholesky.decompose(new double[4], 2));
    assertThrows(Cholesky.NotPositiveDefiniteException.class,
        () -> Cholesky.decompose(new double[] {Double.NaN, 0, 0, 1}, 2));
    assertThrows(Cholesky.NotPositiveDefiniteException.class,
        () -> Cholesky.decompose(new double[] {Double.POSITIVE_INFINITY, 0, 0, 1}, 2));
  }

  /** B B^T + d I: symmetric, eigenvalues at least d, so well conditioned. */
  private static double[] randomSpd(Random rnd, int d) {
    double[] b = new double[d * d];
    for (int i = 0; i < b.length; i++) {
      b[i] = rnd.nextGaussian();
    }
    double[] a = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = i == j ? d : 0.0;
        for (int p = 0; p < d; p++) {
          s += b[i * d + p] * b[j * d + p];
        }
        a[i * d + j] = s;
      }
    }
    return a;
  }

  private static double[] multiply(double[] a, double[] b, int d) {
    double[] c = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0.0;
        for (int p = 0; p < d; p++) {
          s += a[i * d + p] * b[p * d + j];
        }
        c[i * d + j] = s;
      }
    }
    return c;
  }

  /** log det by Gaussian elimination with partial pivoting: independent of the Cholesky code. */
  private static double logDet(double[] a0, int d) {
    double[] a = a0.clone();
    double logDet = 0.0;
    for (int c = 0; c < d; c++) {
      int piv = c;
      for (int r = c + 1; r < d; r++) {
        if (Math.abs(a[r * d + c]) > Math.abs(a[piv * d + c])) {
          piv = r;
        }
      }
      for (int j = 0; j < d; j++) {
        double t = a[c * d + j];
        a[c * d + j] = a[piv * d + j];
        a[piv * d + j] = t;
      }
      logDet += Math.log(Math.abs(a[c * d + c]));
      for (int r = c + 1; r < d; r++) {
        double f = a[r * d + c] / a[c * d + c];
        for (int j = c; j < d; j++) {
          a[r * d + j] -= f * a[c * d + j];
        }
      }
    }
    return logDet;
  }

  private static double maxAbs(double[] a) {
    double m = 0.0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void assertArrayClose(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
    }
  }
}
