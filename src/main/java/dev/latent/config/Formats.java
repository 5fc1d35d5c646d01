package dev.latent.config;

import dev.latent.io.UsageException;
import java.util.List;

/** The --format and --output-format values of fit and predict. */
public final class Formats {
  /** Input formats: auto (by extension, or by a folder's files), our CSV reader, or Spark's data sources. */
  public static final List<String> INPUT = List.of("auto", "csv", "parquet", "orc", "json");
  /** Formats of the assignments. */
  public static final List<String> OUTPUT = List.of("csv", "parquet");

  private Formats() {}

  static String input(Settings s) {
    String f = s.string("format", "auto");
    if (!INPUT.contains(f)) {
      throw new UsageException("--format is auto, csv, parquet, orc or json, got '" + f + "'");
    }
    return f;
  }

  static String output(Settings s) {
    String f = s.string("output-format", "csv");
    if (!OUTPUT.contains(f)) {
      throw new UsageException("--output-format is csv or parquet, got '" + f + "'");
    }
    return f;
  }
}
