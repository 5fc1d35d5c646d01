package dev.latent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latent.em.DataBlock;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import dev.latent.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV load read straight into groups of consecutive splits (the barrier engine's one partition per
 * task slot) gives the same rows, keys, skipped rows and first error, in the same order, as one partition
 * per split; and lines read as bytes (ASCII, CRLF, blank, not ASCII) give what their Strings give.
 */
class InputDataTest extends SharedSpark {
  @TempDir
  Path tmp;

  @Test
  void groupsOfSplitsAreConsecutiveAndCoverEverySplit() throws IOException {
    Path dir = files(3, 2000, false);
    Files.write(dir.resolve("part-9-empty"), new byte[0]);
    List<String> list = InputFiles.list(jsc.hadoopConfiguration(), dir.toString());
    TextSplits text = TextSplits.plan(jsc, list, 7);
    // The splits Spark's text input makes of each file (an empty file included), no more, no fewer.
    int spark = 0;
    for (String f : list) {
      spark += jsc.textFile(f, 7).getNumPartitions();
    }
    assertEquals(spark, text.count());
    for (int n : new int[] {1, 2, 3, 5, 100}) {
      List<TextSplits.Group> g = text.grouped(n);
      assertEquals(Math.min(n, text.count()), g.size(), "groups of " + n);
      int next = 0;
      for (TextSplits.Group x : g) {
        assertEquals(next, x.from());
        next = x.to();
      }
      assertEquals(text.count(), next);
    }
    text.destroy();
  }

  @Test
  void groupingDoesNotChangeRowsKeysOrBadRows() throws IOException {
    Path dir = files(3, 3000, true);
    InputFiles files = InputFiles.resolve(jsc.hadoopConfiguration(), dir.toString());
    InputSchema schema = InputSchema.resolve(files.name(0), files.header(), List.of(), List.of("name"), null, null,
        ',');
    List<long[]> keys = new ArrayList<>();
    List<double[]> xs = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    // Counting every split's lines first is the reference; the default reads the input once.
    for (int groups : new int[] {-1, 0, 1, 2, 5}) {
      try (InputData d = groups < 0 ? InputData.load(jsc, files, schema, 3, 6, 2, false, true, 0, true)
          : InputData.load(jsc, files, schema, 3, 6, 2, false, true, groups)) {
        List<DataBlock> blocks = d.blocks.collect();
        long[] k = blocks.stream().flatMapToLong(b -> java.util.Arrays.stream(b.keys)).toArray();
        double[] x = blocks.stream().flatMapToDouble(b -> java.util.Arrays.stream(b.x)).toArray();
        keys.add(k);
        xs.add(x);
        skipped.add(d.skipped.count() + " " + d.skipped.examples());
        assertEquals(3 * 3000 - 3 * 3, k.length, "rows with groups " + groups);
      }
    }
    for (int i = 1; i < keys.size(); i++) {
      assertArrayEquals(keys.get(0), keys.get(i));
      assertArrayEquals(xs.get(0), xs.get(i));
      assertEquals(skipped.get(0), skipped.get(i));
    }
    // Rows 99, 1099 and 2099 of every file are bad; row r is line r + 2 (files 0 and 2 have no blank lines);
    // the second and third lie in the files' second split, whose place the single read learns last.
    String p0 = dir.resolve("part-0").toString();
    assertEquals("9 [" + p0 + ":101:2: 'oops' in column 'b' is not a number, " + p0 + ":1101:2: 'oops' in column"
        + " 'b' is not a number, " + p0 + ":2101:2: 'oops' in column 'b' is not a number, ", skipped.get(0)
        .substring(0, skipped.get(0).indexOf(dir.resolve("part-1").toString())));
    // Under --on-bad-row fail the error is the earliest bad line, whatever the grouping.
    for (int groups : new int[] {0, 1, 2}) {
      InputException e = assertThrows(InputException.class,
          () -> InputData.load(jsc, files, schema, 3, 6, 2, false, false, groups));
      assertEquals(dir.resolve("part-0").toString() + ":101:2: 'oops' in column 'b' is not a number", e.getMessage());
    }
  }

