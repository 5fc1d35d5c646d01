package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.io.ModelJson;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import dev.latent.testing.Refs;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --standard-errors} through the command line: against {@code ../shared/ref/se_<dataset>.json}
 * (iris and faithful, full and diag, observed and opg) from the stored k-means init with --tol 1e-10
 * --reg-covar 1e-6, every standard error to 1e-4 relative; the same numbers for 1 and 4 partitions
 * (1e-9); the singular case; and the usage errors.
 */
class StandardErrorsCliTest extends SharedSpark {
  @TempDir
  Path tmp;

  static List<Arguments> referenceCases() {
    List<Arguments> cases = new ArrayList<>();
    for (String ds : List.of("iris", "faithful")) {
      for (String type : List.of("full", "diag")) {
        for (String method : List.of("observed", "opg")) {
          cases.add(Arguments.of(ds, type, method));
        }
      }
    }
    return cases;
  }

  /** A fit from the stored k-means init of gmm_<dataset>.json, as CliReferenceTest starts it. */
  private JsonNode fit(String dataset, String type, String... more) throws IOException {
    JsonNode ref = Refs.ref("gmm_" + dataset);
    JsonNode start = ref.get("inits").get("kmeans").get("by_covariance_type").get(type);
    List<String> features = new ArrayList<>();
    ref.get("feature_columns").forEach(n -> features.add(n.asText()));
    MixtureModel m = new MixtureModel(ModelKind.GMM, CovarianceType.parse(type), features,
        Refs.vector(start.get("weights")), Refs.matrix(start.get("means")),
        Refs.covariances(start.get("covariances"), type), Map.of());
    Path init = tmp.resolve("init-" + dataset + "-" + type + ".json");
    Files.writeString(init, ModelJson.write(m));
    Path out = tmp.resolve("out");
    List<String> args = new ArrayList<>(List.of("fit", "--input", Refs.dataFile(dataset).toString(),
        "--k", String.valueOf(m.k()), "--features", String.join(",", features), "--covariance", type,
        "--init", init.toString(), "--tol", "1e-10", "--reg-covar", "1e-6", "--max-iter", "100000",
        "--output", out.toString(), "--overwrite"));
    args.addAll(List.of(more));
    Runs.ok(jsc, args.toArray(String[]::new));
    String text = Files.readString(out.resolve("summary.json"));
    assertFalse(text.contains("NaN") || text.contains("Infinity"), "summary.json has a non-finite number");
    return Runs.json(out.resolve("summary.json"));
  }

