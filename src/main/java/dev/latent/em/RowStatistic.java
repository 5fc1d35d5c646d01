package dev.latent.em;

import java.io.Serializable;

/**
 * An additive statistic of rows and their responsibilities that a soft E-step accumulates beside the
 * sufficient statistics, into {@link SuffStats#rowStatistic()}: partitions merge it by addition. The one
 * user is the Fisher information of {@code dev.latent.diagnostics} (per-row score outer products), which
 * implements this interface, so the mapper stays the one mapper and {@code em} does not depend on it.
 */
public interface RowStatistic extends Serializable {
  /** Length of the statistic's array. */
  int length();

  /**
   * Adds rows {@code r < n} of a tile: row r is {@code x[(row0 + r) d .. (row0 + r + 1) d)}, its weight
   * {@code w[r]} (0 for a row to skip) and {@code wresp[j][r] = w[r] r_j} its weighted responsibilities.
   */
  void addTile(double[] x, int row0, int n, double[] w, double[][] wresp, double[] acc);
}
