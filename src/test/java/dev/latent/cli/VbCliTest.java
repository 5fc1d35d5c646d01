package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.testing.Refs;
import dev.latent.testing.Runs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code fit --model vbgmm} through the command line against scikit-learn's BayesianGaussianMixture
 * (../shared/ref/bgmm_*.json), started from the stored K-means labels with --init-labels and
 * --tol 1e-10: lower bound to 1e-6 relative, the same number of effective components, weights to 1e-5;
 * then {@code predict} with the fitted model gives scikit-learn's labels and its mean score_samples.
 * Usage errors and labels outside 0..K-1 give their exit codes and messages.
 */
class VbCliTest extends CliTestBase {
  @TempDir
  Path tmp;

  static Stream<Arguments> cases() {
    // One per covariance type and both priors, the shorter fits (57 to 220 iterations; all 16 run without
    // Spark in VbReferenceTest).
    return Stream.of(Arguments.of("iris", "dirichlet_distribution", "full"),
        Arguments.of("iris", "dirichlet_process", "tied"),
        Arguments.of("iris", "dirichlet_process", "spherical"),
        Arguments.of("faithful", "dirichlet_distribution", "diag"));
  }

  /** The data set's features with the stored K-means labels as a last column, init. */
  private Path withLabels(String dataset, int[] labels) throws IOException {
    double[][] x = Refs.features(dataset);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < x[0].length; i++) {
      s.append("x").append(i).append(',');
    }
    s.append("init\n");
    for (int r = 0; r < x.length; r++) {
      for (double v : x[r]) {
        s.append(v).append(',');
      }
      s.append(labels[r]).append('\n');
    }
    Path p = tmp.resolve(dataset + "-init.csv");
    Files.writeString(p, s.toString());
    return p;
  }

  private static JsonNode fit(JsonNode ref, String prior, String type) {
    for (JsonNode f : ref.get("fits")) {
      if (f.get("weight_concentration_prior_type").asText().equals(prior)
          && f.get("covariance_type").asText().equals(type)) {
        return f;
      }
    }
    throw new IllegalArgumentException(prior + " " + type);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void fitAndPredictMatchScikitLearn(String dataset, String prior, String type) throws IOException {
    JsonNode ref = Refs.ref("bgmm_" + dataset);
    JsonNode f = fit(ref, prior, type);
    Path input = withLabels(dataset, Refs.ints(ref.get("init").get("kmeans_labels")));
    Path out = tmp.resolve("fit");
    Runs.ok(jsc, "fit", "--input", input.toString(), "--k", "10", "--model", "vbgmm", "--covariance", type,
        "--weight-prior", prior.replace('_', '-'), "--init-labels", "init", "--exclude", "init",
        "--tol", "1e-10", "--max-iter", "100000", "--partitions", "3", "--output", out.toString());

    JsonNode s = Runs.json(out.resolve("summary.json"));
    double elbo = f.get("lower_bound").asDouble();
    assertEquals("vbgmm", s.get("model").asText());
    assertTrue(s.get("converged").asBoolean());
    assertEquals(elbo, s.get("elbo").asDouble(), 1e-6 * Math.abs(elbo), "lower bound");
    assertEquals(f.get("n_effective_components").asInt(), s.get("effectiveComponents").asInt());
    assertEquals(s.get("iterations").asInt(), s.get("elboTrace").size(), "one bound per iteration");
    JsonNode trace = s.get("elboTrace");
    for (int i = 1; i < trace.size(); i++) {
      double a = trace.get(i - 1).asDouble();
      assertTrue(trace.get(i).asDouble() >= a - 1e-9 * Math.abs(a), "the bound decreased at " + i);
    }
    assertFalse(s.has("bic"), "a variational fit is judged by its bound, not BIC");
    JsonNode model = Runs.json(out.resolve("model.json"));
    assertEquals("vbgmm", model.get("model").asText());
    assertArrayEquals(Refs.vector(f.get("weights")), Refs.vector(model.get("weights")), 1e-5, "weights");
    assertEquals(prior.replace('_', '-'), model.get("variational").get("weightPrior").asText());
    for (Path p : List.of(out.resolve("summary.json"), out.resolve("model.json"))) {
      String text = Files.readString(p);
      assertFalse(text.contains("NaN") || text.contains("Infinity"), p + " holds a value that is not finite");
    }

    Path scored = tmp.resolve("predict");
    Runs.ok(jsc, "predict", "--model", out.resolve("model.json").toString(), "--input", input.toString(),
        "--output", scored.toString());
    List<String> header = Arrays.asList(Runs.assignmentsHeader(scored).split(","));
    List<String[]> rows = Runs.assignments(scored);
    int[] labels = rows.stream().mapToInt(r -> Integer.parseInt(r[header.indexOf("cluster")])).toArray();
    assertArrayEquals(Refs.ints(f.get("labels")), labels, "labels as scikit-learn's predict");
    double mean = rows.stream().mapToDouble(r -> Double.parseDouble(r[header.indexOf("logDensity")])).average()
        .orElseThrow();
    double score = f.get("score_sklearn").asDouble();
    assertEquals(score, mean, 1e-6 * Math.abs(score), "mean score_samples as scikit-learn's score");
    double p9 = Double.parseDouble(rows.get(0)[header.indexOf("p9")]);
    assertTrue(p9 >= 0 && p9 <= 1, "predict_proba columns p0..p9");
  }

  @Test
  void aLabelOutsideZeroToKMinusOneIsBadInput() throws IOException {
    int[] labels = new int[272];
    labels[5] = 10;
    Path input = withLabels("faithful", labels);
    Runs.Result r = Runs.main(jsc, "fit", "--input", input.toString(), "--k", "10", "--model", "vbgmm",
        "--init-labels", "init", "--exclude", "init", "--output", tmp.resolve("out").toString());
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().contains("faithful-init.csv:7:3"), r.toString());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void aConstantColumnMakesThePriorSingular() throws IOException {
    StringBuilder csv = new StringBuilder("x,y\n");
    for (int r = 0; r < 30; r++) {
      csv.append(r % 7).append(",2.5\n");
    }
    Path input = Files.writeString(tmp.resolve("constant.csv"), csv.toString());
    Runs.Result r = Runs.main(jsc, "fit", "--input", input.toString(), "--k", "3", "--model", "vbgmm",
        "--covariance", "diag", "--output", tmp.resolve("out").toString());
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().contains("constant.csv: column 'y' is constant, so the covariance prior of --model vbgmm"
        + " (the data's covariance) is singular"), r.toString());
    assertFalse(r.err().contains("\tat "), "no stack trace for bad input:\n" + r);
  }

  static Stream<Arguments> usage() {
    return Stream.of(
        Arguments.of(List.of("--weight-prior", "pitman-yor"),
            "--weight-prior: unknown weight prior 'pitman-yor' (expected dirichlet-process or dirichlet-distribution)"),
        Arguments.of(List.of("--weight-concentration", "0"), "--weight-concentration must be greater than 0, got 0"),
        Arguments.of(List.of("--mean-precision", "-1"), "--mean-precision must be greater than 0, got -1"),
        Arguments.of(List.of("--mean-precision", "abc"), "--mean-precision must be a finite number, got 'abc'"),
        Arguments.of(List.of("--degrees-of-freedom", "1"),
            "--degrees-of-freedom must be greater than d - 1 = 1 for 2 feature(s), got 1.0"),
        Arguments.of(List.of("--k", "2..5"), "--model vbgmm fits one K and one covariance type"),
        Arguments.of(List.of("--covariance", "all"), "--model vbgmm fits one K and one covariance type"),
        Arguments.of(List.of("--align-to", "m.json"), "--align-to cannot renumber a vbgmm with the Dirichlet-process"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("usage")
  void badVariationalOptionsAreUsageErrors(List<String> extra, String message) {
    List<String> args = new ArrayList<>(List.of("fit", "--input", Refs.dataFile("faithful").toString(), "--k", "3",
        "--model", "vbgmm", "--output", tmp.resolve("out").toString()));
    args.addAll(extra);
    Runs.Result r = Runs.main(jsc, args.toArray(new String[0]));
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains(message), "expected '" + message + "' in:\n" + r);
  }

  @Test
  void priorFlagsNeedTheVariationalModel() {
    Runs.Result r = Runs.main(jsc, "fit", "--input", Refs.dataFile("faithful").toString(), "--k", "3",
        "--mean-precision", "2", "--output", tmp.resolve("out").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("--mean-precision is a prior of the variational mixture: it needs --model vbgmm"),
        r.toString());
  }

  /** --init with a vbgmm model.json continues from its posterior: the iterations of one longer run. */
  @Test
  void initFromAVbgmmModelFileContinuesTheFit() throws IOException {
    JsonNode ref = Refs.ref("bgmm_faithful");
    Path input = withLabels("faithful", Refs.ints(ref.get("init").get("kmeans_labels")));
    String[] common = {"fit", "--input", input.toString(), "--k", "10", "--model", "vbgmm", "--covariance", "diag",
        "--exclude", "init", "--tol", "0"};
    Path whole = tmp.resolve("whole");
    Runs.ok(jsc, concat(common, "--init-labels", "init", "--max-iter", "12", "--output", whole.toString()));
    Path first = tmp.resolve("first");
    Runs.ok(jsc, concat(common, "--init-labels", "init", "--max-iter", "8", "--output", first.toString()));
    Path rest = tmp.resolve("rest");
    Runs.ok(jsc, concat(common, "--init", first.resolve("model.json").toString(), "--max-iter", "4",
        "--output", rest.toString()));
    JsonNode w = Runs.json(whole.resolve("summary.json")).get("elboTrace");
    JsonNode r = Runs.json(rest.resolve("summary.json")).get("elboTrace");
    assertEquals(4, r.size());
    for (int i = 0; i < 4; i++) {
      double e = w.get(8 + i).asDouble();
      assertEquals(e, r.get(i).asDouble(), 1e-9 * Math.abs(e), "iteration " + (9 + i));
    }
    assertEquals("model", Runs.json(rest.resolve("summary.json")).get("init").asText());
  }

  /** --checkpoint saves the posterior after every scan: the fit is the one without, and DIR is emptied. */
  @Test
  void checkpointsLeaveTheFitAsItIs() throws IOException {
    String[] common = {"fit", "--input", Refs.dataFile("faithful").toString(), "--k", "5", "--model", "vbgmm",
        "--restarts", "2"};
    Path plain = tmp.resolve("plain");
    Runs.ok(jsc, concat(common, "--output", plain.toString()));
    Path ck = tmp.resolve("ck");
    Path with = tmp.resolve("with");
    Runs.ok(jsc, concat(common, "--checkpoint", ck.toString(), "--resume", "--output", with.toString()));
    assertEquals(Runs.json(plain.resolve("summary.json")).get("elboTrace"),
        Runs.json(with.resolve("summary.json")).get("elboTrace"));
    assertEquals(Runs.json(plain.resolve("model.json")).get("variational"),
        Runs.json(with.resolve("model.json")).get("variational"));
    try (Stream<Path> left = Files.list(ck)) {
      assertEquals(0, left.filter(f -> f.getFileName().toString().startsWith("state-")).count(),
          "the committed fit clears its checkpoint");
    }
  }

  /**
   * A symmetric Dirichlet weight prior is order-free, so such a vbgmm can be aligned: its posterior is
   * renumbered with its weights, means and covariances, and scores every row as before.
   */
  @Test
  void aDirichletDistributionVbgmmIsAlignedWithItsPosterior() throws IOException {
    String[] common = {"fit", "--input", Refs.dataFile("faithful").toString(), "--k", "4", "--model", "vbgmm",
        "--weight-prior", "dirichlet-distribution", "--covariance", "diag"};
    Path first = tmp.resolve("first");
    Runs.ok(jsc, concat(common, "--seed", "0", "--output", first.toString()));
    Path second = tmp.resolve("second");
    Runs.ok(jsc, concat(common, "--seed", "7", "--output", second.toString()));
    Path aligned = tmp.resolve("aligned");
    Runs.ok(jsc, concat(common, "--seed", "7", "--align-to", first.resolve("model.json").toString(),
        "--output", aligned.toString()));
    JsonNode order = Runs.json(aligned.resolve("summary.json")).path("alignment").path("fromFitted");
    assertEquals(4, order.size(), "the renumbering is recorded");
    JsonNode m = Runs.json(second.resolve("model.json"));
    JsonNode a = Runs.json(aligned.resolve("model.json"));
    boolean moved = false;
    for (int i = 0; i < 4; i++) {
      int from = order.get(i).asInt();
      moved |= from != i;
      assertEquals(m.get("means").get(from), a.get("means").get(i), "means " + i);
      assertEquals(m.get("weights").get(from), a.get("weights").get(i), "weights " + i);
      assertEquals(m.get("variational").get("meanPrecision").get(from),
          a.get("variational").get("meanPrecision").get(i), "meanPrecision " + i);
      assertEquals(m.get("variational").get("degreesOfFreedom").get(from),
          a.get("variational").get("degreesOfFreedom").get(i), "degreesOfFreedom " + i);
      assertEquals(m.get("variational").get("weightConcentration").get(from),
          a.get("variational").get("weightConcentration").get(i), "weightConcentration " + i);
    }
    assertTrue(moved, "seed 7 numbers the components otherwise than seed 0: " + order);
    assertEquals(Runs.json(second.resolve("summary.json")).get("elbo"),
        Runs.json(aligned.resolve("summary.json")).get("elbo"));
    // The renumbered model is a valid model file and gives every row the same log-density.
    Path p1 = tmp.resolve("p-second");
    Path p2 = tmp.resolve("p-aligned");
    Runs.ok(jsc, "predict", "--model", second.resolve("model.json").toString(), "--input",
        Refs.dataFile("faithful").toString(), "--output", p1.toString());
    Runs.ok(jsc, "predict", "--model", aligned.resolve("model.json").toString(), "--input",
        Refs.dataFile("faithful").toString(), "--output", p2.toString());
    List<String[]> r1 = Runs.assignments(p1);
    List<String[]> r2 = Runs.assignments(p2);
    int last = r1.get(0).length - 1;
    for (int r = 0; r < r1.size(); r++) {
      assertEquals(Double.parseDouble(r1.get(r)[last]), Double.parseDouble(r2.get(r)[last]), 1e-12, "row " + r);
    }
  }

  /** The default start (K-means labels), restarts in the same scans, and the summary's keys. */
  @Test
  void defaultStartWithRestarts() throws IOException {
    Path out = tmp.resolve("km");
    Runs.Result r = Runs.ok(jsc, "fit", "--input", Refs.dataFile("faithful").toString(), "--k", "6",
        "--model", "vbgmm", "--restarts", "3", "--seed", "4", "--output", out.toString());
    assertTrue(r.out().contains("vbgmm/full K=6"), r.out());
    JsonNode s = Runs.json(out.resolve("summary.json"));
    assertEquals(3, s.get("candidateScores").size());
    double best = Double.NEGATIVE_INFINITY;
    for (JsonNode c : s.get("candidateScores")) {
      best = Math.max(best, c.asDouble());
    }
    assertEquals(best, s.get("elbo").asDouble(), 0.0, "the candidate with the highest bound is kept");
    assertEquals("kmeans++", s.get("init").asText());
    assertTrue(s.get("effectiveComponents").asInt() >= 1);
    Path drawn = tmp.resolve("drawn");
    Runs.ok(jsc, "sample", "--model", out.resolve("model.json").toString(), "--n", "50", "--output", drawn.toString());
    long rows = 0;
    try (Stream<Path> parts = Files.list(drawn.resolve("samples"))) {
      for (Path p : parts.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
        rows += Files.readAllLines(p).size() - 1;
      }
    }
    assertEquals(50, rows, "rows drawn from the vbgmm's weights, means and covariances");
  }
}
