package dev.latent.em;

import java.io.Serializable;

/**
 * Weighted per-column count, mean and sum of squared deviations, merged across partitions by Chan et
 * al.'s pairwise update (1979), which stays accurate where sum(x^2) - n mean^2 would cancel.
 */
public final class ColumnStats implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int d;
  public long rows;
  public double weight;
  private double[] mean;
  private double[] m2;

  public ColumnStats(int d) {
    this.d = d;
  }

  /** Adds a block row by row (West's weighted update, 1979). */
  public ColumnStats add(DataBlock b) {
    if (mean == null) {
      mean = new double[d];
      m2 = new double[d];
    }
    for (int r = 0; r < b.rows; r++) {
      double w = b.weight(r);
      rows++;
      if (w == 0.0) {
        continue;
      }
      weight += w;
      int off = r * d;
      for (int i = 0; i < d; i++) {
        double delta = b.x[off + i] - mean[i];
        mean[i] += delta * w / weight;
        m2[i] += w * delta * (b.x[off + i] - mean[i]);
      }
    }
    return this;
  }

  public ColumnStats merge(ColumnStats o) {
    rows += o.rows;
    mergeMoments(o);
    return this;
  }

  private void mergeMoments(ColumnStats o) {
    if (o.weight == 0.0) {
      return;
    }
    if (weight == 0.0) {
      weight = o.weight;
      mean = o.mean.clone();
      m2 = o.m2.clone();
      return;
    }
    double w = weight + o.weight;
    for (int i = 0; i < d; i++) {
      double delta = o.mean[i] - mean[i];
      mean[i] += delta * o.weight / w;
      m2[i] += o.m2[i] + delta * delta * weight * o.weight / w;
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
}
