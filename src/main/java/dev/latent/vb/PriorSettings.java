package dev.latent.vb;

import dev.latent.mixture.CovarianceType;
import java.io.Serializable;

/**
 * The prior settings of a variational fit as given by the user, before the data are seen: the weight
 * prior and the three scalars, NaN where scikit-learn's default applies (weight concentration 1/K, mean
 * precision 1, degrees of freedom d). The mean and covariance priors always come from the data.
 */
public record PriorSettings(WeightPrior weightPrior, double weightConcentration, double meanPrecision,
    double degreesOfFreedom) implements Serializable {

  /** scikit-learn's defaults: a Dirichlet process, the other three from K and d. */
  public static final PriorSettings DEFAULTS =
      new PriorSettings(WeightPrior.DIRICHLET_PROCESS, Double.NaN, Double.NaN, Double.NaN);

  public PriorSettings {
    if (weightPrior == null) {
      throw new IllegalArgumentException("a weight prior is needed");
    }
  }

  /** The priors of a K-component fit of {@code type} on data with this mean and (ddof 1) covariance. */
  public Priors priors(CovarianceType type, int k, double[] dataMean, double[] dataCovariance) {
    return Priors.fromData(type, weightPrior, k, weightConcentration, meanPrecision, degreesOfFreedom, dataMean,
        dataCovariance);
  }
}
