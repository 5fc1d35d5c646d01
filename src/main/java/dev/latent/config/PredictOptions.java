package dev.latent.config;

import dev.latent.io.UsageException;
import java.util.Set;

/**
 * The validated options of {@code latent predict}. {@code outlierQuantile} is NaN unless rows are to be
 * flagged as outliers: those whose log-density is among the lowest fraction q. {@code skipBadRows}
 * leaves out rows that do not parse (--on-bad-row skip), as fit does.
 */
public record PredictOptions(String model, String input, String output, String master, int partitions,
    boolean overwrite, double outlierQuantile, int aggregationDepth, char delimiter, boolean skipBadRows,
    String format, String outputFormat) {

  public static final Set<String> KEYS = Set.of("model", "input", "output", "master", "partitions",
      "outlier-quantile", "aggregation-depth", "delimiter", "on-bad-row", "format", "output-format");
  public static final Set<String> FLAGS = Set.of("overwrite");

  public static PredictOptions from(Settings s) {
    double q = s.number("outlier-quantile", Double.NaN, 0.0);
    if (!Double.isNaN(q) && !(q > 0.0 && q < 1.0)) {
      throw new UsageException("--outlier-quantile must be between 0 and 1 (exclusive), got "
          + s.string("outlier-quantile", ""));
    }
    String onBadRow = s.string("on-bad-row", "fail");
    if (!onBadRow.equals("fail") && !onBadRow.equals("skip")) {
      throw new UsageException("--on-bad-row is fail or skip, got '" + onBadRow + "'");
    }
    return new PredictOptions(s.required("model"), s.required("input"), s.required("output"),
        s.string("master", null), s.integer("partitions", 0, 0), s.flag("overwrite"), q,
        s.integer("aggregation-depth", 2, 1), Delimiter.parse(s.string("delimiter", null)),
        onBadRow.equals("skip"), Formats.input(s), Formats.output(s));
  }

  public boolean flagOutliers() {
    return !Double.isNaN(outlierQuantile);
  }
}
