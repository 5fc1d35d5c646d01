package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.diagnostics.GaussianDivergence;
import dev.latent.io.ModelJson;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import dev.latent.testing.Project;
import dev.latent.testing.Runs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code latent inspect}, {@code fit --align-to}'s divergence, {@code --fixed-variance} and
 * {@code --anneal} through the command line: the files they write, their exit codes and messages.
 */
class KlAnnealCliTest extends CliTestBase {
  private static final String IRIS = Project.testdata("iris.csv").toString();

  private Path model(String name, ModelKind kind, CovarianceType type, List<String> features, double[] w,
      double[][] means, double[][] cov) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, ModelJson.write(new MixtureModel(kind, type, features, w, means, cov, Map.of())));
    return p;
  }

  @Test
  void inspectWritesTheMatricesAndBothDirections() throws IOException {
    Path a = model("a.json", ModelKind.GMM, CovarianceType.DIAG, List.of("x", "y"), new double[] {0.6, 0.4},
        new double[][] {{0, 0}, {3, 1}}, new double[][] {{1, 2}, {0.5, 0.5}});
    Path b = model("b.json", ModelKind.GMM, CovarianceType.FULL, List.of("x", "y"), new double[] {1.0},
        new double[][] {{1, 0.5}}, new double[][] {{3, 0.5, 0.5, 2}});
    Path out = tmp.resolve("inspect");
    Runs.Result r = run("inspect", "--model", a.toString(), "--against", b.toString(), "--samples", "20000",
        "--seed", "3", "--partitions", "3", "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("KL(A || B)") && r.out().contains("Bhattacharyya"), r.out());
    JsonNode j = json(out.resolve("inspect.json"));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertEquals("latent-inspect", j.get("format").asText());
    assertEquals(1, j.get("version").asInt());
    assertEquals(a.toString(), j.get("model").asText());
    assertEquals(2, j.get("k").asInt());
    double kl01 = GaussianDivergence.kl(new double[] {0, 0}, new double[] {1, 0, 0, 2}, new double[] {3, 1},
        new double[] {0.5, 0, 0, 0.5});
    assertEquals(kl01, j.get("kl").get(0).get(1).asDouble(), 1e-12 * kl01);
    for (String m : new String[] {"kl", "symmetricKl", "bhattacharyya"}) {
      assertEquals(0.0, j.get(m).get(0).get(0).asDouble(), 0.0, m);
      assertEquals(0.0, j.get(m).get(1).get(1).asDouble(), 0.0, m);
    }
    assertEquals(j.get("symmetricKl").get(0).get(1).asDouble(),
        j.get("kl").get(0).get(1).asDouble() + j.get("kl").get(1).get(0).asDouble(), 1e-12);
    double db = j.get("bhattacharyya").get(0).get(1).asDouble();
    assertEquals(Math.sqrt(0.24) * Math.exp(-db), j.get("overlapBound").get(0).get(1).asDouble(), 1e-12);
    JsonNode ag = j.get("against");
    assertEquals(b.toString(), ag.get("model").asText());
    for (JsonNode side : new JsonNode[] {ag, ag.get("reverse")}) {
      JsonNode mc = side.get("klMonteCarlo");
      assertEquals(20000, mc.get("samples").asLong());
      assertEquals(3, mc.get("seed").asLong());
      assertTrue(mc.get("standardError").asDouble() > 0);
      assertTrue(side.get("klVariational").isNumber() && side.get("klMatchedBound").isNumber());
      // B is one Gaussian: KL(B || A) = E_B[ln B - ln A], and the MC estimate is unbiased for it.
      assertTrue(mc.get("estimate").asDouble() > 0);
    }
    // The same seed and N on another partitioning: the same rows, so the same estimate to rounding.
    Path out2 = tmp.resolve("inspect2");
    assertEquals(0, run("inspect", "--model", a.toString(), "--against", b.toString(), "--samples", "20000",
        "--seed", "3", "--partitions", "1", "--output", out2.toString()).code());
    double e1 = ag.get("klMonteCarlo").get("estimate").asDouble();
    double e2 = json(out2.resolve("inspect.json")).get("against").get("klMonteCarlo").get("estimate").asDouble();
    assertEquals(e1, e2, 1e-12 * Math.abs(e1));
    // Against itself: every approximation is 0, and every sampled log-ratio is exactly 0.
    Path self = tmp.resolve("self");
    assertEquals(0, run("inspect", "--model", a.toString(), "--against", a.toString(), "--samples", "100",
        "--output", self.toString()).code());
    JsonNode s = json(self.resolve("inspect.json")).get("against");
    assertEquals(0.0, s.get("klVariational").asDouble(), 0.0);
    assertEquals(0.0, s.get("klMonteCarlo").get("estimate").asDouble(), 0.0);
    assertEquals(0.0, s.get("klMonteCarlo").get("standardError").asDouble(), 0.0);
    // Without --against: no "against" key.
    Path alone = tmp.resolve("alone");
    assertEquals(0, run("inspect", "--model", a.toString(), "--output", alone.toString()).code());
    assertFalse(json(alone.resolve("inspect.json")).has("against"));
  }

  @Test
  void inspectRefusesBadInputWithItsExitCode() throws IOException {
    Path a = model("a.json", ModelKind.GMM, CovarianceType.SPHERICAL, List.of("x", "y"), new double[] {1.0},
        new double[][] {{0, 0}}, new double[][] {{1}});
    Path km = model("km.json", ModelKind.KMEANS, null, List.of("x", "y"), new double[] {1.0},
        new double[][] {{0, 0}}, null);
    Path other = model("other.json", ModelKind.GMM, CovarianceType.SPHERICAL, List.of("x", "z"),
        new double[] {1.0}, new double[][] {{0, 0}}, new double[][] {{1}});
    Runs.Result r = run("inspect", "--model", km.toString(), "--output", tmp.resolve("o1").toString());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("K-means model has no densities"), r.err());
    r = run("inspect", "--model", a.toString(), "--against", km.toString(), "--output", tmp.resolve("o2").toString());
    assertEquals(3, r.code(), r.err());
    r = run("inspect", "--model", a.toString(), "--against", other.toString(), "--output",
        tmp.resolve("o3").toString());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("[x, z] differ from") && r.err().contains("[x, y]"), r.err());
    r = run("inspect", "--model", a.toString(), "--samples", "1", "--output", tmp.resolve("o4").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--samples must be at least 2"), r.err());
    Path exists = Files.createDirectories(tmp.resolve("exists"));
    r = run("inspect", "--model", a.toString(), "--output", exists.toString());
    assertEquals(4, r.code(), r.err());
    assertEquals(0, run("inspect", "--model", a.toString(), "--output", exists.toString(), "--overwrite").code());
    assertFalse(Files.exists(tmp.resolve("o1")) || Files.exists(tmp.resolve("o3")), "no output on failure");
  }

  @Test
  void alignToReportsTheVariationalDivergenceFromThePreviousModel() throws IOException {
    Path first = tmp.resolve("first");
    Runs.ok(jsc, "fit", "--input", IRIS, "--exclude", "label", "--k", "3", "--covariance", "diag", "--output",
        first.toString());
    Path again = tmp.resolve("again");
    Runs.ok(jsc, "fit", "--input", IRIS, "--exclude", "label", "--k", "3", "--covariance", "diag", "--align-to",
        first.resolve("model.json").toString(), "--output", again.toString());
    // The same fit: no drift.
    assertEquals(0.0, json(again.resolve("summary.json")).get("alignment").get("klVariational").asDouble(), 1e-9);
    Path moved = tmp.resolve("moved");
    Runs.ok(jsc, "fit", "--input", IRIS, "--exclude", "label", "--k", "3", "--covariance", "spherical",
        "--align-to", first.resolve("model.json").toString(), "--output", moved.toString());
    double kl = json(moved.resolve("summary.json")).get("alignment").get("klVariational").asDouble();
    assertTrue(kl > 0.01, "a spherical fit has drifted from the diagonal one: " + kl);
  }

  @Test
  void fixedVarianceAndAnnealingFlagsAreValidated() {
    String[] base = {"fit", "--input", IRIS, "--exclude", "label", "--k", "3", "--output",
        tmp.resolve("x").toString()};
    Object[][] cases = {
        {new String[] {"--fixed-variance", "0.1"}, "needs --covariance spherical, got --covariance full"},
        {new String[] {"--fixed-variance", "0.1", "--covariance", "diag"}, "got --covariance diag"},
        {new String[] {"--fixed-variance", "0.1", "--model", "kmeans"}, "does not apply to --model kmeans"},
        {new String[] {"--fixed-variance", "0", "--covariance", "spherical"}, "--fixed-variance must be at least"},
        {new String[] {"--fixed-variance", "abc", "--covariance", "spherical"}, "--fixed-variance must be a number"},
        {new String[] {"--anneal", "--model", "kmeans"}, "--anneal tempers a Gaussian mixture"},
        {new String[] {"--anneal-start", "0.5"}, "--anneal-start sets the annealing schedule: it needs --anneal"},
        {new String[] {"--anneal-factor", "3"}, "--anneal-factor sets the annealing schedule: it needs --anneal"},
        {new String[] {"--anneal", "--anneal-start", "1.5"}, "--anneal-start is the first stage's inverse"},
        {new String[] {"--anneal", "--anneal-start", "0"}, "--anneal-start is the first stage's inverse"},
        {new String[] {"--anneal", "--anneal-factor", "1"}, "--anneal-factor must be above 1"},
        {new String[] {"--anneal", "--fixed-variance", "1", "--covariance", "spherical", "--anneal-start", "0.2"},
            "--anneal-start does not apply with --fixed-variance"},
    };
    for (Object[] c : cases) {
      Runs.Result r = run(concat(base, (String[]) c[0]));
      assertEquals(2, r.code(), String.join(" ", (String[]) c[0]) + ": " + r.err());
      assertTrue(r.err().contains((String) c[1]), String.join(" ", (String[]) c[0]) + ": " + r.err());
    }
  }

  @Test
  void annealingWritesOneObjectPerStage() {
    Path out = tmp.resolve("anneal");
    Runs.ok(jsc, "fit", "--input", IRIS, "--exclude", "label", "--k", "3", "--anneal", "--output", out.toString());
    JsonNode s = json(out.resolve("summary.json"));
    JsonNode st = s.get("annealing");
    assertEquals(5, st.size(), st.toString());
    double[] betas = new double[st.size()];
    int iterations = 0;
    for (int i = 0; i < st.size(); i++) {
      JsonNode o = st.get(i);
      betas[i] = o.get("beta").asDouble();
      assertTrue(o.get("variance").isNull());
      iterations += o.get("iterations").asInt();
      assertTrue(o.get("hardness").asDouble() <= 1.0 && o.get("entropy").asDouble() >= 0.0);
      assertTrue(o.get("logLikelihood").isNumber());
    }
    assertArrayEquals(new double[] {0.1, 0.2, 0.4, 0.8, 1.0}, betas, 1e-15);
    assertEquals(s.get("iterations").asInt(), iterations);
    // The variance path: betas 1, variances halving, ending hard.
    Path vp = tmp.resolve("variance-path");
    Runs.ok(jsc, "fit", "--input", IRIS, "--exclude", "label", "--k", "3", "--covariance", "spherical",
        "--fixed-variance", "1", "--anneal", "--output", vp.toString());
    JsonNode path = json(vp.resolve("summary.json")).get("annealing");
    assertEquals(1.0, path.get(0).get("variance").asDouble(), 0.0);
    assertEquals(0.5, path.get(1).get("variance").asDouble(), 0.0);
    assertTrue(path.get(path.size() - 1).get("hardness").asDouble() > 1 - 1e-9);
    assertFalse(json(tmp.resolve("anneal").resolve("summary.json")).toString().contains("NaN"));
  }

  @Test
  void aTinyFixedVarianceFitIsKMeansRowForRow() throws IOException {
    // A start that is not a fixed point: K-means stopped after one pass from k-means++ seeds.
    Path start = tmp.resolve("start");
    Runs.ok(jsc, "fit", "--input", IRIS, "--exclude", "label", "--k", "3", "--model", "kmeans", "--init",
        "random", "--seed", "4", "--max-iter", "1", "--output", start.toString());
    String init = start.resolve("model.json").toString();
    Path km = tmp.resolve("km");
    Runs.ok(jsc, "fit", "--input", IRIS, "--exclude", "label", "--k", "3", "--model", "kmeans", "--init", init,
        "--tol", "0", "--output", km.toString());
    Path gm = tmp.resolve("gm");
    Runs.ok(jsc, "fit", "--input", IRIS, "--exclude", "label", "--k", "3", "--covariance", "spherical",
        "--fixed-variance", "1e-12", "--init", init, "--tol", "0", "--output", gm.toString());
    JsonNode a = json(km.resolve("summary.json"));
    JsonNode b = json(gm.resolve("summary.json"));
    assertTrue(a.get("iterations").asInt() > 2, "K-means took " + a.get("iterations"));
    assertEquals(a.get("iterations").asInt(), b.get("iterations").asInt());
    assertTrue(b.get("converged").asBoolean());
    double[] ca = flatten(json(km.resolve("model.json")).get("means"));
    double[] cb = flatten(json(gm.resolve("model.json")).get("means"));
    for (int i = 0; i < ca.length; i++) {
      assertEquals(ca[i], cb[i], 1e-12 * Math.abs(ca[i]), "mean entry " + i);
    }
    List<String[]> la = Runs.assignments(km);
    List<String[]> lb = Runs.assignments(gm);
    assertEquals(la.size(), lb.size());
    int cluster = 5;
    for (int r = 0; r < la.size(); r++) {
      assertEquals(la.get(r)[cluster], lb.get(r)[cluster], "row " + r);
    }
  }
}
