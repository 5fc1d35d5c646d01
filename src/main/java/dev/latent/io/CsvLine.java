package dev.latent.io;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line on commas, honouring RFC 4180 double quotes (a quoted field may hold commas). */
public final class CsvLine {
  private CsvLine() {}

  /** The fields of {@code line}; throws IllegalArgumentException for an unterminated quote. */
  public static String[] split(String line) {
    if (line.indexOf('"') < 0) {
      return splitPlain(line);
    }
    List<String> out = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          f.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(f.toString());
        f.setLength(0);
      } else {
        f.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("a quoted field is not closed");
    }
    out.add(f.toString());
    return out.toArray(new String[0]);
  }

  private static String[] splitPlain(String line) {
    int n = 1;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ',') {
        n++;
      }
    }
    String[] out = new String[n];
    int start = 0;
    for (int f = 0; f < n; f++) {
      int end = f == n - 1 ? line.length() : line.indexOf(',', start);
      out[f] = line.substring(start, end);
      start = end + 1;
    }
    return out;
  }

  /** Strips a trailing carriage return (Windows line ends) and a leading byte-order mark. */
  public static String clean(String line) {
    if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
      line = line.substring(1);
    }
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    return line;
  }
}
