package dev.latent.config;

import dev.latent.em.ColumnStats;
import dev.latent.io.InputException;
import dev.latent.io.UsageException;
import dev.latent.math.Cholesky;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.vb.PriorSettings;
import dev.latent.vb.WeightPrior;
import java.util.List;

/**
 * The options of {@code --model vbgmm}: its priors (scikit-learn's defaults when not given) and what it
 * cannot be combined with. Every message names the flag and the bad value.
 */
public final class VariationalOptions {
  private VariationalOptions() {}

  /**
   * The prior settings of a vbgmm fit (null for other models). {@code sweep}: a K range or
   * --covariance all was asked for.
   */
  static PriorSettings from(Settings s, ModelKind model, boolean sweep) {
    if (model != ModelKind.VBGMM) {
      for (String key : List.of("weight-prior", "weight-concentration", "mean-precision", "degrees-of-freedom")) {
        if (s.string(key, null) != null) {
          throw new UsageException("--" + key + " is a prior of the variational mixture: it needs --model vbgmm");
        }
      }
      return null;
    }
    if (sweep) {
      throw new UsageException("--model vbgmm fits one K and one covariance type (K is an upper bound: the"
          + " components the data do not need get weights near zero), not a range or --covariance all");
    }
    WeightPrior prior;
    try {
      prior = WeightPrior.parse(s.string("weight-prior", WeightPrior.DIRICHLET_PROCESS.key()));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--weight-prior: " + e.getMessage());
    }
    if (s.string("align-to", null) != null && prior == WeightPrior.DIRICHLET_PROCESS) {
      throw new UsageException("--align-to cannot renumber a vbgmm with the Dirichlet-process weight prior: its"
          + " weights depend on the order of the components (--weight-prior dirichlet-distribution can be aligned)");
    }
    return new PriorSettings(prior, positive(s, "weight-concentration"), positive(s, "mean-precision"),
        number(s, "degrees-of-freedom"));
  }

  /**
   * Checks --degrees-of-freedom against the number of features d, known once the header is read: the
   * Wishart prior needs nu_0 > d - 1 (scikit-learn's condition).
   */
  public static void checkDimension(PriorSettings p, int d) {
    if (p != null && !Double.isNaN(p.degreesOfFreedom()) && !(p.degreesOfFreedom() > d - 1.0)) {
      throw new UsageException("--degrees-of-freedom must be greater than d - 1 = " + (d - 1) + " for " + d
          + " feature(s), got " + p.degreesOfFreedom());
    }
  }

  /**
   * Checks that the data give a usable covariance prior (their covariance with ddof 1): a total weight
   * above 1, no constant column, and for full and tied a positive-definite matrix. Otherwise the prior,
   * and with it every component the data leave empty, would be singular (scikit-learn fails there too).
   */
  public static void checkData(PriorSettings p, CovarianceType type, ColumnStats columns, List<String> features,
      String input) {
    if (p == null) {
      return;
    }
    if (!(columns.weight > 1.0)) {
      throw new InputException(input + ": --model vbgmm needs a total row weight above 1 for its covariance prior"
          + " (the data's covariance with ddof 1); it is " + columns.weight);
    }
    int d = columns.d;
    double[] cov = columns.covariance(1.0);
    for (int i = 0; i < d; i++) {
      if (!(cov[i * d + i] > 0.0)) {
        throw new InputException(input + ": column '" + features.get(i) + "' is constant, so the covariance prior"
            + " of --model vbgmm (the data's covariance) is singular");
      }
    }
    if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
      try {
        Cholesky.decompose(cov, d);
      } catch (Cholesky.NotPositiveDefiniteException e) {
        throw new InputException(input + ": the columns are linearly dependent, so the covariance prior of"
            + " --model vbgmm (the data's covariance) is singular; try --covariance diag");
      }
    }
  }

  /** The value of {@code key}, or NaN when it is not given (the default then depends on K or d). */
  private static double number(Settings s, String key) {
    String v = s.string(key, null);
    if (v == null) {
      return Double.NaN;
    }
    try {
      double x = Double.parseDouble(v);
      if (Double.isFinite(x)) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--" + key + " must be a finite number, got '" + v + "'");
  }

  private static double positive(Settings s, String key) {
    double x = number(s, key);
    if (!Double.isNaN(x) && !(x > 0)) {
      throw new UsageException("--" + key + " must be greater than 0, got " + s.string(key, null));
    }
    return x;
  }
}
