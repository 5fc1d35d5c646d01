package dev.latent.em;

import java.io.Serializable;

/**
 * How a GMM fit is tempered. {@code fixedVariance} (NaN when not set) fixes every covariance at S I
 * (spherical only), so only weights and means are estimated. With {@code anneal}, EM runs in stages,
 * each to convergence under {@code tol}:
 * <ul>
 *   <li>without a fixed variance, at a rising inverse temperature beta = start, start f, start f^2, ...
 *       and last beta = 1: responsibilities proportional to (w_j N(x | j))^beta (Ueda and Nakano 1998,
 *       deterministic annealing EM: at small beta the posterior is nearly uniform, so the early stages
 *       see a smoothed likelihood with fewer local maxima, and each stage starts the next);</li>
 *   <li>with a fixed variance, along the variance path S, S / f, S / f^2, ... at beta = 1, until the mean
 *       of max_j r_ij exceeds 1 - 1e-9 (at most {@link #MAX_VARIANCE_STAGES} stages): the sigma -> 0
 *       limit in which EM becomes Lloyd's K-means (Bishop, PRML 9.3.2; seed text 000).</li>
 * </ul>
 */
public record Annealing(double fixedVariance, boolean anneal, double start, double factor) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Plain EM. */
  public static final Annealing NONE = new Annealing(Double.NaN, false, 0.1, 2.0);
  /** The variance path ends once the mean hardness exceeds this. */
  public static final double HARD = 1.0 - 1e-9;
  public static final int MAX_VARIANCE_STAGES = 60;
  /**
   * The smallest variance a stage may use: below it -J / (2 S) could overflow. The variance path stops
   * (with a warning) rather than go below.
   */
  public static final double MIN_VARIANCE = 1e-280;

  public Annealing {
    if (!Double.isNaN(fixedVariance) && !(fixedVariance >= MIN_VARIANCE && Double.isFinite(fixedVariance))) {
      throw new IllegalArgumentException("the fixed variance must be a finite number of at least "
          + MIN_VARIANCE + ", got " + fixedVariance);
    }
    if (!(start > 0.0 && start <= 1.0)) {
      throw new IllegalArgumentException("the starting inverse temperature must be in (0, 1], got " + start);
    }
    if (!(factor > 1.0) || !Double.isFinite(factor)) {
      throw new IllegalArgumentException("the annealing factor must be a finite number above 1, got " + factor);
    }
  }

  public boolean fixed() {
    return !Double.isNaN(fixedVariance);
  }

  /** True when the fit is anything but plain EM. */
  public boolean active() {
    return anneal || fixed();
  }

  /** Stage t's inverse temperature: min(1, start f^t) on the beta path, 1 on the variance path. */
  double beta(int stage) {
    if (!anneal || fixed()) {
      return 1.0;
    }
    return Math.min(1.0, start * Math.pow(factor, stage));
  }

  /** Stage t's fixed variance S / f^t (S without annealing), NaN when the variance is estimated. */
  double variance(int stage) {
    if (!fixed()) {
      return Double.NaN;
    }
    return anneal ? fixedVariance / Math.pow(factor, stage) : fixedVariance;
  }

  /** One finished stage: its beta, variance (NaN unless fixed), iterations and untempered total log-likelihood. */
  public record Stage(double beta, double variance, int iterations, double logLikelihood, double hardness,
      double entropy) implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
