package dev.latent.em;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
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
  /**
   * Inverse temperature of soft assignment: responsibilities proportional to (w_j N(x | j))^beta, the
   * logits times beta before the log-sum-exp (Ueda and Nakano 1998, deterministic annealing EM). At
   * beta = 1 no multiply is made, so plain EM keeps its bits.
   */
  public final double beta;
  /** The spherical variance S every component is fixed at (--fixed-variance), or NaN. */
  public final double fixedVariance;
  /** Whether the E-step sums each row's hardness max_j r_ij and entropy -sum_j r_ij ln r_ij. */
  public final boolean measure;
  /** Fixed variance: the nearest-centre mixture of the means, whose logits give K-means' labels. */
  final Mixture centres;
  /** Fixed variance: ln w_j. */
  final double[] logWeights;

  public EStepTask(Assign assign, Mixture mixture, double[][] shifts, Scatter scatter, int worstRows) {
    this(assign, mixture, shifts, scatter, worstRows, false, 1.0, Double.NaN, false, null, false);
  }

  private EStepTask(Assign assign, Mixture mixture, double[][] shifts, Scatter scatter, int worstRows,
      boolean nearestCentre, double beta, double fixedVariance, boolean measure, RowStatistic rowStatistic,
      boolean entropy) {
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
    if (!(beta > 0.0 && beta <= 1.0)) {
      throw new IllegalArgumentException("beta must be in (0, 1], got " + beta);
    }
    if (!Double.isNaN(fixedVariance) && (assign != Assign.SOFT || mixture.type != CovarianceType.SPHERICAL)) {
      throw new IllegalArgumentException("a fixed variance is for soft assignment under a spherical mixture");
    }
    this.entropy = entropy;
    this.rowStatistic = rowStatistic;
    this.beta = beta;
    this.fixedVariance = fixedVariance;
    this.measure = measure;
    if (Double.isNaN(fixedVariance)) {
      this.centres = null;
      this.logWeights = null;
    } else {
      this.centres = Mixture.forCentres(mixture.means());
      this.logWeights = new double[k];
      for (int j = 0; j < k; j++) {
        logWeights[j] = Math.log(mixture.weight(j));
      }
    }
  }

  /**
   * This soft task at inverse temperature {@code beta}, with every covariance fixed at S I when
   * {@code fixedVariance} is a number (the mixture must be spherical with variance S), and with the
   * hardness and entropy sums when {@code measure}.
   */
  public EStepTask tempered(double beta, double fixedVariance, boolean measure) {
    return new EStepTask(assign, mixture, shifts, scatter, worstRows, nearestCentre, beta, fixedVariance, measure,
        rowStatistic, entropy);
  }

  /** True when every covariance is fixed at S I (the sigma -> 0 path; see {@link EStep}). */
  public boolean fixed() {
    return !Double.isNaN(fixedVariance);
  }

  /** The mixture whose logits the E-step computes first: the centres' for a fixed variance. */
  Mixture scoring() {
    return centres != null ? centres : mixture;
  }

  /** This soft E-step that also accumulates {@code s} over its rows (one scan for the Fisher information). */
  public EStepTask withRowStatistic(RowStatistic s) {
    return new EStepTask(assign, mixture, shifts, scatter, worstRows, nearestCentre, beta, fixedVariance,
        measure, s, entropy);
  }

  /** Hard assignment to the nearest of {@code centres} (K-means, Lloyd); scatter is taken about them. */
  public static EStepTask nearest(double[][] centres, Scatter scatter) {
    return new EStepTask(Assign.HARD, Mixture.forCentres(centres), centres, scatter, centres.length, true, 1.0,
        Double.NaN, false, null, false);
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
    return new EStepTask(assign, mixture, shifts, scatter, worstRows, nearestCentre, beta, fixedVariance, measure,
        rowStatistic, true);
  }
}
