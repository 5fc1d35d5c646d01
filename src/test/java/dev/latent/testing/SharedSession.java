package dev.latent.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One local SparkSession per test class ({@code local[2]}, no UI, loopback), for the DataFrame and Spark ML
 * tests; {@link #jsc} is its context, so the command line can run on it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SharedSession {
  protected SparkSession spark;
  protected JavaSparkContext jsc;

  @BeforeAll
  void startSession() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName(getClass().getSimpleName())
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    jsc.setLogLevel("WARN");
  }

  @AfterAll
  void stopSession() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** Rows x as double columns {@code names}, in order, in {@code partitions} partitions. */
  protected Dataset<Row> frame(double[][] x, List<String> names, int partitions) {
    StructType schema = new StructType();
    for (String n : names) {
      schema = schema.add(n, DataTypes.DoubleType, false);
    }
    List<Row> rows = new ArrayList<>();
    for (double[] r : x) {
      Object[] v = new Object[r.length];
      for (int i = 0; i < r.length; i++) {
        v[i] = r[i];
      }
      rows.add(RowFactory.create(v));
    }
    return spark.createDataFrame(jsc.parallelize(rows, partitions), schema);
  }
}
