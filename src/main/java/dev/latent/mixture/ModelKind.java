package dev.latent.mixture;

import java.util.Locale;

/** The model families fitted by the same mapper: EM Gaussian mixtures, K-means, variational Bayes mixtures. */
public enum ModelKind {
  GMM, KMEANS, VBGMM;

  /** True for the models with Gaussian components and densities (gmm, vbgmm). */
  public boolean gaussian() {
    return this != KMEANS;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ModelKind parse(String s) {
    for (ModelKind m : values()) {
      if (m.key().equals(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown model '" + s + "' (expected gmm, kmeans or vbgmm)");
  }
}
