package dev.latent.ml;

import dev.latent.em.FitResult;

/** The summary of a {@link GaussianMixture} fit (see {@link MixtureSummary}). */
public final class GaussianMixtureSummary extends MixtureSummary {
  private static final long serialVersionUID = 1L;

  private final double lowerBound;
  private final double[] lowerBoundTrace;

  GaussianMixtureSummary(FitResult r, long rowsSkipped) {
    super(r, rowsSkipped);
    lowerBound = r.variational() == null ? Double.NaN : r.variational().elbo();
    lowerBoundTrace = r.variational() == null ? new double[0] : r.variational().elboTrace().clone();
  }

  /** A variational fit's lower bound (scikit-learn's lower_bound_, a total over rows); NaN for EM. */
  public double lowerBound() {
    return lowerBound;
  }

  /** A variational fit's lower bound after each iteration (empty for EM). */
  public double[] lowerBoundTrace() {
    return lowerBoundTrace.clone();
  }
}
