package dev.latent.spark;

import dev.latent.em.Distance;
import dev.latent.io.InputException;
import dev.latent.io.UsageException;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.OutlierThreshold;
import dev.latent.mixture.Posterior;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * Parquet, ORC and JSON-lines input through Spark's data sources, for {@code latent fit} and
 * {@code latent predict}: the files (a file, a folder of part files skipping {@code _*} and {@code .*},
 * or a glob, sorted by path), one schema for all of them, one DataFrame per file (so each file's rows
 * keep their order and the row keys are positions in the input, see {@link FrameInput}), and
 * assignments written through Spark's CSV or Parquet writers. CSV stays with Latent's own reader.
 */
public final class SourceInput {
  public final String format;
  public final List<String> files;
  public final StructType schema;
  private final SparkSession spark;

  private SourceInput(SparkSession spark, String format, List<String> files, StructType schema) {
    this.spark = spark;
    this.format = format;
    this.files = files;
    this.schema = schema;
  }

  /**
   * The input's format: {@code format} unless it is auto; then by the first file's extension (ignoring a
   * compression suffix): .parquet, .orc, .json/.jsonl/.ndjson; anything else is CSV.
   */
  public static String formatOf(Configuration conf, String input, String format) {
    if (!format.equals("auto")) {
      return format;
    }
    List<String> files;
    try {
      files = InputFiles.list(conf, input);
    } catch (InputException e) {
      return "csv";
    }
    String name = new Path(files.get(0)).getName().toLowerCase(Locale.ROOT);
    name = name.replaceAll("\\.(gz|bz2|snappy|zst|lz4|deflate|xz|zlib)$", "");
    if (name.endsWith(".parquet")) {
      return "parquet";
    }
    if (name.endsWith(".orc")) {
      return "orc";
    }
    if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return "json";
    }
    return "csv";
  }

  /** Lists the files and reads their common schema (for JSON, Spark infers it over all of them). */
  public static SourceInput open(JavaSparkContext jsc, String input, String format) {
    SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
    List<String> files = InputFiles.list(jsc.hadoopConfiguration(), input);
    StructType schema;
    try {
      schema = spark.read().format(format).load(files.toArray(String[]::new)).schema();
    } catch (RuntimeException e) {
      throw new InputException(input + ": cannot be read as " + format + " (" + e.getMessage() + ")", e);
    }
    if (schema.fields().length == 0 || format.equals("json") && schema.fieldNames().length == 1
        && schema.fieldNames()[0].equals("_corrupt_record")) {
      throw new InputException(input + ": no columns could be read as " + format);
    }
    return new SourceInput(spark, format, List.copyOf(files), schema);
  }

  /** File i as messages name it. */
  public String name(int i) {
    return InputFiles.display(files.get(i));
  }

  /** One DataFrame per file, all with the common schema. */
  public List<FrameInput.Part> parts() {
    List<FrameInput.Part> parts = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      parts.add(new FrameInput.Part(spark.read().format(format).schema(schema).load(files.get(i)), name(i)));
    }
    return parts;
  }

  /**
   * The feature columns: {@code features} in that order, else every column in the schema's order that is
   * neither excluded nor the weight or label column. A feature that is not numeric is bad input naming it.
   */
  public List<String> features(List<String> features, List<String> exclude, String weight, String label) {
    List<String> names = List.of(schema.fieldNames());
    if (format.equals("json") && names.contains("_corrupt_record")) {
      throw new InputException(name(0) + ": some lines are not JSON objects (Spark put them in _corrupt_record);"
          + " JSON input is one object per line");
    }
    for (String c : concat(features, exclude, weight, label)) {
      if (!names.contains(c)) {
        throw new UsageException("column '" + c + "' is not in " + name(0) + " (columns: " + String.join(",", names)
            + ")");
      }
    }
    List<String> out = new ArrayList<>();
    if (!features.isEmpty()) {
      out.addAll(features);
    } else {
      for (String c : names) {
        if (!exclude.contains(c) && !c.equals(weight) && !c.equals(label)) {
          out.add(c);
        }
      }
    }
    if (out.isEmpty()) {
      throw new UsageException("no feature columns are left in " + name(0) + " (columns: " + String.join(",", names)
          + ")");
    }
    for (String c : out) {
      DataType t = schema.apply(c).dataType();
      if (!(t instanceof org.apache.spark.sql.types.NumericType)) {
        throw new InputException(name(0) + ": column '" + c + "' is " + t.simpleString()
            + ", not numbers: exclude it (--exclude) or name the features (--features)");
      }
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b, String c, String d) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    if (c != null) {
      all.add(c);
    }
    if (d != null) {
      all.add(d);
    }
    return all;
  }

  /**
   * Reads and caches the rows; {@code k} bounds label values; {@code partitions} above the files' own
   * count spreads the cached blocks over that many partitions.
   */
  public FrameInput load(List<String> features, String weight, String label, int k, boolean unitRows,
      boolean skipBadRows, int partitions, int depth) {
    return FrameInput.load(JavaSparkContext.fromSparkContext(spark.sparkContext()), parts(),
        new FrameInput.Columns(features, weight, label), features.size(), k, unitRows, skipBadRows, partitions, depth);
  }

  /** How rows are scored into assignments: {@code soft} adds p0..p{k-1}, {@code density} logDensity. */
  public record Scoring(boolean soft, boolean density, boolean unitRows, boolean skipBadRows) implements Serializable {}

  /**
   * Writes every input row (every column as it was) with {@code cluster}, then p0..p{k-1} and logDensity
   * as {@code scoring} says, and with {@code outliers} (null for none) {@code outlier}: 1 at or below its
   * log-density threshold, else 0; as CSV part files with a header or as Parquet, in the input's order.
   */
  public void writeAssignments(Mixture mixture, List<String> features, Scoring scoring, OutlierThreshold outliers,
      String outputFormat, String path) {
    Dataset<Row> scored = scored(mixture, features, scoring);
    List<Column> out = new ArrayList<>();
    for (String c : schema.fieldNames()) {
      out.add(functions.col(FrameInput.quote(c)));
    }
    out.add(functions.col(SCORES + ".cluster").as("cluster"));
    if (scoring.soft()) {
      for (int j = 0; j < mixture.k; j++) {
        out.add(functions.col(SCORES + ".p").getItem(j).as("p" + j));
      }
    }
    if (scoring.density()) {
      out.add(functions.col(SCORES + ".logDensity").as("logDensity"));
    }
    if (outliers != null) {
      // No threshold (rank 0) flags nothing; Spark's SQL would order a NaN threshold above every value.
      Column flag = outliers.rank() > 0
          ? functions.when(functions.col(SCORES + ".logDensity").leq(outliers.value()), 1).otherwise(0)
          : functions.lit(0);
      out.add(flag.as("outlier"));
    }
    Dataset<Row> result = scored.select(out.toArray(Column[]::new));
    if (outputFormat.equals("parquet")) {
      result.write().parquet(path);
    } else {
      result.write().option("header", "true").csv(path);
    }
  }

  /** Every row's log-density under {@code mixture}, one array per partition, in the input's order. */
  public JavaRDD<double[]> logDensities(Mixture mixture, List<String> features, Scoring scoring) {
    return scored(mixture, features, scoring).select(functions.col(SCORES + ".logDensity")).javaRDD()
        .mapPartitions(rows -> {
          double[] v = new double[64];
          int n = 0;
          while (rows.hasNext()) {
            if (n == v.length) {
              v = Arrays.copyOf(v, 2 * n);
            }
            v[n++] = rows.next().getDouble(0);
          }
          return List.of(Arrays.copyOf(v, n)).iterator();
        });
  }

  private static final String SCORES = "__latent_scores";

  /** The input's rows with the struct column {@link #SCORES}: cluster, p and logDensity. */
  private Dataset<Row> scored(Mixture mixture, List<String> features, Scoring scoring) {
    Dataset<Row> all = null;
    for (FrameInput.Part p : parts()) {
      all = all == null ? p.frame() : all.union(p.frame());
    }
    StructType scores = new StructType().add("cluster", DataTypes.IntegerType, false)
        .add("p", new ArrayType(DataTypes.DoubleType, false), false)
        .add("logDensity", DataTypes.DoubleType, false);
    RowScorer scorer = new RowScorer(mixture, scoring.unitRows(), scoring.skipBadRows());
    UserDefinedFunction f = functions.udf((UDF1<Seq<Object>, Row>) scorer::score, scores).asNondeterministic();
    Column[] x = new Column[features.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = functions.col(FrameInput.quote(features.get(i))).cast(DataTypes.DoubleType);
    }
    Dataset<Row> scored = all.withColumn(SCORES, f.apply(functions.array(x)));
    if (scoring.skipBadRows()) {
      scored = scored.filter(functions.col(SCORES).isNotNull());
    }
    return scored;
  }

  /**
   * Our own CSV assignments (folder {@code csvDir}, part files with a header) rewritten as Parquet in
   * {@code path}: feature and score columns as doubles, cluster (and outlier) as ints, the other input
   * columns as the strings they were. Part by part, so the rows keep their order.
   */
  public static void csvToParquet(JavaSparkContext jsc, String csvDir, List<String> features, String path) {
    SparkSession spark = SparkSession.builder().sparkContext(jsc.sc()).getOrCreate();
    List<String> parts = new ArrayList<>();
    for (String f : InputFiles.list(jsc.hadoopConfiguration(), csvDir)) {
      if (new Path(f).getName().startsWith("part-")) {
        parts.add(f);
      }
    }
    String[] header = spark.read().option("header", "true").csv(parts.get(0)).schema().fieldNames();
    StructType schema = new StructType();
    for (String h : header) {
      DataType t = h.equals("cluster") || h.equals("outlier") ? DataTypes.IntegerType
          : features.contains(h) || h.equals("logDensity") || h.matches("p[0-9]+") ? DataTypes.DoubleType
          : DataTypes.StringType;
      schema = schema.add(new StructField(h, t, true, org.apache.spark.sql.types.Metadata.empty()));
    }
    Dataset<Row> all = null;
    for (String f : parts) {
      Dataset<Row> d = spark.read().option("header", "true").schema(schema).csv(f);
      all = all == null ? d : all.union(d);
    }
    all.write().parquet(path);
    try {
      Path dir = new Path(csvDir);
      dir.getFileSystem(jsc.hadoopConfiguration()).delete(dir, true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove " + csvDir + ": " + e.getMessage(), e);
    }
  }


  /** Scores one row of features; a null, NaN or infinite feature gives null when skipping, else an error. */
  static final class RowScorer implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Mixture mixture;
    private final boolean unitRows;
    private final boolean skip;
    private transient ThreadLocal<Posterior> posterior;

    RowScorer(Mixture mixture, boolean unitRows, boolean skip) {
      this.mixture = mixture;
      this.unitRows = unitRows;
      this.skip = skip;
    }

    Row score(Seq<Object> features) {
      if (posterior == null) {
        posterior = ThreadLocal.withInitial(() -> new Posterior(mixture));
      }
      double[] x = new double[mixture.d];
      for (int i = 0; i < x.length; i++) {
        Object v = features.apply(i);
        x[i] = v == null ? Double.NaN : (Double) v;
        if (!Double.isFinite(x[i])) {
          if (skip) {
            return null;
          }
          throw new InputException("feature " + i + " of a row is " + (v == null ? "null" : v)
              + ", not a finite number");
        }
      }
      if (unitRows && !Distance.normalise(x, 0, x.length)) {
        if (skip) {
          return null;
        }
        throw new InputException("a row's features are all zero: it has no direction for the cosine distance");
      }
      Posterior p = posterior.get();
      int c = p.score(x, 0);
      return RowFactory.create(c, Arrays.stream(p.probabilities()).boxed().toList(), p.logDensity());
    }
  }
}
