package dev.latent.em;

import java.io.Serializable;

/**
 * One seeding pass over the rows, in one of two modes.
 *
 * <p>Draw: pick {@code m} rows with probability proportional to weight times the squared distance to the
 * nearest centre chosen so far (k-means++, Arthur and Vassilvitskii 2007), or to weight alone when none is
 * chosen yet (random rows). Sampling without replacement is done by keeping the rows with the largest keys
 * log(u)/p, u uniform per row (Efraimidis and Spirakis 2006), which needs only a max-reduce and gives the
 * same rows for any partitioning.
 *
 * <p>Oversample (k-means||, Bahmani et al. 2012): every row is taken independently with probability
 * min(1, l w D^2 / phi), phi = sum w D^2 over all rows. phi is not known until the scan ends, so the scan
 * keeps the {@code m} rows with the smallest u / (w D^2) and sums phi; a row is taken when
 * u / (w D^2) < l / phi, which the driver decides afterwards. One scan per round instead of two.
 */
public final class SampleTask implements Serializable {
  private static final long serialVersionUID = 1L;

  public final double[][] centres;
  public final long seed;
  public final long step;
  public final int m;
  /** The oversampling factor l of k-means||, or 0 for the draw mode. */
  public final double oversample;

  public SampleTask(double[][] centres, long seed, long step, int m) {
    this(centres, seed, step, m, 0.0);
  }

  private SampleTask(double[][] centres, long seed, long step, int m, double oversample) {
    this.centres = centres;
    this.seed = seed;
    this.step = step;
    this.m = m;
    this.oversample = oversample;
  }

  /** An oversampling round of k-means|| about {@code centres} (at least one), keeping at most m rows. */
  public static SampleTask oversample(double[][] centres, long seed, long step, int m, double l) {
    if (centres.length == 0 || !(l > 0)) {
      throw new IllegalArgumentException("oversampling needs centres and a positive factor");
    }
    return new SampleTask(centres, seed, step, m, l);
  }

  public TopRows zero(int d) {
    return new TopRows(m, d);
  }

  /** Offers every row of the block to {@code acc}. */
  public TopRows accumulate(DataBlock b, TopRows acc) {
    int d = b.d;
    boolean over = oversample > 0;
    for (int r = 0; r < b.rows; r++) {
      double w = b.weight(r);
      if (w == 0.0) {
        continue;
      }
      int off = r * d;
      double p = w;
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
      if (over) {
        acc.cost += p;
      }
      if (!(p > 0.0)) {
        continue;
      }
      long key = b.keys[r];
      double u = RowRandom.uniform(seed, step, key);
      double score = over ? -u / p : Math.log(u) / p;
      if (acc.accepts(score, key)) {
        acc.offer(score, key, b.x, off);
      }
    }
    return acc;
  }
}
