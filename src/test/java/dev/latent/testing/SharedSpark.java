package dev.latent.testing;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One local Spark context per test class ({@code local[2]}, no UI, loopback), shared by its tests.
 * Extend it and use {@link #jsc}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SharedSpark {
  protected JavaSparkContext jsc;

  @BeforeAll
  void startSpark() {
    SparkConf conf = new SparkConf()
        .setMaster("local[2]")
        .setAppName(getClass().getSimpleName())
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.showConsoleProgress", "false");
    jsc = new JavaSparkContext(conf);
    jsc.setLogLevel("WARN");
  }

  @AfterAll
  void stopSpark() {
    if (jsc != null) {
      jsc.stop();
    }
  }
}
