package dev.latent.em;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One partition's scans, shared by the threads of one process: each scan's chunks
 * ({@link OrderedMerge#CHUNK_ROWS} rows or more) are claimed one at a time by whichever thread is free, each
 * computed from zeros with that thread's own copy of the tasks, and added in chunk order as soon as every
 * earlier chunk is in. The statistics are {@link OrderedMerge#partition}'s bits whoever computed which chunk,
 * and a task that finishes its own partition early takes chunks of another's instead of waiting for it.
 *
 * <p>Scans are numbered by the caller, the same numbers for every partition; a thread may start another
 * partition's scan before its owner does, never one that partition has finished.
 */
public final class SharedScan {
  private final List<DataBlock> blocks;
  private final int[] starts;
  private final int chunks;
  private final AtomicReference<Work> current = new AtomicReference<>(new Work(-1, 0));

  public SharedScan(List<DataBlock> blocks) {
    this.blocks = blocks;
    this.starts = OrderedMerge.chunkStarts(blocks);
    this.chunks = starts.length - 1;
  }

  /**
   * Computes chunks of scan {@code scan} that no thread has claimed yet, until none is left; {@code tasks}
   * are this thread's copy of the scan's tasks and {@code pad} its scratch (see {@link OrderedMerge#zeros}).
   * Returns how many chunks this call computed.
   */
  public int help(long scan, EStepTask[] tasks, SuffStats[] pad) {
    Work w = work(scan);
    if (w == null) {
      return 0;
    }
    int done = 0;
    for (int c = w.next.getAndIncrement(); c < chunks; c = w.next.getAndIncrement(), done++) {
      SuffStats[] s = null;
      try {
        s = chunk(tasks, c, pad);
      } catch (RuntimeException | Error e) {
        w.failed = e;
        throw e;
      } finally {
        w.done(c, s);
      }
    }
    return done;
  }

  /** The statistics of scan {@code scan} once all its chunks are in: the owner's call, after helping. */
  public SuffStats[] result(long scan, EStepTask[] tasks) throws InterruptedException {
    Work w = work(scan);
    if (w == null) {
      throw new IllegalStateException("scan " + scan + " asked of a partition already past it");
    }
    w.left.await();
    if (w.failed != null) {
      throw new IllegalStateException("a thread computing this partition's chunks failed: " + w.failed, w.failed);
    }
    return w.acc == null ? OrderedMerge.zeros(tasks, null) : w.acc;
  }

  private SuffStats[] chunk(EStepTask[] tasks, int c, SuffStats[] pad) {
    SuffStats[] s = OrderedMerge.zeros(tasks, pad);
    for (int b = starts[c]; b < starts[c + 1]; b++) {
      EStep.accumulate(tasks, blocks.get(b), s);
    }
    return s;
  }

  /**
   * The scan's work, made by the first thread to come to it; null if the partition is on a later scan
   * (a helper of a scan that is over: every chunk of it was claimed, so a late helper finds none either).
   */
  private Work work(long scan) {
    while (true) {
      Work w = current.get();
      if (w.scan == scan) {
        return w;
      }
      if (w.scan > scan) {
        return null;
      }
      Work next = new Work(scan, chunks);
      if (current.compareAndSet(w, next)) {
        return next;
      }
    }
  }

  /** One scan's claims, finished chunks waiting for their turn, and the sum of the chunks added so far. */
  private static final class Work {
    final long scan;
    final AtomicInteger next = new AtomicInteger();
    final SuffStats[][] pending;
    final CountDownLatch left;
    volatile Throwable failed;
    private int added;
    private SuffStats[] acc;

    Work(long scan, int chunks) {
      this.scan = scan;
      this.pending = new SuffStats[chunks][];
      this.left = new CountDownLatch(chunks);
    }

    /** Chunk {@code c} is in ({@code s} null if it failed): adds every chunk whose predecessors are all in. */
    synchronized void done(int c, SuffStats[] s) {
      pending[c] = s;
      while (added < pending.length && pending[added] != null) {
        acc = acc == null ? pending[added] : OrderedMerge.add(acc, pending[added]);
        pending[added++] = null;
      }
      left.countDown();
    }
  }
}
