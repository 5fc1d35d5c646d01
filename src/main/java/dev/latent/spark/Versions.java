package dev.latent.spark;

import java.time.Instant;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/** Version strings and the time stamp recorded in provenance. */
public final class Versions {
  private Versions() {}

  /** The jar's Implementation-Version, or "dev" when running from classes. */
  public static String latent() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Adds when and with which versions a model was made: the last entries of model.json's provenance. */
  public static void stamp(Map<String, Object> provenance, JavaSparkContext jsc) {
    provenance.put("createdAt", Instant.now().toString());
    provenance.put("latentVersion", latent());
    provenance.put("sparkVersion", jsc.version());
    provenance.put("javaVersion", System.getProperty("java.version"));
  }
}
