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
  private record Chunk(DataBlock block, BadRows skipped, BadRows errors, int split, long lines, long rows)
      implements Serializable {
    /** A full block of split {@code split} (its counts come with the split's last chunk). */
    Chunk(DataBlock block, int split) {
      this(block, null, null, split, -1, -1);
    }

    /** The chunk with its block's keys moved by {@code by} (a split's first row, once counted). */
    Chunk shifted(long by) {
      if (block == null || by == 0) {
        return this;
      }
      long[] keys = new long[block.rows];
      for (int r = 0; r < keys.length; r++) {
        keys[r] = block.keys[r] + by;
      }
      return new Chunk(new DataBlock(block.rows, block.d, block.x, keys, block.weights, block.labels), skipped, errors,
          split, lines, rows);
    }
  }

  /** Where a split's lines are numbered from while its place in its file is not known yet (never line 1). */
  static final long UNPLACED_LINE = 1L << 39;

  /** Column statistics and bad rows of the whole input, combined in one scan. */
  private static final class LoadStats implements Serializable {
    private static final long serialVersionUID = 1L;
    final ColumnStats columns;
    final BadRows skipped = new BadRows();
    final BadRows errors = new BadRows();
    /** Per split: its lines and data rows (complete for every split before the first that failed). */
    final long[] lines;
    final long[] rows;
    /** The first split that failed, or -1. */
    int failedSplit = -1;
    /** The first splits (at most {@link BadRows#EXAMPLES}) that left rows out: they hold the first examples. */
    int[] skippingSplits = new int[0];

    LoadStats(int d, int splits) {
      columns = new ColumnStats(d);
      lines = new long[splits];
      rows = new long[splits];
    }

    LoadStats add(Chunk c) {
      if (c.lines() >= 0) {
        lines[c.split()] = c.lines();
        rows[c.split()] = c.rows();
        if (c.errors() != null && (failedSplit < 0 || c.split() < failedSplit)) {
          failedSplit = c.split();
        }
      }
      if (c.block() != null) {
        columns.add(c.block());
      }
      if (c.skipped() != null) {
        skipped.merge(c.skipped());
        skippingSplits = firstSplits(skippingSplits, new int[] {c.split()});
      }
      if (c.errors() != null) {
        errors.merge(c.errors());
      }
      return this;
    }

    /** The smallest {@link BadRows#EXAMPLES} distinct split indices of both, in order. */
    private static int[] firstSplits(int[] a, int[] b) {
      return java.util.stream.IntStream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).distinct()
          .sorted().limit(BadRows.EXAMPLES).toArray();
    }

    LoadStats merge(LoadStats o) {
      for (int i = 0; i < lines.length; i++) {
        lines[i] += o.lines[i];
        rows[i] += o.rows[i];
      }
      if (o.failedSplit >= 0 && (failedSplit < 0 || o.failedSplit < failedSplit)) {
        failedSplit = o.failedSplit;
      }
      columns.merge(o.columns);
      skipped.merge(o.skipped);
      skippingSplits = firstSplits(skippingSplits, o.skippingSplits);
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
    return load(jsc, files, schema, k, partitions, depth, unitRows, skipBadRows, groups, false);
  }

  /** As above, counting every split's lines first when {@code countFirst} (see the comment inside). */
  static InputData load(JavaSparkContext jsc, InputFiles files, InputSchema schema, int k, int partitions,
      int depth, boolean unitRows, boolean skipBadRows, int groups, boolean countFirst) {
    TextSplits text = TextSplits.plan(jsc, files.files(), partitions);
    String[] fileNames = new String[files.files().size()];
    for (int i = 0; i < fileNames.length; i++) {
      fileNames[i] = files.name(i);
    }
    List<TextSplits.Group> layout = groups > 0 ? text.grouped(groups) : text.single();
    // Row keys are positions in the whole input, the same rule as every other format (DataBlock.positionKey).
    // The input is read once: each split is parsed with its keys and lines counted from its own start, the
    // parse counts every split, and the keys are then moved into place in the cache. The earliest error
    // (--on-bad-row fail), in the earliest failed split, is read again with its true line numbers; so are
    // the few splits whose rows left out are the first examples (--on-bad-row skip). {@code countFirst}
    // counts the lines first instead, in small tasks, one per split (the reference the tests compare to).
    boolean once = !countFirst;
    long t0 = System.nanoTime();
    LinePositions counted = once ? null : LinePositions.count(jsc, text, text.single());
    long t1 = System.nanoTime();
    JavaRDD<Chunk> parsed = text.rdd(jsc, layout).flatMap(g -> new Chunks(text, g, counted, schema, fileNames, k,
        unitRows, skipBadRows));
    parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK());
    LoadStats stats;
    try {
      int d = schema.dimension();
      stats = parsed.treeAggregate(new LoadStats(d, text.count()), LoadStats::add, LoadStats::merge, depth);
    } catch (RuntimeException e) {
      parsed.unpersist(false);
      throw e;
    }
    LinePositions at = counted != null ? counted : LinePositions.of(text, stats.lines, stats.rows);
    if (stats.errors.count() > 0) {
      parsed.unpersist(false);
      if (once) {
        // Every split before the failed one was read to its end, so the failed split's place is known.
        int s = stats.failedSplit;
        throw new InputException(new Chunks(text, new TextSplits.Group(s, s + 1), at, schema, fileNames, k, unitRows,
            false).firstError());
      }
      // The first by row key: the earliest bad line of the input (file order, then line).
      throw new InputException(stats.errors.examples().get(0));
    }
    BadRows skipped = stats.skipped;
    if (once && skipped.count() > 0) {
      // The examples read while the splits' places were unknown name lines from the splits' starts.
      skipped = firstSkipped(jsc, text, stats.skippingSplits, at, schema, fileNames, k, unitRows)
          .counting(skipped.count());
    }
    JavaRDD<Chunk> all = parsed;
    if (once) {
      long[] firstRow = at.firstRow();
      all = parsed.map(c -> c.shifted(firstRow[c.split()])).persist(
          StorageLevel.MEMORY_AND_DISK());
      all.count();
      parsed.unpersist(false);
    }
    if (stats.columns.rows == 0) {
      all.unpersist(false);
      String why = skipped.count() == 0 ? ""
          : " (" + skipped.count() + " bad rows were skipped; the first: " + skipped.examples().get(0) + ")";
      String names = files.files().size() == 1 ? files.name(0) : files.files().size() + " files from " + files.name(0);
      throw new InputException(names + ": no data rows after the header" + why);
    }
    long t2 = System.nanoTime();
    double mb = text.bytes() / 1e6;
    LOG.info(String.format(java.util.Locale.ROOT, "input: %.1f MB in %d splits%s, parsed and cached in %d partitions"
        + " in %.2f s (%.0f MB/s)", mb, text.count(), once ? "" : String.format(java.util.Locale.ROOT,
        ", lines counted in %.2f s (%.0f MB/s)", (t1 - t0) / 1e9, mb / ((t1 - t0) / 1e9)), layout.size(),
        (t2 - t1) / 1e9, mb / ((t2 - t1) / 1e9)));
    return new InputData(files, schema, all, stats.columns, skipped, text, at, layout);
  }

  /** The rows left out of {@code splits}, read again (in parallel) now that their places are known. */
  private static BadRows firstSkipped(JavaSparkContext jsc, TextSplits text, int[] splits, LinePositions at,
      InputSchema schema, String[] fileNames, int k, boolean unitRows) {
    List<TextSplits.Group> groups = new java.util.ArrayList<>();
    for (int s : splits) {
      groups.add(new TextSplits.Group(s, s + 1));
    }
    return text.rdd(jsc, groups).map(g -> new Chunks(text, g, at, schema, fileNames, k, unitRows, true)
        .skippedRows()).reduce(BadRows::merge);
  }

  /**
   * The blocks of a group's splits, lazily (a partition is never held twice): each split's full blocks,
   * then its last one with the rows it left out and its first error (after which it is not read further).
   */
  private static final class Chunks implements Iterator<Chunk> {
    private final TextSplits.GroupLines lines;
    private final LinePositions at;
    private final InputSchema schema;
    private final String[] fileNames;
    private final int k;
    private final boolean unitRows;
    private final boolean skipBadRows;
    private BlockBuilder builder;
    private long lineNo;
    private long firstLine;
    private long firstRow;
    private Chunk next;

    Chunks(TextSplits text, TextSplits.Group group, LinePositions at, InputSchema schema, String[] fileNames, int k,
        boolean unitRows, boolean skipBadRows) {
      this.lines = new TextSplits.GroupLines(text, group);
      this.at = at;
      this.schema = schema;
      this.fileNames = fileNames;
      this.k = k;
      this.unitRows = unitRows;
      this.skipBadRows = skipBadRows;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (!lines.inSplit()) {
          if (!lines.nextSplit()) {
            return false;
          }
          int split = lines.split();
          TextSplits.Split s = lines.current();
          // Without the counts, a split is numbered from its own start (never as line 1 unless it is the
          // file's first split, whose place is known): the keys are moved and the error re-read later.
          firstRow = at == null ? 0 : at.firstRow()[split];
          firstLine = at != null ? at.firstLine()[split] : s.firstOfFile() ? 0 : UNPLACED_LINE;
          builder = new BlockBuilder(schema, fileNames[s.file()], s.file(), k, unitRows, skipBadRows)
              .from(firstRow).collectingErrors();
          lineNo = firstLine;
        }
        Text line = builder.failed() ? null : lines.next();
        if (line != null) {
          byte[] b = line.getBytes();
          int len = line.getLength();
          DataBlock block = builder.add(b, len, ++lineNo);
          next = block == null ? null : new Chunk(block, lines.split());
        } else {
          lines.close();
          DataBlock block = builder.failed() ? null : builder.flush();
          BadRows bad = builder.skipped().count() > 0 ? builder.skipped() : null;
          // Always, for the split's counts (complete unless it failed).
          next = new Chunk(block, bad, builder.errors(), lines.split(), lineNo - firstLine, builder.position() - firstRow);
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

    /** The rows the group leaves out (under --on-bad-row skip). */
    BadRows skippedRows() {
      BadRows all = new BadRows();
      while (hasNext()) {
        Chunk c = next();
        if (c.skipped() != null) {
          all.merge(c.skipped());
        }
      }
      return all;
    }

    /** The message of the group's first bad row (the group is known to have one). */
    String firstError() {
      while (hasNext()) {
        Chunk c = next();
        if (c.errors() != null) {
          lines.close();
          return c.errors().examples().get(0);
        }
      }
      throw new IllegalStateException("the split read again has no bad row");
    }
  }

  @Override
  public void close() {
    cached.unpersist(false);
    text.destroy();
  }
}
