package dev.latent.ml;

import dev.latent.em.FitResult;

/** The summary of a {@link GaussianMixture} fit (see {@link MixtureSummary}). */
public final class GaussianMixtureSummary extends MixtureSummary {
  private static final long serialVersionUID = 1L;

  GaussianMixtureSummary(FitResult r, long rowsSkipped) {
    super(r, rowsSkipped);
  }
}
