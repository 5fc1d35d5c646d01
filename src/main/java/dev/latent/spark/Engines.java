package dev.latent.spark;

import dev.latent.config.Engine;
import dev.latent.em.DataBlock;
import dev.latent.em.DataPass;
import dev.latent.em.FitSpec;
import dev.latent.io.UsageException;
import dev.latent.mixture.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.NarrowDependency;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Chooses the engine that runs the EM scans ({@code --engine}) and prepares its data: the aggregate
 * engine works on the cached blocks as they are; the barrier engine needs them in exactly as many
 * partitions as there are task slots, in a stage of one partition count, so it repartitions them once
 * when they are not (in block order, so the result does not depend on shuffle timing).
 */
public final class Engines {
  private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
  /**
   * Bytes per barrier scan through the driver's link (all tasks together) above which auto stays with the
   * aggregate engine: the barrier engine sends the E-step tasks to each of P tasks and takes P statistics
   * back each scan, the aggregate engine broadcasts the tasks (BitTorrent-like) and takes about sqrt(P)
   * statistics through its tree. Past this much the driver's link costs more than the Spark job per scan
   * the barrier engine saves (docs/cost-model.md).
   */
  static final long EXCHANGE_LIMIT_BYTES = 32L << 20;

  private Engines() {}

  /** What the cluster offers the barrier engine, and what it would have to move. */
  public record Facts(int slots, int partitions, boolean dynamicAllocation, long statsBytes, boolean encrypted) {
    /** Bytes through the driver's link per barrier scan: statistics in and E-step tasks out, per slot. */
    long exchangeBytes() {
      return (long) slots * statsBytes;
    }
  }

  /** The engine chosen and why. */
  public record Choice(Engine.Kind kind, String reason) {}

  /**
   * The engine for {@code asked} given the facts: barrier when asked and possible (else an error naming
   * the rule), aggregate when asked, and for auto barrier unless a rule fails or the exchange is too big.
   */
  public static Choice choose(Engine.Kind asked, Facts f) {
    if (asked == Engine.Kind.AGGREGATE) {
      return new Choice(Engine.Kind.AGGREGATE, "asked for (--engine aggregate)");
    }
    String against = null;
    if (f.dynamicAllocation()) {
      against = "dynamic allocation is on (spark.dynamicAllocation.enabled): a barrier stage needs fixed executors";
    } else if (f.slots() < 1) {
      against = "no task slots are registered";
    } else if (asked == Engine.Kind.AUTO && f.encrypted()) {
      against = "Spark's network is authenticated or encrypted (spark.authenticate, spark.network.crypto.enabled),"
          + " and the barrier engine's statistics channel is token-checked plain TCP";
    } else if (asked == Engine.Kind.AUTO && f.exchangeBytes() > EXCHANGE_LIMIT_BYTES) {
      against = String.format(Locale.ROOT, "%.1f MB would pass the driver's link per scan (%d slots x"
          + " %.2f MB of tasks and statistics), over %d MB: the aggregate engine's tree is cheaper",
          f.exchangeBytes() / 1e6, f.slots(), f.statsBytes() / 1e6, EXCHANGE_LIMIT_BYTES >> 20);
    }
    if (against == null) {
      return new Choice(Engine.Kind.BARRIER, String.format(Locale.ROOT, "%s: %d task slots, %.3f MB of"
          + " tasks and statistics per scan", asked == Engine.Kind.AUTO ? "auto" : "asked for", f.slots(),
          f.exchangeBytes() / 1e6));
    }
    if (asked == Engine.Kind.BARRIER) {
      throw new UsageException("--engine barrier cannot run here: " + against);
    }
    return new Choice(Engine.Kind.AGGREGATE, "auto: " + against);
  }

  /** The scans' data pass, and the barrier engine's own cache (unpersisted on close). */
  public static final class Prepared implements AutoCloseable {
    private final DataPass pass;
    private final Choice choice;
    private final JavaRDD<DataBlock> ownCache;

    Prepared(DataPass pass, Choice choice, JavaRDD<DataBlock> ownCache) {
      this.pass = pass;
      this.choice = choice;
      this.ownCache = ownCache;
    }

    public DataPass pass() {
      return pass;
    }

    public Choice choice() {
      return choice;
    }

    @Override
    public void close() {
      if (pass instanceof BarrierDataPass b) {
        b.close();
      }
      if (ownCache != null) {
        ownCache.unpersist(false);
      }
    }
  }

  /** Chooses (logged) and prepares the engine for {@code specs} on the cached {@code blocks}. */
  public static Prepared open(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, int d, int depth, Engine engine,
      List<FitSpec> specs) {
    Facts f = facts(jsc, blocks, d, specs);
    Choice c = choose(engine.kind(), f);
    LOG.info("engine {}: {}", c.kind().key(), c.reason());
    if (c.kind() == Engine.Kind.AGGREGATE) {
      return new Prepared(new SparkDataPass(jsc, blocks, d, depth), c, null);
    }
    JavaRDD<DataBlock> own = null;
    JavaRDD<DataBlock> b = blocks;
    if (blocks.getNumPartitions() != f.slots() || !onePartitionCount(blocks.rdd(), blocks.getNumPartitions())) {
      long t0 = System.nanoTime();
      own = inPartitions(blocks, f.slots()).persist(StorageLevel.MEMORY_AND_DISK());
      own.count();
      b = own;
      LOG.info(String.format(Locale.ROOT, "barrier engine: blocks moved from %d to %d partitions (one per task"
          + " slot) in %.2f s", blocks.getNumPartitions(), f.slots(), (System.nanoTime() - t0) / 1e9));
    }
    return new Prepared(new BarrierDataPass(jsc, b, d, depth, engine.roundScans(), engine.roundSeconds()), c, own);
  }

