package dev.latent.diagnostics;

import dev.latent.em.DataPass;
import dev.latent.em.EStepTask;
import dev.latent.em.FitResult;
import dev.latent.em.SuffStats;
import dev.latent.math.Cholesky;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import java.io.Serializable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standard errors of a fitted Gaussian mixture's weights, means and covariance entries from the Fisher
 * information J at the fitted parameters: the covariance of theta is J^-1 (by Cholesky, J = L L^T), the
 * standard errors are the square roots of its diagonal, and the last weight's, pi_K = 1 - sum_j<K pi_j,
 * is the delta method's sqrt(1^T V_pi 1) over the free weights. None of them depends on the choice of
 * free parameters (see {@link FreeParameters}).
 *
 * <p>One scan: a soft E-step under the fitted mixture with the {@link ScoreKernel} attached, so the rows
 * are read by the same mapper and combined by addition as in any E-step. When J cannot be inverted the
 * arrays are null and {@code reason} says why (singular, not positive definite, too many parameters).
 *
 * @param covariances in Latent's storage shape of the type (full [K][d*d], diag [K][d], spherical [K][1],
 *     tied [1][d*d]); full and tied are symmetric, entry (a, b) and (b, a) both the error of Sigma_ab
 */
public record StandardErrors(InformationMethod method, long parameters, double[] weights, double[][] means,
    double[][] covariances, String reason) implements Serializable {

  /**
   * The largest p computed: the information travels as p(p+1)/2 doubles per partition (4 MB at p = 1000),
   * the driver holds three p x p matrices (24 MB) and each row costs about p^2/2 multiply-adds.
   */
  public static final int MAX_PARAMETERS = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(StandardErrors.class);

  /**
   * A relative Cholesky pivot (the part of J_ii not explained by the parameters before i) at or below
   * this is taken as zero: J is then singular to working precision.
   */
  static final double SINGULAR_PIVOT = 1e-12;

  public boolean computed() {
    return reason == null;
  }

  /** The one-line warning for summary.json when the errors could not be computed, else null. */
  public String warning() {
    return reason == null ? null : "standard errors (" + method.key() + ") not computed: " + reason;
  }

  /**
   * The standard errors of a finished fit for {@code --standard-errors} (null when {@code method} is null):
   * one more scan over {@code pass}, logged with its time, and a warning when J has no inverse.
   */
  public static StandardErrors forFit(DataPass pass, InformationMethod method, FitResult fit) {
    if (method == null) {
      return null;
    }
    if (fit.kind() != ModelKind.GMM) {
      throw new IllegalArgumentException("standard errors need a Gaussian mixture, not " + fit.kind().key());
    }
    long t0 = System.nanoTime();
    StandardErrors se = compute(pass, method, fit.covariance(), fit.weights(), fit.means(), fit.covariances());
    if (se.computed()) {
      LOG.info("standard errors ({}, p = {}) in {} s", method.key(), se.parameters(),
          String.format("%.2f", (System.nanoTime() - t0) / 1e9));
    } else {
      LOG.warn(se.warning());
    }
    return se;
  }

  /** Runs the scan over {@code pass} and inverts the information of the fitted mixture. */
  public static StandardErrors compute(DataPass pass, InformationMethod method, CovarianceType type,
      double[] weights, double[][] means, double[][] covariances) {
    int k = weights.length;
    int d = means[0].length;
    long count = FreeParameters.count(type, k, d);
    if (count > MAX_PARAMETERS) {
      return failed(method, count, "the model has p = " + count + " free parameters, more than the limit of "
          + MAX_PARAMETERS + " (the information matrix would be p(p+1)/2 = " + count * (count + 1) / 2
          + " numbers per partition)");
    }
    FreeParameters theta = new FreeParameters(type, k, d);
    Information info;
    try {
      info = scan(pass, theta, method, weights, means, covariances);
    } catch (Mixture.DegenerateComponentException | Cholesky.NotPositiveDefiniteException e) {
      return failed(method, count, "the information is not positive definite: the fitted mixture has a degenerate "
          + "component (" + e.getMessage() + ")");
    }
    if (method == InformationMethod.OPG && info.rows() < theta.p) {
      return failed(method, count, "the outer-product information is singular: it sums the score outer products "
          + "of " + info.rows() + " rows, so its rank is at most " + info.rows() + ", below the p = " + theta.p
          + " free parameters");
    }
    return invert(theta, method, info.matrix());
  }

  /** J (dense p x p) and the number of rows it sums. */
  record Information(double[] matrix, long rows) {}

  /** The one scan: a soft E-step under the fitted mixture that also sums the kernel's statistic. */
  static Information scan(DataPass pass, FreeParameters theta, InformationMethod method, double[] weights,
      double[][] means, double[][] covariances)
      throws Mixture.DegenerateComponentException, Cholesky.NotPositiveDefiniteException {
    Mixture m = Mixture.of(theta.type, weights, means, covariances);
    double[][] precisions = precisions(theta.type, theta.k, theta.d, covariances);
    ScoreKernel kernel = new ScoreKernel(theta, method, weights, means, precisions);
    EStepTask task = EStepTask.under(m, false, EStepTask.Scatter.of(theta.type)).withRowStatistic(kernel);
    SuffStats stats = pass.estep(new EStepTask[] {task})[0];
    double[] info = FisherInformation.unpack(stats.rowStatistic(), theta.p);
    if (method == InformationMethod.OBSERVED) {
      FisherInformation.addCompleteData(info, theta, weights, precisions, stats);
    }
    return new Information(info, stats.rows);
  }

  /** Standard errors from J (dense p x p), or the reason J has no inverse. */
  static StandardErrors invert(FreeParameters theta, InformationMethod method, double[] info) {
    int p = theta.p;
    String what = method == InformationMethod.OBSERVED ? "the observed information" : "the outer-product information";
    for (double v : info) {
      if (!Double.isFinite(v)) {
        return failed(method, p, what + " is not positive definite: it has a non-finite entry (" + v + ")");
      }
    }
    double[] l;
    try {
      l = Cholesky.decompose(info, p);
    } catch (Cholesky.NotPositiveDefiniteException e) {
      double diag = info[e.pivot * p + e.pivot];
      String name = theta.name(e.pivot);
      if (diag <= 0.0) {
        return failed(method, p, diag == 0.0
            ? what + " is singular: no row carries information about " + name + " (its diagonal entry is 0)"
            : what + " is not positive definite: its diagonal entry for " + name + " is " + diag
                + (method == InformationMethod.OBSERVED ? " (the fit is not at a maximum of the likelihood)" : ""));
      }
      double relative = e.value / diag;
      if (relative >= -SINGULAR_PIVOT) {
        return failed(method, p, singular(what, name, relative));
      }
      return failed(method, p, what + " is not positive definite: its Cholesky pivot for " + name + " is "
          + e.value + " (" + relative + " of its diagonal entry)"
          + (method == InformationMethod.OBSERVED ? "; the fit is not at a maximum of the likelihood" : ""));
    }
    for (int i = 0; i < p; i++) {
      double relative = l[i * p + i] * l[i * p + i] / info[i * p + i];
      if (relative <= SINGULAR_PIVOT) {
        return failed(method, p, singular(what, theta.name(i), relative));
      }
    }
    double[] linv = Cholesky.invertLower(l, p);
    // V = J^-1 = L^-T L^-1: V_aa = sum_c (L^-1)_ca^2; the free weights' sum has variance |L^-1 1_w|^2.
    double[] var = new double[p];
    double lastWeight = 0.0;
    int free = theta.k - 1;
    for (int c = 0; c < p; c++) {
      double sum = 0.0;
      for (int a = 0; a <= c; a++) {
        double v = linv[c * p + a];
        var[a] += v * v;
        if (a < free) {
          sum += v;
        }
      }
      lastWeight += sum * sum;
    }
    for (int a = 0; a < p; a++) {
      if (!Double.isFinite(var[a])) {
        return failed(method, p, singular(what, theta.name(a), 0.0) + " (its variance overflows)");
      }
    }
    return errors(theta, method, var, lastWeight);
  }

  private static String singular(String what, String name, double relative) {
    return what + " is singular: " + name + " is, to working precision, a linear combination of the parameters "
        + "before it (relative Cholesky pivot " + relative + "), so the data do not identify it";
  }

  private static StandardErrors errors(FreeParameters theta, InformationMethod method, double[] var,
      double lastWeight) {
    int k = theta.k;
    int d = theta.d;
    double[] w = new double[k];
    for (int j = 0; j < k - 1; j++) {
      w[j] = Math.sqrt(var[theta.weight(j)]);
    }
    w[k - 1] = Math.sqrt(lastWeight);
    double[][] mu = new double[k][d];
    for (int j = 0; j < k; j++) {
      for (int a = 0; a < d; a++) {
        mu[j][a] = Math.sqrt(var[theta.mean(j, a)]);
      }
    }
    int blocks = theta.type.blocks(k);
    double[][] cov = new double[blocks][];
    for (int j = 0; j < blocks; j++) {
      switch (theta.type) {
        case FULL, TIED -> {
          double[] c = new double[d * d];
          for (int g = 0; g < theta.q; g++) {
            double se = Math.sqrt(var[theta.covariance(j, g)]);
            c[theta.entryRow[g] * d + theta.entryCol[g]] = se;
            c[theta.entryCol[g] * d + theta.entryRow[g]] = se;
          }
          cov[j] = c;
        }
        case DIAG -> {
          double[] c = new double[d];
          for (int g = 0; g < d; g++) {
            c[g] = Math.sqrt(var[theta.covariance(j, g)]);
          }
          cov[j] = c;
        }
        case SPHERICAL -> cov[j] = new double[] {Math.sqrt(var[theta.covariance(j, 0)])};
      }
    }
    return new StandardErrors(method, theta.p, w, mu, cov, null);
  }

  private static StandardErrors failed(InformationMethod method, long parameters, String reason) {
    return new StandardErrors(method, parameters, null, null, null, reason);
  }

  /** Dense precisions P_j = Sigma_j^-1 per component (tied: the one matrix for every j). */
  static double[][] precisions(CovarianceType type, int k, int d, double[][] covariances)
      throws Cholesky.NotPositiveDefiniteException {
    double[][] out = new double[k][];
    for (int j = 0; j < k; j++) {
      if (type == CovarianceType.TIED && j > 0) {
        out[j] = out[0];
        continue;
      }
      double[] c = covariances[j];
      double[] prec = new double[d * d];
      switch (type) {
        case FULL, TIED -> {
          // P = L^-T L^-1 with Sigma = L L^T.
          double[] linv = Cholesky.invertLower(Cholesky.decompose(c, d), d);
          for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
              double v = 0.0;
              for (int r = Math.max(a, b); r < d; r++) {
                v += linv[r * d + a] * linv[r * d + b];
              }
              prec[a * d + b] = v;
            }
          }
        }
        case DIAG -> {
          for (int a = 0; a < d; a++) {
            prec[a * d + a] = 1.0 / c[a];
          }
        }
        case SPHERICAL -> {
          for (int a = 0; a < d; a++) {
            prec[a * d + a] = 1.0 / c[0];
          }
        }
      }
      out[j] = prec;
    }
    return out;
  }
}
