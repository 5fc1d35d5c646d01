package dev.latent.em;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * M-step update rules on merged sufficient statistics (scikit-learn's {@code _estimate_gaussian_parameters}
 * for the four covariance types, and Lloyd's centre update for K-means).
 *
 * <p>A component whose weight vanishes, or whose covariance has no Cholesky factor, does not end the
 * fit: it is re-seeded at the row the current model explains worst, with the data's per-column
 * variance as covariance, and a warning says so (the repair ELKI makes; scikit-learn would stop).
 */
public final class MStep {
  private MStep() {}

  /** scikit-learn adds 10 * machine epsilon to every n_k so that an empty component divides safely. */
  static final double NK_EPS = 10.0 * Math.ulp(1.0);
  /** A component holding less than this fraction of the total weight is treated as empty. */
  static final double EMPTY_FRACTION = 1e-12;

  /** Parameters after an M-step; {@code covariances} is null for K-means. */
  public record Update(double[] weights, double[][] means, double[][] covariances, Mixture mixture,
      List<String> warnings) {}

  /** Gaussian mixture M-step. {@code colVar} is the data's per-column variance, used to re-seed. */
  public static Update gmm(SuffStats s, double[][] shifts, CovarianceType type, double regCovar, double[] colVar) {
    int k = s.k;
    int d = s.d;
    double total = s.weightSum;
    double[] nk = new double[k];
    double[][] means = new double[k][];
    double[][] scatters = new double[k][];
    boolean[] reseed = new boolean[k];
    List<String> warnings = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      double r = s.resp(j);
      nk[j] = r + NK_EPS;
      double[] sum = s.sumOf(j);
      double[] delta = new double[d];
      means[j] = new double[d];
      for (int i = 0; i < d; i++) {
        delta[i] = sum[i] / nk[j];
        means[j][i] = shifts[j][i] + delta[i];
      }
      scatters[j] = aboutMean(s.scatterOf(j), sum, delta, r, d);
      if (!(r > EMPTY_FRACTION * total) || !allFinite(means[j]) || !allFinite(scatters[j])) {
        reseed[j] = true;
        warnings.add(String.format("component %d had weight %.3g of %.6g: re-seeded", j, r, total));
      }
    }
    Candidates rows = new Candidates(s.worst(), means);
    for (int j = 0; j < k; j++) {
      if (reseed[j]) {
        means[j] = rows.next(warnings, j);
        nk[j] = total / k;
        scatters[j] = null;
      }
    }
    double[][] cov = covariances(type, nk, scatters, colVar, regCovar, d);
    for (int attempt = 0; ; attempt++) {
      double[] weights = normalise(nk);
      try {
        Mixture m = Mixture.of(type, weights, means, cov);
        return new Update(weights, means, cov, m, warnings);
      } catch (Mixture.DegenerateComponentException e) {
        if (attempt > 2 * k + 60) {
          throw new IllegalStateException("could not repair the mixture: " + e.getMessage(), e);
        }
        int j = e.component;
        if (type == CovarianceType.TIED || (scatters[j] == null && attempt > k)) {
          // Even the data's own variance is singular here (constant column with regCovar 0): add more
          // to the diagonal, ten times more each time, until the factor exists.
          double extra = Math.max(regCovar, 1e-10) * Math.pow(10, Math.min(attempt, 20));
          addDiagonal(type, cov[j], extra, d);
          warnings.add(String.format("covariance %d is singular: added %.3g to its diagonal", j, extra));
        } else {
          warnings.add("component " + j + " covariance is not positive definite: re-seeded");
          means[j] = rows.next(warnings, j);
          nk[j] = total / k;
          scatters[j] = null;
          cov[j] = fallback(type, colVar, regCovar, d);
        }
      }
    }
  }

  /**
   * scikit-learn's {@code _estimate_gaussian_parameters}: n_k = responsibility sum + 10 eps, the weighted
   * means and the covariances of the type with regCovar on the diagonal, with no repair (the variational
   * M-step needs them as they are: an emptied component keeps n_k = 10 eps and falls back to its prior).
   */
  public record Estimates(double[] nk, double[][] means, double[][] covariances) {}

  public static Estimates estimates(SuffStats s, double[][] shifts, CovarianceType type, double regCovar) {
    int k = s.k;
    int d = s.d;
    double[] nk = new double[k];
    double[][] means = new double[k][];
    double[][] scatters = new double[k][];
    for (int j = 0; j < k; j++) {
      double r = s.resp(j);
      nk[j] = r + NK_EPS;
      double[] sum = s.sumOf(j);
      double[] delta = new double[d];
      means[j] = new double[d];
      for (int i = 0; i < d; i++) {
        delta[i] = sum[i] / nk[j];
        means[j][i] = shifts[j][i] + delta[i];
      }
      scatters[j] = aboutMean(s.scatterOf(j), sum, delta, r, d);
    }
    return new Estimates(nk, means, covariances(type, nk, scatters, null, regCovar, d));
  }

  /** Lloyd's centre update on hard-assignment statistics; an empty cluster moves to the farthest row. */
  public static Update kmeans(SuffStats s, double[][] shifts) {
    return kmeans(s, shifts, false);
  }

  /**
   * As {@link #kmeans(SuffStats, double[][])}; with {@code unit} (spherical K-means) each centre is the
   * mean direction, rescaled to unit length, which maximises the summed cosine similarity of its rows.
   * A cluster whose rows cancel out (mean of length zero) has no direction and is relocated as if empty.
   */
  public static Update kmeans(SuffStats s, double[][] shifts, boolean unit) {
    int k = s.k;
    int d = s.d;
    double total = s.weightSum;
    double[][] centres = new double[k][];
    double[] weights = new double[k];
    List<String> warnings = new ArrayList<>();
    boolean[] empty = new boolean[k];
    for (int j = 0; j < k; j++) {
      double r = s.resp(j);
      weights[j] = total > 0 ? r / total : 0.0;
      if (r > 0.0) {
        double[] sum = s.sumOf(j);
        centres[j] = new double[d];
        for (int i = 0; i < d; i++) {
          centres[j][i] = shifts[j][i] + sum[i] / r;
        }
      }
      if (r > 0.0 && unit && !Distance.normalise(centres[j], 0, d)) {
        empty[j] = true;
        centres[j] = shifts[j].clone();
        warnings.add("cluster " + j + " has no mean direction: moved to the farthest row");
      } else if (!(r > 0.0)) {
        empty[j] = true;
        centres[j] = shifts[j].clone();
        warnings.add("cluster " + j + " is empty: moved to the farthest row");
      }
    }
    Candidates rows = new Candidates(s.worst(), centres);
    for (int j = 0; j < k; j++) {
      if (empty[j]) {
        centres[j] = rows.next(warnings, j);
      }
    }
    return new Update(weights, centres, null, Mixture.forCentres(centres), warnings);
  }

  /** Scatter about the new mean from scatter about the shift: Q - S delta^T - delta S^T + R delta delta^T. */
  private static double[] aboutMean(double[] q, double[] sum, double[] delta, double r, int d) {
    double[] c = q.clone();
    if (c.length == d * d) {
      for (int i = 0; i < d; i++) {
        for (int p = 0; p < d; p++) {
          c[i * d + p] += -sum[i] * delta[p] - delta[i] * sum[p] + r * delta[i] * delta[p];
        }
      }
    } else {
      for (int i = 0; i < d; i++) {
        c[i] += -2.0 * sum[i] * delta[i] + r * delta[i] * delta[i];
      }
    }
    return c;
  }

  private static double[][] covariances(CovarianceType type, double[] nk, double[][] scatters, double[] colVar,
      double reg, int d) {
    int k = nk.length;
    if (type == CovarianceType.TIED) {
      double[] c = new double[d * d];
      double n = 0.0;
      for (int j = 0; j < k; j++) {
        n += nk[j];
        if (scatters[j] != null) {
          for (int i = 0; i < d * d; i++) {
            c[i] += scatters[j][i];
          }
        } else {
          double[] f = fallback(CovarianceType.FULL, colVar, 0.0, d);
          for (int i = 0; i < d * d; i++) {
            c[i] += nk[j] * f[i];
          }
        }
      }
      for (int i = 0; i < d * d; i++) {
        c[i] /= n;
      }
      addDiagonal(type, c, reg, d);
      return new double[][] {c};
    }
    double[][] cov = new double[k][];
    for (int j = 0; j < k; j++) {
      if (scatters[j] == null) {
        cov[j] = fallback(type, colVar, reg, d);
        continue;
      }
      double[] sc = scatters[j];
      switch (type) {
        case FULL: {
          double[] c = new double[d * d];
          for (int i = 0; i < d * d; i++) {
            c[i] = sc[i] / nk[j];
          }
          addDiagonal(type, c, reg, d);
          cov[j] = c;
          break;
        }
        case DIAG: {
          double[] c = new double[d];
          for (int i = 0; i < d; i++) {
            c[i] = sc[i] / nk[j] + reg;
          }
          cov[j] = c;
          break;
        }
        default: {
          double v = 0.0;
          for (int i = 0; i < d; i++) {
            v += sc[i] / nk[j] + reg;
          }
          cov[j] = new double[] {v / d};
        }
      }
    }
    return cov;
  }

  /** The data's per-column variances (plus regCovar) in the shape of the type. */
  static double[] fallback(CovarianceType type, double[] colVar, double reg, int d) {
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = colVar[i] + reg;
    }
    switch (type) {
      case FULL:
      case TIED: {
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
          c[i * d + i] = v[i];
        }
        return c;
      }
      case DIAG:
        return v;
      default:
        return new double[] {Arrays.stream(v).average().orElse(1.0)};
    }
  }

  private static void addDiagonal(CovarianceType type, double[] c, double v, int d) {
    if (c.length == d * d) {
      for (int i = 0; i < d; i++) {
        c[i * d + i] += v;
      }
    } else {
      for (int i = 0; i < c.length; i++) {
        c[i] += v;
      }
    }
  }

  static double[] normalise(double[] nk) {
    double s = 0.0;
    for (double v : nk) {
      s += v;
    }
    double[] w = new double[nk.length];
    for (int j = 0; j < nk.length; j++) {
      w[j] = nk[j] / s;
    }
    return w;
  }

  private static boolean allFinite(double[] a) {
    for (double v : a) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /** Hands out the worst-explained rows in turn, skipping rows that coincide with a current mean. */
  private static final class Candidates {
    private final TopRows worst;
    private final int[] order;
    private final double[][] means;
    private int next;

    Candidates(TopRows worst, double[][] means) {
      this.worst = worst;
      this.order = worst.order();
      this.means = means;
    }

    double[] next(List<String> warnings, int component) {
      while (next < order.length) {
        int i = order[next++];
        double[] row = worst.row(i);
        if (!coincides(row)) {
          long key = worst.key(i);
          warnings.add(String.format("component %d re-seeded at the worst-explained row (row %d of the input)",
              component, DataBlock.positionOf(key) + 1));
          return row;
        }
      }
      // No distinct row is left (e.g. every row is the same point): keep the component where it was.
      warnings.add("component " + component + ": no distinct row left to re-seed it; kept in place");
      return means[component] != null ? means[component].clone() : worst.row(order.length > 0 ? order[0] : 0);
    }

    private boolean coincides(double[] row) {
      for (double[] m : means) {
        if (m != null && Arrays.equals(m, row)) {
          return true;
        }
      }
      return false;
    }
  }
}
