package dev.latent.spark;

import dev.latent.io.CsvLine;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.io.Text;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Where each split of the input's lines starts: its first line's index in its own file (for file:line
 * messages) and its first data row's position in the whole input (the row key, see
 * {@code DataBlock.positionKey}). Counted in one job over every file's splits, on the lines' bytes (no
 * String per line unless a line is not ASCII); data rows are the lines that are neither a file's first
 * line (the header) nor blank, bad rows included, so the positions do not depend on --on-bad-row.
 */
record LinePositions(long[] firstLine, long[] firstRow) implements Serializable {

  /** Counts the lines and data rows of every split of {@code text}, {@code partitions} splits per task. */
  static LinePositions count(JavaSparkContext jsc, TextSplits text, List<TextSplits.Group> groups) {
    List<long[]> counts = text.rdd(jsc, groups).flatMap(g -> {
      List<long[]> out = new ArrayList<>();
      for (int i = g.from(); i < g.to(); i++) {
        TextSplits.Split s = text.splits[i];
        long[] c = new long[3];
        c[0] = i;
        text.read(s, line -> {
          if (!(s.firstOfFile() && c[1] == 0) && !blank(line)) {
            c[2]++;
          }
          c[1]++;
          return true;
        });
        out.add(c);
      }
      return out.iterator();
    }).collect();
    int n = text.count();
    long[] lines = new long[n];
    long[] rows = new long[n];
    for (long[] c : counts) {
      lines[(int) c[0]] = c[1];
      rows[(int) c[0]] = c[2];
    }
    return of(text, lines, rows);
  }

  /** The positions from every split's counted lines and data rows. */
  static LinePositions of(TextSplits text, long[] lines, long[] rows) {
    int n = text.count();
    long[] firstLine = new long[n];
    long[] firstRow = new long[n];
    for (int p = 1; p < n; p++) {
      firstLine[p] = text.splits[p].firstOfFile() ? 0 : firstLine[p - 1] + lines[p - 1];
      firstRow[p] = firstRow[p - 1] + rows[p - 1];
    }
    return new LinePositions(firstLine, firstRow);
  }

  /** {@code CsvLine.clean(line).isBlank()}, read from the bytes when they are ASCII. */
  static boolean blank(Text line) {
    byte[] b = line.getBytes();
    int len = line.getLength();
    for (int i = 0; i < len; i++) {
      int c = b[i];
      if (c < 0) {
        return CsvLine.clean(line.toString()).isBlank();
      }
      // Character.isWhitespace on ASCII: tab .. carriage return, the four separators, space.
      if (!(c == ' ' || c >= 9 && c <= 13 || c >= 28 && c <= 31)) {
        return false;
      }
    }
    return true;
  }
}
