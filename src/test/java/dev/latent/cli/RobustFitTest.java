package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.testing.Models;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Output folders that are never half-written, rows skipped on request, and degenerate data that stays finite. */
class RobustFitTest extends SharedSpark {
  @TempDir
  Path tmp;

  @Test
  void anExistingOutputIsRefusedWithoutOverwrite() throws IOException {
    Path out = tmp.resolve("out");
    assertEquals(0, fit(BadInputTest.bad("good.csv"), out).code());
    byte[] model = Files.readAllBytes(out.resolve("model.json"));
    Runs.Result again = fit(BadInputTest.bad("good.csv"), out);
    assertEquals(4, again.code(), again.toString());
    assertTrue(again.err().contains("already exists (use --overwrite to replace it)"), again.toString());
    assertArrayEquals(model, Files.readAllBytes(out.resolve("model.json")));
  }

  @Test
  void aFailedRunLeavesTheEarlierOutputIntact() throws IOException {
    Path out = tmp.resolve("out");
    assertEquals(0, fit(BadInputTest.bad("good.csv"), out).code());
    byte[] model = Files.readAllBytes(out.resolve("model.json"));
    byte[] summary = Files.readAllBytes(out.resolve("summary.json"));

    Runs.Result failed = fit(BadInputTest.bad("non-numeric.csv"), out, "--overwrite");
    assertEquals(3, failed.code(), failed.toString());
    assertArrayEquals(model, Files.readAllBytes(out.resolve("model.json")));
    assertArrayEquals(summary, Files.readAllBytes(out.resolve("summary.json")));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    // The failed run's staging folder is gone: only the committed output is left beside it.
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(out), s.toList());
    }

    // --overwrite replaces it once the new output is complete.
    Runs.Result ok = fit(BadInputTest.bad("good.csv"), out, "--overwrite", "--k", "3");
    assertEquals(0, ok.code(), ok.toString());
    assertEquals(3, Runs.json(out.resolve("model.json")).path("weights").size());
  }

  @Test
  void skippedRowsAreCountedAndTheFirstFewReported() throws IOException {
    Path data = tmp.resolve("mixed.csv");
    List<String> lines = new ArrayList<>(List.of("x,y"));
    for (int i = 0; i < 60; i++) {
      lines.add((i % 2 == 0 ? i : i + 50) + "." + (i % 7) + "," + (i % 5));
      if (i == 10) {
        lines.add("1.0,oops");
      } else if (i == 30) {
        lines.add("1.0,2.0,3.0");
      } else if (i == 50) {
        lines.add("NaN,1");
      }
    }
    Files.write(data, lines);

    Runs.Result failing = fit(data.toString(), tmp.resolve("strict"));
    assertEquals(3, failing.code(), failing.toString());

    // The same rows, examples and model whatever the partitioning.
    JsonNode first = null;
    for (String partitions : new String[] {"1", "3"}) {
      Path out = tmp.resolve("skip-" + partitions);
      Runs.Result r = fit(data.toString(), out, "--on-bad-row", "skip", "--partitions", partitions);
      assertEquals(0, r.code(), r.toString());
      JsonNode s = Runs.json(out.resolve("summary.json"));
      assertEquals(60, s.path("rows").asInt());
      JsonNode bad = s.path("badRows");
      assertEquals("skip", bad.path("onBadRow").asText());
      assertEquals(3, bad.path("skipped").asInt());
      String name = data.toString();
      assertEquals(name + ":13:2: 'oops' in column 'y' is not a number", bad.path("examples").get(0).asText());
      assertEquals(name + ":34:3: expected 2 fields as in the header, found 3", bad.path("examples").get(1).asText());
      assertTrue(bad.path("examples").get(2).asText().startsWith(name + ":55:1: 'NaN'"), bad.toString());
      assertTrue(s.path("warnings").get(0).asText().startsWith("3 bad row(s) left out"), s.toString());
      // The assignments leave the bad rows out too.
      assertEquals(60, Runs.assignments(out).size());
      if (first == null) {
        first = bad;
        Files.copy(out.resolve("model.json"), tmp.resolve("first-model.json"));
      } else {
        assertEquals(first, bad);
        Models.assertSameModel(tmp.resolve("first-model.json"), out.resolve("model.json"), 1e-9);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gmm", "kmeans"})
  void duplicatePointsAndConstantColumnsGiveAFiniteFitAndWarnings(String model) throws IOException {
    Path data = tmp.resolve("degenerate.csv");
    List<String> lines = new ArrayList<>(List.of("a,b,c"));
    for (int i = 0; i < 40; i++) {
      // Column c is constant; half the rows are one repeated point.
      lines.add(i < 20 ? "1.5,2.5,7" : (i % 6) + "." + i + "," + (i * 3 % 11) + ",7");
    }
    Files.write(data, lines);
    Path out = tmp.resolve("out");
    Runs.Result r = fit(data.toString(), out, "--k", "4", "--model", model);
    assertEquals(0, r.code(), r.toString());
    for (double v : Models.flatten(Runs.json(out.resolve("model.json")))) {
      assertTrue(Double.isFinite(v), "model numbers are finite");
    }
    JsonNode s = Runs.json(out.resolve("summary.json"));
    assertTrue(Double.isFinite(s.path("logLikelihood").asDouble()), s.toString());
    assertTrue(s.path("warnings").toString().contains("column 'c' is constant"), s.toString());

    Path same = tmp.resolve("same.csv");
    Files.write(same, List.of("a,b", "1,2", "1,2", "1,2", "1,2", "1,2"));
    Runs.Result d = fit(same.toString(), tmp.resolve("same"), "--k", "3", "--model", model);
    assertEquals(0, d.code(), d.toString());
    JsonNode ds = Runs.json(tmp.resolve("same").resolve("summary.json"));
    assertTrue(ds.path("warnings").toString().contains("only 1 distinct row(s) for 3 initial centres"), ds.toString());
    for (double v : Models.flatten(Runs.json(tmp.resolve("same").resolve("model.json")))) {
      assertTrue(Double.isFinite(v), "model numbers are finite");
    }
  }

  private Runs.Result fit(String input, Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("fit", "--input", input, "--k", "2", "--output", out.toString()));
    args.addAll(List.of(extra));
    return Runs.main(jsc, args.toArray(new String[0]));
  }
}
