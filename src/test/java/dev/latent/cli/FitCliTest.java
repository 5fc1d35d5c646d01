package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.testing.Runs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code latent fit} end to end on a local[2] context: the model-selection sweep, weight invariances
 * (weights 1, 10 and 100 give the same parameters; weight 2 on a row equals the row twice; both to 1e-9
 * relative to max(1, |value|)) and renumbering with --align-to.
 */
class FitCliTest extends CliTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void sweepWritesTheTableAndKeepsItsMinimum() throws IOException {
    Path out = tmp.resolve("sweep");
    Runs.Result r = run("fit", "--input", "testdata/iris.csv", "--exclude", "label", "--k", "2..4", "--covariance", "all",
        "--restarts", "2", "--partitions", "2", "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("kept the lowest bic of 12 fits"), r.out());
    JsonNode s = json(out.resolve("summary.json"));
    JsonNode table = s.get("selection").get("table");
    assertEquals(12, table.size());
    int chosen = s.get("selection").get("chosen").asInt();
    double min = Double.POSITIVE_INFINITY;
    List<String> seen = new ArrayList<>();
    for (JsonNode row : table) {
      min = Math.min(min, row.get("bic").asDouble());
      seen.add(row.get("k").asInt() + " " + row.get("covariance").asText());
      double expectedBic = -2 * row.get("logLikelihood").asDouble() + row.get("parameters").asLong() * Math.log(150);
      assertEquals(expectedBic, row.get("bic").asDouble(), 1e-9 * expectedBic);
      assertTrue(row.get("icl").asDouble() >= row.get("bic").asDouble(), "ICL adds an entropy term");
    }
    assertEquals(List.of("2 full", "2 diag", "2 spherical", "2 tied", "3 full", "3 diag", "3 spherical", "3 tied",
        "4 full", "4 diag", "4 spherical", "4 tied"), seen);
    JsonNode best = table.get(chosen);
    assertEquals(min, best.get("bic").asDouble(), 0.0);
    assertEquals(min, s.get("bic").asDouble(), 0.0);
    JsonNode model = json(out.resolve("model.json"));
    assertEquals(best.get("k").asInt(), model.get("weights").size());
    assertEquals(best.get("covariance").asText(), model.get("covariance").asText());
    List<String[]> rows = assignments(out.resolve("assignments"));
    assertEquals(150, rows.size());
    assertEquals(5 + 1 + best.get("k").asInt(), rows.get(0).length, "input, cluster, p0..p{k-1}");

    // By AIC (which penalises less) the choice may differ, but it is the AIC minimum of the same table.
    Path aic = tmp.resolve("aic");
    assertEquals(0, run("fit", "--input", "testdata/iris.csv", "--exclude", "label", "--k", "2..4", "--covariance",
        "all", "--restarts", "2", "--partitions", "2", "--criterion", "aic", "--output", aic.toString()).code());
    JsonNode sa = json(aic.resolve("summary.json"));
    double minAic = Double.POSITIVE_INFINITY;
    for (int i = 0; i < table.size(); i++) {
      JsonNode row = sa.get("selection").get("table").get(i);
      assertEquals(table.get(i).get("aic").asDouble(), row.get("aic").asDouble(), 0.0, "the same fits");
      minAic = Math.min(minAic, row.get("aic").asDouble());
    }
    assertEquals(minAic, sa.get("aic").asDouble(), 0.0);
  }

  @Test
  void assignmentsCanBeLabelsOnlyOrNone() throws IOException {
    Path full = tmp.resolve("assign-full");
    Path labels = tmp.resolve("assign-labels");
    Path none = tmp.resolve("assign-none");
    String[] common = {"fit", "--input", "testdata/iris.csv", "--exclude", "label", "--k", "3", "--partitions", "2"};
    assertEquals(0, run(concat(common, "--output", full.toString())).code());
    assertEquals(0, run(concat(common, "--assignments", "labels", "--output", labels.toString())).code());
    assertEquals(0, run(concat(common, "--assignments", "none", "--output", none.toString())).code());
    List<String[]> f = assignments(full.resolve("assignments"));
    List<String[]> l = assignments(labels.resolve("assignments"));
    assertEquals(150, l.size());
    for (int r = 0; r < f.size(); r++) {
      assertEquals(5 + 1 + 3, f.get(r).length);
      assertEquals(List.of(f.get(r)).subList(0, 6), List.of(l.get(r)), "labels: the input columns and cluster");
    }
    assertTrue(Files.exists(none.resolve("model.json")) && Files.exists(none.resolve("_SUCCESS")));
    assertTrue(!Files.exists(none.resolve("assignments")), "none: no assignments folder");
    assertEquals(json(full.resolve("model.json")).get("means"), json(none.resolve("model.json")).get("means"));
    Runs.Result bad = run(concat(common, "--assignments", "some", "--output", tmp.resolve("bad").toString()));
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--assignments is full, labels or none, got 'some'"), bad.err());
  }

