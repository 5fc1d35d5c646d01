package dev.latent.vb;

import dev.latent.math.Cholesky;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import java.io.Serializable;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * The variational posterior q(pi) q(mu, Lambda) of a Bayesian Gaussian mixture (Bishop, PRML 10.2) in
 * scikit-learn's parametrisation: weight concentrations (Dirichlet process: the stick-breaking Beta
 * parameters {@code [2][k]}, Blei and Jordan 2006; Dirichlet distribution: {@code [1][k]}), mean
 * precisions beta_k, means m_k, degrees of freedom nu_k (tied: one) and the normalised covariances
 * W_k^-1 / nu_k in the shape of the type (scikit-learn's {@code covariances_}).
 *
 * <p>{@link #update} is the variational M-step (PRML eqs. 10.58, 10.60-10.63, with scikit-learn's
 * conventions per covariance type), {@link #logTerms} and {@link #mixture} what the E-step broadcasts,
 * and {@link #lowerBound} scikit-learn's {@code lower_bound_}.
 */
public record VariationalPosterior(CovarianceType type, WeightPrior weightPrior, double[][] weightConcentration,
    double[] meanPrecision, double[][] means, double[] degreesOfFreedom, double[][] covariances)
    implements Serializable {

  private static final double LN2 = Math.log(2.0);

  public int k() {
    return means.length;
  }

  /**
   * The same posterior with component i the old {@code order[i]}: only meaningful for a symmetric
   * Dirichlet weight prior (a Dirichlet process's sticks are ordered; the caller refuses those).
   */
  public VariationalPosterior permuted(int[] order) {
    int k = k();
    double[][] wc = new double[weightConcentration.length][k];
    double[] beta = new double[k];
    double[][] m = new double[k][];
    boolean tied = type == CovarianceType.TIED;
    double[] nu = tied ? degreesOfFreedom.clone() : new double[k];
    double[][] cov = tied ? new double[][] {covariances[0].clone()} : new double[k][];
    for (int i = 0; i < k; i++) {
      for (int r = 0; r < wc.length; r++) {
        wc[r][i] = weightConcentration[r][order[i]];
      }
      beta[i] = meanPrecision[order[i]];
      m[i] = means[order[i]].clone();
      if (!tied) {
        nu[i] = degreesOfFreedom[order[i]];
        cov[i] = covariances[order[i]].clone();
      }
    }
    return new VariationalPosterior(type, weightPrior, wc, beta, m, nu, cov);
  }

  public int d() {
    return means[0].length;
  }

  /**
   * The variational M-step from scikit-learn's Gaussian estimates of the responsibilities: {@code nk}
   * (responsibility sums plus 10 eps), {@code xk} (their weighted means) and {@code sk} (the GMM M-step's
   * covariances in the type's shape, reg-covar included).
   */
  public static VariationalPosterior update(Priors p, double[] nk, double[][] xk, double[][] sk) {
    int k = nk.length;
    int d = p.d();
    double beta0 = p.meanPrecision();
    double nu0 = p.degreesOfFreedom();
    double[] m0 = p.mean();
    // Weights (PRML 10.58; stick-breaking: Blei and Jordan 2006, eq. 18).
    double[][] wc;
    if (p.weightPrior() == WeightPrior.DIRICHLET_PROCESS) {
      double[] tail = new double[k];
      double run = 0.0;
      for (int j = k - 1; j > 0; j--) {
        run += nk[j];
        tail[j - 1] = run;
      }
      wc = new double[2][k];
      for (int j = 0; j < k; j++) {
        wc[0][j] = 1.0 + nk[j];
        wc[1][j] = p.weightConcentration() + tail[j];
      }
    } else {
      wc = new double[1][k];
      for (int j = 0; j < k; j++) {
        wc[0][j] = p.weightConcentration() + nk[j];
      }
    }
    // Means (PRML 10.60-10.61).
    double[] beta = new double[k];
    double[][] m = new double[k][d];
    for (int j = 0; j < k; j++) {
      beta[j] = beta0 + nk[j];
      for (int i = 0; i < d; i++) {
        m[j][i] = (beta0 * m0[i] + nk[j] * xk[j][i]) / beta[j];
      }
    }
    // Precisions (PRML 10.62-10.63, nu_k = nu_0 + N_k), normalised by nu as scikit-learn does.
    double[] psi0 = p.covariance();
    double[] nu;
    double[][] cov;
    switch (p.type()) {
      case FULL -> {
        nu = new double[k];
        cov = new double[k][d * d];
        for (int j = 0; j < k; j++) {
          nu[j] = nu0 + nk[j];
          double[] diff = minus(xk[j], m0);
          double c = nk[j] * beta0 / beta[j];
          for (int i = 0; i < d; i++) {
            for (int q = 0; q < d; q++) {
              cov[j][i * d + q] = (psi0[i * d + q] + nk[j] * sk[j][i * d + q] + c * diff[i] * diff[q]) / nu[j];
            }
          }
        }
      }
      case TIED -> {
        double n = 0.0;
        for (double v : nk) {
          n += v;
        }
        nu = new double[] {nu0 + n / k};
        double[] scatter = new double[d * d];
        for (int j = 0; j < k; j++) {
          double[] diff = minus(xk[j], m0);
          double c = nk[j] / beta[j];
          for (int i = 0; i < d; i++) {
            for (int q = 0; q < d; q++) {
              scatter[i * d + q] += c * diff[i] * diff[q];
            }
          }
        }
        cov = new double[1][d * d];
        for (int i = 0; i < d * d; i++) {
          cov[0][i] = (psi0[i] + sk[0][i] * n / k + beta0 / k * scatter[i]) / nu[0];
        }
      }
      case DIAG -> {
        nu = new double[k];
        cov = new double[k][d];
        for (int j = 0; j < k; j++) {
          nu[j] = nu0 + nk[j];
          double c = beta0 / beta[j];
          for (int i = 0; i < d; i++) {
            double diff = xk[j][i] - m0[i];
            cov[j][i] = (psi0[i] + nk[j] * (sk[j][i] + c * diff * diff)) / nu[j];
          }
        }
      }
      default -> {
        nu = new double[k];
        cov = new double[k][1];
        for (int j = 0; j < k; j++) {
          nu[j] = nu0 + nk[j];
          double sq = 0.0;
          for (int i = 0; i < d; i++) {
            double diff = xk[j][i] - m0[i];
            sq += diff * diff;
          }
          cov[j][0] = (psi0[0] + nk[j] * (sk[j][0] + beta0 / beta[j] * (sq / d))) / nu[j];
        }
      }
    }
    return new VariationalPosterior(p.type(), p.weightPrior(), wc, beta, m, nu, cov);
  }

  private static double[] minus(double[] a, double[] b) {
    double[] c = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i] - b[i];
    }
    return c;
  }

  /** nu of component j (tied: the shared one). */
  private double nu(int j) {
    return degreesOfFreedom[type == CovarianceType.TIED ? 0 : j];
  }

  /**
   * E[ln pi_j] (PRML 10.66; stick-breaking: E[ln v_j] + sum over earlier sticks of E[ln(1 - v_l)], Blei
   * and Jordan 2006).
   */
  public double[] expectedLogWeights() {
    int k = k();
    double[] e = new double[k];
    double[] a = weightConcentration[0];
    if (weightPrior == WeightPrior.DIRICHLET_PROCESS) {
      double[] b = weightConcentration[1];
      double before = 0.0;
      for (int j = 0; j < k; j++) {
        double sum = Gamma.digamma(a[j] + b[j]);
        e[j] = Gamma.digamma(a[j]) - sum + before;
        before += Gamma.digamma(b[j]) - sum;
      }
    } else {
      double total = 0.0;
      for (double v : a) {
        total += v;
      }
      double dt = Gamma.digamma(total);
      for (int j = 0; j < k; j++) {
        e[j] = Gamma.digamma(a[j]) - dt;
      }
    }
    return e;
  }

  /** E[pi_j]: scikit-learn's {@code weights_} (the stick-breaking means, normalised). */
  public double[] weights() {
    int k = k();
    double[] w = new double[k];
    double[] a = weightConcentration[0];
    double s = 0.0;
    if (weightPrior == WeightPrior.DIRICHLET_PROCESS) {
      double[] b = weightConcentration[1];
      double rest = 1.0;
      for (int j = 0; j < k; j++) {
        w[j] = a[j] / (a[j] + b[j]) * rest;
        rest *= b[j] / (a[j] + b[j]);
        s += w[j];
      }
    } else {
      for (double v : a) {
        s += v;
      }
      System.arraycopy(a, 0, w, 0, k);
    }
    for (int j = 0; j < k; j++) {
      w[j] /= s;
    }
    return w;
  }

  /**
   * What each component adds to its logit besides the Gaussian part of the normalised precision
   * (nu W): E[ln pi_j] - d/2 ln nu_j + 1/2 (d ln 2 + sum_i psi((nu_j - i) / 2) - d / beta_j). With the
   * precision factor's log-determinant (d/2 ln nu_j + 1/2 ln|W_j|) and -d/2 ln 2 pi the logit's constant
   * is E[ln pi_j] + 1/2 E[ln|Lambda_j|] - d/2 ln 2 pi - d/(2 beta_j) (PRML 10.64-10.67).
   */
  public double[] logTerms() {
    int k = k();
    int d = d();
    double[] e = expectedLogWeights();
    double[] t = new double[k];
    for (int j = 0; j < k; j++) {
      double nu = nu(j);
      double lambda = d * LN2;
      for (int i = 0; i < d; i++) {
        lambda += Gamma.digamma(0.5 * (nu - i));
      }
      t[j] = e[j] - 0.5 * d * Math.log(nu) + 0.5 * (lambda - d / meanPrecision[j]);
    }
    return t;
  }

  /** The mixture the E-step broadcasts: its logits are scikit-learn's estimated weighted log-probabilities. */
  public Mixture mixture() throws Mixture.DegenerateComponentException {
    return Mixture.variational(type, weights(), means, covariances, logTerms());
  }

  /**
   * scikit-learn's {@code lower_bound_} (its {@code _compute_lower_bound}): the evidence lower bound after
   * a variational M-step, up to the constants it drops, for the whole data set:
   * -sum_i sum_k r_ik ln r_ik (from {@code respLogResp}, the E-step's sum of r ln r) minus the log
   * normalisers of the Wishart factors (without the ln pi term), of the weight posterior (Beta or
   * Dirichlet) and d/2 sum_k ln beta_k. Thrown when a covariance has no Cholesky factor.
   */
  public double lowerBound(double respLogResp) throws Cholesky.NotPositiveDefiniteException {
    int k = k();
    int d = d();
    double logWishart = 0.0;
    for (int b = 0; b < covariances.length; b++) {
      double nu = degreesOfFreedom[b];
      double logDetChol = logDetPrecisionFactor(covariances[b], d) - 0.5 * d * Math.log(nu);
      double g = 0.0;
      for (int i = 0; i < d; i++) {
        g += Gamma.logGamma(0.5 * (nu - i));
      }
      logWishart += -(nu * logDetChol + nu * d * 0.5 * LN2 + g);
    }
    if (type == CovarianceType.TIED) {
      logWishart *= k;
    }
    double logNormWeight;
    double[] a = weightConcentration[0];
    if (weightPrior == WeightPrior.DIRICHLET_PROCESS) {
      double s = 0.0;
      for (int j = 0; j < k; j++) {
        s += Beta.logBeta(a[j], weightConcentration[1][j]);
      }
      logNormWeight = -s;
    } else {
      double total = 0.0;
      double g = 0.0;
      for (double v : a) {
        total += v;
        g += Gamma.logGamma(v);
      }
      logNormWeight = Gamma.logGamma(total) - g;
    }
    double logBeta = 0.0;
    for (double v : meanPrecision) {
      logBeta += Math.log(v);
    }
    return -respLogResp - logWishart - logNormWeight - 0.5 * d * logBeta;
  }

  /** log det of the precision's Cholesky factor, -1/2 log det of the covariance block. */
  private double logDetPrecisionFactor(double[] c, int d) throws Cholesky.NotPositiveDefiniteException {
    return switch (type) {
      case FULL, TIED -> -Cholesky.logDiagSum(Cholesky.decompose(c, d), d);
      case DIAG -> {
        double s = 0.0;
        for (double v : c) {
          s += Math.log(v);
        }
        yield -0.5 * s;
      }
      case SPHERICAL -> -0.5 * d * Math.log(c[0]);
    };
  }

  /** How many weights exceed 0.01 (scikit-learn's usual count of the components in use). */
  public int effectiveComponents() {
    int n = 0;
    for (double w : weights()) {
      if (w > 0.01) {
        n++;
      }
    }
    return n;
  }
}
