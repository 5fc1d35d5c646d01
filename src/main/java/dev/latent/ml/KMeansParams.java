package dev.latent.ml;

import org.apache.spark.ml.param.Param;

/** The params of {@link KMeans} and {@link KMeansModel}. */
public interface KMeansParams extends MixtureParams {
  /**
   * euclidean (default) or cosine: spherical K-means (Dhillon and Modha 2001), rows scaled to unit length
   * as they are read and centres after every update.
   */
  default Param<String> distanceMeasure() {
    return latentParams().distanceMeasure;
  }

  /** A fitted model to start from (same k and features) instead of seeding. */
  default Param<KMeansModel> initialModel() {
    return latentParams().kmeansInitialModel;
  }

  default String getDistanceMeasure() {
    return (String) getOrDefault(distanceMeasure());
  }

  default KMeansModel getInitialModel() {
    return getOrDefault(initialModel());
  }
}
