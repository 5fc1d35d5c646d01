package dev.latent.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Creates the job's Spark context: embedded local mode unless a master is given or set by spark-submit. */
public final class SparkContexts {
  private SparkContexts() {}

  public static JavaSparkContext create(String app, String master) {
    SparkConf conf = new SparkConf().setAppName(app);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    String m = conf.get("spark.master");
    if (!m.equals("local") && !m.startsWith("local[") && !conf.contains("spark.jars")) {
      // Executors in other JVMs (local-cluster, or a cluster reached without spark-submit) need our
      // classes: ship the jar this class was loaded from. spark-submit sets spark.jars itself.
      String[] jar = JavaSparkContext.jarOfClass(SparkContexts.class);
      if (jar.length > 0) {
        conf.setJars(jar);
      }
    }
    if (m.startsWith("local")) {
      // An embedded run serves nobody else: stay on loopback and skip the web UI unless asked for.
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    JavaSparkContext jsc = new JavaSparkContext(conf);
    // Local output without Hadoop's .crc side files next to every part file.
    try {
      org.apache.hadoop.fs.FileSystem.getLocal(jsc.hadoopConfiguration()).setWriteChecksum(false);
    } catch (java.io.IOException e) {
      // Checksums are harmless; keep going.
    }
    return jsc;
  }
}
