package dev.latent.em;

import dev.latent.math.Kernels;
import dev.latent.math.TileKernels;
import java.io.Serializable;

/**
 * Weighted per-column count, mean and sum of squared deviations, and the co-moments of every pair of
 * columns (the data's covariance, for variational priors and the report's principal axes): each block's
 * by two passes over its rows (the second by the E-step's tile kernels), merged across blocks and partitions by Chan et al.'s pairwise update
 * (1979), which stays accurate where sum(x^2) - n mean^2 would cancel.
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

  /**
   * Adds a block: its weight and mean by a first pass over its rows, then the weighted sums and Gram
   * matrix of the deviations from that mean by the E-step's tile kernels (a tile of 128 rows at a time,
   * as one weighted Gram matrix; {@link TileKernels#centredWeightedGram}), corrected for the deviations'
   * own small sum s: co-moment = Gram - s_i s_p / W (the corrected two-pass algorithm; Chan, Golub and
   * LeVeque 1983); the block is then merged in by {@link #mergeMoments}.
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
    double[] sum = new double[d];
    for (int r = 0; r < n; r++) {
      double w = b.weight(r);
      for (int i = 0; i < d; i++) {
        double v = x[r * d + i];
        if (v < min[i]) {
          min[i] = v;
        }
        if (v > max[i]) {
          max[i] = v;
        }
        sum[i] += w * v;
      }
      total += w;
    }
    if (total == 0.0) {
      return this;
    }
    ColumnStats block = new ColumnStats(d);
    block.weight = total;
    block.mean = new double[d];
    for (int i = 0; i < d; i++) {
      block.mean[i] = sum[i] / total;
    }
    int pad = TileKernels.PAD;
    int tile = 128;
    int gram = d * (d + 1) / 2;
    int count = 1 + d + gram;
    double[] xt = new double[d * tile];
    double[] w = new double[tile];
    double[] diff = new double[d * tile];
    double[] wd = new double[d * tile];
    double[] acc = new double[count * pad];
    TileKernels kernels = Kernels.get();
    for (int row0 = 0; row0 < n; row0 += tile) {
      int nt = Math.min(tile, n - row0);
      int np = (nt + pad - 1) / pad * pad;
      TileKernels.toColumns(x, row0, nt, d, xt, tile);
      for (int r = 0; r < np; r++) {
        w[r] = r < nt ? b.weight(row0 + r) : 0.0;
        for (int i = 0; r >= nt && i < d; i++) {
          xt[i * tile + r] = 0.0;
        }
      }
      kernels.centredWeightedGram(xt, tile, np, d, block.mean, w, diff, wd, acc, 0);
    }
    double[] totals = new double[count];
    TileKernels.addPartials(acc, 0, count, totals, 0);
    block.cm = new double[gram];
    block.m2 = new double[d];
    for (int i = 0, q = 0; i < d; i++) {
      double si = totals[1 + i];
      for (int p = i; p < d; p++, q++) {
        block.cm[q] = totals[1 + d + q] - si * totals[1 + p] / total;
      }
      block.m2[i] = block.cm[TileKernels.upper(i, i, d)];
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
