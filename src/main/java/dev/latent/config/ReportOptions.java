package dev.latent.config;

import java.util.Set;

/** The options of {@code latent report}: the finished output folder, and where the HTML goes (default DIR/report.html). */
public record ReportOptions(String run, String output) {
  public static final Set<String> KEYS = Set.of("run", "output");
  public static final Set<String> FLAGS = Set.of();

  public static ReportOptions from(Settings s) {
    return new ReportOptions(s.required("run"), s.string("output", null));
  }
}
