package dev.latent.spark;

import dev.latent.em.DataBlock;
import dev.latent.em.DataPass;
import dev.latent.em.EStepTask;
import dev.latent.em.OrderedMerge;
import dev.latent.em.SampleTask;
import dev.latent.em.SuffStats;
import dev.latent.em.TopRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * A {@link DataPass} over cached blocks, one Spark job per scan (the aggregate engine): the tasks are
 * broadcast, each partition runs the mapper into its own statistics, and a tree of tasks merges them in
 * partition order, so the driver receives O(sqrt(P) k d^2) numbers whatever n is. Each broadcast is
 * destroyed as soon as its scan is done.
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

  /**
   * One scan. Every partition's statistics are computed in a task; then consecutive groups of partitions
   * are merged in index order ({@link OrderedMerge}), in tasks while more than a fan-in of them are left
   * (each level a small shuffle of O(k d^2) records), and on the driver at the end. The grouping is the
   * barrier engine's, so both give the same bits on the same partitions; treeAggregate would add task
   * results in the order they finish.
   */
  @Override
  public SuffStats[] estep(EStepTask[] tasks) {
    Broadcast<EStepTask[]> b = jsc.broadcast(tasks);
    try {
      int p = blocks.getNumPartitions();
      int fanIn = OrderedMerge.fanIn(p, depth);
      JavaPairRDD<Integer, SuffStats[]> level = blocks.mapPartitionsWithIndex(
          (i, it) -> List.of(new Tuple2<>(i, OrderedMerge.partition(b.value(), it))).iterator(), true)
          .mapToPair(t -> t);
      int count = p;
      while (count > fanIn) {
        int groups = (count + fanIn - 1) / fanIn;
        level = level.mapToPair(t -> new Tuple2<>(t._1() / fanIn, t))
            .groupByKey(groups)
            .mapValues(SparkDataPass::foldInOrder);
        count = groups;
      }
      List<Tuple2<Integer, SuffStats[]>> top = new ArrayList<>(level.collect());
      top.sort(Comparator.comparing(Tuple2::_1));
      List<SuffStats[]> parts = new ArrayList<>();
      for (Tuple2<Integer, SuffStats[]> t : top) {
        parts.add(t._2());
      }
      return OrderedMerge.merge(parts, fanIn);
    } finally {
      b.destroy();
    }
  }

  /** One group of a level: its members sorted by index, folded left. */
  private static SuffStats[] foldInOrder(Iterable<Tuple2<Integer, SuffStats[]>> members) {
    List<Tuple2<Integer, SuffStats[]>> sorted = new ArrayList<>();
    members.forEach(sorted::add);
    sorted.sort(Comparator.comparing(Tuple2::_1));
    List<SuffStats[]> group = new ArrayList<>();
    for (Tuple2<Integer, SuffStats[]> t : sorted) {
      group.add(t._2());
    }
    return OrderedMerge.fold(group);
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
