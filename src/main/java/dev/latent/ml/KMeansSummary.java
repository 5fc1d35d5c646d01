package dev.latent.ml;

import dev.latent.em.FitResult;

/**
 * The summary of a {@link KMeans} fit (see {@link MixtureSummary}; its log-likelihood, BIC and AIC are
 * those of the spherical classification model, as summary.json's).
 */
public final class KMeansSummary extends MixtureSummary {
  private static final long serialVersionUID = 1L;

  private final double trainingCost;

  KMeansSummary(FitResult r, long rowsSkipped, boolean cosine) {
    super(r, rowsSkipped);
    this.trainingCost = cosine ? r.inertia() / 2.0 : r.inertia();
  }

  /**
   * Spark's trainingCost: the inertia (sum of weighted squared distances to the nearest centre). For cosine
   * models, Spark's sum of 1 - cos(x, c), which is half Latent's inertia (the summed squared chord
   * distances ||x - c||^2 = 2 (1 - cos) between unit vectors that summary.json reports).
   */
  public double trainingCost() {
    return trainingCost;
  }
}
