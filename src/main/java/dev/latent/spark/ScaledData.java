package dev.latent.spark;

import dev.latent.em.ColumnStats;
import dev.latent.em.DataBlock;
import dev.latent.em.Scaling;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * The cached input in the units a fit runs in: the data themselves, or for extreme values (see
 * {@link Scaling}) their blocks times c = 2^e (exact), cached for the fit's scans, with their column
 * statistics computed again in one scan (the original ones may have overflowed or underflowed).
 */
final class ScaledData implements AutoCloseable {
  final MixtureFit.Data data;
  private final JavaRDD<DataBlock> cached;

  private ScaledData(MixtureFit.Data data, JavaRDD<DataBlock> cached) {
    this.data = data;
    this.cached = cached;
  }

  static ScaledData of(MixtureFit.Data data, Scaling s, int depth) {
    if (!s.active()) {
      return new ScaledData(data, null);
    }
    double c = s.factor();
    int d = data.d();
    JavaRDD<DataBlock> scaled = data.blocks().map(b -> {
      double[] x = b.x.clone();
      for (int i = 0; i < x.length; i++) {
        x[i] *= c;
      }
      return new DataBlock(b.rows, b.d, x, b.keys, b.weights, b.labels);
    }).persist(StorageLevel.MEMORY_AND_DISK());
    ColumnStats columns = scaled.treeAggregate(new ColumnStats(d), ColumnStats::add, ColumnStats::merge, depth);
    return new ScaledData(new MixtureFit.Data(scaled, d, columns, data.skipped()), scaled);
  }

  @Override
  public void close() {
    if (cached != null) {
      cached.unpersist(false);
    }
  }
}
