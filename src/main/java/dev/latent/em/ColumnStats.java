package dev.latent.em;

import java.io.Serializable;

/**
 * Weighted per-column count and mean, and the co-moments of every pair of columns (the data's covariance,
 * for variational priors and the report's principal axes; their diagonal gives the variances): each
 * block's by two passes over its rows, merged across blocks and partitions by Chan et al.'s pairwise
 * update (1979), which stays accurate where sum(x^2) - n mean^2 would cancel.
 */
public final class ColumnStats implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int d;
  public long rows;
  public double weight;
  private double[] mean;
  /** Co-moments sum w (x_i - mean_i)(x_p - mean_p), packed upper triangle row by row (i <= p). */
  private double[] cm;
  /** Smallest and largest value of each column over every row (weighted or not). */
  private double[] min;
  private double[] max;

  /** A block's own moments, and four rows' deviations, reused from block to block (no part of the statistics). */
  private transient ColumnStats scratch;
  private transient double[] dev;

  public ColumnStats(int d) {
    this.d = d;
  }

  private ColumnStats scratch() {
    if (scratch == null) {
      scratch = new ColumnStats(d);
      scratch.mean = new double[d];
      scratch.cm = new double[d * (d + 1) / 2];
      dev = new double[4 * d];
    }
    return scratch;
  }

  /**
   * Adds a block: its weight, mean and centred co-moments by two passes over its rows (the mean, then the
   * products of the deviations from it, four rows at a time), merged in by {@link #mergeMoments}. No
   * division per column and no running mean to wait for, and plain loops that the JIT compiles at once
   * (the E-step's vector kernels run many times slower until compiled, which the load phase would pay).
   */
  public ColumnStats add(DataBlock b) {
    if (min == null) {
      min = new double[d];
      max = new double[d];
      java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }
    double[] x = b.x;
    int n = b.rows;
    rows += n;
    double total = 0.0;
    for (int r = 0; r < n; r++) {
      total += b.weight(r);
    }
    ColumnStats block = scratch();
    block.weight = total;
    double[] mu = block.mean;
    java.util.Arrays.fill(mu, 0.0);
    java.util.Arrays.fill(block.cm, 0.0);
    // The mean as sum (w / W) x: no partial sum exceeds the largest |x|, so none overflows.
    for (int r = 0; r < n; r++) {
      double f = total > 0.0 ? b.weight(r) / total : 0.0;
      for (int i = 0; i < d; i++) {
        double v = x[r * d + i];
        if (v < min[i]) {
          min[i] = v;
        }
        if (v > max[i]) {
          max[i] = v;
        }
        mu[i] += f * v;
      }
    }
    if (total == 0.0) {
      return this;
    }
    // Four rows at a time: each co-moment read and written once per four rows, not once per row.
    double[] wt = new double[4];
    double[] residue = new double[d];
    int r = 0;
    while (r < n) {
      int m = 0;
      for (; m < 4 && r < n; r++) {
        double w = b.weight(r);
        if (w == 0.0) {
          continue;
        }
        wt[m] = w;
        for (int i = 0; i < d; i++) {
          double t = x[r * d + i] - mu[i];
          dev[m * d + i] = t;
          residue[i] += w * t;
        }
        m++;
      }
      for (int z = m; z < 4; z++) {
        wt[z] = 0.0;
        for (int i = 0; i < d; i++) {
          dev[z * d + i] = 0.0;
        }
      }
      int q = 0;
      for (int i = 0; i < d; i++) {
        double a0 = wt[0] * dev[i];
        double a1 = wt[1] * dev[d + i];
        double a2 = wt[2] * dev[2 * d + i];
        double a3 = wt[3] * dev[3 * d + i];
        for (int p = i; p < d; p++) {
          block.cm[q++] += (a0 * dev[p] + a1 * dev[d + p]) + (a2 * dev[2 * d + p] + a3 * dev[3 * d + p]);
        }
      }
    }
    // The deviations' own sum (zero but for the mean's rounding) corrects the products (Chan, Golub and
    // LeVeque 1983, the corrected two-pass algorithm).
    for (int i = 0, q = 0; i < d; i++) {
      for (int p = i; p < d; p++, q++) {
        block.cm[q] -= residue[i] * residue[p] / block.weight;
      }
    }
    mergeMoments(block);
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
      cm = o.cm.clone();
      return;
    }
    double w = weight + o.weight;
    double[] delta = new double[d];
    for (int i = 0; i < d; i++) {
      delta[i] = o.mean[i] - mean[i];
    }
    // n_a n_b / (n_a + n_b) once, as n_a (n_b / n): no product of the two weights to overflow.
    double f = weight * (o.weight / w);
    int q = 0;
    for (int i = 0; i < d; i++) {
      for (int p = i; p < d; p++) {
        cm[q] += o.cm[q] + delta[i] * delta[p] * f;
        q++;
      }
    }
    for (int i = 0; i < d; i++) {
      mean[i] += delta[i] * o.weight / w;
    }
    weight = w;
  }

  public double[] mean() {
    return mean == null ? new double[d] : mean.clone();
  }

  /** Population (divide by the total weight) variance of each column. */
  public double[] variance() {
    double[] v = new double[d];
    for (int i = 0; i < d && cm != null && weight > 0; i++) {
      v[i] = cm[i * d - i * (i - 1) / 2] / weight; // entry (i, i) of the packed triangle
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
