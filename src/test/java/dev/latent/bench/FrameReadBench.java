package dev.latent.bench;

import dev.latent.spark.FrameInput;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;

/**
 * How DataFrame rows should reach the cached blocks: {@code Dataset.rdd()} (an external Row per row) or
 * {@code queryExecution().toRdd()} (InternalRow, no conversion). Reads n x d doubles from Parquet and sums
 * every value both ways, alternating, then times the whole {@link FrameInput#load} (count pass, blocks,
 * cache, column statistics). Run: {@code java -cp ... dev.latent.bench.FrameReadBench [rows] [rounds]}.
 */
public final class FrameReadBench {
  private FrameReadBench() {}

  /** Seconds and the sum of every value, read as InternalRows. */
  static double[] internal(Dataset<Row> df, int d) {
    long t0 = System.nanoTime();
    double s = df.queryExecution().toRdd().toJavaRDD().mapPartitions(it -> {
      double sum = 0;
      while (it.hasNext()) {
        InternalRow row = it.next();
        for (int i = 0; i < d; i++) {
          sum += row.getDouble(i);
        }
      }
      return List.of(sum).iterator();
    }).reduce(Double::sum);
    return new double[] {(System.nanoTime() - t0) / 1e9, s};
  }

  /** The same through Dataset.rdd(): one external Row per row. */
  static double[] external(Dataset<Row> df, int d) {
    long t0 = System.nanoTime();
    double s = df.javaRDD().mapPartitions(it -> {
      double sum = 0;
      while (it.hasNext()) {
        Row row = it.next();
        for (int i = 0; i < d; i++) {
          sum += row.getDouble(i);
        }
      }
      return List.of(sum).iterator();
    }).reduce(Double::sum);
    return new double[] {(System.nanoTime() - t0) / 1e9, s};
  }

  public static void main(String[] args) {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int d = 10;
    SparkSession spark = SparkSession.builder().master("local[2]").appName("FrameReadBench")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    String path = System.getProperty("java.io.tmpdir") + "/latent-frame-bench-" + n + ".parquet";
    List<Column> cols = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      cols.add(functions.randn(i).as("x" + i));
      names.add("x" + i);
    }
    spark.range(n).select(cols.toArray(Column[]::new)).write().mode("overwrite").parquet(path);
    Dataset<Row> df = spark.read().parquet(path);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    for (int r = 0; r < rounds; r++) {
      // Alternate which path goes first, so a neighbour's load or a warm cache favours neither.
      double[] first = r % 2 == 0 ? internal(df, d) : external(df, d);
      double[] second = r % 2 == 0 ? external(df, d) : internal(df, d);
      double[] in = r % 2 == 0 ? first : second;
      double[] ex = r % 2 == 0 ? second : first;
      long t0 = System.nanoTime();
      try (FrameInput f = FrameInput.load(jsc, List.of(new FrameInput.Part(df, null)),
          new FrameInput.Columns(names, null, null), d, 2, false, false, 0, 2)) {
        long t1 = System.nanoTime();
        System.out.printf("round %d (%s first): InternalRow %.2f s, Row %.2f s (sums %.6g %.6g); FrameInput.load"
            + " %.2f s, %d rows%n", r, r % 2 == 0 ? "InternalRow" : "Row", in[0], ex[0], in[1], ex[1],
            (t1 - t0) / 1e9, f.columns.rows);
      }
    }
    spark.stop();
  }
}
