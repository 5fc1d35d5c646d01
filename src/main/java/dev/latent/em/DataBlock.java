package dev.latent.em;

import java.io.Serializable;

/**
 * A block of rows as the E-step reads them: features row-major in one {@code double[]}, so a cached
 * partition is a few large arrays instead of one object per row.
 *
 * <p>{@code keys[r]} identifies row r independently of partitioning (input file and line number); random
 * choices and assignment checks are derived from it. {@code weights} is null when every row weighs 1;
 * {@code labels} is null unless initial labels were read from a column.
 */
public final class DataBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int rows;
  public final int d;
  public final double[] x;
  public final long[] keys;
  public final double[] weights;
  public final int[] labels;

  public DataBlock(int rows, int d, double[] x, long[] keys, double[] weights, int[] labels) {
    if (x.length != rows * d || keys.length != rows
        || (weights != null && weights.length != rows) || (labels != null && labels.length != rows)) {
      throw new IllegalArgumentException("block arrays do not match " + rows + " rows of dimension " + d);
    }
    this.rows = rows;
    this.d = d;
    this.x = x;
    this.keys = keys;
    this.weights = weights;
    this.labels = labels;
  }

  public double weight(int r) {
    return weights == null ? 1.0 : weights[r];
  }

  /** Row key of file {@code file} (0-based), line {@code line} (1-based): 24 bits of file, 40 of line. */
  public static long rowKey(int file, long line) {
    return ((long) file << 40) | line;
  }

  /**
   * The key of the row at 0-based position {@code p} of the input (the rows of the earlier files, sorted
   * by path, then its index among the data rows of its own file), whatever the format: p + 2, the line
   * the row has in one CSV file with a header and no blank lines, so such a file keeps the keys it
   * always had, and the same rows in the same order give the same fit from CSV, Parquet, ORC or JSON.
   */
  public static long positionKey(long p) {
    return p + 2;
  }

  /** The 0-based position of the row with key {@code key} (see {@link #positionKey}). */
  public static long positionOf(long key) {
    return key - 2;
  }

  public static int fileOf(long key) {
    return (int) (key >>> 40);
  }

  public static long lineOf(long key) {
    return key & ((1L << 40) - 1);
  }
}
