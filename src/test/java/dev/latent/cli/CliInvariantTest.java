package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.testing.Refs;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariants of whole runs: partitioning does not matter, and predict agrees with fit. */
class CliInvariantTest extends SharedSpark {
  @TempDir
  Path tmp;

  /** Every number in two JSON trees agrees to {@code rel} relative (absolute below 1e-300 scale). */
  static void assertClose(JsonNode a, JsonNode b, double rel, String where) {
    if (a.isNumber()) {
      double x = a.asDouble();
      double y = b.asDouble();
      assertEquals(x, y, rel * Math.max(Math.abs(x), 1e-12), where);
    } else if (a.isArray()) {
      assertEquals(a.size(), b.size(), where);
      for (int i = 0; i < a.size(); i++) {
        assertClose(a.get(i), b.get(i), rel, where + "[" + i + "]");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gmm", "kmeans"})
  void partitionCountDoesNotChangeTheFit(String model) {
    JsonNode first = null;
    JsonNode firstSummary = null;
    for (int parts : new int[] {1, 3, 8}) {
      Path out = tmp.resolve(model + parts);
      Runs.ok(jsc, "fit", "--input", Refs.dataFile("penguins").toString(), "--k", "3", "--exclude", "label",
          "--model", model, "--seed", "7", "--restarts", "2", "--partitions", String.valueOf(parts),
          "--output", out.toString());
      JsonNode m = Runs.json(out.resolve("model.json"));
      JsonNode s = Runs.json(out.resolve("summary.json"));
      assertTrue(s.get("run").get("partitions").asInt() >= parts);
      if (first == null) {
        first = m;
        firstSummary = s;
        continue;
      }
      // Sums are merged in another order, so agreement is to rounding, not bitwise (1e-9 relative).
      for (String key : List.of("weights", "means", "covariances")) {
        if (first.has(key)) {
          assertClose(first.get(key), m.get(key), 1e-9, parts + " partitions: " + key);
        }
      }
      assertEquals(firstSummary.get("iterations").asInt(), s.get("iterations").asInt());
      assertClose(firstSummary.get("logLikelihood"), s.get("logLikelihood"), 1e-9, "logLikelihood");
    }
  }

  @Test
  void predictAgreesWithFit() {
    Path fit = tmp.resolve("fit");
    Runs.ok(jsc, "fit", "--input", Refs.dataFile("faithful").toString(), "--k", "2", "--output", fit.toString());
    Path pred = tmp.resolve("pred");
    Runs.Result r = Runs.ok(jsc, "predict", "--model", fit.resolve("model.json").toString(), "--input",
        Refs.dataFile("faithful").toString(), "--output", pred.toString());
    assertTrue(r.out().contains("assignments written to"));
    // predict writes fit's columns and then the log-density.
    assertEquals(Runs.assignmentsHeader(fit) + ",logDensity", Runs.assignmentsHeader(pred));
    List<String[]> a = Runs.assignments(fit);
    List<String[]> b = Runs.assignments(pred);
    assertEquals(272, a.size());
    assertEquals(272, b.size());
    for (int i = 0; i < a.size(); i++) {
      String fitted = String.join(",", a.get(i));
      assertTrue(String.join(",", b.get(i)).startsWith(fitted + ","), "row " + i);
    }
  }

  @Test
  void oneLineSummaryAndOutputLayout() {
    Path out = tmp.resolve("iris");
    Runs.Result r = Runs.ok(jsc, "fit", "--input", Refs.dataFile("iris").toString(), "--k", "3", "--exclude",
        "label", "--output", out.toString());
    assertTrue(r.out().contains(out.toString() + "/model.json"), r.out());
    assertTrue(r.out().matches("(?s).*gmm/full K=3, 150 rows, \\d+ iterations \\(converged\\).*"), r.out());
    assertEquals("sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,label,cluster,p0,p1,p2",
        Runs.assignmentsHeader(out));
    List<String[]> rows = Runs.assignments(out);
    assertEquals(150, rows.size());
    assertEquals("5.1", rows.get(0)[0], "input order and values are kept");
    assertEquals("5.9", rows.get(149)[0]);
    JsonNode s = Runs.json(out.resolve("summary.json"));
    assertEquals(s.get("iterations").asInt(), s.get("trace").size());
    JsonNode trace = s.get("trace");
    for (int i = 1; i < trace.size(); i++) {
      assertTrue(trace.get(i).asDouble() >= trace.get(i - 1).asDouble() - 1e-12, "monotone at " + i);
    }
    assertTrue(s.get("meanLogLikelihood").asDouble() >= trace.get(trace.size() - 1).asDouble() - 1e-12);
  }
}
