package dev.latent.spark;

import dev.latent.em.DataBlock;
import dev.latent.em.DataPass;
import dev.latent.em.EStep;
import dev.latent.em.EStepTask;
import dev.latent.em.SampleTask;
import dev.latent.em.SuffStats;
import dev.latent.em.TopRows;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A {@link DataPass} over cached blocks: the tasks are broadcast, each partition runs the mapper into
 * its own statistics, and treeAggregate merges them, so the driver receives O(k d^2) numbers whatever n
 * is. Each broadcast is destroyed as soon as its scan is done.
 */
public final class SparkDataPass implements DataPass {
  private final JavaSparkContext jsc;
  private final JavaRDD<DataBlock> blocks;
  private final int d;
  private final int depth;

  public SparkDataPass(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, int d, int depth) {
    this.jsc = jsc;
    this.blocks = blocks;
    this.d = d;
    this.depth = depth;
  }

  @Override
  public SuffStats[] estep(EStepTask[] tasks) {
    Broadcast<EStepTask[]> b = jsc.broadcast(tasks);
    try {
      SuffStats[] zero = new SuffStats[tasks.length];
      for (int c = 0; c < tasks.length; c++) {
        zero[c] = tasks[c] == null ? null : SuffStats.zeroFor(tasks[c]);
      }
      return blocks.treeAggregate(zero, (acc, block) -> EStep.accumulate(b.value(), block, acc),
          SparkDataPass::merge, depth);
    } finally {
      b.destroy();
    }
  }

  private static SuffStats[] merge(SuffStats[] a, SuffStats[] b) {
    for (int c = 0; c < a.length; c++) {
      if (a[c] != null) {
        a[c].merge(b[c]);
      }
    }
    return a;
  }

  @Override
  public TopRows[] sample(SampleTask[] tasks) {
    Broadcast<SampleTask[]> b = jsc.broadcast(tasks);
    try {
      TopRows[] zero = new TopRows[tasks.length];
      for (int c = 0; c < tasks.length; c++) {
        zero[c] = tasks[c] == null ? null : tasks[c].zero(d);
      }
      return blocks.treeAggregate(zero, (acc, block) -> {
        SampleTask[] t = b.value();
        for (int c = 0; c < t.length; c++) {
          if (t[c] != null) {
            t[c].accumulate(block, acc[c]);
          }
        }
        return acc;
      }, (x, y) -> {
        for (int c = 0; c < x.length; c++) {
          if (x[c] != null) {
            x[c].merge(y[c]);
          }
        }
        return x;
      }, depth);
    } finally {
      b.destroy();
    }
  }

  @Override
  public int dimension() {
    return d;
  }
}
