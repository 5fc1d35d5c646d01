package dev.latent.diagnostics;

import dev.latent.math.LogSumExp;
import dev.latent.mixture.Mixture;

/**
 * Approximations of KL(A || B) between two Gaussian mixtures, which has no closed form, from the
 * closed-form KL between their components ({@link GaussianDivergence}). A has weights w_a and
 * components A_a, B has weights v_b and components B_b; both are exact when A and B are single
 * Gaussians. Static methods on arrays (covariances full, row-major d x d).
 */
public final class MixtureDivergence {
  private MixtureDivergence() {}

  /**
   * Hershey and Olsen (2007), eq. 18, the variational approximation:
   * sum_a w_a ln[(sum_a' w_a' exp(-KL(A_a || A_a'))) / (sum_b v_b exp(-KL(A_a || B_b)))], both sums
   * by log-sum-exp. Components of weight 0 add nothing.
   */
  public static double klVariational(double[] wA, double[][] meansA, double[][] covA, double[] wB,
      double[][] meansB, double[][] covB) {
    return klVariational(wA, GaussianDivergence.klMatrix(meansA, covA), wB,
        GaussianDivergence.klMatrix(meansA, covA, meansB, covB));
  }

  /** KL(A || B) by the variational approximation between two fitted mixtures, whatever their types. */
  public static double klVariational(Mixture a, Mixture b) {
    return klVariational(a.weights(), a.means(), fullCovariances(a), b.weights(), b.means(), fullCovariances(b));
  }

  /** Every covariance of a mixture as a full d x d matrix (row-major). */
  public static double[][] fullCovariances(Mixture m) {
    double[][] c = new double[m.k][];
    for (int j = 0; j < m.k; j++) {
      c[j] = m.fullCovariance(j);
    }
    return c;
  }

  /** As above from the matrices klAA[a][a'] = KL(A_a || A_a') and klAB[a][b] = KL(A_a || B_b). */
  public static double klVariational(double[] wA, double[][] klAA, double[] wB, double[][] klAB) {
    double out = 0.0;
    double[] t = new double[Math.max(wA.length, wB.length)];
    for (int a = 0; a < wA.length; a++) {
      if (!(wA[a] > 0.0)) {
        continue;
      }
      for (int i = 0; i < wA.length; i++) {
        t[i] = Math.log(wA[i]) - klAA[a][i];
      }
      double self = LogSumExp.of(t, 0, wA.length);
      for (int b = 0; b < wB.length; b++) {
        t[b] = Math.log(wB[b]) - klAB[a][b];
      }
      double cross = LogSumExp.of(t, 0, wB.length);
      out += wA[a] * (self - cross);
    }
    return out;
  }

  /**
   * Goldberger, Gordon and Greenspan (2003), the matched-bound approximation:
   * sum_a w_a [KL(A_a || B_m(a)) + ln(w_a / v_m(a))] with m(a) = argmin_b KL(A_a || B_b) - ln v_b.
   */
  public static double klMatchedBound(double[] wA, double[][] meansA, double[][] covA, double[] wB,
      double[][] meansB, double[][] covB) {
    return klMatchedBound(wA, wB, GaussianDivergence.klMatrix(meansA, covA, meansB, covB));
  }

  /** As above from klAB[a][b] = KL(A_a || B_b). */
  public static double klMatchedBound(double[] wA, double[] wB, double[][] klAB) {
    double out = 0.0;
    for (int a = 0; a < wA.length; a++) {
      if (!(wA[a] > 0.0)) {
        continue;
      }
      int m = match(wB, klAB[a]);
      out += wA[a] * (klAB[a][m] + Math.log(wA[a]) - Math.log(wB[m]));
    }
    return out;
  }

  /** m(a) = argmin_b KL(A_a || B_b) - ln v_b (ties to the lowest b); components of weight 0 never match. */
  static int match(double[] wB, double[] klRow) {
    int best = -1;
    double score = Double.POSITIVE_INFINITY;
    for (int b = 0; b < wB.length; b++) {
      if (wB[b] > 0.0) {
        double v = klRow[b] - Math.log(wB[b]);
        if (best < 0 || v < score) {
          best = b;
          score = v;
        }
      }
    }
    if (best < 0) {
      throw new IllegalArgumentException("the second mixture has no component of positive weight");
    }
    return best;
  }
}
