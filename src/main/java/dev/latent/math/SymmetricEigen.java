package dev.latent.math;

/**
 * Eigen-decomposition of a symmetric d x d matrix (row-major) by cyclic Jacobi rotations (Golub and Van
 * Loan, Matrix Computations, 4th ed., section 8.5): each rotation zeroes one off-diagonal pair, and sweeps
 * repeat until the off-diagonal mass is negligible against the diagonal. Quadratic convergence, accurate
 * small eigenvalues, and no library: the report needs it for d x d data and component covariances.
 */
public final class SymmetricEigen {
  private static final int MAX_SWEEPS = 100;

  /** Eigenvalues in decreasing order, and the matching unit eigenvectors as rows of {@code vectors}. */
  public record Result(double[] values, double[][] vectors) {}

  private SymmetricEigen() {}

  public static Result of(double[] a, int d) {
    if (a.length != d * d) {
      throw new IllegalArgumentException("a " + d + " x " + d + " matrix needs " + d * d + " entries, got " + a.length);
    }
    double[] m = a.clone();
    // v holds the accumulated rotations; column j of v is the eigenvector of m's diagonal entry j.
    double[] v = new double[d * d];
    for (int i = 0; i < d; i++) {
      v[i * d + i] = 1.0;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0.0;
      double diag = 0.0;
      for (int i = 0; i < d; i++) {
        diag += m[i * d + i] * m[i * d + i];
        for (int j = i + 1; j < d; j++) {
          off += m[i * d + j] * m[i * d + j];
        }
      }
      if (off <= 1e-30 * diag || off == 0.0) {
        break;
      }
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          double apq = m[p * d + q];
          if (apq == 0.0) {
            continue;
          }
          // The rotation angle that zeroes m[p][q]: t = tan(theta), the smaller root (GVL Algorithm 8.5.1).
          double tau = (m[q * d + q] - m[p * d + p]) / (2.0 * apq);
          double t = Math.signum(tau) / (Math.abs(tau) + Math.sqrt(1.0 + tau * tau));
          if (tau == 0.0) {
            t = 1.0;
          }
          double c = 1.0 / Math.sqrt(1.0 + t * t);
          double s = t * c;
          for (int k = 0; k < d; k++) {
            double mkp = m[k * d + p];
            double mkq = m[k * d + q];
            m[k * d + p] = c * mkp - s * mkq;
            m[k * d + q] = s * mkp + c * mkq;
          }
          for (int k = 0; k < d; k++) {
            double mpk = m[p * d + k];
            double mqk = m[q * d + k];
            m[p * d + k] = c * mpk - s * mqk;
            m[q * d + k] = s * mpk + c * mqk;
          }
          m[p * d + q] = 0.0;
          m[q * d + p] = 0.0;
          for (int k = 0; k < d; k++) {
            double vkp = v[k * d + p];
            double vkq = v[k * d + q];
            v[k * d + p] = c * vkp - s * vkq;
            v[k * d + q] = s * vkp + c * vkq;
          }
        }
      }
    }
    Integer[] order = new Integer[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
    }
    double[] diag = new double[d];
    for (int i = 0; i < d; i++) {
      diag[i] = m[i * d + i];
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(diag[y], diag[x]));
    double[] values = new double[d];
    double[][] vectors = new double[d][d];
    for (int r = 0; r < d; r++) {
      int j = order[r];
      values[r] = diag[j];
      // A sign convention, so the same matrix always gives the same axes: the largest entry is positive.
      int big = 0;
      for (int k = 1; k < d; k++) {
        if (Math.abs(v[k * d + j]) > Math.abs(v[big * d + j])) {
          big = k;
        }
      }
      double sign = v[big * d + j] < 0 ? -1.0 : 1.0;
      for (int k = 0; k < d; k++) {
        vectors[r][k] = sign * v[k * d + j];
      }
    }
    return new Result(values, vectors);
  }
}