  /**
   * The partitions the input should be read into for {@code specs}: the task slots when the barrier
   * engine will run the scans (so the blocks are cached in place, with no move), else 0 (the input's own
   * splits). Decided as {@link #open} will decide it; an engine that cannot run is left to open to report.
   */
  public static int loadPartitions(JavaSparkContext jsc, int d, Engine engine, List<FitSpec> specs) {
    if (engine.kind() != Engine.Kind.AGGREGATE && !dynamicAllocation(jsc)) {
      TaskSlots.await(jsc, jsc.getConf().getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s"));
    }
    Facts f = facts(jsc, 0, d, specs);
    try {
      return choose(engine.kind(), f).kind() == Engine.Kind.BARRIER ? f.slots() : 0;
    } catch (UsageException e) {
      return 0;
    }
  }

  static Facts facts(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, int d, List<FitSpec> specs) {
    return facts(jsc, blocks.getNumPartitions(), d, specs);
  }

  private static Facts facts(JavaSparkContext jsc, int partitions, int d, List<FitSpec> specs) {
    int slots = TaskSlots.now(jsc.sc());
    boolean dynamic = dynamicAllocation(jsc);
    boolean encrypted = jsc.getConf().getBoolean("spark.authenticate", false)
        || jsc.getConf().getBoolean("spark.network.crypto.enabled", false);
    return new Facts(slots, partitions, dynamic, statsBytes(d, specs), encrypted);
  }

  private static boolean dynamicAllocation(JavaSparkContext jsc) {
    return jsc.getConf().getBoolean("spark.dynamicAllocation.enabled", false);
  }

  /**
   * An upper bound on what one barrier task exchanges with the driver per scan: its statistics (per
   * candidate k (3 + d + scatter) numbers and k worst rows of d + 2) and the E-step tasks it receives (the
   * mixture: weights, means, covariances and their factors, k (2 + 2 d + 2 cov) numbers), plus a little per
   * object.
   */
  static long statsBytes(int d, List<FitSpec> specs) {
    long numbers = 0;
    for (FitSpec s : specs) {
      boolean kmeans = s.kind() == ModelKind.KMEANS;
      long scatter = kmeans ? 0 : switch (s.covariance()) {
        case FULL, TIED -> (long) d * (d + 1) / 2;
        case DIAG, SPHERICAL -> d;
      };
      long cov = kmeans ? 1 : switch (s.covariance()) {
        case FULL, TIED -> (long) d * d;
        case DIAG -> d;
        case SPHERICAL -> 1;
      };
      long k = s.k();
      numbers += s.restarts() * (k * (3 + d + scatter) + k * (d + 2) + k * (2 + 2L * d + 2 * cov) + 8);
    }
    return numbers * 8 + 2048L * specs.size();
  }

  /** True when every RDD inside the stage that computes {@code rdd} has {@code n} partitions (no union, coalesce). */
  static boolean onePartitionCount(RDD<?> rdd, int n) {
    if (rdd.getNumPartitions() != n) {
      return false;
    }
    scala.collection.Iterator<org.apache.spark.Dependency<?>> deps = rdd.dependencies().iterator();
    while (deps.hasNext()) {
      org.apache.spark.Dependency<?> dep = deps.next();
      if (dep instanceof NarrowDependency<?> && !onePartitionCount(dep.rdd(), n)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The blocks in {@code n} partitions of about equal block counts, keeping the global block order (input
   * partition, then position): a shuffle keyed by that order and sorted within each new partition.
   */
  static JavaRDD<DataBlock> inPartitions(JavaRDD<DataBlock> blocks, int n) {
    List<Long> counts = blocks.mapPartitions(it -> {
      long c = 0;
      while (it.hasNext()) {
        it.next();
        c++;
      }
      return List.of(c).iterator();
    }, true).collect();
    long[] offsets = new long[counts.size()];
    long total = 0;
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = total;
      total += counts.get(i);
    }
    BlockOrder order = new BlockOrder(n, Math.max(total, 1));
    return blocks.mapPartitionsWithIndex((i, it) -> {
      List<Tuple2<Long, DataBlock>> out = new ArrayList<>();
      long pos = offsets[i];
      while (it.hasNext()) {
        out.add(new Tuple2<>(pos++, it.next()));
      }
      return out.iterator();
    }, true).mapToPair(t -> t).repartitionAndSortWithinPartitions(order).values();
  }

  /** Partition of a block by its global position: consecutive runs of about total / n blocks. */
  private static final class BlockOrder extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;
    private final long total;

    BlockOrder(int n, long total) {
      this.n = n;
      this.total = total;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      return (int) Math.min(n - 1, (Long) key * n / total);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BlockOrder b && b.n == n && b.total == total;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(total) * 31 + n;
    }
  }
}