  @Test
  void weightScalingDoesNotChangeTheFit() throws IOException {
    double[][] x = blobs(120, 3);
    for (String model : new String[] {"gmm", "kmeans"}) {
      JsonNode ref = null;
      for (double w : new double[] {1, 10, 100}) {
        double[] weights = new double[x.length];
        Arrays.fill(weights, w);
        Path csv = writeCsv(tmp.resolve(model + "-w" + (int) w + ".csv"), x, weights, null);
        Path out = tmp.resolve(model + "-out" + (int) w);
        Runs.Result r = run("fit", "--input", csv.toString(), "--k", "3", "--model", model, "--weight-col", "w",
            "--tol", "1e-6", "--partitions", "2", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = json(out.resolve("model.json"));
        if (ref == null) {
          ref = m;
        } else {
          assertParametersEqual(ref, m, model + " weights " + w);
          assertEquals(json(tmp.resolve(model + "-out1").resolve("summary.json")).get("iterations").asInt(),
              json(out.resolve("summary.json")).get("iterations").asInt());
        }
      }
    }
  }

  @Test
  void weightTwoEqualsTheRowTwice() throws IOException {
    double[][] x = blobs(90, 3);
    double[] weights = new double[x.length];
    List<double[]> duplicated = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      weights[i] = i % 7 == 0 ? 2 : 1;
      duplicated.add(x[i]);
      if (i % 7 == 0) {
        duplicated.add(x[i]);
      }
    }
    Path weighted = writeCsv(tmp.resolve("weighted.csv"), x, weights, null);
    Path twice = writeCsv(tmp.resolve("twice.csv"), duplicated.toArray(new double[0][]), null, null);
    for (String model : new String[] {"gmm", "kmeans"}) {
      // Seeding draws by row key, so a duplicated row changes the draws: both runs start from one model.
      Path start = tmp.resolve(model + "-start");
      assertEquals(0, run("fit", "--input", weighted.toString(), "--weight-col", "w", "--k", "3", "--model", model,
          "--max-iter", "2", "--output", start.toString()).code());
      Path a = tmp.resolve(model + "-weighted");
      Path b = tmp.resolve(model + "-twice");
      String init = start.resolve("model.json").toString();
      Runs.Result ra = run("fit", "--input", weighted.toString(), "--weight-col", "w", "--k", "3", "--model", model,
          "--init", init, "--tol", "1e-8", "--partitions", "2", "--output", a.toString());
      Runs.Result rb = run("fit", "--input", twice.toString(), "--k", "3", "--model", model, "--init", init, "--tol",
          "1e-8", "--partitions", "3", "--output", b.toString());
      assertEquals(0, ra.code(), ra.err());
      assertEquals(0, rb.code(), rb.err());
      assertParametersEqual(json(a.resolve("model.json")), json(b.resolve("model.json")), model);
      JsonNode sa = json(a.resolve("summary.json"));
      JsonNode sb = json(b.resolve("summary.json"));
      assertEquals(sa.get("iterations").asInt(), sb.get("iterations").asInt());
      assertEquals(sa.get("weightSum").asDouble(), sb.get("rows").asDouble(), 0.0, "n in BIC is the weight sum");
      assertEquals(sb.get("bic").asDouble(), sa.get("bic").asDouble(), 1e-9 * Math.abs(sb.get("bic").asDouble()));
    }
  }

