package dev.latent.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;

/** The params of {@link GaussianMixture} and {@link GaussianMixtureModel}. */
public interface GaussianMixtureParams extends MixtureParams {
  /** Posterior probabilities column (an ML Vector) [probability]; empty for none. */
  default Param<String> probabilityCol() {
    return latentParams().probabilityCol;
  }

  /** log p(x) column; empty (the default) for none. */
  default Param<String> logDensityCol() {
    return latentParams().logDensityCol;
  }

  /** full (default), diag, spherical or tied, with scikit-learn's meanings. */
  default Param<String> covarianceType() {
    return latentParams().covarianceType;
  }

  /** Added to every covariance diagonal [1e-6]. */
  default DoubleParam regCovar() {
    return latentParams().regCovar;
  }

  /** A fitted model to start from (same k and features) instead of seeding. */
  default Param<GaussianMixtureModel> initialModel() {
    return latentParams().gmmInitialModel;
  }

  /** Standard errors after the fit: none (default), observed or opg (summary().standardErrors()). */
  default Param<String> standardErrors() {
    return latentParams().standardErrors;
  }

  default String getStandardErrors() {
    return (String) getOrDefault(standardErrors());
  }

  default String getProbabilityCol() {
    return (String) getOrDefault(probabilityCol());
  }

  default String getLogDensityCol() {
    return (String) getOrDefault(logDensityCol());
  }

  default String getCovarianceType() {
    return (String) getOrDefault(covarianceType());
  }

  default double getRegCovar() {
    return (Double) getOrDefault(regCovar());
  }

  default GaussianMixtureModel getInitialModel() {
    return getOrDefault(initialModel());
  }
}
