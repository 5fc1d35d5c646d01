package dev.latent.io;

import com.fasterxml.jackson.core.io.NumberInput;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * Parses the data lines of one input file under a schema: features into a row-major buffer, plus the
 * weight and label when the schema has them. Every error names file, line and column.
 */
public final class RowParser implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String NOT_FINITE = "' is not a finite number (NaN and infinity are not data)";

  private final InputSchema schema;
  private final String file;
  private final int k;
  /** Per column, its feature index or -1; a line's characters; the byte path's reader: made on first use. */
  private transient int[] featureOf;
  private transient char[] chars;
  private transient DecimalReader decimals;
  /** False for a delimiter that a number could hold (the byte path then takes no line). */
  private transient boolean bytesReadable;

  /** {@code k} bounds the labels (0..k-1) when the schema has a label column. */
  public RowParser(InputSchema schema, String file, int k) {
    this.schema = schema;
    this.file = file;
    this.k = k;
  }

  /** The field separator of the lines parsed. */
  public char delimiter() {
    return schema.delimiter;
  }

  /** Splits and checks the field count. */
  public String[] fields(String line, long lineNo) {
    String[] f;
    try {
      f = CsvLine.split(line, schema.delimiter);
    } catch (IllegalArgumentException e) {
      throw InputException.at(file, lineNo, 0, e.getMessage());
    }
    int n = schema.header.length;
    if (f.length != n) {
      // The column is where the row parts from the header: the first missing field, or the first extra one.
      int column = f.length < n ? f.length + 1 : n + 1;
      throw InputException.at(file, lineNo, column, "expected " + n + " fields as in the header, found " + f.length
          + (f.length < n ? " (column '" + schema.header[f.length] + "' is missing)" : ""));
    }
    return f;
  }

  /** Writes the features of {@code f} into {@code dst[off..off+d)}. */
  public void features(String[] f, long lineNo, double[] dst, int off) {
    int[] cols = schema.featureColumns;
    for (int i = 0; i < cols.length; i++) {
      dst[off + i] = number(f[cols[i]], lineNo, cols[i]);
    }
  }

  /**
   * The fast path for the common line: no quotes, as many fields as the header, and every feature field
   * a plain decimal (digits, sign, point, exponent) of a finite number. Reads the features straight from the line's characters
   * into {@code dst[off..off+d)} with FastDoubleParser (Jackson's copy: correctly rounded, so bit for bit
   * {@link Double#parseDouble}), with no strings made per field. Returns false for any other line (quotes,
   * spaces, letters, a wrong field count, a number that does not parse or overflows), which the caller then
   * reads by {@link #fields} and {@link #features}, the checking path that names the error.
   */
  public boolean plainFeatures(String line, double[] dst, int off) {
    int len = line.length();
    line.getChars(0, len, buffer(len), 0);
    return plainChars(len, dst, off);
  }

  /**
   * {@link #plainFeatures(String, double[], int)} on the line's UTF-8 bytes {@code b[0..len)}: each feature
   * field read in place by {@link DecimalReader} (the same doubles as Double.parseDouble, with no
   * characters copied; a byte beyond ASCII in it ends the number, so the line is not plain), every other
   * field scanned for a quote (UTF-8 writes no character beyond ASCII with a quote's or a delimiter's byte,
   * so these fields may hold any text).
   */
  public boolean plainFeatures(byte[] b, int len, double[] dst, int off) {
    ready();
    if (!bytesReadable) {
      return false;
    }
    char sep = schema.delimiter;
    int fields = featureOf.length;
    int p = 0;
    for (int field = 0; field < fields; field++) {
      int i = featureOf[field];
      if (i >= 0) {
        double v = decimals.read(b, p, len);
        p = decimals.end;
        if (Double.isNaN(v) || p < len && b[p] != sep) {
          return false;
        }
        dst[off + i] = v;
      } else {
        for (; p < len && b[p] != sep; p++) {
          if (b[p] == '"') {
            return false;
          }
        }
      }
      if (p == len) {
        return field == fields - 1;
      }
      p++;
    }
    return false; // a delimiter after the last field: more fields than the header
  }

  private char[] buffer(int len) {
    ready();
    if (chars == null || chars.length < len) {
      chars = new char[Math.max(len, 256)];
    }
    return chars;
  }

  /** The column map and the byte path's reader, made on first use (the parser is serialised without them). */
  private void ready() {
    if (featureOf != null) {
      return;
    }
    featureOf = new int[schema.header.length];
    Arrays.fill(featureOf, -1);
    for (int i = 0; i < schema.featureColumns.length; i++) {
      featureOf[schema.featureColumns[i]] = i;
    }
    char sep = schema.delimiter;
    // A delimiter a number could hold: only splitting first reads such a line right.
    bytesReadable = sep < 128 && !(sep >= '0' && sep <= '9') && "+-.eE".indexOf(sep) < 0;
    decimals = new DecimalReader();
  }


  /** The characters of a plain decimal: digits, sign, point, exponent. */
  private static final boolean[] PLAIN = new boolean[128];

  static {
    for (char ch : "0123456789.-eE+".toCharArray()) {
      PLAIN[ch] = true;
    }
  }

  /**
   * The fast path on {@code chars[0..len)}: field by field, a feature field scanned to its delimiter with
   * every character plain (a quote is not), any other field with no quote; then exactly as many fields as
   * the header.
   */
  private boolean plainChars(int len, double[] dst, int off) {
    char[] c = chars;
    char sep = schema.delimiter;
    int fields = featureOf.length;
    int p = 0;
    for (int field = 0; field < fields; field++) {
      int start = p;
      int i = featureOf[field];
      if (i >= 0) {
        for (char ch; p < len && (ch = c[p]) != sep; p++) {
          if (ch >= 128 || !PLAIN[ch]) {
            return false;
          }
        }
        if (p == start) {
          return false;
        }
        double v;
        try {
          v = NumberInput.parseDouble(c, start, p - start, true);
        } catch (NumberFormatException e) {
          return false;
        }
        if (!Double.isFinite(v)) {
          return false;
        }
        dst[off + i] = v;
      } else {
        // Quotes change the splitting; other columns may hold anything else.
        for (char ch; p < len && (ch = c[p]) != sep; p++) {
          if (ch == '"') {
            return false;
          }
        }
      }
      if (p == len) {
        return field == fields - 1;
      }
      p++;
    }
    return false; // a delimiter after the last field: more fields than the header
  }

  /** The row weight (1 without a weight column); must be finite and not negative. */
  public double weight(String[] f, long lineNo) {
    if (schema.weightColumn < 0) {
      return 1.0;
    }
    double w = number(f[schema.weightColumn], lineNo, schema.weightColumn);
    if (w < 0) {
      throw InputException.at(file, lineNo, schema.weightColumn + 1,
          "weight " + f[schema.weightColumn].trim() + " is negative");
    }
    return w;
  }

  /** The initial label, an integer in 0..k-1. */
  public int label(String[] f, long lineNo) {
    String s = f[schema.labelColumn].trim();
    int c = schema.labelColumn;
    try {
      int v = Integer.parseInt(s);
      if (v < 0 || v >= k) {
        throw InputException.at(file, lineNo, c + 1, "label " + v + " in column '" + schema.header[c]
            + "' is outside 0.." + (k - 1));
      }
      return v;
    } catch (NumberFormatException e) {
      throw InputException.at(file, lineNo, c + 1, "label '" + s + "' in column '" + schema.header[c]
          + "' is not an integer");
    }
  }

  private double number(String raw, long lineNo, int col) {
    String s = raw.trim();
    if (s.isEmpty()) {
      throw InputException.at(file, lineNo, col + 1, "column '" + schema.header[col] + "' has no value");
    }
    double v;
    try {
      char last = s.charAt(s.length() - 1);
      if (Character.isLetter(last) && last != 'y' || s.indexOf('x') >= 0 || s.indexOf('X') >= 0) {
        // Java also reads "1d", "2f" and hexadecimal; CSV numbers are plain decimals.
        throw new NumberFormatException(s);
      }
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      String lower = s.toLowerCase(Locale.ROOT);
      boolean special = lower.contains("nan") || lower.contains("inf");
      throw InputException.at(file, lineNo, col + 1, "'" + s + "' in column '" + schema.header[col]
          + (special ? NOT_FINITE : "' is not a number"));
    }
    if (!Double.isFinite(v)) {
      throw InputException.at(file, lineNo, col + 1, "'" + s + "' in column '" + schema.header[col] + NOT_FINITE);
    }
    return v;
  }

}
