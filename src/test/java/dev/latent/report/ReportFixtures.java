package dev.latent.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.em.AssignmentProfile;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Summaries, models and report data written for the tests, in the formats summary.json uses (and in the
 * formats other features add: standardErrors, annealing, elbo/elboTrace/effectiveComponents, alignment).
 */
final class ReportFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> FEATURES = List.of("length <cm>", "width & depth", "mass \"g\"");

  private ReportFixtures() {}

  static MixtureModel gmm() {
    double[][] means = {{0, 0, 0}, {5, 1, 2}, {1, 6, -1}};
    double[][] cov = {
        {1, 0.3, 0, 0.3, 0.5, 0.1, 0, 0.1, 0.8},
        {0.6, -0.2, 0, -0.2, 1.2, 0, 0, 0, 0.4},
        {2, 0.5, 0.2, 0.5, 0.7, 0, 0.2, 0, 1}};
    return new MixtureModel(ModelKind.GMM, CovarianceType.FULL, FEATURES, new double[] {0.5, 0.3, 0.2}, means, cov,
        Map.of("settings", Map.of("k", 3, "seed", 7, "model", "gmm")));
  }

  static MixtureModel kmeans() {
    double[][] means = {{0, 0, 0}, {5, 1, 2}, {1, 6, -1}};
    return new MixtureModel(ModelKind.KMEANS, null, FEATURES, new double[] {0.5, 0.3, 0.2}, means, null,
        Map.of("settings", Map.of("k", 3, "seed", 7, "model", "kmeans")));
  }

  static ArrayNode array(double... v) {
    ArrayNode a = JSON.createArrayNode();
    for (double x : v) {
      a.add(x);
    }
    return a;
  }

  /** A lone GMM fit with three restarts (candidate 1 kept). */
  static ObjectNode summary(MixtureModel m) {
    ObjectNode s = JSON.createObjectNode();
    s.put("format", "latent-summary");
    s.put("version", 1);
    boolean km = m.kind() == ModelKind.KMEANS;
    s.put("model", m.kind().key());
    s.put("k", m.k());
    s.put("d", m.d());
    s.put("rows", 1000);
    s.put("iterations", 4);
    s.put("converged", true);
    s.put("logLikelihood", -4321.5);
    s.put("meanLogLikelihood", -4.3215);
    s.put("bic", 8800.25);
    s.put("aic", 8700.5);
    if (km) {
      s.put("inertia", 123.5);
      s.set("inertiaTrace", array(300, 150, 124, 123.5));
    } else {
      s.put("icl", 8900.75);
    }
    s.set("trace", array(-6.5, -5.0, -4.5, -4.33, -4.3215));
    s.set("clusterSizes", array(500, 300, 200));
    s.put("keptCandidate", 1);
    ArrayNode r = s.putArray("restarts");
    double[][] traces = {{-7, -6, -5.5, -5.4}, {-6.5, -5.0, -4.5, -4.33, -4.3215}, {-8, -5.2, -4.9}};
    double[][] inertia = {{400, 200, 180, 179}, {300, 150, 124, 123.5}, {500, 190, 188}};
    for (int c = 0; c < 3; c++) {
      ObjectNode o = r.addObject();
      o.put("candidate", c);
      o.set("trace", array(traces[c]));
      if (km) {
        o.set("inertiaTrace", array(inertia[c]));
      }
      o.put("score", traces[c][traces[c].length - 1]);
    }
    s.putArray("warnings").add("column 'x' <is> constant & so on");
    ObjectNode run = s.putObject("run");
    run.put("input", "data/x.csv");
    run.put("output", "out/x");
    run.put("seconds", 12.5);
    run.put("master", "local[2]");
    run.put("partitions", 4);
    run.put("startedAt", "2026-12-01T10:00:00Z");
    return s;
  }

  /** A sweep over K = 1..4 and two covariance types; entry 5 (K = 3, diag) chosen by BIC. */
  static void addSelection(ObjectNode s) {
    ObjectNode sel = s.putObject("selection");
    sel.put("criterion", "bic");
    sel.put("chosen", 5);
    ArrayNode t = sel.putArray("table");
    double[][] bic = {{900, 850, 820, 830}, {910, 840, 800, 815}};
    String[] types = {"full", "diag"};
    for (int k = 1; k <= 4; k++) {
      for (int c = 0; c < 2; c++) {
        ObjectNode row = t.addObject();
        row.put("k", k);
        row.put("covariance", types[c]);
        row.put("bic", bic[c][k - 1]);
        row.put("aic", bic[c][k - 1] - 50);
        row.put("icl", bic[c][k - 1] + 10);
      }
    }
  }

  static void addStandardErrors(ObjectNode s) {
    ObjectNode se = s.putObject("standardErrors");
    se.put("method", "observed");
    se.put("parameters", 29);
    se.set("weights", array(0.0125, 0.0111, 0.0099));
    ArrayNode means = se.putArray("means");
    means.add(array(0.031, 0.022, 0.028));
    means.add(array(0.041, 0.052, 0.033));
    means.add(array(0.061, 0.043, 0.054));
    ArrayNode cov = se.putArray("covariances");
    for (int j = 0; j < 3; j++) {
      ArrayNode c = cov.addArray();
      for (int a = 0; a < 3; a++) {
        c.add(array(0.01, 0.01, 0.01));
      }
    }
  }

  static void addAnnealing(ObjectNode s) {
    ArrayNode a = s.putArray("annealing");
    double[] beta = {0.1, 0.3, 0.6, 1.0};
    double[] hard = {0.05, 0.35, 0.8, 0.97};
    for (int i = 0; i < beta.length; i++) {
      ObjectNode o = a.addObject();
      o.put("beta", beta[i]);
      o.put("variance", 4.0 / beta[i]);
      o.put("iterations", 10 + i);
      o.put("logLikelihood", -5000 + 200 * i);
      o.put("hardness", hard[i]);
      o.put("entropy", 1 - hard[i]);
    }
  }

  static void addVariational(ObjectNode s) {
    s.put("elbo", -4400.5);
    s.set("elboTrace", array(-5000, -4600, -4450, -4400.5));
    s.put("effectiveComponents", 2);
  }

  static void addAlignment(ObjectNode s) {
    ObjectNode a = s.putObject("alignment");
    a.put("to", "previous/model.json");
    a.put("totalDistance", 0.75);
    a.set("fromFitted", JSON.createArrayNode().add(1).add(0).add(2));
    ArrayNode c = a.putArray("components");
    double[] dist = {0.25, 0.5};
    for (int j = 0; j < 2; j++) {
      ObjectNode o = c.addObject();
      o.put("component", j);
      o.put("weight", 0.4);
      o.put("previous", j);
      o.put("previousWeight", 0.45);
      o.put("weightChange", -0.05);
      o.put("meanDistance", dist[j]);
      o.set("meanShift", array(0.1, 0.2, 0.1));
    }
    ObjectNode o = c.addObject();
    o.put("component", 2);
    o.put("weight", 0.2);
    o.putNull("previous");
  }

  /** Rows drawn from the model's components (m of them), each assigned to the component it came from. */
  static ReportData data(MixtureModel model, int m, boolean soft) {
    SplittableRandom rnd = new SplittableRandom(3);
    int d = model.d();
    double[][] x = new double[m][d];
    int[] cluster = new int[m];
    double[] maxResp = soft ? new double[m] : null;
    for (int i = 0; i < m; i++) {
      int j = i % model.k();
      cluster[i] = j;
      for (int a = 0; a < d; a++) {
        x[i][a] = model.means()[j][a] + (rnd.nextDouble() - 0.5) * 2;
      }
      if (soft) {
        maxResp[i] = 0.6 + 0.4 * rnd.nextDouble();
      }
    }
    double[] weights = new double[AssignmentProfile.BINS];
    for (int b = 0; b < weights.length; b++) {
      weights[b] = b == 0 ? 700 : 300.0 / (weights.length - 1);
    }
    double[] cov = {4, 1, 0.5, 1, 5, -1, 0.5, -1, 2};
    return new ReportData(11, 1000, new double[] {2, 2, 0.3}, cov, x, cluster, maxResp,
        soft ? AssignmentProfile.edges(model.k()) : null, soft ? weights : null);
  }
}