  private static JsonNode seRef(String dataset, String type) {
    for (JsonNode f : Refs.ref("se_" + dataset).get("fits")) {
      if (f.get("covariance_type").asText().equals(type)) {
        return f;
      }
    }
    throw new IllegalArgumentException(dataset + " " + type);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("referenceCases")
  void matchesTheReference(String dataset, String type, String method) throws IOException {
    JsonNode ref = seRef(dataset, type);
    JsonNode se = fit(dataset, type, "--standard-errors", method).get("standardErrors");
    assertEquals(method, se.get("method").asText());
    assertEquals(ref.get("parameters").asInt(), se.get("parameters").asInt());
    assertTrue(se.get("reason") == null, () -> "reason: " + se.get("reason"));
    JsonNode expected = ref.get(method);
    for (String key : List.of("weights", "means", "covariances")) {
      assertClose(expected.get(key), se.get(key), 1e-4, method + " " + key);
    }
  }

  /** Same nested shape, every number within {@code rel} relative. */
  private static void assertClose(JsonNode expected, JsonNode got, double rel, String where) {
    if (expected.isNumber()) {
      double e = expected.asDouble();
      assertEquals(e, got.asDouble(), rel * Math.abs(e), where);
      return;
    }
    assertEquals(expected.size(), got.size(), where + " size");
    for (int i = 0; i < expected.size(); i++) {
      assertClose(expected.get(i), got.get(i), rel, where + "[" + i + "]");
    }
  }

  @Test
  void partitionsDoNotChangeTheStandardErrors() throws IOException {
    for (String method : List.of("observed", "opg")) {
      JsonNode one = fit("iris", "full", "--standard-errors", method, "--partitions", "1").get("standardErrors");
      JsonNode four = fit("iris", "full", "--standard-errors", method, "--partitions", "4").get("standardErrors");
      for (String key : List.of("weights", "means", "covariances")) {
        assertClose(one.get(key), four.get(key), 1e-9, method + " " + key);
      }
    }
  }

  @Test
  void opgWithFewerRowsThanParametersIsSingular() throws IOException {
    // 8 rows, d = 2, K = 2 full: p = 1 + 4 + 6 = 11 parameters.
    Path csv = tmp.resolve("few.csv");
    Files.writeString(csv, "a,b\n0.1,0.3\n0.4,0.2\n1.2,0.9\n0.3,0.8\n5.1,5.3\n5.6,4.9\n4.8,5.4\n5.2,6.0\n");
    Path out = tmp.resolve("few");
    Runs.ok(jsc, "fit", "--input", csv.toString(), "--k", "2", "--standard-errors", "opg", "--output",
        out.toString());
    String text = Files.readString(out.resolve("summary.json"));
    assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
    JsonNode s = Runs.json(out.resolve("summary.json"));
    JsonNode se = s.get("standardErrors");
    assertEquals("opg", se.get("method").asText());
    assertEquals(11, se.get("parameters").asInt());
    for (String key : List.of("weights", "means", "covariances")) {
      assertTrue(se.get(key).isNull(), key + " should be null");
    }
    assertTrue(se.get("reason").asText().contains("singular"), se.get("reason").asText());
    assertTrue(se.get("reason").asText().contains("8 rows"), se.get("reason").asText());
    boolean warned = false;
    for (JsonNode w : s.get("warnings")) {
      warned |= w.asText().contains("standard errors") && w.asText().contains("singular");
    }
    assertTrue(warned, "a warning says the information is singular: " + s.get("warnings"));
  }

  @Test
  void withoutTheFlagThereIsNoSection() throws IOException {
    assertTrue(fit("faithful", "diag").get("standardErrors") == null);
  }

  /** In a sweep the errors are the chosen model's, in its covariance shape (spherical [K], tied [d][d]). */
  @Test
  void sweepGivesTheChosenModelsErrorsInItsShape() throws IOException {
    for (String type : List.of("spherical", "tied", "all")) {
      Path out = tmp.resolve("sweep-" + type);
      Runs.ok(jsc, "fit", "--input", Refs.dataFile("faithful").toString(), "--k", "1..3", "--covariance", type,
          "--standard-errors", "observed", "--output", out.toString());
      JsonNode s = Runs.json(out.resolve("summary.json"));
      JsonNode model = Runs.json(out.resolve("model.json"));
      JsonNode se = s.get("standardErrors");
      assertTrue(se.get("reason") == null, () -> type + ": " + se.get("reason"));
      assertEquals(s.get("parameters").asInt(), se.get("parameters").asInt(), type);
      assertEquals(model.get("weights").size(), se.get("weights").size(), type);
      assertSameShape(model.get("means"), se.get("means"), type + " means");
      assertSameShape(model.get("covariances"), se.get("covariances"), type + " covariances");
    }
  }

  private static void assertSameShape(JsonNode expected, JsonNode got, String where) {
    assertEquals(expected.isArray(), got.isArray(), where);
    if (expected.isArray()) {
      assertEquals(expected.size(), got.size(), where);
      for (int i = 0; i < expected.size(); i++) {
        assertSameShape(expected.get(i), got.get(i), where);
      }
    } else {
      assertTrue(got.isNumber() && got.asDouble() > 0.0, where + ": " + got);
    }
  }

  @Test
  void usageErrors() {
    String input = Refs.dataFile("faithful").toString();
    String out = tmp.resolve("u").toString();
    Map<List<String>, String> cases = Map.of(
        List.of("--model", "kmeans", "--standard-errors", "opg"), "--standard-errors is for Gaussian mixtures",
        List.of("--model", "vbgmm", "--standard-errors", "observed"), "--model",
        List.of("--standard-errors", "hessian"), "expected observed, opg or none");
    for (Map.Entry<List<String>, String> c : cases.entrySet()) {
      List<String> args = new ArrayList<>(List.of("fit", "--input", input, "--k", "2", "--output", out));
      args.addAll(c.getKey());
      Runs.Result r = Runs.main(jsc, args.toArray(String[]::new));
      assertEquals(Main.USAGE, r.code(), c.getKey() + ": " + r.err());
      assertTrue(r.err().contains(c.getValue()), r.err());
    }
    assertFalse(Files.exists(Path.of(out)));
  }
}
