package dev.latent.em;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

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
  /** True for the seed's last seeding scan: its nearest distances are not kept afterwards. */
  public final boolean last;

  public SampleTask(double[][] centres, long seed, long step, int m) {
    this(centres, seed, step, m, 0.0, false);
  }

  private SampleTask(double[][] centres, long seed, long step, int m, double oversample, boolean last) {
    this.centres = centres;
    this.seed = seed;
    this.step = step;
    this.m = m;
    this.oversample = oversample;
    this.last = last;
  }

  /** The same task as its seed's last seeding scan, which drops the distances kept for the seed. */
  public SampleTask lastStep() {
    return new SampleTask(centres, seed, step, m, oversample, true);
  }

  /** An oversampling round of k-means|| about {@code centres} (at least one), keeping at most m rows. */
  public static SampleTask oversample(double[][] centres, long seed, long step, int m, double l) {
    if (centres.length == 0 || !(l > 0)) {
      throw new IllegalArgumentException("oversampling needs centres and a positive factor");
    }
    return new SampleTask(centres, seed, step, m, l, false);
  }

  public TopRows zero(int d) {
    return new TopRows(m, d);
  }

  /** Offers every row of the block to {@code acc}. */
  public TopRows accumulate(DataBlock b, TopRows acc) {
    boolean over = oversample > 0;
    double[] nearest = centres.length > 0 ? nearest(b) : null;
    for (int r = 0; r < b.rows; r++) {
      double w = b.weight(r);
      if (w == 0.0) {
        continue;
      }
      double p = nearest == null ? w : w * nearest[r];
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
        acc.offer(score, key, b.x, r * b.d);
      }
    }
    return acc;
  }

  /**
   * Each row's squared distance to its nearest centre. Seeding adds centres to the same list scan after
   * scan (k-means++ one, k-means|| about l per round), so the minima over the centres a block has already
   * seen under this seed are kept beside the block ({@link #MEMO}) and only the new centres are measured:
   * O(n k d) over all the scans instead of O(n k^2 d). The minimum of the same distances is the same in any
   * order, so the values are those of measuring every centre; a block the memo does not hold (evicted and
   * read back, another executor) is measured in full. At most {@link #MEMO_SEEDS} seeds are kept per block
   * (8 bytes a row each; later seeds are measured in full), and a seed's last scan drops its own.
   */
  double[] nearest(DataBlock b) {
    Map<Long, Nearest> bySeed = MEMO.computeIfAbsent(b, x -> new ConcurrentHashMap<>());
    Nearest seen = bySeed.get(seed);
    int from = 0;
    double[] best = new double[b.rows];
    if (seen != null && seen.prefixOf(centres) && seen.best.length == b.rows) {
      System.arraycopy(seen.best, 0, best, 0, b.rows);
      from = seen.centres.length;
    } else {
      Arrays.fill(best, Double.POSITIVE_INFINITY);
    }
    if (from < centres.length) {
      nearestOf(b.x, b.rows, b.d, centres, from, best);
    }
    if (last) {
      bySeed.remove(seed);
    } else if (seen != null || bySeed.size() < MEMO_SEEDS) {
      // A new state rather than an update in place, so a concurrent attempt at the same block reads a whole one.
      bySeed.put(seed, new Nearest(centres, best));
    }
    return best;
  }

  /**
   * best[r] = min(best[r], min over centres c[from..) of sum_i (x_ri - c_i)^2), each sum in coordinate
   * order (the same bits as one centre at a time); four centres at a time, independent sums the core
   * overlaps.
   */
  static void nearestOf(double[] x, int rows, int d, double[][] c, int from, double[] best) {
    int n = c.length;
    for (int r = 0; r < rows; r++) {
      int off = r * d;
      double m = best[r];
      int j = from;
      for (; j + 4 <= n; j += 4) {
        double[] c0 = c[j];
        double[] c1 = c[j + 1];
        double[] c2 = c[j + 2];
        double[] c3 = c[j + 3];
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        for (int i = 0; i < d; i++) {
          double v = x[off + i];
          double t0 = v - c0[i];
          double t1 = v - c1[i];
          double t2 = v - c2[i];
          double t3 = v - c3[i];
          s0 += t0 * t0;
          s1 += t1 * t1;
          s2 += t2 * t2;
          s3 += t3 * t3;
        }
        m = Math.min(Math.min(m, s0), Math.min(Math.min(s1, s2), s3));
      }
      for (; j < n; j++) {
        double[] cj = c[j];
        double s = 0.0;
        for (int i = 0; i < d; i++) {
          double t = x[off + i] - cj[i];
          s += t * t;
        }
        m = Math.min(m, s);
      }
      best[r] = m;
    }
  }

  /** Seeds whose distances a block keeps at most. */
  static final int MEMO_SEEDS = 8;

  /** Per cached block, per seed: the centres measured so far and each row's nearest squared distance. */
  private static final Map<DataBlock, Map<Long, Nearest>> MEMO = Collections.synchronizedMap(new WeakHashMap<>());

  private record Nearest(double[][] centres, double[] best) {
    /** True when the centres measured are the first ones of {@code all}, bit for bit. */
    boolean prefixOf(double[][] all) {
      if (centres.length > all.length) {
        return false;
      }
      for (int j = 0; j < centres.length; j++) {
        if (centres[j] != all[j] && !Arrays.equals(centres[j], all[j])) {
          return false;
        }
      }
      return true;
    }
  }
}
