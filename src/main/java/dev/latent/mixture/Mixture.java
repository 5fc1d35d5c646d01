package dev.latent.mixture;

import dev.latent.math.Cholesky;
import java.io.Serializable;

/**
 * Parameters of a Gaussian mixture as the E-step needs them: log weights, means, and the factor of each
 * precision (see {@link Cholesky}). Immutable; this is what the driver broadcasts.
 *
 * <p>Covariances are stored in the shape of their type: full {@code [k][d*d]}, tied {@code [1][d*d]},
 * diag {@code [k][d]}, spherical {@code [k][1]}. K-means is the spherical mixture with unit variance and
 * equal weights, assigned by argmax (see {@link #forCentres}).
 */
public final class Mixture implements Serializable {
  private static final long serialVersionUID = 1L;
  static final double LOG_2PI = Math.log(2.0 * Math.PI);

  public final int k;
  public final int d;
  public final CovarianceType type;
  private final double[] weights;
  private final double[][] means;
  private final double[][] covariances;
  // Derived: precision factors in the covariance's shape, and log w_j - d/2 log 2pi + log det P_j^(1/2).
  private final double[][] precFactors;
  private final double[] logNorm;

  private Mixture(CovarianceType type, double[] weights, double[][] means, double[][] covariances,
      double[][] precFactors, double[] logNorm) {
    this.k = weights.length;
    this.d = means[0].length;
    this.type = type;
    this.weights = weights;
    this.means = means;
    this.covariances = covariances;
    this.precFactors = precFactors;
    this.logNorm = logNorm;
  }

  /** Thrown when a component's covariance has no Cholesky factor; names the component. */
  public static final class DegenerateComponentException extends Exception {
    private static final long serialVersionUID = 1L;
    public final int component;

    public DegenerateComponentException(int component, String why) {
      super("component " + component + ": " + why);
      this.component = component;
    }
  }

  /**
   * Builds a mixture, factorising every covariance. Arrays are copied. Weights must be positive;
   * they are used as given (callers normalise).
   */
  public static Mixture of(CovarianceType type, double[] weights, double[][] means, double[][] covariances)
      throws DegenerateComponentException {
    int k = weights.length;
    int d = means[0].length;
    if (means.length != k || covariances.length != type.blocks(k)) {
      throw new IllegalArgumentException("shapes do not match k=" + k + " for " + type.key());
    }
    double[][] factors = new double[covariances.length][];
    double[] logDet = factorise(type, covariances, d, factors);
    double[] logNorm = new double[k];
    for (int j = 0; j < k; j++) {
      if (!(weights[j] > 0.0) || !Double.isFinite(weights[j])) {
        throw new DegenerateComponentException(j, "weight " + weights[j] + " is not positive");
      }
      logNorm[j] = Math.log(weights[j]) - 0.5 * d * LOG_2PI + logDet[type == CovarianceType.TIED ? 0 : j];
    }
    return new Mixture(type, weights.clone(), deepCopy(means), deepCopy(covariances), factors, logNorm);
  }

  /**
   * A variational mixture (the {@code vb} package's posterior): the same precision factors from the
   * covariances, and logit constants {@code logTerms[j] - d/2 log 2pi + log det P_j^(1/2)} in place of
   * {@code log w_j - ...}, so the E-step's kernels compute its expected log-probabilities unchanged.
   * {@code weights} (the expected weights) are only reported. Arrays are copied.
   */
  public static Mixture variational(CovarianceType type, double[] weights, double[][] means, double[][] covariances,
      double[] logTerms) throws DegenerateComponentException {
    int k = weights.length;
    int d = means[0].length;
    if (means.length != k || logTerms.length != k || covariances.length != type.blocks(k)) {
      throw new IllegalArgumentException("shapes do not match k=" + k + " for " + type.key());
    }
    double[][] factors = new double[covariances.length][];
    double[] logDet = factorise(type, covariances, d, factors);
    double[] logNorm = new double[k];
    for (int j = 0; j < k; j++) {
      logNorm[j] = logTerms[j] - 0.5 * d * LOG_2PI + logDet[type == CovarianceType.TIED ? 0 : j];
      if (!Double.isFinite(logNorm[j])) {
        throw new DegenerateComponentException(j, "its expected log-weight is not finite");
      }
    }
    return new Mixture(type, weights.clone(), deepCopy(means), deepCopy(covariances), factors, logNorm);
  }

