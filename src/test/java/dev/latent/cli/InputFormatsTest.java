package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.testing.Project;
import dev.latent.testing.Runs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inputs as real files come: other delimiters, compressed files, bad lines anywhere in any partitioning
 * (reported once, the earliest, with no failed task), and predict's choice of what to do with bad rows.
 */
class InputFormatsTest extends CliTestBase {
  private static final String IRIS = Project.testdata("iris.csv").toString();

  /** The earliest bad line is named whatever the split, and no task fails (so none is retried). */
  @ParameterizedTest(name = "--partitions {0}")
  @ValueSource(ints = {1, 2, 3, 5})
  void theEarliestBadLineIsReportedOnceWhateverThePartitioning(int partitions) throws Exception {
    AtomicInteger failedTasks = new AtomicInteger();
    SparkListener listener = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (!end.taskInfo().successful()) {
          failedTasks.incrementAndGet();
        }
      }
    };
    jsc.sc().addSparkListener(listener);
    try {
      String bad = BadInputTest.bad("bad-lines.csv");
      String p = String.valueOf(partitions);
      Runs.Result f = run("fit", "--input", bad, "--k", "2", "--partitions", p, "--output",
          tmp.resolve("f").toString());
      Runs.Result q = run("predict", "--model", BadInputTest.bad("model-two-features.json"), "--input", bad, "--partitions", p, "--output", tmp.resolve("p").toString());
      Runs.Result o = run("predict", "--model", BadInputTest.bad("model-two-features.json"), "--input", bad,
          "--partitions", p, "--outlier-quantile", "0.1", "--output", tmp.resolve("o").toString());
      for (Runs.Result r : List.of(f, q, o)) {
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("bad-lines.csv:6:2: 'x' in column 'y' is not a number"), r.toString());
        assertFalse(r.err().contains("\tat "), r.toString());
      }
      jsc.sc().listenerBus().waitUntilEmpty(10_000);
      assertEquals(0, failedTasks.get(), "a parse error fails no task");
      assertFalse(Files.exists(tmp.resolve("f")) || Files.exists(tmp.resolve("p")) || Files.exists(tmp.resolve("o")));
    } finally {
      jsc.sc().removeSparkListener(listener);
    }
  }

  @Test
  void tabAndSemicolonSeparatedFilesFitWithDelimiterAndGiveTheSameModel() throws IOException {
    List<String> lines = Files.readAllLines(Path.of(IRIS));
    Path tab = Files.write(tmp.resolve("iris.tsv"), lines.stream().map(l -> l.replace(',', '\t')).toList());
    Path semi = Files.write(tmp.resolve("iris.ssv"), lines.stream().map(l -> l.replace(',', ';')).toList());
    JsonNode plain = fit(IRIS, "plain");
    JsonNode t = fit(tab.toString(), "tab", "--delimiter", "tab");
    JsonNode s = fit(semi.toString(), "semi", "--delimiter", ";");
    assertEquals(plain.get("means"), t.get("means"));
    assertEquals(plain.get("covariances"), s.get("covariances"));
    // The assignments keep the input's delimiter, so they read back with the same --delimiter.
    List<String> out = Files.readAllLines(tmp.resolve("tab/assignments/part-00000"));
    assertEquals(lines.get(0).replace(",", "\t") + "\tcluster\tp0\tp1\tp2",
        out.get(0));
    assertEquals(9, out.get(1).split("\t").length, out.get(1)); // 5 input columns, cluster, p0..p2
    Runs.ok(jsc, "predict", "--model", tmp.resolve("tab/model.json").toString(), "--input", semi.toString(),
        "--delimiter", ";", "--output", tmp.resolve("p").toString());
    assertEquals(10, Files.readAllLines(tmp.resolve("p/assignments/part-00000")).get(1).split(";").length);
  }

  /** .gz (one partition, not splittable) and .bz2 (splittable) give the plain file's fit and line numbers. */
  @Test
  void compressedFilesAreReadDecompressedWithTheSameFitAndLineNumbers() throws IOException {
    byte[] text = Files.readAllBytes(Path.of(IRIS));
    Path gz = tmp.resolve("iris.csv.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(text);
    }
    Path bz = tmp.resolve("iris.csv.bz2");
    BZip2Codec codec = new BZip2Codec();
    codec.setConf(new Configuration());
    try (OutputStream o = codec.createOutputStream(Files.newOutputStream(bz))) {
      o.write(text);
    }
    JsonNode plain = fit(IRIS, "plain", "--partitions", "1");
    assertEquals(plain.get("means"), fit(gz.toString(), "gz").get("means"));
    assertEquals(plain.get("covariances"), fit(bz.toString(), "bz", "--partitions", "1").get("covariances"));
    // A folder of compressed part files is read like any other.
    Path dir = Files.createDirectories(tmp.resolve("parts"));
    Files.copy(gz, dir.resolve("part-00000.csv.gz"));
    assertEquals(plain.get("weights"), fit(dir.toString(), "dir").get("weights"));
    // Line numbers count decompressed lines.
    Path badGz = tmp.resolve("bad-lines.csv.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(badGz))) {
      o.write(Files.readAllBytes(Path.of(BadInputTest.bad("bad-lines.csv"))));
    }
    Runs.Result r = run("fit", "--input", badGz.toString(), "--k", "2", "--output", tmp.resolve("x").toString());
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().contains("bad-lines.csv.gz:6:2: 'x' in column 'y' is not a number"), r.toString());
    // A .gz cut short is bad input naming the file and the line where the data stop, not a failed job.
    StringBuilder many = new StringBuilder("a,b\n");
    java.util.Random rnd = new java.util.Random(7);
    for (int i = 0; i < 50000; i++) {
      many.append(rnd.nextGaussian()).append(',').append(rnd.nextGaussian()).append('\n');
    }
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    try (OutputStream o = new GZIPOutputStream(whole)) {
      o.write(many.toString().getBytes(StandardCharsets.UTF_8));
    }
    Path cut = tmp.resolve("cut.csv.gz");
    Files.write(cut, Arrays.copyOf(whole.toByteArray(), whole.size() / 2));
    Runs.Result t = run("fit", "--input", cut.toString(), "--k", "2", "--output", tmp.resolve("t").toString());
    assertEquals(3, t.code(), t.toString());
    Matcher m = Pattern.compile("cut\\.csv\\.gz:(\\d+): the data end early or are corrupt").matcher(t.err());
    assertTrue(m.find(), t.toString());
    long line = Long.parseLong(m.group(1));
    assertTrue(line > 100 && line < 50001, "the line where the data stop: " + line);
    assertFalse(Files.exists(tmp.resolve("t")), "no output from a failed run");
  }

  /**
   * predict --on-bad-row skip: the summary's badRows as fit's, the skipped rows absent from the
   * assignments and from the n of the outlier quantile.
   */
  @Test
  void predictSkipsBadRowsOnRequestAndReportsThem() throws IOException {
    String bad = BadInputTest.bad("bad-lines.csv");
    String model = BadInputTest.bad("model-two-features.json");
    Runs.ok(jsc, "predict", "--model", model, "--input", bad, "--on-bad-row", "skip", "--partitions", "3",
        "--outlier-quantile", "0.2", "--output", tmp.resolve("p").toString());
    JsonNode s = json(tmp.resolve("p/summary.json"));
    JsonNode b = s.get("badRows");
    assertEquals("skip", b.get("onBadRow").asText());
    assertEquals(3, b.get("skipped").asInt());
    assertEquals(List.of("bad-lines.csv:6:2", "bad-lines.csv:8:2", "bad-lines.csv:10:2"),
        List.of(b.get("examples").get(0).asText(), b.get("examples").get(1).asText(),
            b.get("examples").get(2).asText()).stream().map(e -> e.substring(e.lastIndexOf('/') + 1,
                e.indexOf(": "))).toList());
    List<String[]> rows = assignments(tmp.resolve("p/assignments"));
    assertEquals(7, rows.size());
    assertEquals(7, s.get("outliers").get("rows").asInt());
    assertEquals(1, s.get("outliers").get("rank").asInt()); // floor(0.2 * 7)
    // Under fail (the default) the summary says so, with nothing skipped.
    Runs.ok(jsc, "predict", "--model", model, "--input", BadInputTest.bad("good.csv"), "--output",
        tmp.resolve("q").toString());
    JsonNode f = json(tmp.resolve("q/summary.json")).get("badRows");
    assertEquals("fail", f.get("onBadRow").asText());
    assertEquals(0, f.get("skipped").asInt());
  }

  private JsonNode fit(String input, String out, String... extra) {
    String[] args = concat(new String[] {"fit", "--input", input, "--k", "3", "--exclude", "label", "--seed", "1",
        "--output", tmp.resolve(out).toString()}, extra);
    Runs.ok(jsc, args);
    return json(tmp.resolve(out).resolve("model.json"));
  }
}
