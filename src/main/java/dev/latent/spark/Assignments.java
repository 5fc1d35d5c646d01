package dev.latent.spark;

import dev.latent.em.DataBlock;
import dev.latent.em.Distance;
import dev.latent.io.BadRows;
import dev.latent.io.CsvLine;
import dev.latent.io.DecimalText;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import dev.latent.io.RowParser;
import dev.latent.math.RankSelect;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.OutlierThreshold;
import dev.latent.mixture.Posterior;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextOutputFormat;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Writes per-row assignments as CSV part files: every input column as it was, then {@code cluster}, then
 * for Gaussian mixtures {@code p0 .. p{k-1}} and {@code logDensity} (log p(x) under the model), then
 * {@code outlier} (0/1) when outliers are flagged. Each part file has the header; rows keep the input's
 * order. K-means has no density, so it gets neither column. When skipping bad rows, a row whose features do
 * not parse is left out, as the fit left it out. Otherwise the first bad row fails the run once, on the
 * driver, naming the earliest bad line of the input: tasks stop at their first bad row and report it
 * instead of failing (and being retried).
 */
public final class Assignments {
  private static final Logger LOG = LoggerFactory.getLogger(Assignments.class);
  /** Log-densities fetched to the driver in the last step of the outlier threshold's selection, at most. */
  static final int FETCH_LIMIT = 1 << 16;

  private Assignments() {}

  /**
   * How rows are scored: {@code soft} for Gaussian mixtures (probabilities and log-density),
   * {@code unitRows} to scale rows to unit length first (cosine K-means), {@code outlierBelow}, when
   * not NaN, flags the rows whose log-density is at most this value, and {@code skipBadRows} leaves out
   * rows that do not parse.
   */
  public record Scoring(boolean soft, boolean unitRows, boolean density, boolean flagOutliers,
      double outlierBelow, boolean skipBadRows, double scale) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Scoring for predict: Gaussian mixtures also get the logDensity column. */
    public static Scoring of(boolean soft, boolean unitRows) {
      return new Scoring(soft, unitRows, soft, false, Double.NaN, false, 1.0);
    }

    /** Scoring for fit's own assignments: input columns, cluster and p0..p{k-1}, as the format promises. */
    public static Scoring forFit(boolean soft, boolean unitRows) {
      return new Scoring(soft, unitRows, false, false, Double.NaN, false, 1.0);
    }

    Scoring flagging(double threshold) {
      return new Scoring(soft, unitRows, density, true, threshold, skipBadRows, scale);
    }

    /** The same, leaving out rows that do not parse (--on-bad-row skip). */
    public Scoring skippingBadRows(boolean skip) {
      return new Scoring(soft, unitRows, density, flagOutliers, outlierBelow, skip, scale);
    }

