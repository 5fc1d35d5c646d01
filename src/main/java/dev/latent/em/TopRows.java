package dev.latent.em;

import java.io.Serializable;

/**
 * The m rows with the highest score, with their features: mergeable across partitions, and independent of
 * row order (ties go to the smaller row key). Used to draw initial centres (scores are random keys) and to
 * find the rows a mixture explains worst (scores are negative log-densities) for re-seeding.
 */
public final class TopRows implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int m;
  private final int d;
  private int count;
  private double[] scores;
  private long[] keys;
  private double[] x;
  /** Sum over the rows offered of weight times squared distance (k-means|| oversampling needs phi). */
  public double cost;
  /** 1 + the slot of the worst kept row, or 0 when not known: accepts() runs once per row, so it is cached. */
  private transient int worstPlusOne;

  public TopRows(int m, int d) {
    this.m = m;
    this.d = d;
  }

  public int size() {
    return count;
  }

  public double score(int i) {
    return scores[i];
  }

  public long key(int i) {
    return keys[i];
  }

  public double[] row(int i) {
    double[] r = new double[d];
    System.arraycopy(x, i * d, r, 0, d);
    return r;
  }

  /** True if a row with this score and key would enter the set (cheap test before {@link #offer}). */
  public boolean accepts(double score, long key) {
    if (m == 0 || Double.isNaN(score)) {
      return false;
    }
    if (count < m) {
      return true;
    }
    int w = worst();
    return better(score, key, scores[w], keys[w]);
  }

  public void offer(double score, long key, double[] src, int off) {
    if (!accepts(score, key)) {
      return;
    }
    if (scores == null) {
      scores = new double[m];
      keys = new long[m];
      x = new double[m * d];
    }
    int slot = count < m ? count++ : worst();
    worstPlusOne = 0;
    scores[slot] = score;
    keys[slot] = key;
    System.arraycopy(src, off, x, slot * d, d);
  }

  public TopRows merge(TopRows other) {
    cost += other.cost;
    for (int i = 0; i < other.count; i++) {
      offer(other.scores[i], other.keys[i], other.x, i * d);
    }
    return this;
  }

  /** Indices ordered best first. */
  public int[] order() {
    Integer[] idx = new Integer[count];
    for (int i = 0; i < count; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (a, b) -> better(scores[a], keys[a], scores[b], keys[b]) ? -1
        : better(scores[b], keys[b], scores[a], keys[a]) ? 1 : 0);
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  private int worst() {
    if (worstPlusOne > 0) {
      return worstPlusOne - 1;
    }
    int w = 0;
    for (int i = 1; i < count; i++) {
      if (better(scores[w], keys[w], scores[i], keys[i])) {
        w = i;
      }
    }
    worstPlusOne = w + 1;
    return w;
  }

  private static boolean better(double s1, long k1, double s2, long k2) {
    return s1 > s2 || (s1 == s2 && k1 < k2);
  }
}
