package dev.latent.math;

import java.io.Serializable;
import java.util.Arrays;
import java.util.function.LongUnaryOperator;

/**
 * Exact selection of the r-th smallest of many doubles held elsewhere (a distributed data set) in a few
 * counting passes, without gathering the values: each pass counts the values per bin of the remaining
 * range, the bin holding rank r becomes the new range, and once it holds few enough values they are
 * fetched and sorted.
 *
 * <p>Bins split the range of order-preserving 64-bit keys of the doubles (see {@link #key}), not the
 * range of values, so every pass narrows the candidates by a factor {@link #BINS} whatever the
 * distribution (heavy tails, ties, infinities): at most ceil(64 / 10) = 7 counting passes and one
 * fetch. Bin membership is decided by integer comparisons only, so passes agree exactly on it.
 */
public final class RankSelect {
  /** Bins per counting pass: 1024 counts travel to the driver per pass. */
  public static final int BINS = 1024;

  private RankSelect() {}

  /** Counts the values whose key falls in each bin (values outside the bins' range are not counted). */
  public interface Counter {
    long[] counts(Bins bins);
  }

  /** The values whose key lies in [lo, hi]. */
  public interface Fetcher {
    double[] values(long lo, long hi);
  }

  /** The outcome: the value of the given rank (NaN when rank is 0), n, and how many passes it took. */
  public record Result(double value, long rank, long n, int passes) {}

  /** Keys in [lo, hi] split into {@code count} bins of {@code width} keys (the last may be shorter). */
  public record Bins(long lo, long hi, long width, int count) implements Serializable {
    private static final long serialVersionUID = 1L;

    static Bins over(long lo, long hi, int bins) {
      long span = hi - lo; // keys - 1, as an unsigned number (may exceed Long.MAX_VALUE)
      long width = Long.divideUnsigned(span, bins) + 1;
      int count = (int) Long.divideUnsigned(span, width) + 1;
      return new Bins(lo, hi, width, count);
    }

    /** The bin of v, or -1 when its key is outside [lo, hi]. */
    public int bin(double v) {
      long key = key(v);
      if (key < lo || key > hi) {
        return -1;
      }
      return (int) Long.divideUnsigned(key - lo, width);
    }

    long binLo(int b) {
      return lo + b * width;
    }

    long binHi(int b) {
      return b == count - 1 ? hi : lo + (b + 1) * width - 1;
    }
  }

  /**
   * An order-preserving map from doubles to longs: for non-NaN a < b (and -0.0 before 0.0),
   * key(a) < key(b). Negative doubles have their magnitude bits flipped so they sort in reverse.
   */
  public static long key(double v) {
    long bits = Double.doubleToRawLongBits(v);
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  public static double value(long key) {
    return Double.longBitsToDouble(key ^ ((key >> 63) & Long.MAX_VALUE));
  }

  /**
   * The value of rank {@code rankOf(n)} (1-based, clamped to [0, n]) among all n values. The first pass
   * covers every double, which also gives n. Values are fetched once their bin holds at most
   * {@code fetchLimit}. NaN values are not counted.
   */
  public static Result select(LongUnaryOperator rankOf, Counter counter, Fetcher fetcher, int fetchLimit) {
    long lo = key(Double.NEGATIVE_INFINITY);
    long hi = key(Double.POSITIVE_INFINITY);
    long n = -1;
    long target = 0;
    long rank = 0;
    int passes = 0;
    while (true) {
      Bins bins = Bins.over(lo, hi, BINS);
      long[] counts = counter.counts(bins);
      passes++;
      if (n < 0) {
        n = 0;
        for (long c : counts) {
          n += c;
        }
        target = Math.max(0, Math.min(n, rankOf.applyAsLong(n)));
        rank = target;
        if (rank == 0) {
          return new Result(Double.NaN, 0, n, passes);
        }
      }
      // rank is relative to the current range: find the bin where the running count reaches it.
      int b = 0;
      while (rank > counts[b]) {
        rank -= counts[b];
        b++;
      }
      lo = bins.binLo(b);
      hi = bins.binHi(b);
      if (lo == hi) {
        return new Result(value(lo), target, n, passes);
      }
      if (counts[b] <= fetchLimit) {
        double[] v = fetcher.values(lo, hi);
        passes++;
        if (v.length != counts[b]) {
          throw new IllegalStateException("the data changed between passes: " + v.length + " values fetched, "
              + counts[b] + " counted");
        }
        Arrays.sort(v);
        return new Result(v[(int) rank - 1], target, n, passes);
      }
    }
  }
}
