package dev.latent.math;

/** Log-sum-exp over a slice of an array, shifted by the maximum so nothing overflows or underflows. */
public final class LogSumExp {
  private LogSumExp() {}

  /** log(sum_j exp(a[off + j])) for j in [0, len). Returns -infinity when every entry is -infinity. */
  public static double of(double[] a, int off, int len) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < len; j++) {
      double v = a[off + j];
      if (Double.isNaN(v)) {
        return v;
      }
      if (v > max) {
        max = v;
      }
    }
    return withMax(a, off, len, max);
  }

  /** As {@link #of(double[], int, int)} when the caller already knows the slice's maximum. */
  public static double withMax(double[] a, int off, int len, double max) {
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double sum = 0.0;
    for (int j = 0; j < len; j++) {
      sum += Math.exp(a[off + j] - max);
    }
    return max + Math.log(sum);
  }

  public static double of(double[] a) {
    return of(a, 0, a.length);
  }

  /** The index of the largest of a[0..k), the first of equal ones (as scikit-learn's argmin of distances). */
  public static int argmax(double[] a, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (a[j] > a[best]) {
        best = j;
      }
    }
    return best;
  }
}