    /**
     * The same for a mixture in units scaled by {@code c}, a power of two (a fit of extreme values): each
     * row is multiplied by c before scoring. Probabilities and clusters do not depend on the units.
     */
    public Scoring scaledBy(double c) {
      return new Scoring(soft, unitRows, density, flagOutliers, outlierBelow, skipBadRows, c);
    }
  }

  public static void write(JavaSparkContext jsc, InputFiles files, InputSchema schema, Mixture mixture,
      boolean soft, int partitions, String path) {
    write(jsc, files, schema, mixture, Scoring.forFit(soft, false), partitions, path);
  }

  /** Writes the assignments; returns the rows left out (none unless skipping). */
  public static BadRows write(JavaSparkContext jsc, InputFiles files, InputSchema schema, Mixture mixture,
      Scoring scoring, int partitions, String path) {
    TextSplits text = TextSplits.plan(jsc, files.files(), partitions);
    try {
      return write(jsc, text, LinePositions.count(jsc, text, text.single()), text.single(), null, files, schema, mixture,
          scoring, path);
    } finally {
      text.destroy();
    }
  }

  /**
   * The fit's assignments of its cached input {@code data}: each cached partition's lines read again
   * beside its blocks, whose rows are the features already parsed (and scaled to unit length for cosine),
   * so a line is not parsed twice; a data line without its row in the blocks was left out by the load
   * (--on-bad-row skip) and is left out here. One part file per cached partition.
   */
  static void write(JavaSparkContext jsc, InputData data, Mixture mixture, Scoring scoring, String path) {
    write(jsc, data.text, data.at, data.layout, data.blocks, data.files, data.schema, mixture, scoring, path);
  }

  /**
   * Scores each line of {@code text} (counted already: {@code at}) and writes it as bytes (the input line's
   * own bytes, then the added columns), many lines to a record, so no String is made per row unless the
   * line is not ASCII; the bytes are those of one line per record. {@code blocks}, when not null, are the
   * lines' rows cached in the partitions of {@code layout}; else every line is parsed.
   */
  private static BadRows write(JavaSparkContext jsc, TextSplits text, LinePositions at, List<TextSplits.Group> layout,
      JavaRDD<DataBlock> blocks, InputFiles files, InputSchema schema, Mixture mixture, Scoring scoring, String path) {
    // The new columns are separated as the input's are, so the output reads back with the same --delimiter.
    char sep = schema.delimiter;
    StringBuilder h = new StringBuilder(files.headerLine()).append(sep).append("cluster");
    if (scoring.soft()) {
      for (int j = 0; j < mixture.k; j++) {
        h.append(sep).append('p').append(j);
      }
    }
    if (scoring.density()) {
      h.append(sep).append("logDensity");
    }
    if (scoring.flagOutliers()) {
      h.append(sep).append("outlier");
    }
    byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
    String[] names = names(files);
    Broadcast<Mixture> b = jsc.broadcast(mixture);
    BadRowsAccumulator bad = new BadRowsAccumulator();
    jsc.sc().register(bad, "bad rows");
    LongAccumulator rows = jsc.sc().longAccumulator("assignment rows");
    LongAccumulator bytes = jsc.sc().longAccumulator("assignment bytes");
    LongAccumulator parts = jsc.sc().longAccumulator("assignment parts");
    long t0 = System.nanoTime();
    JavaRDD<TextSplits.Group> groups = text.rdd(jsc, layout);
    JavaPairRDD<NullWritable, Text> out = blocks == null
        ? groups.mapPartitionsToPair(it -> new Records(header,
            new Scored(text, it.next(), at, schema, names, b.value(), scoring, bad, null), scoring, rows, bytes, parts))
        : groups.zipPartitions(blocks, (it, cached) -> new Records(header,
            new Scored(text, it.next(), at, schema, names, b.value(), scoring, bad, cached), scoring, rows, bytes, parts))
            .mapToPair(t -> t);
    try (Progress progress = new Progress(rows, bytes, parts, layout.size(), t0)) {
      out.saveAsHadoopFile(path, NullWritable.class, Text.class, TextOutputFormat.class);
    } finally {
      b.destroy();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    LOG.info(String.format(Locale.ROOT, "assignments: %d rows, %.1f MB written in %.1f s (%.0f MB/s)", rows.value(),
        bytes.value() / 1e6, seconds, bytes.value() / 1e6 / seconds));
    failOnError(bad.value().errors());
    return bad.value().skipped();
  }

  private static String[] names(InputFiles files) {
    String[] names = new String[files.files().size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = files.name(i);
    }
    return names;
  }

  /**
   * Logs the part files, rows and bytes written so far every {@link #EVERY_SECONDS} while a write runs
   * (driver side; accumulators arrive as tasks end, so the figures are those of the finished part files,
   * and each task logs its own progress too, see {@link Records}).
   */
  private static final class Progress implements AutoCloseable {
    static final long EVERY_SECONDS = 10;
    private final java.util.concurrent.ScheduledExecutorService timer;

    Progress(LongAccumulator rows, LongAccumulator bytes, LongAccumulator parts, int total, long t0) {
      timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "assignments-progress");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleAtFixedRate(() -> {
        if (parts.value() == 0) {
          return; // nothing finished yet: the tasks' own lines say how far they are
        }
        double s = (System.nanoTime() - t0) / 1e9;
        LOG.info(String.format(Locale.ROOT, "assignments: %d of %d part files done (%d rows, %.1f MB) after %.0f s",
            parts.value(), total, rows.value(), bytes.value() / 1e6, s));
      }, EVERY_SECONDS, EVERY_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  /** Throws the earliest (by row key) of the errors that tasks reported, if any. */
  private static void failOnError(BadRows errors) {
    if (errors.count() > 0) {
      throw new InputException(errors.examples().get(0));
    }
  }

  /** One partition's log-densities, and its first error (--on-bad-row fail) or null. */
  private record Densities(double[] values, BadRows error) implements Serializable {}

  /**
   * The log-density threshold below which a fraction {@code q} of the rows lies: the floor(q n)-th
   * smallest log-density (no row when floor(q n) is 0). Exact: the log-densities are computed once and
   * cached as one {@code double[]} per partition (8 bytes a row), then {@link RankSelect} counts them in
   * 1024 bins per pass, at most 7 counting passes and one fetch of at most {@link #FETCH_LIMIT} values;
   * nothing else reaches the driver. A last pass counts the rows at or below the threshold (ties).
   */
  public static OutlierThreshold threshold(JavaSparkContext jsc, InputFiles files, InputSchema schema, Mixture mixture,
      boolean unitRows, int partitions, int depth, double q) {
    return threshold(jsc, files, schema, mixture, Scoring.of(true, unitRows), partitions, depth, q);
  }

  /**
   * As above, parsing rows as {@code scoring} says: rows left out (--on-bad-row skip) have no density
   * and are not counted in n; under --on-bad-row fail the first pass stops at the earliest bad line.
   */
  public static OutlierThreshold threshold(JavaSparkContext jsc, InputFiles files, InputSchema schema, Mixture mixture,
      Scoring scoring, int partitions, int depth, double q) {
    Broadcast<Mixture> b = jsc.broadcast(mixture);
    TextSplits text = TextSplits.plan(jsc, files.files(), partitions);
    LinePositions at = LinePositions.count(jsc, text, text.single());
    String[] names = names(files);
    JavaRDD<Densities> scoredRows = text.rdd(jsc, text.single()).map(g -> {
      Scored s = new Scored(text, g, at, schema, names, b.value(), scoring, null, null);
      double[] v = new double[64];
      int n = 0;
      while (s.next()) {
        if (n == v.length) {
          v = Arrays.copyOf(v, 2 * n);
        }
        v[n++] = s.logDensity();
      }
      return new Densities(Arrays.copyOf(v, n), s.errors);
    });
    JavaRDD<Densities> scored = scoredRows.persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<double[]> dens = scored.map(Densities::values);
    try {
      // The first pass also parses: a bad row (--on-bad-row fail) stops here, before any selection pass.
      failOnError(scored.map(p -> p.error() == null ? new BadRows() : p.error()).reduce(BadRows::merge));
      return select(dens, q, depth);
    } finally {
      scored.unpersist(false);
      b.destroy();
      text.destroy();
    }
  }

  /**
   * The outlier threshold of the log-densities {@code dens} (one array per partition, cached by the
   * caller: it is read once per selection pass, see README), for quantile {@code q}.
   */
  static OutlierThreshold select(JavaRDD<double[]> dens, double q, int depth) {
    RankSelect.Result r = RankSelect.select(n -> (long) Math.floor(q * n),
        bins -> dens.treeAggregate(new long[bins.count()], (acc, part) -> {
          for (double v : part) {
            int i = bins.bin(v);
            if (i >= 0) {
              acc[i]++;
            }
          }
          return acc;
        }, Assignments::add, depth),
        (lo, hi) -> {
          List<double[]> got = dens.map(part -> {
            double[] out = new double[part.length];
            int n = 0;
            for (double v : part) {
              long key = RankSelect.key(v);
              if (key >= lo && key <= hi) {
                out[n++] = v;
              }
            }
            return Arrays.copyOf(out, n);
          }).collect();
          return got.stream().flatMapToDouble(Arrays::stream).toArray();
        }, FETCH_LIMIT);
    long flagged = 0;
    if (r.rank() > 0) {
      double t = r.value();
      flagged = dens.map(part -> {
        long c = 0;
        for (double v : part) {
          if (v <= t) {
            c++;
          }
        }
        return c;
      }).reduce(Long::sum);
    }
    OutlierThreshold t = new OutlierThreshold(q, r.value(), r.rank(), r.n(), flagged,
        r.passes() + (r.rank() > 0 ? 1 : 0));
    LOG.info("outlier threshold: log-density {} (rank {} of {} rows, {} passes); {} rows flagged", t.value(),
        t.rank(), t.rows(), t.passes(), t.flagged());
    return t;
  }

  /** Writes with the rows at or below {@code t.value()} flagged (none when the rank is 0). */
  public static BadRows writeFlagged(JavaSparkContext jsc, InputFiles files, InputSchema schema, Mixture mixture,
      Scoring scoring, OutlierThreshold t, int partitions, String path) {
    return write(jsc, files, schema, mixture, scoring.flagging(t.value()), partitions, path);
  }

  private static long[] add(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /**
   * Scores the data rows of one partition's splits lazily, one at a time: after {@link #next} the row's
   * cluster, probabilities and log-density, and its cleaned line as bytes ({@link #line}, {@link #length}).
   */
  private static final class Scored {
    private final LinePositions at;
    private final InputSchema schema;
    private final String[] names;
    private final BadRowsAccumulator report;
    private final BadRows skipped = new BadRows();
    /** The first error under --on-bad-row fail; the partition stops there. */
    BadRows errors;
    private boolean reported;
    private final Scoring scoring;
    private final Posterior post;
    private final double[] x;
    private final TextSplits.GroupLines lines;
    private RowParser parser;
    private long lineNo;
    private byte[] line;
    private int length;
    private int cluster;
    /** The partition's cached rows (null: parse each line), the block being read and its next row. */
    private final Iterator<DataBlock> blocks;
    private DataBlock block;
    private int row;
    private long position;

    /**
     * {@code report}, when not null, receives the rows left out and the error once the partition ends;
     * {@code blocks}, when not null, are the group's rows as the load cached them.
     */
    Scored(TextSplits text, TextSplits.Group group, LinePositions at, InputSchema schema, String[] names,
        Mixture mixture, Scoring scoring, BadRowsAccumulator report, Iterator<DataBlock> blocks) {
      this.blocks = blocks;
      this.at = at;
      this.schema = schema;
      this.names = names;
      this.report = report;
      this.scoring = scoring;
      this.post = new Posterior(mixture);
      this.x = new double[schema.dimension()];
      this.lines = new TextSplits.GroupLines(text, group);
    }

    /** Moves to the next data row that scores; false at the end (reporting the partition's bad rows). */
    boolean next() {
      while (errors == null) {
        if (!lines.inSplit()) {
          if (!lines.nextSplit()) {
            break;
          }
          parser = new RowParser(schema, names[lines.current().file()], Integer.MAX_VALUE);
          lineNo = at.firstLine()[lines.split()];
          position = at.firstRow()[lines.split()];
        }
        Text t = lines.next();
        if (t == null) {
          continue;
        }
        if (++lineNo == 1 || LinePositions.blank(t)) {
          continue;
        }
        byte[] b = t.getBytes();
        int len = t.getLength();
        String clean = null;
        if (TextSplits.ascii(b, len)) {
          if (len > 0 && b[len - 1] == '\r') {
            len--; // CsvLine.clean of an ASCII line
          }
          line = b;
          length = len;
        } else {
          clean = CsvLine.clean(t.toString());
          line = clean.getBytes(StandardCharsets.UTF_8);
          length = line.length;
        }
        long key = DataBlock.positionKey(position++);
        if (blocks != null ? !cached(key) : !parse(clean)) {
          continue;
        }
        if (scoring.scale() != 1.0) {
          for (int i = 0; i < x.length; i++) {
            x[i] *= scoring.scale();
          }
        }
        cluster = post.score(x, 0);
        return true;
      }
      if (report != null && !reported) {
        reported = true;
        report.add(new BadRowsAccumulator.Report(skipped, errors == null ? new BadRows() : errors));
      }
      return false;
    }

    /** The row's features into x; false for a bad row (recorded). {@code clean} is the line unless ASCII. */
    private boolean parse(String clean) {
      String file = names[lines.current().file()];
      try {
        boolean plain = clean == null ? parser.plainFeatures(line, length, x, 0) : parser.plainFeatures(clean, x, 0);
        if (!plain) {
          String s = clean != null ? clean : new String(line, 0, length, StandardCharsets.ISO_8859_1);
          parser.features(parser.fields(s, lineNo), lineNo, x, 0);
        }
        if (scoring.unitRows() && !Distance.normalise(x, 0, x.length)) {
          throw InputException.at(file, lineNo, 0, "the row's features are all zero: it has no direction for"
              + " the cosine distance");
        }
        return true;
      } catch (InputException e) {
        long key = DataBlock.rowKey(lines.current().file(), lineNo);
        if (scoring.skipBadRows()) {
          skipped.add(key, e.getMessage());
        } else {
          errors = new BadRows();
          errors.add(key, e.getMessage());
        }
        return false;
      }
    }

    /** The features of the row with {@code key} from the cached blocks; false when the load left it out. */
    private boolean cached(long key) {
      while (block == null || row >= block.rows) {
        if (!blocks.hasNext()) {
          return false;
        }
        block = blocks.next();
        row = 0;
      }
      // Keys rise through the partition and every cached row has a line: a larger key means this one is missing.
      if (block.keys[row] != key) {
        return false;
      }
      System.arraycopy(block.x, row * x.length, x, 0, x.length);
      row++;
      return true;
    }

    int cluster() {
      return cluster;
    }

    double[] probabilities() {
      return post.probabilities();
    }

    double logDensity() {
      return post.logDensity();
    }

    /** The row's cleaned line as bytes {@code line()[0..length())} (valid until the next call). */
    byte[] line() {
      return line;
    }

    int length() {
      return length;
    }
  }

  /**
   * A partition's output records for Hadoop's text output: the header, then the scored rows as lines
   * joined by newlines, up to {@link #RECORD_BYTES} to a record (the output format ends each record with
   * a newline, so the file's bytes are those of one line per record). Reuses one {@link Text}.
   */
  private static final class Records implements Iterator<Tuple2<NullWritable, Text>> {
    static final int RECORD_BYTES = 1 << 20;
    private final Scored rows;
    private final Scoring scoring;
    private final byte[] sep;
    private final LongAccumulator rowCount;
    private final LongAccumulator byteCount;
    private final LongAccumulator parts;
    private final Text text = new Text();
    private final long t0 = System.nanoTime();
    private long lastLog = t0;
    private long rowsDone;
    private long bytesDone;
    private byte[] buf = new byte[RECORD_BYTES + (1 << 16)];
    private int n;
    private byte[] header;
    private boolean ended;

    Records(byte[] header, Scored rows, Scoring scoring, LongAccumulator rowCount, LongAccumulator byteCount,
        LongAccumulator parts) {
      this.parts = parts;
      this.header = header;
      this.rows = rows;
      this.scoring = scoring;
      this.sep = String.valueOf(rows.schema.delimiter).getBytes(StandardCharsets.UTF_8);
      this.rowCount = rowCount;
      this.byteCount = byteCount;
    }

    @Override
    public boolean hasNext() {
      return header != null || !ended;
    }

    @Override
    public Tuple2<NullWritable, Text> next() {
      if (header != null) {
        text.set(header);
        byteCount.add(header.length + 1);
        header = null;
        if (!fill()) {
          ended = true;
          parts.add(1);
        }
        return new Tuple2<>(NullWritable.get(), text);
      }
      if (ended) {
        throw new NoSuchElementException();
      }
      text.set(buf, 0, n);
      byteCount.add(n + 1);
      bytesDone += n + 1;
      n = 0;
      ended = !fill();
      long now = System.nanoTime();
      if (now - lastLog > Progress.EVERY_SECONDS * 1_000_000_000L) {
        lastLog = now;
        LOG.info(String.format(Locale.ROOT, "assignments part %d: %d rows, %.1f MB so far (%.0f MB/s)",
            org.apache.spark.TaskContext.getPartitionId(), rowsDone, bytesDone / 1e6,
            bytesDone / 1e3 / ((now - t0) / 1e6)));
      }
      if (ended) {
        parts.add(1);
      }
      return new Tuple2<>(NullWritable.get(), text);
    }

    /**
     * Formats rows into the buffer until it holds a record's worth; false when there were no rows left.
     * Called after the previous record was handed out (the Text is written before the next call).
     */
    private boolean fill() {
      n = 0;
      long count = 0;
      while (n < RECORD_BYTES && rows.next()) {
        if (n > 0) {
          put((byte) '\n');
        }
        append(rows.line(), rows.length());
        append(sep, sep.length);
        putInt(rows.cluster());
        if (scoring.soft()) {
          for (double p : rows.probabilities()) {
            append(sep, sep.length);
            putAscii(DecimalText.of(p));
          }
        }
        if (scoring.density()) {
          append(sep, sep.length);
          putAscii(DecimalText.of(rows.logDensity()));
        }
        if (scoring.flagOutliers()) {
          append(sep, sep.length);
          put(rows.logDensity() <= scoring.outlierBelow() ? (byte) '1' : (byte) '0');
        }
        count++;
      }
      rowCount.add(count);
      rowsDone += count;
      return count > 0;
    }

    private void room(int more) {
      if (n + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(2 * buf.length, n + more));
      }
    }

    private void put(byte b) {
      room(1);
      buf[n++] = b;
    }

    private void append(byte[] b, int len) {
      room(len);
      System.arraycopy(b, 0, buf, n, len);
      n += len;
    }

    /** A number's text (ASCII: digits, sign, point, exponent). */
    @SuppressWarnings("deprecation")
    private void putAscii(String s) {
      int len = s.length();
      room(len);
      s.getBytes(0, len, buf, n);
      n += len;
    }

    private void putInt(int v) {
      if (v < 10 && v >= 0) {
        put((byte) ('0' + v));
      } else {
        putAscii(Integer.toString(v));
      }
    }
  }
}
