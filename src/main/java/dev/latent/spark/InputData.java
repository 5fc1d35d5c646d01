package dev.latent.spark;

import dev.latent.em.ColumnStats;
import dev.latent.em.DataBlock;
import dev.latent.io.BlockBuilder;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Parses the input once into cached {@link DataBlock}s and summarises its columns. The first scan also
 * surfaces every parse error, before any fitting starts.
 */
public final class InputData implements AutoCloseable {
  public final InputFiles files;
  public final InputSchema schema;
  public final JavaRDD<DataBlock> blocks;
  public final ColumnStats columns;

  private InputData(InputFiles files, InputSchema schema, JavaRDD<DataBlock> blocks, ColumnStats columns) {
    this.files = files;
    this.schema = schema;
    this.blocks = blocks;
    this.columns = columns;
  }

  /** Loads and caches; {@code k} bounds label values; {@code partitions} 0 keeps Spark's default split. */
  public static InputData load(JavaSparkContext jsc, InputFiles files, InputSchema schema, int k, int partitions,
      int depth) {
    return load(jsc, files, schema, k, partitions, depth, false);
  }

  /** As above; {@code unitRows} scales every row to unit length as it is parsed (cosine K-means). */
  public static InputData load(JavaSparkContext jsc, InputFiles files, InputSchema schema, int k, int partitions,
      int depth, boolean unitRows) {
    List<JavaRDD<DataBlock>> parts = new ArrayList<>();
    for (int i = 0; i < files.files().size(); i++) {
      String file = files.files().get(i);
      int index = i;
      JavaRDD<String> lines = partitions > 0 ? jsc.textFile(file, partitions) : jsc.textFile(file);
      parts.add(lines.zipWithIndex().mapPartitions(it -> blocks(it, schema, file, index, k, unitRows)));
    }
    JavaRDD<DataBlock> all = parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(JavaRDD[]::new));
    all = all.persist(StorageLevel.MEMORY_AND_DISK());
    ColumnStats cols;
    try {
      int d = schema.dimension();
      cols = all.treeAggregate(new ColumnStats(d), ColumnStats::add, ColumnStats::merge, depth);
    } catch (RuntimeException e) {
      all.unpersist(false);
      throw e;
    }
    if (cols.rows == 0) {
      all.unpersist(false);
      throw new InputException(String.join(", ", files.files()) + ": no data rows after the header");
    }
    return new InputData(files, schema, all, cols);
  }

  private static Iterator<DataBlock> blocks(Iterator<Tuple2<String, Long>> lines, InputSchema schema, String file,
      int index, int k, boolean unitRows) {
    BlockBuilder builder = new BlockBuilder(schema, file, index, k, unitRows);
    return new Iterator<>() {
      private DataBlock next;
      private boolean flushed;

      @Override
      public boolean hasNext() {
        while (next == null && lines.hasNext()) {
          Tuple2<String, Long> t = lines.next();
          next = builder.add(t._1(), t._2() + 1);
        }
        if (next == null && !flushed) {
          next = builder.flush();
          flushed = true;
        }
        return next != null;
      }

      @Override
      public DataBlock next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        DataBlock b = next;
        next = null;
        return b;
      }
    };
  }

  @Override
  public void close() {
    blocks.unpersist(false);
  }
}
