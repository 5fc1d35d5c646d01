package dev.latent.ml;

import dev.latent.em.FitResult;
import java.io.Serializable;

/**
 * What a fit reports, with summary.json's meanings: {@link #logLikelihood()} is the total (summary.json's
 * {@code logLikelihood}), {@link #numIter()} its {@code iterations}, {@link #trace()} the mean
 * log-likelihood entering each iteration; BIC and AIC in scikit-learn's sign (lower is better).
 */
public abstract class MixtureSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final double logLikelihood;
  private final int numIter;
  private final boolean converged;
  private final double[] clusterWeights;
  private final double bic;
  private final double aic;
  private final double[] trace;
  private final long rowsSkipped;

  MixtureSummary(FitResult r, long rowsSkipped) {
    this.k = r.k();
    this.logLikelihood = r.logLik();
    this.numIter = r.iterations();
    this.converged = r.converged();
    this.clusterWeights = r.clusterWeights().clone();
    this.bic = r.bic();
    this.aic = r.aic();
    this.trace = r.trace().clone();
    this.rowsSkipped = rowsSkipped;
  }

  public int k() {
    return k;
  }

  /** The total log-likelihood under the final parameters (K-means: the classification likelihood). */
  public double logLikelihood() {
    return logLikelihood;
  }

  /** Iterations (M-steps, as scikit-learn's n_iter_; K-means: assignment passes including the last). */
  public int numIter() {
    return numIter;
  }

  public boolean converged() {
    return converged;
  }

  /** Rows per component by hard assignment (with weights: the summed weights, rounded), as Spark's. */
  public long[] clusterSizes() {
    long[] s = new long[clusterWeights.length];
    for (int j = 0; j < s.length; j++) {
      s[j] = Math.round(clusterWeights[j]);
    }
    return s;
  }

  /** The summed weight per component, unrounded (summary.json's clusterSizes). */
  public double[] clusterWeights() {
    return clusterWeights.clone();
  }

  public double bic() {
    return bic;
  }

  public double aic() {
    return aic;
  }

  /** Mean log-likelihood entering each iteration. */
  public double[] trace() {
    return trace.clone();
  }

  /** Rows left out with handleInvalid = skip. */
  public long rowsSkipped() {
    return rowsSkipped;
  }
}
