package dev.latent.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Mixture#logits} against the Gaussian log-density written out by hand: the 3x3 covariance is
 * inverted by its adjugate and determinant, independently of the Cholesky code. Tolerance 1e-12 relative
 * to max(1, |value|) (far rows have quadratic forms in the thousands).
 */
class MixtureTest {
  private static final double TOL = 1e-12;
  private static final int D = 3;
  private static final double[] WEIGHTS = {0.2, 0.5, 0.3};
  private static final double[][] MEANS = {{0, 0, 0}, {1, -2, 0.5}, {3, 1, -1}};
  // Leading minors are positive for each (determinants 2.542, 0.423 and 7).
  private static final double[][] FULL = {
      {2.0, 0.3, -0.4, 0.3, 1.5, 0.2, -0.4, 0.2, 1.0},
      {0.5, 0.1, 0.0, 0.1, 0.8, -0.3, 0.0, -0.3, 1.2},
      {3.0, -1.0, 0.5, -1.0, 2.0, 0.0, 0.5, 0.0, 1.5}};
  private static final double[][] DIAG = {{1.5, 0.4, 2.0}, {0.3, 0.9, 1.1}, {4.0, 0.05, 1.0}};
  private static final double[][] SPHERICAL = {{0.7}, {2.3}, {0.01}};
  private static final double[][] TIED = {FULL[0]};
  private static final double[][] ROWS = {
      {0, 0, 0}, {1, -2, 0.5}, {0.3, -0.7, 1.9}, {-2.5, 4.0, 0.1}, {50, -40, 30}, {2.9, 1.1, -0.95}};

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void logitsMatchTheClosedFormDensity(CovarianceType type) throws Exception {
    Mixture m = Mixture.of(type, WEIGHTS, MEANS, covariances(type));
    int k = WEIGHTS.length;
    // Rows are read at an offset inside a larger array, as the E-step reads a block.
    double[] x = new double[2 + D];
    x[0] = Double.NaN;
    x[1] = Double.NaN;
    double[] maha = new double[k];
    double[] logits = new double[k];
    double[] diff = new double[D];
    for (double[] row : ROWS) {
      System.arraycopy(row, 0, x, 2, D);
      m.logits(x, 2, maha, logits, diff);
      for (int j = 0; j < k; j++) {
        double[] sigma = fullCovariance(type, j);
        double q = quadraticForm(inverse3(sigma), row, MEANS[j]);
        double expected = Math.log(WEIGHTS[j]) - 0.5 * D * Math.log(2 * Math.PI) - 0.5 * Math.log(det3(sigma))
            - 0.5 * q;
        assertEquals(q, maha[j], TOL * Math.max(1, q), type + " maha, component " + j);
        assertEquals(expected, logits[j], TOL * Math.max(1, Math.abs(expected)), type + " logit, component " + j);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void fullCovarianceExpandsEveryType(CovarianceType type) throws Exception {
    Mixture m = Mixture.of(type, WEIGHTS, MEANS, covariances(type));
    for (int j = 0; j < WEIGHTS.length; j++) {
      assertArrayEquals(fullCovariance(type, j), m.fullCovariance(j), 0.0, type + " component " + j);
    }
  }

  @Test
  void kmeansMixtureScoresSquaredEuclideanDistance() {
    Mixture m = Mixture.forCentres(MEANS);
    double[] maha = new double[3];
    double[] logits = new double[3];
    for (double[] row : ROWS) {
      m.logits(row, 0, maha, logits, new double[D]);
      for (int j = 0; j < 3; j++) {
        double s = 0.0;
        for (int i = 0; i < D; i++) {
          s += (row[i] - MEANS[j][i]) * (row[i] - MEANS[j][i]);
        }
        double expected = Math.log(1.0 / 3.0) - 0.5 * D * Math.log(2 * Math.PI) - 0.5 * s;
        assertEquals(s, maha[j], TOL * Math.max(1, s));
        assertEquals(expected, logits[j], TOL * Math.max(1, Math.abs(expected)));
      }
    }
  }

  @Test
  void nonPositiveDefiniteCovarianceNamesTheComponent() {
    double[][] cov = {FULL[0], {1, 2, 0, 2, 1, 0, 0, 0, 1}, FULL[2]};
    Mixture.DegenerateComponentException e = assertThrows(Mixture.DegenerateComponentException.class,
        () -> Mixture.of(CovarianceType.FULL, WEIGHTS, MEANS, cov));
    assertEquals(1, e.component);
    assertTrue(e.getMessage().startsWith("component 1: "), e.getMessage());

    double[][] diag = {DIAG[0], DIAG[1], {1, 0, 1}};
    assertEquals(2, assertThrows(Mixture.DegenerateComponentException.class,
        () -> Mixture.of(CovarianceType.DIAG, WEIGHTS, MEANS, diag)).component);
    double[][] sph = {{1}, {-1}, {1}};
    assertEquals(1, assertThrows(Mixture.DegenerateComponentException.class,
        () -> Mixture.of(CovarianceType.SPHERICAL, WEIGHTS, MEANS, sph)).component);
  }

  @Test
  void nonPositiveWeightIsRejected() {
    Mixture.DegenerateComponentException e = assertThrows(Mixture.DegenerateComponentException.class,
        () -> Mixture.of(CovarianceType.SPHERICAL, new double[] {0.5, 0.0, 0.5}, MEANS, SPHERICAL));
    assertEquals(1, e.component);
    assertTrue(e.getMessage().contains("not positive"), e.getMessage());
  }

  @Test
  void mismatchedShapesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Mixture.of(CovarianceType.TIED, WEIGHTS, MEANS, FULL));
    assertTrue(e.getMessage().contains("tied"), e.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> Mixture.of(CovarianceType.DIAG, WEIGHTS, MEANS, new double[][] {{1, 1}, {1, 1}, {1, 1}}));
    assertTrue(e2.getMessage().contains("covariance 0 has length 2"), e2.getMessage());
  }

  private static double[][] covariances(CovarianceType type) {
    return switch (type) {
      case FULL -> FULL;
      case DIAG -> DIAG;
      case SPHERICAL -> SPHERICAL;
      case TIED -> TIED;
    };
  }

  private static double[] fullCovariance(CovarianceType type, int j) {
    double[] out = new double[D * D];
    switch (type) {
      case FULL:
        return FULL[j].clone();
      case TIED:
        return TIED[0].clone();
      case DIAG:
        for (int i = 0; i < D; i++) {
          out[i * D + i] = DIAG[j][i];
        }
        return out;
      default:
        for (int i = 0; i < D; i++) {
          out[i * D + i] = SPHERICAL[j][0];
        }
        return out;
    }
  }

  /** Determinant of a row-major 3x3 matrix by the rule of Sarrus. */
  private static double det3(double[] a) {
    return a[0] * (a[4] * a[8] - a[5] * a[7])
        - a[1] * (a[3] * a[8] - a[5] * a[6])
        + a[2] * (a[3] * a[7] - a[4] * a[6]);
  }

  /** Inverse of a row-major 3x3 matrix as adjugate / determinant. */
  private static double[] inverse3(double[] a) {
    double det = det3(a);
    double[] inv = new double[9];
    inv[0] = (a[4] * a[8] - a[5] * a[7]) / det;
    inv[1] = (a[2] * a[7] - a[1] * a[8]) / det;
    inv[2] = (a[1] * a[5] - a[2] * a[4]) / det;
    inv[3] = (a[5] * a[6] - a[3] * a[8]) / det;
    inv[4] = (a[0] * a[8] - a[2] * a[6]) / det;
    inv[5] = (a[2] * a[3] - a[0] * a[5]) / det;
    inv[6] = (a[3] * a[7] - a[4] * a[6]) / det;
    inv[7] = (a[1] * a[6] - a[0] * a[7]) / det;
    inv[8] = (a[0] * a[4] - a[1] * a[3]) / det;
    return inv;
  }

  /** (x - mu)^T P (x - mu). */
  private static double quadraticForm(double[] p, double[] x, double[] mu) {
    double s = 0.0;
    for (int i = 0; i < D; i++) {
      for (int j = 0; j < D; j++) {
        s += (x[i] - mu[i]) * p[i * D + j] * (x[j] - mu[j]);
      }
    }
    return s;
  }
}
