package dev.latent.config;

import dev.latent.io.UsageException;
import java.util.Set;

/** The validated options of {@code latent sample}: draw {@code n} rows from a fitted Gaussian mixture. */
public record SampleOptions(String model, long n, String output, long seed, String master, int partitions,
    boolean overwrite) {

  public static final Set<String> KEYS = Set.of("model", "n", "output", "seed", "master", "partitions");
  public static final Set<String> FLAGS = Set.of("overwrite");

  public static SampleOptions from(Settings s) {
    if (s.string("n", null) == null) {
      throw new UsageException("--n is required (the number of rows to draw)");
    }
    long n = s.longValue("n", 0L);
    if (n < 1) {
      throw new UsageException("--n must be at least 1, got " + n);
    }
    return new SampleOptions(s.required("model"), n, s.required("output"), s.longValue("seed", 0L),
        s.string("master", null), s.integer("partitions", 0, 0), s.flag("overwrite"));
  }
}
