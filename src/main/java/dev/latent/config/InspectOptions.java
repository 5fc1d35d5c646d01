package dev.latent.config;

import dev.latent.io.UsageException;
import java.util.Set;

/**
 * The validated options of {@code latent inspect}: the model to inspect, optionally a second model to
 * measure it against, and the Monte Carlo sample ({@code samples} rows drawn with {@code seed}).
 */
public record InspectOptions(String model, String against, long samples, long seed, String output,
    boolean overwrite, String master, int partitions) {

  public static final Set<String> KEYS = Set.of("model", "against", "samples", "seed", "output", "master",
      "partitions");
  public static final Set<String> FLAGS = Set.of("overwrite");

  public static InspectOptions from(Settings s) {
    String model = s.required("model");
    long samples = s.longValue("samples", 100_000L);
    if (samples < 2) {
      throw new UsageException("--samples must be at least 2 (a standard error needs two rows), got "
          + samples);
    }
    return new InspectOptions(model, s.string("against", null), samples, s.longValue("seed", 0L),
        s.required("output"), s.flag("overwrite"), s.string("master", null), s.integer("partitions", 0, 0));
  }
}
