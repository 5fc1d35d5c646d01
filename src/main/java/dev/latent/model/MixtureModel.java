package dev.latent.model;

import dev.latent.em.Distance;
import dev.latent.em.StartParams;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.vb.VariationalPosterior;
import java.util.List;
import java.util.Map;

/**
 * A fitted model as it is saved and loaded: named features, weights, means and (GMM) covariances in
 * the storage shape of their type (see {@link dev.latent.mixture.Mixture}), and where it came from. A cosine
 * K-means model scores rows scaled to unit length. A vbgmm model's weights, means and covariances are
 * scikit-learn's {@code weights_}, {@code means_}, {@code covariances_}; it scores rows by its
 * {@code variational} posterior.
 */
public record MixtureModel(
    ModelKind kind,
    CovarianceType covariance,
    List<String> features,
    double[] weights,
    double[][] means,
    double[][] covariances,
    Map<String, Object> provenance,
    Distance distance,
    VariationalPosterior variational) {

  public MixtureModel {
    if (distance == null) {
      distance = Distance.EUCLIDEAN;
    }
    if ((kind == ModelKind.VBGMM) != (variational != null)) {
      throw new IllegalArgumentException("a vbgmm model, and only one, has a variational posterior");
    }
  }

  /** A GMM or K-means model. */
  public MixtureModel(ModelKind kind, CovarianceType covariance, List<String> features, double[] weights,
      double[][] means, double[][] covariances, Map<String, Object> provenance, Distance distance) {
    this(kind, covariance, features, weights, means, covariances, provenance, distance, null);
  }

  /** A Euclidean model. */
  public MixtureModel(ModelKind kind, CovarianceType covariance, List<String> features, double[] weights,
      double[][] means, double[][] covariances, Map<String, Object> provenance) {
    this(kind, covariance, features, weights, means, covariances, provenance, Distance.EUCLIDEAN, null);
  }

  public int k() {
    return weights.length;
  }

  public int d() {
    return features.size();
  }

  /** The mixture that scores rows: the Gaussians, or for K-means the nearest-centre mixture. */
  public Mixture toMixture() throws Mixture.DegenerateComponentException {
    if (kind == ModelKind.KMEANS) {
      return Mixture.forCentres(means);
    }
    if (kind == ModelKind.VBGMM) {
      return variational.mixture();
    }
    return Mixture.of(covariance, weights, means, covariances);
  }

  /** These parameters as the starting point of a new fit. */
  public StartParams toStart() {
    return new StartParams(kind, covariance, weights, means, covariances, variational);
  }
}
