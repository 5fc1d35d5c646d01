package dev.latent.vb;

import dev.latent.mixture.CovarianceType;
import java.io.Serializable;

/**
 * The priors of a variational Gaussian mixture (Bishop, PRML 10.2, eqs. 10.39-10.40): on the weights a
 * Dirichlet process or distribution with concentration {@code weightConcentration}; on each component a
 * Gaussian-Wishart with mean {@code mean}, mean precision beta_0 {@code meanPrecision}, degrees of freedom
 * nu_0 {@code degreesOfFreedom} and covariance prior W_0^-1 {@code covariance} in the shape of the
 * covariance type (full and tied d*d row-major, diag d, spherical 1), as scikit-learn's
 * {@code BayesianGaussianMixture} parametrises them.
 */
public record Priors(CovarianceType type, WeightPrior weightPrior, double weightConcentration, double meanPrecision,
    double[] mean, double degreesOfFreedom, double[] covariance) implements Serializable {

  public Priors {
    int d = mean.length;
    if (covariance.length != type.blockLength(d)) {
      throw new IllegalArgumentException("a " + type.key() + " covariance prior has " + type.blockLength(d)
          + " entries, got " + covariance.length);
    }
    if (!(weightConcentration > 0) || !(meanPrecision > 0) || !(degreesOfFreedom > d - 1.0)) {
      throw new IllegalArgumentException("priors out of range: weight concentration " + weightConcentration
          + ", mean precision " + meanPrecision + ", degrees of freedom " + degreesOfFreedom + " (d = " + d + ")");
    }
  }

  /**
   * scikit-learn's defaults where a setting is NaN (weight concentration 1/k, mean precision 1, degrees
   * of freedom d) and the mean and covariance priors from the data: its mean, and its covariance with ddof
   * 1 ({@code dataCovariance}, d x d) as the type needs it (full, tied: the matrix; diag: its diagonal;
   * spherical: the mean of the diagonal).
   */
  public static Priors fromData(CovarianceType type, WeightPrior weightPrior, int k, double weightConcentration,
      double meanPrecision, double degreesOfFreedom, double[] dataMean, double[] dataCovariance) {
    int d = dataMean.length;
    double[] cov = switch (type) {
      case FULL, TIED -> dataCovariance.clone();
      case DIAG -> diagonal(dataCovariance, d);
      case SPHERICAL -> new double[] {mean(diagonal(dataCovariance, d))};
    };
    return new Priors(type, weightPrior, Double.isNaN(weightConcentration) ? 1.0 / k : weightConcentration,
        Double.isNaN(meanPrecision) ? 1.0 : meanPrecision, dataMean.clone(),
        Double.isNaN(degreesOfFreedom) ? d : degreesOfFreedom, cov);
  }

  public int d() {
    return mean.length;
  }

  private static double[] diagonal(double[] c, int d) {
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = c[i * d + i];
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
