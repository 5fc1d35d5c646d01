package dev.latent.io;

import dev.latent.em.DataBlock;
import dev.latent.em.Distance;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the lines of one input file into {@link DataBlock}s of about {@link #BLOCK_BYTES} of features
 * each. Line 1 is the header, checked against the expected one; blank lines are passed over. A row that
 * does not parse is an error, or with {@code skipBadRows} is left out and recorded in {@link #skipped}
 * (a bad header is always an error: it says the file is not what the others are). With
 * {@link #collectingErrors()} an error is not thrown but kept in {@link #errors()}, and the lines after
 * it are passed over: a parse error is deterministic, so the caller carries it to the driver with its
 * results and fails once there, instead of failing a task that Spark would run again and again.
 */
public final class BlockBuilder {
  /** Target size of one block's feature array: large enough for fast kernels, small enough for caches. */
  public static final int BLOCK_BYTES = 1 << 18;

  private final RowParser parser;
  private final InputSchema schema;
  private final String file;
  private final int fileIndex;
  private final int d;
  private final int capacity;
  private final boolean unitRows;
  private double[] x;
  private long[] keys;
  private double[] w;
  private int[] labels;
  private int rows;
  private final boolean skipBadRows;
  private final BadRows skipped = new BadRows();
  private boolean collectErrors;
  private BadRows errors;
  /** Position in the whole input of the next data row (see {@link DataBlock#positionKey}). */
  private long position;

  public BlockBuilder(InputSchema schema, String file, int fileIndex, int k) {
    this(schema, file, fileIndex, k, false, false);
  }

  /**
   * With {@code unitRows} every row is scaled to unit length as it is read (cosine K-means); with
   * {@code skipBadRows} rows that do not parse are left out.
   */
  public BlockBuilder(InputSchema schema, String file, int fileIndex, int k, boolean unitRows,
      boolean skipBadRows) {
    this.unitRows = unitRows;
    this.skipBadRows = skipBadRows;
    this.parser = new RowParser(schema, file, k);
    this.schema = schema;
    this.file = file;
    this.fileIndex = fileIndex;
    this.d = schema.dimension();
    this.capacity = blockRows(d);
  }

  /** Keeps the first error in {@link #errors()} instead of throwing it (see the class comment). */
  public BlockBuilder collectingErrors() {
    collectErrors = true;
    return this;
  }

  /** The first error met while collecting errors, or null. */
  public BadRows errors() {
    return errors;
  }

  /** True once an error was collected: the rest of the lines need not be read. */
  public boolean failed() {
    return errors != null;
  }

  /** Numbers this file's data rows from {@code first}, their position in the whole input; returns this. */
  public BlockBuilder from(long first) {
    this.position = first;
    return this;
  }

  /** The position in the whole input that the next data row will have. */
  public long position() {
    return position;
  }

  public static int blockRows(int d) {
    return Math.max(16, BLOCK_BYTES / (8 * d));
  }

  /** Adds line number {@code lineNo} (1-based); returns a full block, or null. */
  public DataBlock add(String raw, long lineNo) {
    if (errors != null) {
      return null;
    }
    try {
      return parse(CsvLine.clean(raw), null, 0, lineNo);
    } catch (InputException e) {
      return collect(e, lineNo);
    }
  }

  /**
   * Adds line {@code lineNo} given as its UTF-8 bytes {@code utf8[0..len)} (a text file's line, as Hadoop
   * reads it): the same rows, keys and errors as {@link #add(String, long)} of the decoded line, with no
   * String made unless the line needs the checking path. UTF-8 writes every character beyond ASCII with
   * bytes of 0x80 and above, so the delimiters and quotes of the bytes are those of the characters.
   */
  public DataBlock add(byte[] utf8, int len, long lineNo) {
    if (errors != null) {
      return null;
    }
    if (len > 0 && utf8[len - 1] == '\r') {
      len--; // CsvLine.clean: a Windows line end
    }
    try {
      return parse(null, utf8, len, lineNo);
    } catch (InputException e) {
      return collect(e, lineNo);
    }
  }

  private DataBlock collect(InputException e, long lineNo) {
    if (!collectErrors) {
      throw e;
    }
    errors = new BadRows();
    errors.add(DataBlock.rowKey(fileIndex, lineNo), e.getMessage());
    return null;
  }

  /**
   * A cleaned line, as {@code line} or (when null) as UTF-8 bytes {@code utf8[0..len)}: bytes go to the
   * fast path first, and to the checking path as the cleaned String of their characters if that fails
   * (blank lines among them, so the String decides what is blank, as LinePositions does).
   */
  private DataBlock parse(String line, byte[] utf8, int len, long lineNo) {
    boolean featuresOnly = schema.weightColumn < 0 && schema.labelColumn < 0;
    if (line == null && (lineNo == 1 || !featuresOnly)) {
      line = decode(utf8, len);
    }
    if (lineNo == 1) {
      String[] h = CsvLine.split(line, schema.delimiter);
      if (!Arrays.equals(h, schema.header)) {
        throw InputException.at(file, 1, 0, "the header differs from the first input file's ("
            + String.join(String.valueOf(schema.delimiter), schema.header) + ")");
      }
      return null;
    }
    if (x == null) {
      x = new double[capacity * d];
      keys = new long[capacity];
      w = schema.weightColumn >= 0 ? new double[capacity] : null;
      labels = schema.labelColumn >= 0 ? new int[capacity] : null;
    }
    // Without weights or labels only the features are read: straight from the bytes when they are plain.
    boolean plain = line == null && parser.plainFeatures(utf8, len, x, rows * d);
    if (!plain) {
      boolean decoded = line == null;
      if (decoded) {
        line = decode(utf8, len);
      }
      if (line.isBlank()) {
        return null;
      }
      // A decoded line has failed the same test on its bytes.
      plain = !decoded && featuresOnly && parser.plainFeatures(line, x, rows * d);
    }
    long key = DataBlock.positionKey(position++);
    try {
      String[] f = null;
      if (!plain) {
        f = parser.fields(line, lineNo);
        parser.features(f, lineNo, x, rows * d);
      }
      if (unitRows && !Distance.normalise(x, rows * d, d)) {
        throw InputException.at(file, lineNo, 0, "the row's features are all zero: it has no direction for the"
            + " cosine distance");
      }
      if (w != null) {
        w[rows] = parser.weight(f, lineNo);
      }
      if (labels != null) {
        labels[rows] = parser.label(f, lineNo);
      }
    } catch (InputException e) {
      if (!skipBadRows) {
        throw e;
      }
      // The slot is simply reused by the next good row: nothing of this one is kept.
      skipped.add(key, e.getMessage());
      return null;
    }
    keys[rows] = key;
    rows++;
    return rows == capacity ? flush() : null;
  }

  /**
   * The characters of UTF-8 bytes whose line end {@link #add(byte[], int, long)} has taken off, cleaned of
   * the rest of what {@link CsvLine#clean} cleans: a byte-order mark.
   */
  private static String decode(byte[] utf8, int len) {
    return CsvLine.withoutByteOrderMark(new String(utf8, 0, len, StandardCharsets.UTF_8));
  }

  /** The rows left out so far (always empty unless skipping). */
  public BadRows skipped() {
    return skipped;
  }

  /** The rows gathered so far as a block (arrays trimmed to size), or null if there are none. */
  public DataBlock flush() {
    if (rows == 0) {
      return null;
    }
    DataBlock b = new DataBlock(rows, d, Arrays.copyOf(x, rows * d), Arrays.copyOf(keys, rows),
        w == null ? null : Arrays.copyOf(w, rows), labels == null ? null : Arrays.copyOf(labels, rows));
    rows = 0;
    return b;
  }
}
