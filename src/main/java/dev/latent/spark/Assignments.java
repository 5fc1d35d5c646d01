package dev.latent.spark;

import dev.latent.em.DataBlock;
import dev.latent.em.Distance;
import dev.latent.em.Mixture;
import dev.latent.em.OutlierThreshold;
import dev.latent.em.Posterior;
import dev.latent.io.BadRows;
import dev.latent.io.CsvLine;
import dev.latent.io.DecimalText;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import dev.latent.io.RowParser;
import dev.latent.math.RankSelect;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
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
    String header = h.toString();
    Broadcast<Mixture> b = jsc.broadcast(mixture);
    BadRowsAccumulator bad = new BadRowsAccumulator();
    jsc.sc().register(bad, "bad rows");
    try {
      List<JavaRDD<String>> parts = new ArrayList<>();
      for (int i = 0; i < files.files().size(); i++) {
        String file = files.files().get(i);
        String name = files.name(i);
        int index = i;
        parts.add(lines(jsc, file, partitions).mapPartitions(it -> new Scored(it, schema, name, index, b.value(),
            scoring, bad)));
      }
      union(jsc, parts).mapPartitions(it -> new Prepend(header, it)).saveAsTextFile(path);
    } finally {
      b.destroy();
    }
    failOnError(bad.value().errors());
    return bad.value().skipped();
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
    List<JavaRDD<Densities>> parts = new ArrayList<>();
    for (int i = 0; i < files.files().size(); i++) {
      String file = files.files().get(i);
      String name = files.name(i);
      int index = i;
      parts.add(lines(jsc, file, partitions).mapPartitions(it -> {
        Scored s = new Scored(it, schema, name, index, b.value(), scoring, null);
        double[] v = new double[64];
        int n = 0;
        while (s.hasNext()) {
          s.next();
          if (n == v.length) {
            v = Arrays.copyOf(v, 2 * n);
          }
          v[n++] = s.logDensity();
        }
        return List.of(new Densities(Arrays.copyOf(v, n), s.errors)).iterator();
      }));
    }
    JavaRDD<Densities> scored = union(jsc, parts).persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<double[]> dens = scored.map(Densities::values);
    try {
      // The first pass also parses: a bad row (--on-bad-row fail) stops here, before any selection pass.
      failOnError(scored.map(p -> p.error() == null ? new BadRows() : p.error()).reduce(BadRows::merge));
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
      return new OutlierThreshold(q, r.value(), r.rank(), r.n(), flagged, r.passes() + (r.rank() > 0 ? 1 : 0));
    } finally {
      scored.unpersist(false);
      b.destroy();
    }
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

  /** One file's lines with their 0-based line indices. */
  private static JavaPairRDD<String, Long> lines(JavaSparkContext jsc, String file, int partitions) {
    JavaRDD<String> text = partitions > 0 ? jsc.textFile(file, partitions) : jsc.textFile(file);
    return text.zipWithIndex();
  }

  private static <T> JavaRDD<T> union(JavaSparkContext jsc, List<JavaRDD<T>> parts) {
    @SuppressWarnings("unchecked")
    JavaRDD<T>[] arr = parts.toArray(new JavaRDD[0]);
    return arr.length == 1 ? arr[0] : jsc.union(arr);
  }

  /** Scores one file's lines lazily, so a partition never holds more than one row's output. */
  private static final class Scored implements Iterator<String> {
    private final Iterator<Tuple2<String, Long>> lines;
    private final String file;
    private final int fileIndex;
    private final BadRowsAccumulator report;
    private final BadRows skipped = new BadRows();
    /** The first error under --on-bad-row fail; the partition stops there. */
    BadRows errors;
    private boolean reported;
    private final Mixture mixture;
    private final Scoring scoring;
    private final RowParser parser;
    private final Posterior post;
    private final double[] x;
    private String next;
    private double logDensity;

    /** {@code report}, when not null, receives the rows left out and the error once the partition ends. */
    Scored(Iterator<Tuple2<String, Long>> lines, InputSchema schema, String file, int fileIndex, Mixture mixture,
        Scoring scoring, BadRowsAccumulator report) {
      this.lines = lines;
      this.file = file;
      this.fileIndex = fileIndex;
      this.report = report;
      this.mixture = mixture;
      this.scoring = scoring;
      this.parser = new RowParser(schema, file, Integer.MAX_VALUE);
      this.post = new Posterior(mixture);
      this.x = new double[schema.dimension()];
    }

    @Override
    public boolean hasNext() {
      while (next == null && errors == null && lines.hasNext()) {
        Tuple2<String, Long> t = lines.next();
        long lineNo = t._2() + 1;
        String line = CsvLine.clean(t._1());
        if (lineNo == 1 || line.isBlank()) {
          continue;
        }
        try {
          if (!parser.plainFeatures(line, x, 0)) {
            parser.features(parser.fields(line, lineNo), lineNo, x, 0);
          }
          if (scoring.unitRows() && !Distance.normalise(x, 0, x.length)) {
            throw InputException.at(file, lineNo, 0, "the row's features are all zero: it has no direction for"
                + " the cosine distance");
          }
        } catch (InputException e) {
          long key = DataBlock.rowKey(fileIndex, lineNo);
          if (scoring.skipBadRows()) {
            skipped.add(key, e.getMessage());
          } else {
            errors = new BadRows();
            errors.add(key, e.getMessage());
          }
          continue;
        }
        if (scoring.scale() != 1.0) {
          for (int i = 0; i < x.length; i++) {
            x[i] *= scoring.scale();
          }
        }
        int c = post.score(x, 0);
        logDensity = post.logDensity();
        StringBuilder s = new StringBuilder(line.length() + 24 * (mixture.k + 2));
        char sep = parser.delimiter();
        s.append(line).append(sep).append(c);
        if (scoring.soft()) {
          for (double p : post.probabilities()) {
            s.append(sep).append(DecimalText.of(p));
          }
        }
        if (scoring.density()) {
          s.append(sep).append(DecimalText.of(logDensity));
        }
        if (scoring.flagOutliers()) {
          s.append(sep).append(logDensity <= scoring.outlierBelow() ? '1' : '0');
        }
        next = s.toString();
      }
      if (next == null && report != null && !reported) {
        reported = true;
        report.add(new BadRowsAccumulator.Report(skipped, errors == null ? new BadRows() : errors));
      }
      return next != null;
    }

    @Override
    public String next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      String s = next;
      next = null;
      return s;
    }

    double logDensity() {
      return logDensity;
    }
  }

  /** A header line followed by the partition's lines. */
  private static final class Prepend implements Iterator<String> {
    private final Iterator<String> rest;
    private String first;

    Prepend(String first, Iterator<String> rest) {
      this.first = first;
      this.rest = rest;
    }

    @Override
    public boolean hasNext() {
      return first != null || rest.hasNext();
    }

    @Override
    public String next() {
      if (first != null) {
        String s = first;
        first = null;
        return s;
      }
      return rest.next();
    }
  }
}
