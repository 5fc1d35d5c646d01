package dev.latent.spark;

import dev.latent.em.ColumnStats;
import dev.latent.em.DataBlock;
import dev.latent.io.BadRows;
import dev.latent.io.BlockBuilder;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * Parses the input once into cached {@link DataBlock}s and summarises its columns. The first scan also
 * surfaces every parse error (or, when skipping, counts the rows left out), before any fitting starts.
 */
public final class InputData implements AutoCloseable {
  public final InputFiles files;
  public final InputSchema schema;
  public final JavaRDD<DataBlock> blocks;
  public final ColumnStats columns;
  /** Rows left out under --on-bad-row skip (empty otherwise). */
  public final BadRows skipped;
  private final JavaRDD<Chunk> cached;

  /**
   * What one partition's parser emits: a block of rows, and at its end the rows it left out and its
   * first error (under --on-bad-row fail, after which it stops). Carrying the bad rows inside the cached
   * data (rather than in an accumulator) counts each exactly once, even when a lost partition is parsed
   * again; carrying the error (rather than throwing it) fails the run once, on the driver, after the
   * first scan, with the earliest bad line of the whole input whatever the partitioning, instead of
   * failing a task that Spark would retry spark.task.maxFailures times.
   */
  private record Chunk(DataBlock block, BadRows skipped, BadRows errors) implements Serializable {}

  /** Column statistics and bad rows of the whole input, combined in one scan. */
  private static final class LoadStats implements Serializable {
    private static final long serialVersionUID = 1L;
    final ColumnStats columns;
    final BadRows skipped = new BadRows();
    final BadRows errors = new BadRows();

    LoadStats(int d) {
      columns = new ColumnStats(d);
    }

    LoadStats add(Chunk c) {
      if (c.block() != null) {
        columns.add(c.block());
      }
      if (c.skipped() != null) {
        skipped.merge(c.skipped());
      }
      if (c.errors() != null) {
        errors.merge(c.errors());
      }
      return this;
    }

    LoadStats merge(LoadStats o) {
      columns.merge(o.columns);
      skipped.merge(o.skipped);
      errors.merge(o.errors);
      return this;
    }
  }

  private InputData(InputFiles files, InputSchema schema, JavaRDD<Chunk> cached, ColumnStats columns,
      BadRows skipped) {
    this.files = files;
    this.schema = schema;
    this.cached = cached;
    this.blocks = cached.filter(c -> c.block() != null).map(Chunk::block);
    this.columns = columns;
    this.skipped = skipped;
  }

  /** Loads and caches; {@code k} bounds label values; {@code partitions} 0 keeps Spark's default split. */
  public static InputData load(JavaSparkContext jsc, InputFiles files, InputSchema schema, int k, int partitions,
      int depth) {
    return load(jsc, files, schema, k, partitions, depth, false, false);
  }

  /**
   * As above; {@code unitRows} scales every row to unit length as it is parsed (cosine K-means), and
   * {@code skipBadRows} leaves out rows that do not parse instead of failing.
   */
  public static InputData load(JavaSparkContext jsc, InputFiles files, InputSchema schema, int k, int partitions,
      int depth, boolean unitRows, boolean skipBadRows) {
    List<JavaRDD<String>> texts = new ArrayList<>();
    List<Integer> fileOf = new ArrayList<>();
    for (int i = 0; i < files.files().size(); i++) {
      String file = files.files().get(i);
      JavaRDD<String> lines = partitions > 0 ? jsc.textFile(file, partitions) : jsc.textFile(file);
      texts.add(lines);
      for (int p = 0; p < lines.getNumPartitions(); p++) {
        fileOf.add(i);
      }
    }
    @SuppressWarnings("unchecked")
    JavaRDD<String> text = texts.size() == 1 ? texts.get(0) : jsc.union(texts.toArray(new JavaRDD[0]));
    int[] file = fileOf.stream().mapToInt(Integer::intValue).toArray();
    boolean[] firstOfFile = new boolean[file.length];
    String[] fileNames = new String[files.files().size()];
    for (int p = 0; p < file.length; p++) {
      firstOfFile[p] = p == 0 || file[p] != file[p - 1];
    }
    for (int i = 0; i < fileNames.length; i++) {
      fileNames[i] = files.name(i);
    }
    // Row keys are positions in the whole input, the same rule as every other format (DataBlock.positionKey).
    LinePositions at = LinePositions.count(text, firstOfFile);
    JavaRDD<Chunk> all = text.mapPartitionsWithIndex((p, it) -> chunks(it, at.firstLine()[p], at.firstRow()[p],
        schema, fileNames[file[p]], file[p], k, unitRows, skipBadRows), true);
    all = all.persist(StorageLevel.MEMORY_AND_DISK());
    LoadStats stats;
    try {
      int d = schema.dimension();
      stats = all.treeAggregate(new LoadStats(d), LoadStats::add, LoadStats::merge, depth);
    } catch (RuntimeException e) {
      all.unpersist(false);
      throw e;
    }
    if (stats.errors.count() > 0) {
      all.unpersist(false);
      // The first by row key: the earliest bad line of the input (file order, then line).
      throw new InputException(stats.errors.examples().get(0));
    }
    if (stats.columns.rows == 0) {
      all.unpersist(false);
      String skipped = stats.skipped.count() == 0 ? ""
          : " (" + stats.skipped.count() + " bad rows were skipped; the first: " + stats.skipped.examples().get(0) + ")";
      String names = files.files().size() == 1 ? files.name(0) : files.files().size() + " files from " + files.name(0);
      throw new InputException(names + ": no data rows after the header" + skipped);
    }
    return new InputData(files, schema, all, stats.columns, stats.skipped);
  }

  /** A partition's lines, the first being line {@code firstLine + 1} of its file, its first data row at {@code firstRow}. */
  private static Iterator<Chunk> chunks(Iterator<String> lines, long firstLine, long firstRow, InputSchema schema,
      String file, int index, int k, boolean unitRows, boolean skipBadRows) {
    BlockBuilder builder = new BlockBuilder(schema, file, index, k, unitRows, skipBadRows).from(firstRow)
        .collectingErrors();
    return new Iterator<>() {
      private Chunk next;
      private boolean flushed;
      private long lineNo = firstLine;

      @Override
      public boolean hasNext() {
        while (next == null && !builder.failed() && lines.hasNext()) {
          DataBlock b = builder.add(lines.next(), ++lineNo);
          next = b == null ? null : new Chunk(b, null, null);
        }
        if (next == null && !flushed) {
          flushed = true;
          DataBlock b = builder.failed() ? null : builder.flush();
          BadRows bad = builder.skipped().count() > 0 ? builder.skipped() : null;
          next = b == null && bad == null && !builder.failed() ? null : new Chunk(b, bad, builder.errors());
        }
        return next != null;
      }

      @Override
      public Chunk next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Chunk c = next;
        next = null;
        return c;
      }
    };
  }

  @Override
  public void close() {
    cached.unpersist(false);
  }
}
