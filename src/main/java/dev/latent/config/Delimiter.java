package dev.latent.config;

import dev.latent.io.UsageException;

/** The field separator of CSV input ({@code --delimiter}): one character, or {@code tab}. */
public final class Delimiter {
  public static final char DEFAULT = ',';

  private Delimiter() {}

  /** {@code tab} (or {@code \t}) is the tab character; anything else must be one character. */
  public static char parse(String v) {
    if (v == null) {
      return DEFAULT;
    }
    if (v.equals("tab") || v.equals("\\t") || v.equals("\t")) {
      return '\t';
    }
    if (v.length() != 1 || v.equals("\"") || v.equals("\n") || v.equals("\r")) {
      throw new UsageException("--delimiter is one character (such as ';' or '|') or 'tab', got '" + v + "'");
    }
    return v.charAt(0);
  }

  /** How a delimiter is written in messages and in provenance: tab by name, the rest as itself. */
  public static String name(char c) {
    return c == '\t' ? "tab" : String.valueOf(c);
  }
}
