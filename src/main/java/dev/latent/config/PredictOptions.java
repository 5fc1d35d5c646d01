package dev.latent.config;

import java.util.Set;

/** The validated options of {@code latent predict}. */
public record PredictOptions(String model, String input, String output, String master, int partitions,
    boolean overwrite) {

  public static final Set<String> KEYS = Set.of("model", "input", "output", "master", "partitions");
  public static final Set<String> FLAGS = Set.of("overwrite");

  public static PredictOptions from(Settings s) {
    return new PredictOptions(s.required("model"), s.required("input"), s.required("output"),
        s.string("master", null), s.integer("partitions", 0, 0), s.flag("overwrite"));
  }
}
