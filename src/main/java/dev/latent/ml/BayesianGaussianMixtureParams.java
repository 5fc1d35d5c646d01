package dev.latent.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;

/** The params of {@link BayesianGaussianMixture}: a Gaussian mixture's, and the variational priors. */
public interface BayesianGaussianMixtureParams extends GaussianMixtureParams {
  /** dirichlet-process (default, stick-breaking) or dirichlet-distribution. */
  default Param<String> weightPrior() {
    return latentParams().weightPrior;
  }

  /** The weights' concentration prior gamma_0 [0: 1/k]. */
  default DoubleParam weightConcentration() {
    return latentParams().weightConcentration;
  }

  /** The means' precision prior beta_0 [1]. */
  default DoubleParam meanPrecision() {
    return latentParams().meanPrecision;
  }

  /** The Wishart degrees of freedom nu_0, above d - 1 [0: d]. */
  default DoubleParam degreesOfFreedom() {
    return latentParams().degreesOfFreedom;
  }

  default String getWeightPrior() {
    return (String) getOrDefault(weightPrior());
  }

  default double getWeightConcentration() {
    return (Double) getOrDefault(weightConcentration());
  }

  default double getMeanPrecision() {
    return (Double) getOrDefault(meanPrecision());
  }

  default double getDegreesOfFreedom() {
    return (Double) getOrDefault(degreesOfFreedom());
  }
}
