package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Partitions' scans shared between threads ({@link SharedScan}) against one thread per partition
 * ({@link OrderedMerge#partition}): the same bits (compared as their serialised bytes, every field),
 * whoever computed which chunk and in what order the chunks finished, over scans whose tasks change.
 */
class SharedScanTest {
  private static final int D = 3;
  private static final int ROWS = 1000;

  /** {@code blocks} blocks of 1000 rows around three centres; keys unique across partitions. */
  private static List<DataBlock> partition(int p, int blocks, Random rnd) {
    List<DataBlock> out = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      double[] x = new double[ROWS * D];
      long[] keys = new long[ROWS];
      for (int r = 0; r < ROWS; r++) {
        int j = rnd.nextInt(3);
        for (int i = 0; i < D; i++) {
          x[r * D + i] = 50.0 + 5.0 * j + (1 + i) * rnd.nextGaussian();
        }
        keys[r] = DataBlock.rowKey(p, (long) b * ROWS + r + 1);
      }
      out.add(new DataBlock(ROWS, D, x, keys, null, null));
    }
    return out;
  }

  /** Scan s's tasks: a soft full GMM, a finished candidate (null) and K-means, all moved with s. */
  private static EStepTask[] tasks(int s) throws Mixture.DegenerateComponentException {
    double[][] means = {{50 + 0.1 * s, 50, 50}, {55, 55 - 0.1 * s, 55}, {60, 60, 60 + 0.05 * s}};
    double[][] cov = new double[3][];
    for (int j = 0; j < 3; j++) {
      cov[j] = new double[] {2, 0.3, 0.1, 0.3, 3, 0.2, 0.1, 0.2, 4};
    }
    Mixture m = Mixture.of(CovarianceType.FULL, new double[] {0.3, 0.3, 0.4}, means, cov);
    return new EStepTask[] {
        EStepTask.under(m, false, EStepTask.Scatter.FULL), null, EStepTask.nearest(means, EStepTask.Scatter.NONE)};
  }

  private static byte[] bytes(Serializable o) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    return b.toByteArray();
  }

  /** The thread's own copy of the tasks, as a barrier task deserialises its own. */
  private static EStepTask[] copy(EStepTask[] t) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes(t)))) {
      return (EStepTask[]) in.readObject();
    }
  }

  @Test
  void aHelperBeforeTheOwnerGivesTheOwnersBits() throws Exception {
    // Chunks of 9 blocks (8192 rows or more): 3, the last one short.
    List<DataBlock> blocks = partition(0, 21, new Random(5));
    SharedScan scan = new SharedScan(blocks);
    for (int s = 0; s < 3; s++) {
      EStepTask[] tasks = tasks(s);
      byte[] alone = bytes(OrderedMerge.partition(tasks, blocks.iterator()));
      // Another thread's copy of the tasks takes every chunk before the owner comes.
      assertEquals(3, scan.help(s, copy(tasks), new SuffStats[tasks.length]));
      assertEquals(0, scan.help(s, tasks, new SuffStats[tasks.length]), "nothing left to claim");
      assertArrayEquals(alone, bytes(scan.result(s, tasks)), "scan " + s);
    }
    // A helper still on an earlier scan finds nothing to do.
    assertEquals(0, scan.help(1, tasks(1), new SuffStats[3]));
    // Chunks change the sums' grouping: over one chunk they are the old block-by-block sums exactly.
    List<DataBlock> eight = blocks.subList(0, 8);
    EStepTask[] tasks = tasks(0);
    SuffStats[] old = new SuffStats[tasks.length];
    for (int c = 0; c < tasks.length; c++) {
      old[c] = tasks[c] == null ? null : SuffStats.zeroFor(tasks[c]);
    }
    for (DataBlock b : eight) {
      EStep.accumulate(tasks, b, old);
    }
    assertArrayEquals(bytes(old), bytes(OrderedMerge.partition(tasks, eight.iterator())));
    SuffStats[] none = OrderedMerge.partition(tasks, List.<DataBlock>of().iterator());
    assertTrue(none[0].isEmpty() && none[1] == null && none[2].isEmpty(), "no blocks: zeros");
  }

  @Test
  void aChunkThatFailsFailsTheOwnerInsteadOfLeavingItWaiting() throws Exception {
    List<DataBlock> blocks = new ArrayList<>(partition(0, 20, new Random(3)));
    // Chunk 1 (from block 9) holds a block of the wrong dimension: the E-step refuses it.
    blocks.set(12, new DataBlock(2, 2, new double[4], new long[] {1, 2}, null, null));
    SharedScan scan = new SharedScan(blocks);
    EStepTask[] tasks = tasks(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> scan.help(0, copy(tasks), new SuffStats[tasks.length]));
    assertTrue(e.getMessage().contains("dimension"), e.getMessage());
    // The helper stopped at its failed chunk; the owner takes the rest and then hears of the failure.
    assertEquals(1, scan.help(0, tasks, new SuffStats[tasks.length]));
    IllegalStateException f = assertThrows(IllegalStateException.class,
        () -> scan.result(0, tasks));
    assertTrue(f.getCause() == e && f.getMessage().contains("failed"), f.getMessage());
  }

  @Test
  void threadsSharingSkewedPartitionsGiveEachPartitionsOwnBits() throws Exception {
    Random rnd = new Random(11);
    int[] sizes = {135, 9, 1};
    List<List<DataBlock>> parts = new ArrayList<>();
    List<SharedScan> scans = new ArrayList<>();
    for (int p = 0; p < sizes.length; p++) {
      parts.add(partition(p, sizes[p], rnd));
      scans.add(new SharedScan(parts.get(p)));
    }
    int scanCount = 8;
    byte[][][] alone = new byte[scanCount][sizes.length][];
    for (int s = 0; s < scanCount; s++) {
      for (int p = 0; p < sizes.length; p++) {
        alone[s][p] = bytes(OrderedMerge.partition(tasks(s), parts.get(p).iterator()));
      }
    }
    // One owner thread per partition, as the barrier tasks of one executor; a scan starts when all are done.
    CyclicBarrier between = new CyclicBarrier(sizes.length);
    AtomicLong helped = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(sizes.length);
    try {
      List<Future<byte[][]>> owners = new ArrayList<>();
      for (int p = 0; p < sizes.length; p++) {
        int mine = p;
        owners.add(pool.submit(() -> {
          byte[][] got = new byte[scanCount][];
          for (int s = 0; s < scanCount; s++) {
            between.await(1, TimeUnit.MINUTES);
            EStepTask[] tasks = copy(tasks(s));
            SuffStats[] pad = new SuffStats[tasks.length];
            scans.get(mine).help(s, tasks, pad);
            for (int o = 0; o < sizes.length; o++) {
              if (o != mine) {
                helped.addAndGet(scans.get(o).help(s, tasks, pad));
              }
            }
            got[s] = bytes(scans.get(mine).result(s, tasks));
          }
          return got;
        }));
      }
      for (int p = 0; p < sizes.length; p++) {
        byte[][] got = owners.get(p).get(2, TimeUnit.MINUTES);
        for (int s = 0; s < scanCount; s++) {
          assertArrayEquals(alone[s][p], got[s], "partition " + p + ", scan " + s);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    // Partition 0's 15 chunks against 1 and 1: the small partitions' threads take some of them.
    assertTrue(helped.get() > 0, "chunks computed for another partition: " + helped.get());
  }
}
