package dev.latent.em;

import dev.latent.mixture.ModelKind;
import java.util.ArrayList;
import java.util.List;

/**
 * One power of two, c = 2^exponent, by which every feature is multiplied before fitting data whose values
 * are extreme (largest |x| above {@link #LARGE} or largest column range below {@link #SMALL}), so that
 * squared differences neither overflow nor underflow. Multiplying by a power of two is exact in binary
 * floating point (while results stay normal), so the fit in scaled units is the fit in original units:
 * means scale by c, covariances by c^2, log-densities shift by -d log c, and {@code --reg-covar} (in
 * original units) becomes regCovar c^2. Ordinary data are never scaled (exponent 0), so their fits are
 * unchanged to the bit.
 */
public record Scaling(int exponent) implements java.io.Serializable {
  public static final double LARGE = 1e150;
  public static final double SMALL = 1e-150;
  /** Exponents of scaled values and of the scaled reg-covar stay within +-LIMIT: normal doubles. */
  private static final int LIMIT = 1000;

  public static final Scaling NONE = new Scaling(0);

  /**
   * The scaling for data with these column statistics: none unless the largest |x| exceeds LARGE or the
   * largest range is positive and below SMALL; then the exponent that brings the largest range to
   * [1, 2) as in ordinary data, bounded so that no value overflows and regCovar c^2 stays a normal
   * double (regCovar is exact in the scaled units too).
   */
  public static Scaling choose(ColumnStats columns, double regCovar) {
    double maxAbs = 0;
    double range = 0;
    for (double v : columns.maxAbs()) {
      maxAbs = Math.max(maxAbs, v);
    }
    for (double v : columns.range()) {
      range = Math.max(range, v);
    }
    if (!(maxAbs > LARGE || range < SMALL) || range == 0) {
      return NONE;
    }
    int e = -Math.getExponent(range);
    e = Math.min(e, LIMIT - Math.getExponent(maxAbs));
    if (regCovar > 0) {
      int g = Math.getExponent(regCovar);
      e = Math.min(e, (LIMIT - g) / 2);
      e = Math.max(e, (-LIMIT - g + 1) / 2);
    }
    return e == 0 ? NONE : new Scaling(e);
  }

  public boolean active() {
    return exponent != 0;
  }

  /** c = 2^exponent. */
  public double factor() {
    return Math.scalb(1.0, exponent);
  }

  /** reg-covar in scaled units: regCovar c^2. */
  public double regCovar(double regCovar) {
    return Math.scalb(regCovar, 2 * exponent);
  }

  /** Initial parameters in scaled units. */
  public StartParams scaled(StartParams s) {
    if (s == null || !active()) {
      return s;
    }
    return new StartParams(s.kind(), s.covariance(), s.weights(), scale(s.means(), exponent),
        s.covariances() == null ? null : scale(s.covariances(), 2 * exponent));
  }

  /** Parameters in scaled units (for scoring scaled rows). */
  public double[][] scaledMeans(double[][] means) {
    return scale(means, exponent);
  }

  public double[][] scaledCovariances(double[][] cov) {
    return cov == null ? null : scale(cov, 2 * exponent);
  }

  /**
   * A fit in scaled units as the fit in original units: means / c, covariances / c^2, inertia / c^2,
   * log-likelihoods + w d log c (mean log-likelihoods + d log c). Responsibilities, weights and sizes do
   * not change.
   */
  public FitResult original(FitResult r) {
    if (!active()) {
      return r;
    }
    int d = r.d();
    // p(x) = c^d p_c(c x): log-densities in original units gain d log c.
    double shift = exponent * d * Math.log(2.0);
    double[] trace = r.trace().clone();
    for (int i = 0; i < trace.length; i++) {
      trace[i] += shift;
    }
    double[] inertiaTrace = scale(r.inertiaTrace(), -2 * exponent);
    double[] scores = r.candidateScores().clone();
    for (int i = 0; i < scores.length; i++) {
      // GMM candidates are compared by mean log-likelihood, K-means ones by minus the mean inertia.
      scores[i] = r.kind() == ModelKind.GMM ? scores[i] + shift : Math.scalb(scores[i], -2 * exponent);
    }
    return new FitResult(r.kind(), r.covariance(), r.weights(), scale(r.means(), -exponent),
        r.covariances() == null ? null : scale(r.covariances(), -2 * exponent), r.iterations(), r.converged(),
        trace, inertiaTrace, r.initIterations(), r.logLik() + shift * r.weightSum(), r.classLogLik(),
        Math.scalb(r.inertia(), -2 * exponent), r.weightSum(), r.rows(), r.clusterWeights(), r.warnings(),
        r.candidate(), scores, r.init());
  }

  /**
   * What in a fit (in original units) is not a finite number, e.g. "covariances[0][1][1]" (the column
   * index is then known), or null when everything is finite.
   */
  public static NotFinite notFinite(FitResult r) {
    int d = r.d();
    for (int j = 0; j < r.k(); j++) {
      for (int i = 0; i < d; i++) {
        if (!Double.isFinite(r.means()[j][i])) {
          return new NotFinite("the mean of component " + j, i);
        }
      }
    }
    if (r.covariances() != null) {
      for (int j = 0; j < r.covariances().length; j++) {
        double[] c = r.covariances()[j];
        for (int q = 0; q < c.length; q++) {
          if (!Double.isFinite(c[q])) {
            int col = c.length == d * d ? q / d : c.length == d ? q : -1;
            return new NotFinite("the covariance of component " + j, col);
          }
        }
      }
    }
    boolean gmm = r.kind() == ModelKind.GMM;
    List<double[]> scores = new ArrayList<>(List.of(r.trace(), r.inertiaTrace(), r.candidateScores(),
        new double[] {r.logLik(), r.bic(), r.aic(), gmm ? r.icl() : r.inertia()}));
    for (double[] v : scores) {
      for (double x : v) {
        if (!Double.isFinite(x)) {
          return new NotFinite(r.kind() == ModelKind.GMM ? "the log-likelihood" : "the inertia", -1);
        }
      }
    }
    return null;
  }

  /** A quantity that would not be finite, and the column it belongs to (-1: no single column). */
  public record NotFinite(String what, int column) {}

  private static double[][] scale(double[][] a, int e) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = scale(a[i], e);
    }
    return out;
  }

  private static double[] scale(double[] a, int e) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = Math.scalb(a[i], e);
    }
    return out;
  }
}
