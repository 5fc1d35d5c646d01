package dev.latent.em;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the driver broadcasts for one E-step of one candidate fit: how rows are assigned, the mixture
 * that scores them, and the shift about which scatter is accumulated.
 *
 * <p>GMM, K-means and label initialisation differ only here: soft responsibilities (log-sum-exp of the
 * logits), hard argmax (K-means, Lloyd), or responsibilities read from a label column.
 */
public final class EStepTask implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How responsibilities are formed. */
  public enum Assign { SOFT, HARD, LABELS }

  /** Which second moments are needed: none (K-means), the diagonal (diag, spherical), all (full, tied). */
  public enum Scatter { NONE, DIAG, FULL;
    public static Scatter of(CovarianceType t) {
      return t == CovarianceType.FULL || t == CovarianceType.TIED ? FULL : DIAG;
    }
  }

  public final Assign assign;
  public final Mixture mixture;
  public final double[][] shifts;
  public final Scatter scatter;
  public final int k;
  public final int d;
  /** How many of the worst-explained rows to keep as re-seeding candidates. */
  public final int worstRows;
  /** True when the mixture is the nearest-centre one of {@code shifts} (see {@link #nearest}). */
  private final boolean nearestCentre;
  /**
   * Soft assignment also sums w r ln r over rows and components ({@link SuffStats#respLogResp}), the
   * entropy term of the variational lower bound; off for GMM and K-means, so they pay nothing for it.
   */
  public final boolean entropy;

  /** An extra per-row statistic for soft assignment (the Fisher information's), or null. */
  public final RowStatistic rowStatistic;

  public EStepTask(Assign assign, Mixture mixture, double[][] shifts, Scatter scatter, int worstRows) {
    this(assign, mixture, shifts, scatter, worstRows, false, null, false);
  }

  private EStepTask(Assign assign, Mixture mixture, double[][] shifts, Scatter scatter, int worstRows,
      boolean nearestCentre, RowStatistic rowStatistic, boolean entropy) {
    if (rowStatistic != null && assign != Assign.SOFT) {
      throw new IllegalArgumentException("a row statistic needs soft assignment, not " + assign);
    }
    if (assign != Assign.LABELS && mixture == null) {
      throw new IllegalArgumentException("a mixture is needed to assign rows by " + assign);
    }
    this.assign = assign;
    this.mixture = mixture;
    this.shifts = shifts;
    this.scatter = scatter;
    this.k = shifts.length;
    this.d = shifts[0].length;
    this.worstRows = worstRows;
    this.nearestCentre = nearestCentre;
    this.entropy = entropy;
    this.rowStatistic = rowStatistic;
  }

  /** This soft E-step that also accumulates {@code s} over its rows (one scan for the Fisher information). */
  public EStepTask withRowStatistic(RowStatistic s) {
    return new EStepTask(assign, mixture, shifts, scatter, worstRows, nearestCentre, s, entropy);
  }

  /** Hard assignment to the nearest of {@code centres} (K-means, Lloyd); scatter is taken about them. */
  public static EStepTask nearest(double[][] centres, Scatter scatter) {
    return new EStepTask(Assign.HARD, Mixture.forCentres(centres), centres, scatter, centres.length, true, null, false);
  }

  /**
   * True when both tasks are nearest-centre tasks with equal centres and the same scatter, so one scan
   * result serves both (restarts of a sweep share their K-means start across covariance types).
   */
  public boolean sameAs(EStepTask o) {
    return o != null && nearestCentre && o.nearestCentre && scatter == o.scatter
        && Arrays.deepEquals(shifts, o.shifts);
  }

  /** Soft (GMM) or hard (K-means) E-step under a mixture; scatter is taken about its means. */
  public static EStepTask under(Mixture m, boolean hard, Scatter scatter) {
    return new EStepTask(hard ? Assign.HARD : Assign.SOFT, m, m.means(), scatter, m.k);
  }

  /** This soft task, also summing the entropy term w r ln r (the variational lower bound needs it). */
  public EStepTask withEntropy() {
    if (assign != Assign.SOFT) {
      throw new IllegalArgumentException("only soft assignment has an entropy");
    }
    return new EStepTask(assign, mixture, shifts, scatter, worstRows, nearestCentre, rowStatistic, true);
  }
}
