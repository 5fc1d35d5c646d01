package dev.latent.em;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The one order in which partition statistics are added, whatever engine runs the scan. Floating-point
 * addition is not associative, so two engines agree bit for bit only if they add the same partial sums in
 * the same grouping: here, partitions in index order, in consecutive groups of {@code fanIn} folded left,
 * level by level until one is left (a flat left fold when {@code fanIn} is at least the partition count);
 * inside a partition, chunks of {@link #CHUNK_ROWS} rows or more in order, each from zeros.
 * The aggregate engine runs the first levels in Spark tasks and the rest on the driver; every barrier task
 * runs all of them on the gathered statistics. Spark's own treeAggregate adds task results in the order
 * they finish, which is why it is not used for E-step statistics.
 */
public final class OrderedMerge {
  private OrderedMerge() {}

  /**
   * The fan-in for {@code p} partitions and a tree depth: Spark's treeAggregate rule, ceil(p^(1/depth))
   * (at least 2), when one more level saves time (p > fanIn + ceil(p / fanIn)), else p itself (flat).
   */
  public static int fanIn(int p, int depth) {
    int scale = Math.max((int) Math.ceil(Math.pow(p, 1.0 / depth)), 2);
    return p > scale + (p + scale - 1) / scale ? scale : Math.max(p, 1);
  }

  /**
   * Merges per-partition statistics given in partition order (entries may be null for finished
   * candidates). The arrays of {@code parts} are merged into and one of them is returned.
   */
  public static SuffStats[] merge(List<SuffStats[]> parts, int fanIn) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no partition statistics to merge");
    }
    List<SuffStats[]> level = parts;
    while (level.size() > 1) {
      List<SuffStats[]> next = new ArrayList<>();
      for (int g = 0; g < level.size(); g += fanIn) {
        next.add(fold(level.subList(g, Math.min(g + fanIn, level.size()))));
      }
      level = next;
    }
    return level.get(0);
  }

  /** One group: the first entry plus each following one, in order. */
  public static SuffStats[] fold(List<SuffStats[]> group) {
    SuffStats[] acc = group.get(0);
    for (int i = 1; i < group.size(); i++) {
      add(acc, group.get(i));
    }
    return acc;
  }

  /**
   * A partition's chunk: consecutive blocks, as few as hold this many rows, whose statistics start from
   * zeros before they are added in order; the unit the tasks of one executor share a scan in
   * ({@link SharedScan}). Fresh statistics per chunk cost O(K d^2), against O(rows K d^2) for the scan.
   */
  public static final int CHUNK_ROWS = 8192;

  /**
   * The statistics of one partition: its blocks in chunks of {@link #CHUNK_ROWS} rows or more, each chunk
   * into fresh zeros, the chunks folded left in order (entries null where tasks are). {@link SharedScan}
   * gives the same bits when several threads compute the chunks.
   */
  public static SuffStats[] partition(EStepTask[] tasks, Iterator<DataBlock> blocks) {
    SuffStats[] pad = new SuffStats[tasks.length];
    SuffStats[] acc = null;
    while (blocks.hasNext()) {
      SuffStats[] chunk = zeros(tasks, pad);
      for (long rows = 0; rows < CHUNK_ROWS && blocks.hasNext(); ) {
        DataBlock b = blocks.next();
        EStep.accumulate(tasks, b, chunk);
        rows += b.rows;
      }
      acc = acc == null ? chunk : add(acc, chunk);
    }
    return acc == null ? zeros(tasks, null) : acc;
  }

  /** Where each chunk of {@code blocks} starts ({@link #partition}'s chunks), and the end: chunks + 1 entries. */
  static int[] chunkStarts(List<DataBlock> blocks) {
    List<Integer> starts = new ArrayList<>();
    long rows = 0;
    for (int b = 0; b < blocks.size(); b++) {
      if (rows == 0) {
        starts.add(b);
      }
      rows += blocks.get(b).rows;
      if (rows >= CHUNK_ROWS) {
        rows = 0;
      }
    }
    starts.add(blocks.size());
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Fresh zeros for every task (null where a task is); with {@code pad}, one thread's first zeros of each
   * task, every later one shares their kernels' scratch arrays instead of allocating its own.
   */
  static SuffStats[] zeros(EStepTask[] tasks, SuffStats[] pad) {
    SuffStats[] z = new SuffStats[tasks.length];
    for (int c = 0; c < tasks.length; c++) {
      if (tasks[c] == null) {
        continue;
      }
      z[c] = SuffStats.zeroFor(tasks[c]);
      if (pad != null) {
        if (pad[c] == null) {
          pad[c] = z[c];
        } else {
          z[c].shareScratch(pad[c]);
        }
      }
    }
    return z;
  }

  /** {@code o} added into {@code acc} (a group of two for {@link #fold}), returned. */
  static SuffStats[] add(SuffStats[] acc, SuffStats[] o) {
    for (int c = 0; c < acc.length; c++) {
      if (acc[c] != null) {
        acc[c].merge(o[c]);
      }
    }
    return acc;
  }
}