  /** The K-means mixture: equal weights, unit spherical variance, so argmax of the logits is the nearest centre. */
  public static Mixture forCentres(double[][] centres) {
    int k = centres.length;
    double[] w = new double[k];
    double[][] cov = new double[k][];
    for (int j = 0; j < k; j++) {
      w[j] = 1.0 / k;
      cov[j] = new double[] {1.0};
    }
    try {
      return of(CovarianceType.SPHERICAL, w, centres, cov);
    } catch (DegenerateComponentException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every covariance block's precision factor into {@code factors}; returns their log det P^(1/2). */
  private static double[] factorise(CovarianceType type, double[][] covariances, int d, double[][] factors)
      throws DegenerateComponentException {
    double[] logDet = new double[covariances.length];
    for (int b = 0; b < covariances.length; b++) {
      if (covariances[b].length != type.blockLength(d)) {
        throw new IllegalArgumentException("covariance " + b + " has length " + covariances[b].length);
      }
      try {
        factors[b] = precisionFactor(type, covariances[b], d);
      } catch (Cholesky.NotPositiveDefiniteException e) {
        throw new DegenerateComponentException(b, e.getMessage());
      }
      logDet[b] = logDetFactor(type, factors[b], d);
    }
    return logDet;
  }

  public static double[] precisionFactor(CovarianceType type, double[] cov, int d)
      throws Cholesky.NotPositiveDefiniteException {
    switch (type) {
      case FULL:
      case TIED:
        return Cholesky.invertLower(Cholesky.decompose(cov, d), d);
      case DIAG: {
        double[] f = new double[d];
        for (int i = 0; i < d; i++) {
          if (!(cov[i] > 0.0) || Double.isInfinite(cov[i])) {
            throw new Cholesky.NotPositiveDefiniteException(i, cov[i]);
          }
          f[i] = 1.0 / Math.sqrt(cov[i]);
        }
        return f;
      }
      default:
        if (!(cov[0] > 0.0) || Double.isInfinite(cov[0])) {
          throw new Cholesky.NotPositiveDefiniteException(0, cov[0]);
        }
        return new double[] {1.0 / Math.sqrt(cov[0])};
    }
  }

  private static double logDetFactor(CovarianceType type, double[] f, int d) {
    switch (type) {
      case FULL:
      case TIED:
        return Cholesky.logDiagSum(f, d);
      case DIAG: {
        double s = 0.0;
        for (double v : f) {
          s += Math.log(v);
        }
        return s;
      }
      default:
        return d * Math.log(f[0]);
    }
  }

  /**
   * Squared Mahalanobis distance of row {@code x[off..off+d)} to every component, into {@code maha[0..k)},
   * and the logits log w_j + log N(x | mu_j, Sigma_j) into {@code logits[0..k)}. {@code diff} is
   * scratch of length d.
   */
  public void logits(double[] x, int off, double[] maha, double[] logits, double[] diff) {
    for (int j = 0; j < k; j++) {
      double[] mu = means[j];
      double m2;
      switch (type) {
        case FULL:
        case TIED: {
          double[] f = precFactors[type == CovarianceType.TIED ? 0 : j];
          for (int i = 0; i < d; i++) {
            diff[i] = x[off + i] - mu[i];
          }
          // y = L^-1 (x - mu): row i of the lower-triangular factor against diff[0..i].
          m2 = 0.0;
          for (int i = 0; i < d; i++) {
            double y = 0.0;
            int row = i * d;
            for (int p = 0; p <= i; p++) {
              y += f[row + p] * diff[p];
            }
            m2 += y * y;
          }
          break;
        }
        case DIAG: {
          double[] f = precFactors[j];
          m2 = 0.0;
          for (int i = 0; i < d; i++) {
            double y = (x[off + i] - mu[i]) * f[i];
            m2 += y * y;
          }
          break;
        }
        default: {
          double s = 0.0;
          for (int i = 0; i < d; i++) {
            double t = x[off + i] - mu[i];
            s += t * t;
          }
          double f = precFactors[j][0];
          m2 = s * f * f;
        }
      }
      maha[j] = m2;
      logits[j] = logNorm[j] - 0.5 * m2;
    }
  }

  /** log w_j - d/2 log 2pi + log det P_j^(1/2): the logit of a row at the mean. Not copied: for kernels. */
  public double logNorm(int j) {
    return logNorm[j];
  }

  /** Component j's precision factor in the covariance's shape (tied: the shared one). Not copied. */
  public double[] factorOf(int j) {
    return precFactors[type == CovarianceType.TIED ? 0 : j];
  }

  /** Component j's mean. Not copied: for kernels, which only read it. */
  public double[] meanOf(int j) {
    return means[j];
  }

  public double weight(int j) {
    return weights[j];
  }

  public double[] weights() {
    return weights.clone();
  }

  public double[] mean(int j) {
    return means[j].clone();
  }

  public double[][] means() {
    return deepCopy(means);
  }

  public double[][] covariances() {
    return deepCopy(covariances);
  }

  /** Full d x d covariance of component j (row-major), whatever the type; for sampling and reports. */
  public double[] fullCovariance(int j) {
    double[] c = covariances[type == CovarianceType.TIED ? 0 : j];
    double[] out = new double[d * d];
    switch (type) {
      case FULL:
      case TIED:
        return c.clone();
      case DIAG:
        for (int i = 0; i < d; i++) {
          out[i * d + i] = c[i];
        }
        return out;
      default:
        for (int i = 0; i < d; i++) {
          out[i * d + i] = c[0];
        }
        return out;
    }
  }

  public static double[][] deepCopy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
