package dev.latent.em;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.vb.VariationalPosterior;
import java.io.Serializable;

/**
 * Initial parameters read from a model file. {@code covariances} is null for a K-means model and has the
 * shape of {@code covariance} otherwise; {@code variational} is the posterior of a vbgmm model (else null).
 */
public record StartParams(ModelKind kind, CovarianceType covariance, double[] weights, double[][] means,
    double[][] covariances, VariationalPosterior variational) implements Serializable {

  /** A GMM or K-means start. */
  public StartParams(ModelKind kind, CovarianceType covariance, double[] weights, double[][] means,
      double[][] covariances) {
    this(kind, covariance, weights, means, covariances, null);
  }

  public int k() {
    return weights.length;
  }

  /** Covariances converted to another type: diagonals, their mean, or the weighted pooled matrix. */
  public double[][] covariancesAs(CovarianceType target, int d) {
    int k = k();
    double[][] full = new double[k][];
    for (int j = 0; j < k; j++) {
      full[j] = fullCovariance(j, d);
    }
    if (target == CovarianceType.TIED) {
      if (covariance == CovarianceType.TIED) {
        return new double[][] {covariances[0].clone()};
      }
      double[] c = new double[d * d];
      for (int j = 0; j < k; j++) {
        for (int i = 0; i < d * d; i++) {
          c[i] += weights[j] * full[j][i];
        }
      }
      return new double[][] {c};
    }
    double[][] out = new double[k][];
    for (int j = 0; j < k; j++) {
      out[j] = switch (target) {
        case FULL -> full[j];
        case DIAG -> diagonal(full[j], d);
        default -> new double[] {mean(diagonal(full[j], d))};
      };
    }
    return out;
  }

  private double[] fullCovariance(int j, int d) {
    double[] c = covariances[covariance == CovarianceType.TIED ? 0 : j];
    if (c.length == d * d) {
      return c.clone();
    }
    double[] out = new double[d * d];
    for (int i = 0; i < d; i++) {
      out[i * d + i] = c.length == d ? c[i] : c[0];
    }
    return out;
  }

  private static double[] diagonal(double[] full, int d) {
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = full[i * d + i];
    }
    return v;
  }

  private static double mean(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
