package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line against scikit-learn on the shared real data, started from the stored initial
 * parameters with --tol 1e-10 --reg-covar 1e-6: same iteration count, identical labels, mean
 * log-likelihood, BIC and AIC to 1e-8 relative (the reference README's tolerances); K-means inertia to
 * 1e-9 relative with identical labels.
 */
class CliReferenceTest extends SharedSpark {
  @TempDir
  Path tmp;

  static List<Arguments> gmmCases() {
    List<Arguments> cases = new ArrayList<>();
    for (String ds : List.of("iris", "faithful", "penguins")) {
      for (JsonNode f : Refs.ref("gmm_" + ds).get("fits")) {
        cases.add(Arguments.of(ds, f.get("init").asText(), f.get("covariance_type").asText()));
      }
    }
    return cases;
  }

  private static List<String> features(JsonNode ref) {
    List<String> f = new ArrayList<>();
    ref.get("feature_columns").forEach(n -> f.add(n.asText()));
    return f;
  }

  private Path writeModel(MixtureModel m, String name) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, ModelJson.write(m));
    return p;
  }

  private static int[] clusters(List<String[]> rows, int column) {
    return rows.stream().mapToInt(r -> Integer.parseInt(r[column])).toArray();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("gmmCases")
  void gmmFromStoredInit(String dataset, String init, String type) throws IOException {
    JsonNode ref = Refs.ref("gmm_" + dataset);
    JsonNode start = ref.get("inits").get(init).get("by_covariance_type").get(type);
    JsonNode fit = Refs.gmmFit(ref, init, type);
    List<String> features = features(ref);
    MixtureModel m = new MixtureModel(ModelKind.GMM, CovarianceType.parse(type), features,
        Refs.vector(start.get("weights")), Refs.matrix(start.get("means")),
        Refs.covariances(start.get("covariances"), type), Map.of());
    Path initFile = writeModel(m, "init.json");
    Path out = tmp.resolve("out");
    Runs.ok(jsc, "fit", "--input", Refs.dataFile(dataset).toString(), "--k", String.valueOf(m.k()),
        "--features", String.join(",", features), "--covariance", type, "--init", initFile.toString(),
        "--tol", "1e-10", "--reg-covar", "1e-6", "--max-iter", "100000", "--output", out.toString());

    JsonNode s = Runs.json(out.resolve("summary.json"));
    assertEquals(fit.get("n_iter").asInt(), s.get("iterations").asInt(), "iterations");
    assertTrue(s.get("converged").asBoolean());
    assertEquals(fit.get("n_iter").asInt(), s.get("trace").size(), "trace length");
    double score = fit.get("score").asDouble();
    assertEquals(score, s.get("meanLogLikelihood").asDouble(), 1e-8 * Math.abs(score), "score");
    for (String key : List.of("bic", "aic")) {
      double v = fit.get(key).asDouble();
      assertEquals(v, s.get(key).asDouble(), 1e-8 * Math.abs(v), key);
    }
    int n = ref.get("n").asInt();
    List<String[]> rows = Runs.assignments(out);
    assertEquals(n, rows.size());
    int clusterColumn = Arrays.asList(Runs.assignmentsHeader(out).split(",")).indexOf("cluster");
    assertArrayEquals(Refs.ints(fit.get("labels")), clusters(rows, clusterColumn), "labels");
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasets")
  void kmeansFromStoredCentres(String dataset) throws IOException {
    JsonNode ref = Refs.ref("kmeans_" + dataset);
    double[][] centres = Refs.matrix(ref.get("init").get("centers"));
    List<String> features = features(ref);
    MixtureModel m = new MixtureModel(ModelKind.KMEANS, null, features, new double[centres.length], centres, null,
        Map.of());
    Path initFile = writeModel(m, "init.json");
    Path out = tmp.resolve("km");
    Runs.ok(jsc, "fit", "--input", Refs.dataFile(dataset).toString(), "--k", String.valueOf(centres.length),
        "--features", String.join(",", features), "--model", "kmeans", "--init", initFile.toString(),
        "--tol", "0", "--max-iter", "100000", "--output", out.toString());
    JsonNode s = Runs.json(out.resolve("summary.json"));
    double inertia = ref.get("inertia").asDouble();
    assertEquals(inertia, s.get("inertia").asDouble(), 1e-9 * inertia, "inertia");
    assertEquals(ref.get("n_iter").asInt(), s.get("iterations").asInt(), "passes");
    List<String[]> rows = Runs.assignments(out);
    int clusterColumn = Runs.assignmentsHeader(out).split(",").length - 1;
    assertArrayEquals(Refs.ints(ref.get("labels")), clusters(rows, clusterColumn), "labels");
    JsonNode model = Runs.json(out.resolve("model.json"));
    assertEquals("kmeans", model.get("model").asText());
    assertTrue(model.get("covariances") == null, "K-means has no covariances");
  }

  /** The "class" reference inits are one M-step from the true labels: exactly what --init-labels does. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("labelledCases")
  void initLabelsMatchesTheClassInit(String dataset, String type) {
    JsonNode ref = Refs.ref("gmm_" + dataset);
    JsonNode fit = Refs.gmmFit(ref, "class", type);
    Path out = tmp.resolve("labels");
    Runs.ok(jsc, "fit", "--input", Refs.dataFile(dataset).toString(), "--k", String.valueOf(ref.get("K").asInt()),
        "--init-labels", "label", "--covariance", type, "--tol", "1e-10", "--max-iter", "100000",
        "--output", out.toString());
    JsonNode s = Runs.json(out.resolve("summary.json"));
    assertEquals(fit.get("n_iter").asInt(), s.get("iterations").asInt(), "iterations");
    double score = fit.get("score").asDouble();
    assertEquals(score, s.get("meanLogLikelihood").asDouble(), 1e-8 * Math.abs(score), "score");
    List<String[]> rows = Runs.assignments(out);
    int clusterColumn = Arrays.asList(Runs.assignmentsHeader(out).split(",")).indexOf("cluster");
    assertArrayEquals(Refs.ints(fit.get("labels")), clusters(rows, clusterColumn), "labels");
  }

  static List<Arguments> labelledCases() {
    List<Arguments> cases = new ArrayList<>();
    for (String ds : List.of("iris", "penguins")) {
      for (String t : List.of("full", "diag", "spherical", "tied")) {
        cases.add(Arguments.of(ds, t));
      }
    }
    return cases;
  }

  /**
   * The "kmeans" reference inits are one M-step from the k-means reference labels: a K-means model file
   * given to a GMM fit starts it the same way, so the whole chain reproduces scikit-learn.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("datasets")
  void gmmFromKmeansModelFile(String dataset) throws IOException {
    JsonNode km = Refs.ref("kmeans_" + dataset);
    double[][] centres = Refs.matrix(km.get("init").get("centers"));
    List<String> features = features(km);
    Path initFile = writeModel(new MixtureModel(ModelKind.KMEANS, null, features, new double[centres.length],
        centres, null, Map.of()), "centres.json");
    Path kmOut = tmp.resolve("km");
    Runs.ok(jsc, "fit", "--input", Refs.dataFile(dataset).toString(), "--k", String.valueOf(centres.length),
        "--features", String.join(",", features), "--model", "kmeans", "--init", initFile.toString(),
        "--tol", "0", "--output", kmOut.toString());
    JsonNode fit = Refs.gmmFit(Refs.ref("gmm_" + dataset), "kmeans", "full");
    Path out = tmp.resolve("gmm");
    Runs.ok(jsc, "fit", "--input", Refs.dataFile(dataset).toString(), "--k", String.valueOf(centres.length),
        "--features", String.join(",", features), "--init", kmOut.resolve("model.json").toString(),
        "--tol", "1e-10", "--max-iter", "100000", "--output", out.toString());
    JsonNode s = Runs.json(out.resolve("summary.json"));
    assertEquals(fit.get("n_iter").asInt(), s.get("iterations").asInt(), "iterations");
    double score = fit.get("score").asDouble();
    assertEquals(score, s.get("meanLogLikelihood").asDouble(), 1e-8 * Math.abs(score), "score");
  }

  static List<String> datasets() {
    return List.of("iris", "faithful", "penguins");
  }
}