  /**
   * Read once (no count first), a split's place is known only after the parse: an error deep in a later
   * file, after blank lines and CRLF ends, must still name its true line, whatever the grouping, and the
   * keys moved into place must be those of counting first.
   */
  @Test
  void readOnceNamesTheTrueLineAndGivesTheCountedKeys() throws IOException {
    Path dir = files(3, 3000, false);
    Path bad = dir.resolve("part-1");
    List<String> lines = new ArrayList<>(List.of(new String(Files.readAllBytes(bad), StandardCharsets.UTF_8)
        .split("\n", -1)));
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("1250.0,")) {
        at = i;
      }
    }
    InputFiles files = InputFiles.resolve(jsc.hadoopConfiguration(), dir.toString());
    InputSchema schema = InputSchema.resolve(files.name(0), files.header(), List.of(), List.of("name"), null, null,
        ',');
    // Good input: the same keys read once as counted first.
    long[] counted;
    try (InputData d = InputData.load(jsc, files, schema, 3, 6, 2, false, true, 0, true)) {
      counted = d.blocks.collect().stream().flatMapToLong(b -> java.util.Arrays.stream(b.keys)).toArray();
    }
    for (int groups : new int[] {0, 2}) {
      try (InputData d = InputData.load(jsc, files, schema, 3, 6, 2, false, false, groups)) {
        assertArrayEquals(counted, d.blocks.collect().stream().flatMapToLong(b -> java.util.Arrays.stream(b.keys))
            .toArray(), "groups " + groups);
      }
    }
    lines.set(at, "2500,oops,x,1\r");
    Files.write(bad, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    for (int groups : new int[] {0, 1, 2, 5}) {
      InputException e = assertThrows(InputException.class,
          () -> InputData.load(jsc, files, schema, 3, 6, 2, false, false, groups));
      assertEquals(bad + ":" + (at + 1) + ":2: 'oops' in column 'b' is not a number", e.getMessage(),
          "groups " + groups);
    }
  }

  /**
   * The fit writes its assignments beside its cached rows (no line parsed again); predict parses every
   * line. On the same model both must write the same bytes per row (predict adds logDensity), in CRLF,
   * blank, not-ASCII and bad lines alike, whether the load was grouped (barrier) or one split per task.
   */
  @Test
  void fitAssignmentsFromTheCacheEqualThoseParsedAgain() throws IOException {
    Path dir = files(3, 1500, true);
    for (String engine : new String[] {"barrier", "aggregate"}) {
      Path fit = tmp.resolve("fit-" + engine);
      dev.latent.testing.Runs.ok(jsc, "fit", "--input", dir.toString(), "--exclude", "name", "--k", "2",
          "--on-bad-row", "skip", "--engine", engine, "--output", fit.toString());
      Path pred = tmp.resolve("predict-" + engine);
      dev.latent.testing.Runs.ok(jsc, "predict", "--model", fit.resolve("model.json").toString(), "--input",
          dir.toString(), "--on-bad-row", "skip", "--output", pred.toString());
      List<String> a = lines(fit.resolve("assignments"));
      List<String> b = lines(pred.resolve("assignments"));
      assertEquals(3 * 1500 - 3 * 2, a.size(), engine);
      assertEquals(b.size(), a.size(), engine);
      for (int i = 0; i < a.size(); i++) {
        assertEquals(b.get(i).substring(0, b.get(i).lastIndexOf(',')), a.get(i), engine + ", row " + i);
      }
      assertEquals("\u00e9t\u00e9", a.get(a.size() - 1).split(",")[2], "a UTF-8 field written as it was");
    }
  }

  /** Every part file's lines but its header, in part order, as UTF-8. */
  private static List<String> lines(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (var parts = Files.list(dir)) {
      for (Path p : parts.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
        List<String> l = Files.readAllLines(p, StandardCharsets.UTF_8);
        out.addAll(l.subList(1, l.size()));
      }
    }
    return out;
  }

  /**
   * {@code n} files of {@code rows} data rows (columns a, b, name, c), with CRLF line ends and blank lines
   * in the second, a name that is not ASCII in the third, and with {@code bad} three bad rows per file.
   */
  private Path files(int n, int rows, boolean bad) throws IOException {
    Path dir = tmp.resolve("in-" + n + "-" + rows + "-" + bad);
    Files.createDirectories(dir);
    for (int f = 0; f < n; f++) {
      StringBuilder s = new StringBuilder("a,b,name,c\n");
      String end = f == 1 ? "\r\n" : "\n";
      for (int r = 0; r < rows; r++) {
        if (bad && r % 1000 == 99) {
          s.append(r).append(",oops,x,1").append(end);
          continue;
        }
        if (f == 1 && r % 500 == 7) {
          s.append(" \t").append(end);
        }
        s.append(r * 0.5).append(',').append(-r / 3.0).append(',').append(f == 2 ? "\u00e9t\u00e9" : "x")
            .append(',').append(f + r * 1e-3).append(end);
      }
      Files.write(dir.resolve("part-" + f), s.toString().getBytes(StandardCharsets.UTF_8));
    }
    return dir;
  }
}
