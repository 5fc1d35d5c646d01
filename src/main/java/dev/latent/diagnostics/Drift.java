package dev.latent.diagnostics;

import dev.latent.em.FitResult;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;

/** How far a new fit has moved from the model it was aligned to, as one number for a scheduled job. */
public final class Drift {
  private Drift() {}

  /**
   * KL(new || previous) by the variational approximation (Hershey and Olsen 2007), or null when either
   * side is a K-means model (no densities).
   */
  public static Double klVariational(FitResult fitted, MixtureModel previous) {
    if (fitted.kind() == ModelKind.KMEANS || previous.kind() == ModelKind.KMEANS) {
      return null;
    }
    try {
      Mixture now = Mixture.of(fitted.covariance(), fitted.weights(), fitted.means(), fitted.covariances());
      Mixture before = Mixture.of(previous.covariance(), previous.weights(), previous.means(),
          previous.covariances());
      return MixtureDivergence.klVariational(now, before);
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalStateException("the models cannot be compared: " + e.getMessage(), e);
    }
  }
}
