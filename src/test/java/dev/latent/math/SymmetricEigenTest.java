package dev.latent.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  @Test
  void twoByTwoInClosedForm() {
    // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/sqrt2 and (1, -1)/sqrt2 (sign: largest entry > 0).
    SymmetricEigen.Result r = SymmetricEigen.of(new double[] {2, 1, 1, 2}, 2);
    assertArrayEquals(new double[] {3, 1}, r.values(), 1e-14);
    double h = Math.sqrt(0.5);
    assertArrayEquals(new double[] {h, h}, r.vectors()[0], 1e-14);
    assertEquals(1.0, Math.abs(r.vectors()[1][0] - r.vectors()[1][1]) / Math.sqrt(2.0), 1e-14);
  }

  @Test
  void diagonalIsSortedDecreasing() {
    SymmetricEigen.Result r = SymmetricEigen.of(new double[] {1, 0, 0, 0, 5, 0, 0, 0, 3}, 3);
    assertArrayEquals(new double[] {5, 3, 1}, r.values(), 0.0);
    assertArrayEquals(new double[] {0, 1, 0}, r.vectors()[0], 0.0);
  }

  @Test
  void reconstructsRandomSymmetricMatrices() {
    Random rnd = new Random(7);
    for (int d : new int[] {1, 3, 6, 12}) {
      double[] b = new double[d * d];
      for (int i = 0; i < b.length; i++) {
        b[i] = rnd.nextGaussian();
      }
      double[] a = new double[d * d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          for (int p = 0; p < d; p++) {
            a[i * d + j] += b[i * d + p] * b[j * d + p];
          }
        }
      }
      SymmetricEigen.Result r = SymmetricEigen.of(a, d);
      double scale = 0.0;
      for (double x : a) {
        scale = Math.max(scale, Math.abs(x));
      }
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          double s = 0.0;
          for (int e = 0; e < d; e++) {
            s += r.values()[e] * r.vectors()[e][i] * r.vectors()[e][j];
          }
          assertEquals(a[i * d + j], s, 1e-12 * scale, "V diag(l) V^T, d = " + d);
          double dot = 0.0;
          for (int k = 0; k < d; k++) {
            dot += r.vectors()[i][k] * r.vectors()[j][k];
          }
          assertEquals(i == j ? 1.0 : 0.0, dot, 1e-12, "orthonormal rows, d = " + d);
        }
        if (i > 0) {
          assertEquals(true, r.values()[i - 1] >= r.values()[i], "decreasing");
        }
      }
    }
  }

  @Test
  void rejectsAWrongLength() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[3], 2));
    assertEquals("a 2 x 2 matrix needs 4 entries, got 3", e.getMessage());
  }
}
