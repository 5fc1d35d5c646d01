package dev.latent.math;

/**
 * Cholesky factorisation of symmetric positive-definite matrices stored row-major in a {@code double[d*d]}.
 *
 * <p>A Gaussian's log-density needs the precision P = Sigma^-1 only through a factor: with Sigma = L L^T,
 * P = L^-T L^-1, so (x - mu)^T P (x - mu) = |L^-1 (x - mu)|^2 and log det P^(1/2) = -sum log L_ii.
 * We therefore keep the lower-triangular inverse factor L^-1 (scikit-learn keeps its transpose,
 * {@code precisions_cholesky_}), which costs d^2/2 multiply-adds per row and never forms an inverse.
 */
public final class Cholesky {
  private Cholesky() {}

  /** Thrown when a matrix is not numerically positive definite; carries the failing pivot. */
  public static final class NotPositiveDefiniteException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The row whose pivot failed, and the pivot's value before the square root (zero, negative or NaN). */
    public final int pivot;
    public final double value;

    public NotPositiveDefiniteException(int pivot, double value) {
      super("matrix is not positive definite (pivot " + pivot + " = " + value + ")");
      this.pivot = pivot;
      this.value = value;
    }
  }

  /** Lower factor L of a (row-major, d x d) with a = L L^T; the upper triangle of the result is zero. */
  public static double[] decompose(double[] a, int d) throws NotPositiveDefiniteException {
    double[] l = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i * d + j];
        for (int p = 0; p < j; p++) {
          s -= l[i * d + p] * l[j * d + p];
        }
        if (i == j) {
          if (!(s > 0.0) || Double.isInfinite(s)) {
            throw new NotPositiveDefiniteException(i, s);
          }
          l[i * d + i] = Math.sqrt(s);
        } else {
          l[i * d + j] = s / l[j * d + j];
        }
      }
    }
    return l;
  }

  /** Inverse of a lower-triangular matrix by forward substitution; the result is lower triangular. */
  public static double[] invertLower(double[] l, int d) {
    double[] inv = new double[d * d];
    for (int col = 0; col < d; col++) {
      inv[col * d + col] = 1.0 / l[col * d + col];
      for (int i = col + 1; i < d; i++) {
        double s = 0.0;
        for (int p = col; p < i; p++) {
          s -= l[i * d + p] * inv[p * d + col];
        }
        inv[i * d + col] = s / l[i * d + i];
      }
    }
    return inv;
  }

  /** Sum of log diagonal entries: for the factor L^-1 this is log det P^(1/2). */
  public static double logDiagSum(double[] m, int d) {
    double s = 0.0;
    for (int i = 0; i < d; i++) {
      s += Math.log(m[i * d + i]);
    }
    return s;
  }
}
