package dev.latent.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line on its delimiter (a comma unless {@code --delimiter} says otherwise), honouring
 * RFC 4180 double quotes (a quoted field may hold the delimiter).
 */
public final class CsvLine {
  private CsvLine() {}

  /** The fields of {@code line}; throws IllegalArgumentException for an unterminated quote. */
  public static String[] split(String line) {
    return split(line, ',');
  }

  /** The fields of {@code line} separated by {@code delimiter}. */
  public static String[] split(String line, char delimiter) {
    if (line.indexOf('"') < 0) {
      return splitPlain(line, delimiter);
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
      } else if (c == delimiter) {
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

  private static String[] splitPlain(String line, char delimiter) {
    int n = 1;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == delimiter) {
        n++;
      }
    }
    String[] out = new String[n];
    int start = 0;
    for (int f = 0; f < n; f++) {
      int end = f == n - 1 ? line.length() : line.indexOf(delimiter, start);
      out[f] = line.substring(start, end);
      start = end + 1;
    }
    return out;
  }

  /**
   * The delimiter that {@code header} seems to use when it holds none of {@code delimiter}: a tab, a
   * semicolon or a comma, whichever occurs most (null when there is no sign of another one). A header of
   * one column never holds a delimiter, so only a header with another separator is flagged.
   */
  public static Character otherDelimiter(String header, char delimiter) {
    if (header.indexOf(delimiter) >= 0) {
      return null;
    }
    Character best = null;
    long most = 0;
    for (char c : new char[] {'\t', ';', ','}) {
      long n = header.chars().filter(ch -> ch == c).count();
      if (c != delimiter && n > most) {
        best = c;
        most = n;
      }
    }
    return best;
  }

  /** Strips a trailing carriage return (Windows line ends) and a leading byte-order mark. */
  public static String clean(String line) {
    line = withoutByteOrderMark(line);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    return line;
  }

  /** The line less a leading byte-order mark. */
  public static String withoutByteOrderMark(String line) {
    return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
  }
}
