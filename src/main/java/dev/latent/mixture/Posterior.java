package dev.latent.mixture;

import dev.latent.math.LogSumExp;

/**
 * Scores single rows under a fitted mixture: the most likely component, the posterior probabilities
 * (soft models) and the log-density. Reuses its scratch arrays, so one instance serves a partition.
 */
public final class Posterior {
  private final Mixture mixture;
  private final double[] maha;
  private final double[] logits;
  private final double[] diff;
  private final double[] probs;
  private double logDensity;

  public Posterior(Mixture mixture) {
    this.mixture = mixture;
    this.maha = new double[mixture.k];
    this.logits = new double[mixture.k];
    this.diff = new double[mixture.d];
    this.probs = new double[mixture.k];
  }

  /** Scores row x[off..off+d); returns the component (ties to the lowest index). */
  public int score(double[] x, int off) {
    mixture.logits(x, off, maha, logits, diff);
    int best = LogSumExp.argmax(logits, mixture.k);
    logDensity = LogSumExp.withMax(logits, 0, mixture.k, logits[best]);
    for (int j = 0; j < mixture.k; j++) {
      probs[j] = Math.exp(logits[j] - logDensity);
    }
    return best;
  }

  /** Posterior probabilities of the last scored row (a view, overwritten by the next call). */
  public double[] probabilities() {
    return probs;
  }

  /** log p(x) of the last scored row. */
  public double logDensity() {
    return logDensity;
  }
}