  @Test
  void alignToRenumbersComponentsAndReportsDrift() throws IOException {
    Path first = tmp.resolve("first");
    String[] fit = {"fit", "--input", "testdata/iris.csv", "--exclude", "label", "--k", "3", "--partitions", "2",
        "--seed", "3"};
    assertEquals(0, run(concat(fit, "--output", first.toString())).code());
    JsonNode a = json(first.resolve("model.json"));
    // The previous model: the same components in the order 2, 0, 1.
    int[] perm = {2, 0, 1};
    ObjectNode prev = a.deepCopy();
    for (String field : new String[] {"weights", "means", "covariances"}) {
      ArrayNode arr = JSON.createArrayNode();
      for (int j : perm) {
        arr.add(a.get(field).get(j));
      }
      prev.set(field, arr);
    }
    Path prevFile = tmp.resolve("prev.json");
    Files.writeString(prevFile, JSON.writeValueAsString(prev));

    Path second = tmp.resolve("second");
    Runs.Result r = run(concat(fit, "--align-to", prevFile.toString(), "--output", second.toString()));
    assertEquals(0, r.code(), r.err());
    JsonNode b = json(second.resolve("model.json"));
    for (String field : new String[] {"weights", "means", "covariances"}) {
      assertEquals(prev.get(field), b.get(field), field + " follow the previous numbering");
    }
    JsonNode al = json(second.resolve("summary.json")).get("alignment");
    assertEquals(0.0, al.get("totalDistance").asDouble(), 0.0);
    for (int i = 0; i < 3; i++) {
      JsonNode c = al.get("components").get(i);
      assertEquals(i, c.get("previous").asInt());
      assertEquals(0.0, c.get("weightChange").asDouble(), 0.0);
      assertEquals(0.0, c.get("meanDistance").asDouble(), 0.0);
      assertEquals(perm[i], al.get("fromFitted").get(i).asInt());
    }
    // Assignments are renumbered the same way: new cluster i is old cluster perm[i].
    List<String[]> ra = assignments(first.resolve("assignments"));
    List<String[]> rb = assignments(second.resolve("assignments"));
    int[] inverse = new int[3];
    for (int i = 0; i < 3; i++) {
      inverse[perm[i]] = i;
    }
    for (int row = 0; row < ra.size(); row++) {
      assertEquals(inverse[Integer.parseInt(ra.get(row)[5])], Integer.parseInt(rb.get(row)[5]), "row " + row);
      for (int i = 0; i < 3; i++) {
        assertEquals(ra.get(row)[6 + perm[i]], rb.get(row)[6 + i], "probabilities follow the numbering");
      }
    }
  }

  @Test
  void cosineKmeansWritesAVersionTwoModelAndRefusesZeroRows() throws IOException {
    double[][] x = {{1, 0.1}, {2, 0.3}, {10, 0.5}, {0.1, 1}, {0.2, 3}, {0.4, 20}};
    Path csv = writeCsv(tmp.resolve("dirs.csv"), x, null, null);
    Path out = tmp.resolve("cos");
    Runs.Result r = run("fit", "--input", csv.toString(), "--k", "2", "--model", "kmeans", "--distance", "cosine",
        "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode m = json(out.resolve("model.json"));
    assertEquals(2, m.get("version").asInt());
    assertEquals("cosine", m.get("distance").asText());
    List<String[]> rows = assignments(out.resolve("assignments"));
    assertEquals(rows.get(0)[2], rows.get(1)[2]);
    assertEquals(rows.get(0)[2], rows.get(2)[2]);
    assertEquals(rows.get(3)[2], rows.get(5)[2]);
    assertTrue(!rows.get(0)[2].equals(rows.get(3)[2]), "two directions, two clusters");
    double[][] withZero = {{1, 0.1}, {0, 0}, {0.1, 1}};
    Path bad = writeCsv(tmp.resolve("zero.csv"), withZero, null, null);
    Runs.Result e = run("fit", "--input", bad.toString(), "--k", "2", "--model", "kmeans", "--distance", "cosine",
        "--output", tmp.resolve("bad").toString());
    assertEquals(Main.BAD_INPUT, e.code());
    assertTrue(e.err().contains("zero.csv:3: the row's features are all zero"), e.err());
    Runs.Result g = run("fit", "--input", csv.toString(), "--k", "2", "--distance", "cosine", "--output",
        tmp.resolve("g").toString());
    assertEquals(Main.USAGE, g.code());
    assertTrue(g.err().contains("--distance cosine is spherical K-means: it needs --model kmeans"), g.err());
  }
}
