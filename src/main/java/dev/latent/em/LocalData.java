package dev.latent.em;

import java.util.List;

/** The data set as a list of blocks in memory: the reference implementation of a {@link DataPass}. */
public final class LocalData implements DataPass {
  private final List<DataBlock> blocks;
  private final int d;

  public LocalData(List<DataBlock> blocks) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("no data blocks");
    }
    this.blocks = blocks;
    this.d = blocks.get(0).d;
  }

  /** One block holding rows x[n][d] (keys are the 1-based row numbers), with optional weights. */
  public static LocalData of(double[][] x, double[] weights, int[] labels) {
    int n = x.length;
    int d = x[0].length;
    double[] flat = new double[n * d];
    long[] keys = new long[n];
    for (int r = 0; r < n; r++) {
      System.arraycopy(x[r], 0, flat, r * d, d);
      keys[r] = DataBlock.rowKey(0, r + 1);
    }
    return new LocalData(List.of(new DataBlock(n, d, flat, keys, weights, labels)));
  }

  @Override
  public SuffStats[] estep(EStepTask[] tasks) {
    // One partition: the engines' order within a partition, so a fit here gives their bits on one.
    return OrderedMerge.partition(tasks, blocks.iterator());
  }

  @Override
  public TopRows[] sample(SampleTask[] tasks) {
    TopRows[] acc = new TopRows[tasks.length];
    for (int c = 0; c < tasks.length; c++) {
      if (tasks[c] != null) {
        acc[c] = tasks[c].zero(d);
        for (DataBlock b : blocks) {
          tasks[c].accumulate(b, acc[c]);
        }
      }
    }
    return acc;
  }

  @Override
  public int dimension() {
    return d;
  }

  public ColumnStats columns() {
    ColumnStats s = new ColumnStats(d);
    for (DataBlock b : blocks) {
      s.add(b);
    }
    return s;
  }
}
