package dev.latent.ml;

import dev.latent.diagnostics.StandardErrors;
import dev.latent.em.FitResult;

/** The summary of a {@link GaussianMixture} fit (see {@link MixtureSummary}). */
public final class GaussianMixtureSummary extends MixtureSummary {
  private static final long serialVersionUID = 1L;

  private final double lowerBound;
  private final double[] lowerBoundTrace;

  private final StandardErrors standardErrors;

  GaussianMixtureSummary(FitResult r, long rowsSkipped, StandardErrors standardErrors) {
    super(r, rowsSkipped);
    this.standardErrors = standardErrors;
    lowerBound = r.variational() == null ? Double.NaN : r.variational().elbo();
    lowerBoundTrace = r.variational() == null ? new double[0] : r.variational().elboTrace().clone();
  }

  /**
   * The standard errors asked for with the {@code standardErrors} param (as summary.json's
   * {@code standardErrors}: weights [K], means [K][d], covariances in the type's shape), or null; when the
   * information cannot be inverted the arrays are null and {@code reason()} says why.
   */
  public StandardErrors standardErrors() {
    return standardErrors;
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
