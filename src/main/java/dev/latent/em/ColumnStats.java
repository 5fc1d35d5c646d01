package dev.latent.em;

import java.io.Serializable;

/**
 * Weighted per-column count, mean and sum of squared deviations, and the co-moments of every pair of
 * columns (the data's covariance, for variational priors and the report's principal axes), merged
 * across partitions by Chan et al.'s pairwise update (1979), which stays accurate where
 * sum(x^2) - n mean^2 would cancel.
 */
public final class ColumnStats implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int d;
  public long rows;
  public double weight;
  private double[] mean;
  private double[] m2;
  /** Co-moments sum w (x_i - mean_i)(x_p - mean_p), packed upper triangle row by row (i <= p). */
  private double[] cm;
  /** Smallest and largest value of each column over every row (weighted or not). */
  private double[] min;
  private double[] max;

  public ColumnStats(int d) {
    this.d = d;
  }

  /** Adds a block row by row (West's weighted update, 1979). */
  public ColumnStats add(DataBlock b) {
    if (mean == null) {
      mean = new double[d];
      m2 = new double[d];
      cm = new double[d * (d + 1) / 2];
    }
    if (min == null) {
      min = new double[d];
      max = new double[d];
      java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }
    double[] delta = new double[d];
    for (int r = 0; r < b.rows; r++) {
      double w = b.weight(r);
      rows++;
      for (int i = 0; i < d; i++) {
        double v = b.x[r * d + i];
        min[i] = Math.min(min[i], v);
        max[i] = Math.max(max[i], v);
      }
      if (w == 0.0) {
        continue;
      }
      weight += w;
      int off = r * d;
      // The first weighted row sets the mean exactly: delta * w / w can round, and the residue times a
      // large delta (|x| ~ 1e6) would put garbage into m2 and the co-moments.
      boolean first = weight == w;
      for (int i = 0; i < d; i++) {
        delta[i] = b.x[off + i] - mean[i];
        mean[i] = first ? b.x[off + i] : mean[i] + delta[i] * w / weight;
        m2[i] += w * delta[i] * (b.x[off + i] - mean[i]);
      }
      // The same update for every pair: w delta_i (x_p - new mean_p) (West 1979, eq. for co-moments).
      int q = 0;
      for (int i = 0; i < d; i++) {
        double a = w * delta[i];
        for (int p = i; p < d; p++) {
          cm[q++] += a * (b.x[off + p] - mean[p]);
        }
      }
    }
    return this;
  }

  public ColumnStats merge(ColumnStats o) {
    rows += o.rows;
    if (o.min != null) {
      if (min == null) {
        min = o.min.clone();
        max = o.max.clone();
      } else {
        for (int i = 0; i < d; i++) {
          min[i] = Math.min(min[i], o.min[i]);
          max[i] = Math.max(max[i], o.max[i]);
        }
      }
    }
    mergeMoments(o);
    return this;
  }

  /** The largest |x| of each column (0 without rows). */
  public double[] maxAbs() {
    double[] a = new double[d];
    for (int i = 0; i < d && min != null; i++) {
      a[i] = Math.max(Math.abs(min[i]), Math.abs(max[i]));
    }
    return a;
  }

  /** The range (max - min) of each column (0 without rows). */
  public double[] range() {
    double[] a = new double[d];
    for (int i = 0; i < d && min != null; i++) {
      a[i] = max[i] - min[i];
    }
    return a;
  }

  private void mergeMoments(ColumnStats o) {
    if (o.weight == 0.0) {
      return;
    }
    if (weight == 0.0) {
      weight = o.weight;
      mean = o.mean.clone();
      m2 = o.m2.clone();
      cm = o.cm.clone();
      return;
    }
    double w = weight + o.weight;
    double[] delta = new double[d];
    for (int i = 0; i < d; i++) {
      delta[i] = o.mean[i] - mean[i];
    }
    int q = 0;
    for (int i = 0; i < d; i++) {
      for (int p = i; p < d; p++) {
        cm[q] += o.cm[q] + delta[i] * delta[p] * weight * o.weight / w;
        q++;
      }
    }
    for (int i = 0; i < d; i++) {
      mean[i] += delta[i] * o.weight / w;
      m2[i] += o.m2[i] + delta[i] * delta[i] * weight * o.weight / w;
    }
    weight = w;
  }

  public double[] mean() {
    return mean == null ? new double[d] : mean.clone();
  }

  /** Population (divide by the total weight) variance of each column. */
  public double[] variance() {
    double[] v = new double[d];
    for (int i = 0; i < d && m2 != null && weight > 0; i++) {
      v[i] = m2[i] / weight;
    }
    return v;
  }

  /**
   * The d x d covariance (row-major) of the columns: co-moments divided by {@code weight - ddof}
   * (ddof 0: population, as {@link #variance()}; 1: the sample covariance numpy's {@code cov} gives for
   * unit weights). Zero where there is no weight left.
   */
  public double[] covariance(double ddof) {
    double[] c = new double[d * d];
    double div = weight - ddof;
    if (cm == null || !(div > 0)) {
      return c;
    }
    int q = 0;
    for (int i = 0; i < d; i++) {
      for (int p = i; p < d; p++) {
        c[i * d + p] = cm[q] / div;
        c[p * d + i] = cm[q] / div;
        q++;
      }
    }
    return c;
  }
}
