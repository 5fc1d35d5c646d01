package dev.latent.spark;

import dev.latent.io.CsvLine;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Where each partition of the input's lines starts: its first line's index in its own file (for
 * file:line messages) and its first data row's position in the whole input (the row key, see
 * {@code DataBlock.positionKey}). Counted in one job over every file's partitions, which replaces the
 * count that {@code zipWithIndex} ran per file; data rows are the lines that are neither a file's first
 * line (the header) nor blank, bad rows included, so the positions do not depend on --on-bad-row.
 */
record LinePositions(long[] firstLine, long[] firstRow) implements Serializable {

  /** {@code firstOfFile[p]}: partition p of {@code lines} holds the start of its file. */
  static LinePositions count(JavaRDD<String> lines, boolean[] firstOfFile) {
    List<long[]> counts = lines.mapPartitionsWithIndex((p, it) -> {
      long n = 0;
      long rows = 0;
      while (it.hasNext()) {
        String line = it.next();
        if (!(firstOfFile[p] && n == 0) && !CsvLine.clean(line).isBlank()) {
          rows++;
        }
        n++;
      }
      return List.of(new long[] {n, rows}).iterator();
    }, true).collect();
    long[] firstLine = new long[counts.size()];
    long[] firstRow = new long[counts.size()];
    for (int p = 1; p < counts.size(); p++) {
      firstLine[p] = firstOfFile[p] ? 0 : firstLine[p - 1] + counts.get(p - 1)[0];
      firstRow[p] = firstRow[p - 1] + counts.get(p - 1)[1];
    }
    return new LinePositions(firstLine, firstRow);
  }
}
