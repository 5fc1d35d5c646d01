package dev.latent.spark;

import dev.latent.em.ColumnStats;
import dev.latent.em.DataBlock;
import dev.latent.io.BadRows;
import dev.latent.io.BlockBuilder;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.io.Text;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * Parses the input once into cached {@link DataBlock}s and summarises its columns. The first scan also
 * surfaces every parse error (or, when skipping, counts the rows left out), before any fitting starts.
 */
public final class InputData implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InputData.class);
  public final InputFiles files;
  public final InputSchema schema;
  public final JavaRDD<DataBlock> blocks;
  public final ColumnStats columns;
  /** Rows left out under --on-bad-row skip (empty otherwise). */
  public final BadRows skipped;
  private final JavaRDD<Chunk> cached;
  /** The input's splits and where each starts, for writing the assignments without counting again. */
  final TextSplits text;
  final LinePositions at;
  /** The splits of each cached partition, in order. */
  final List<TextSplits.Group> layout;

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
      BadRows skipped, TextSplits text, LinePositions at, List<TextSplits.Group> layout) {
    this.layout = layout;
    this.text = text;
    this.at = at;
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
    return load(jsc, files, schema, k, partitions, depth, unitRows, skipBadRows, 0);
  }

  /**
   * As above, caching the blocks in {@code groups} partitions of consecutive input splits (0: one
   * partition per split, as Spark's text input makes them): the barrier engine's one partition per task
   * slot, read straight into place. The rows, keys and errors are the same whatever the grouping.
   */
  public static InputData load(JavaSparkContext jsc, InputFiles files, InputSchema schema, int k, int partitions,
      int depth, boolean unitRows, boolean skipBadRows, int groups) {
    TextSplits text = TextSplits.plan(jsc, files.files(), partitions);
    String[] fileNames = new String[files.files().size()];
    for (int i = 0; i < fileNames.length; i++) {
      fileNames[i] = files.name(i);
    }
    List<TextSplits.Group> layout = groups > 0 ? text.grouped(groups) : text.single();
    // Row keys are positions in the whole input, the same rule as every other format (DataBlock.positionKey).
    // Counted in small tasks, one per split, whatever the layout: a slow core then holds up little.
    long t0 = System.nanoTime();
    LinePositions at = LinePositions.count(jsc, text, text.single());
    long t1 = System.nanoTime();
    JavaRDD<Chunk> all = text.rdd(jsc, layout).flatMap(g -> new Chunks(text, g, at, schema, fileNames, k, unitRows,
        skipBadRows));
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
    long t2 = System.nanoTime();
    double mb = text.bytes() / 1e6;
    LOG.info(String.format(java.util.Locale.ROOT, "input: %.1f MB in %d splits, lines counted in %.2f s (%.0f MB/s),"
        + " parsed and cached in %d partitions in %.2f s (%.0f MB/s)", mb, text.count(), (t1 - t0) / 1e9,
        mb / ((t1 - t0) / 1e9), layout.size(), (t2 - t1) / 1e9, mb / ((t2 - t1) / 1e9)));
    return new InputData(files, schema, all, stats.columns, stats.skipped, text, at, layout);
  }

  /**
   * The blocks of a group's splits, lazily (a partition is never held twice): each split's full blocks,
   * then its last one with the rows it left out and its first error (after which it is not read further).
   */
  private static final class Chunks implements Iterator<Chunk> {
    private final TextSplits text;
    private final TextSplits.Group group;
    private final LinePositions at;
    private final InputSchema schema;
    private final String[] fileNames;
    private final int k;
    private final boolean unitRows;
    private final boolean skipBadRows;
    private int split;
    private TextSplits.Lines lines;
    private BlockBuilder builder;
    private long lineNo;
    private Chunk next;

    Chunks(TextSplits text, TextSplits.Group group, LinePositions at, InputSchema schema, String[] fileNames, int k,
        boolean unitRows, boolean skipBadRows) {
      this.text = text;
      this.group = group;
      this.at = at;
      this.schema = schema;
      this.fileNames = fileNames;
      this.k = k;
      this.unitRows = unitRows;
      this.skipBadRows = skipBadRows;
      this.split = group.from() - 1;
      org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> closeLines());
      }
    }

    private void closeLines() {
      if (lines != null) {
        lines.close();
        lines = null;
      }
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (lines == null) {
          if (++split >= group.to()) {
            return false;
          }
          TextSplits.Split s = text.splits[split];
          lines = text.open(s);
          builder = new BlockBuilder(schema, fileNames[s.file()], s.file(), k, unitRows, skipBadRows)
              .from(at.firstRow()[split]).collectingErrors();
          lineNo = at.firstLine()[split];
        }
        Text line = builder.failed() ? null : lines.next();
        if (line != null) {
          byte[] b = line.getBytes();
          int len = line.getLength();
          DataBlock block = TextSplits.ascii(b, len) ? builder.add(b, len, ++lineNo)
              : builder.add(line.toString(), ++lineNo);
          next = block == null ? null : new Chunk(block, null, null);
        } else {
          closeLines();
          DataBlock block = builder.failed() ? null : builder.flush();
          BadRows bad = builder.skipped().count() > 0 ? builder.skipped() : null;
          next = block == null && bad == null && !builder.failed() ? null : new Chunk(block, bad, builder.errors());
        }
      }
      return true;
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
  }

  @Override
  public void close() {
    cached.unpersist(false);
    text.destroy();
  }
}
