package dev.latent.em;

import java.io.Serializable;

/**
 * One seeding pass: draw {@code m} rows with probability proportional to weight times the squared
 * distance to the nearest centre chosen so far (k-means++, Arthur and Vassilvitskii 2007), or to weight
 * alone when none is chosen yet (random rows). Sampling without replacement is done by keeping the rows
 * with the largest keys log(u)/p, u uniform per row (Efraimidis and Spirakis 2006), which needs only a
 * max-reduce and gives the same rows for any partitioning.
 */
public final class SampleTask implements Serializable {
  private static final long serialVersionUID = 1L;

  public final double[][] centres;
  public final long seed;
  public final long step;
  public final int m;

  public SampleTask(double[][] centres, long seed, long step, int m) {
    this.centres = centres;
    this.seed = seed;
    this.step = step;
    this.m = m;
  }

  public TopRows zero(int d) {
    return new TopRows(m, d);
  }

  /** Offers every row of the block to {@code acc}. */
  public TopRows accumulate(DataBlock b, TopRows acc) {
    int d = b.d;
    for (int r = 0; r < b.rows; r++) {
      double p = b.weight(r);
      if (p == 0.0) {
        continue;
      }
      int off = r * d;
      if (centres.length > 0) {
        double best = Double.POSITIVE_INFINITY;
        for (double[] c : centres) {
          double s = 0.0;
          for (int i = 0; i < d; i++) {
            double t = b.x[off + i] - c[i];
            s += t * t;
          }
          best = Math.min(best, s);
        }
        p *= best;
      }
      if (!(p > 0.0)) {
        continue;
      }
      long key = b.keys[r];
      double score = Math.log(RowRandom.uniform(seed, step, key)) / p;
      if (acc.accepts(score, key)) {
        acc.offer(score, key, b.x, off);
      }
    }
    return acc;
  }
}
