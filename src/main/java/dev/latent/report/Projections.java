package dev.latent.report;

import dev.latent.math.SymmetricEigen;

/**
 * The two planes the clusters are drawn in, as 2 x d projections P: the first two principal axes of the
 * data (eigenvectors of its covariance with the largest eigenvalues), and the two original features that
 * separate the components most. A component (mu, Sigma) appears in a plane as (P mu, P Sigma P^T).
 */
final class Projections {
  private Projections() {}

  /** A plane: rows of {@code p} are its two axes; {@code origin} is subtracted before projecting. */
  record Plane(double[][] p, double[] origin, String xTitle, String yTitle, double[] explained) {
    double[] project(double[] x) {
      double[] out = new double[2];
      for (int a = 0; a < 2; a++) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
          s += p[a][i] * (x[i] - origin[i]);
        }
        out[a] = s;
      }
      return out;
    }

    /** P Sigma P^T as {a, b, c} of [[a, b], [b, c]]; {@code sigma} is d x d row-major. */
    double[] project(double[] sigma, int d) {
      double[][] ps = new double[2][d];
      for (int a = 0; a < 2; a++) {
        for (int j = 0; j < d; j++) {
          double s = 0;
          for (int i = 0; i < d; i++) {
            s += p[a][i] * sigma[i * d + j];
          }
          ps[a][j] = s;
        }
      }
      double[] out = new double[3];
      for (int j = 0; j < d; j++) {
        out[0] += ps[0][j] * p[0][j];
        out[1] += ps[0][j] * p[1][j];
        out[2] += ps[1][j] * p[1][j];
      }
      return out;
    }
  }

  /** The first two principal axes of the data; needs d >= 2. */
  static Plane principal(double[] mean, double[] cov, int d) {
    SymmetricEigen.Result e = SymmetricEigen.of(cov, d);
    double total = 0;
    for (double v : e.values()) {
      total += Math.max(v, 0);
    }
    double[] share = new double[2];
    for (int a = 0; a < 2; a++) {
      share[a] = total > 0 ? Math.max(e.values()[a], 0) / total : 0;
    }
    return new Plane(new double[][] {e.vectors()[0], e.vectors()[1]}, mean,
        String.format(java.util.Locale.ROOT, "principal axis 1 (%.0f%% of the variance)", 100 * share[0]),
        String.format(java.util.Locale.ROOT, "principal axis 2 (%.0f%% of the variance)", 100 * share[1]), share);
  }

  /**
   * The pair of features (a, b) with the largest Fisher ratio trace(W^-1 B) of the fitted mixture restricted
   * to them: B = sum_k w_k (mu_k - mu)(mu_k - mu)^T the between-component scatter, mu = sum_k w_k mu_k, and
   * W = sum_k w_k Sigma_k the within-component covariance (both 2 x 2). {@code within[k]} are the d x d
   * component covariances (for K-means, the scatter of the sample about its centres). Needs d >= 2.
   */
  static int[] separatingPair(double[] w, double[][] means, double[][] within, int d) {
    int k = w.length;
    double[] mu = new double[d];
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < d; i++) {
        mu[i] += w[j] * means[j][i];
      }
    }
    double best = Double.NEGATIVE_INFINITY;
    int[] pair = {0, 1};
    for (int a = 0; a < d; a++) {
      for (int b = a + 1; b < d; b++) {
        double b11 = 0;
        double b12 = 0;
        double b22 = 0;
        double w11 = 0;
        double w12 = 0;
        double w22 = 0;
        for (int j = 0; j < k; j++) {
          double da = means[j][a] - mu[a];
          double db = means[j][b] - mu[b];
          b11 += w[j] * da * da;
          b12 += w[j] * da * db;
          b22 += w[j] * db * db;
          w11 += w[j] * within[j][a * d + a];
          w12 += w[j] * within[j][a * d + b];
          w22 += w[j] * within[j][b * d + b];
        }
        double det = w11 * w22 - w12 * w12;
        if (!(det > 0)) {
          continue;
        }
        double ratio = (w22 * b11 - 2 * w12 * b12 + w11 * b22) / det;
        if (ratio > best) {
          best = ratio;
          pair = new int[] {a, b};
        }
      }
    }
    return pair;
  }

  static Plane features(int a, int b, int d, String nameA, String nameB) {
    double[][] p = new double[2][d];
    p[0][a] = 1;
    p[1][b] = 1;
    return new Plane(p, new double[d], nameA, nameB, null);
  }
}
