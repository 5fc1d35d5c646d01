package dev.latent.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.math.SymmetricEigen;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run report: one self-contained HTML file (inline CSS and SVG, no script, no web font) drawn from
 * summary.json, model.json and the bounded {@link ReportData}. Pure: text in, text out. The markup is
 * well-formed XML, so tests read every chart back.
 */
public final class HtmlReport {
  /**
   * A K x K overlap matrix, what it measures, how to read it, and the value drawn darkest (NaN: the largest
   * off-diagonal entry).
   */
  public record Overlap(String measure, String reading, double[][] matrix, double scaleMax) {}

  private final JsonNode summary;
  private final MixtureModel model;
  private final ReportData data;
  private final Overlap overlap;
  private final Mixture mixture;
  private final StringBuilder html = new StringBuilder();

  private HtmlReport(JsonNode summary, MixtureModel model, ReportData data, Overlap overlap) {
    this.summary = summary;
    this.model = model;
    this.data = data;
    this.overlap = overlap;
    try {
      this.mixture = model.toMixture();
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalArgumentException("the model cannot be drawn: " + e.getMessage(), e);
    }
  }

  /** {@code data} and {@code overlap} may be null: their sections then say why they are missing. */
  public static String render(JsonNode summary, MixtureModel model, ReportData data, Overlap overlap) {
    return new HtmlReport(summary, model, data, overlap).page();
  }

  private boolean kmeans() {
    return model.kind() == ModelKind.KMEANS;
  }

  private String page() {
    String title = "Latent report: " + modelName() + ", K = " + model.k();
    html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
        .append("<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    html.append("<header><h1>").append(esc(title)).append("</h1>\n<p class=\"lede\">").append(esc(lede()))
        .append("</p></header>\n");
    run();
    convergence();
    selection();
    components();
    clusters();
    uncertainty();
    overlapSection();
    annealing();
    variational();
    alignment();
    html.append("<footer>Drawn by Latent from summary.json, model.json and ").append(ReportDataJson.FILE)
        .append(" in the output folder; <code>latent report --run DIR</code> draws it again.</footer>\n");
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private String modelName() {
    String m = summary.path("model").asText(model.kind().key());
    if (kmeans()) {
      return "cosine".equals(model.distance().key()) ? "spherical (cosine) K-means" : "K-means";
    }
    String cov = model.covariance() == null ? "" : ", " + model.covariance().key() + " covariance";
    return ("vbgmm".equals(m) ? "variational Gaussian mixture" : "Gaussian mixture") + cov;
  }

  private String lede() {
    long rows = summary.path("rows").asLong(data == null ? 0 : data.rows());
    int iterations = summary.path("iterations").asInt();
    boolean converged = summary.path("converged").asBoolean();
    return String.format(Locale.ROOT, "%,d rows × %d features, %s after %d %s%s.", rows, model.d(),
        converged ? "converged" : "did not converge", iterations, kmeans() ? "passes" : "iterations",
        summary.path("warnings").size() > 0 ? "; " + summary.path("warnings").size() + " warning(s) below" : "");
  }

  // ---- the run ----

  private void run() {
    section("run", "The run", "What was fitted, on what, and how it went.");
    Map<String, String> t = new LinkedHashMap<>();
    JsonNode run = summary.path("run");
    t.put("input", run.path("input").asText("?"));
    t.put("output", run.path("output").asText("?"));
    t.put("rows", String.format(Locale.ROOT, "%,d", summary.path("rows").asLong()) + (summary.path("badRows")
        .path("skipped").asLong() > 0 ? " (" + summary.path("badRows").path("skipped").asLong() + " bad rows left out)"
        : ""));
    t.put("features", String.join(", ", model.features()));
    t.put("model", modelName() + ", K = " + model.k());
    Object settings = model.provenance() == null ? null : model.provenance().get("settings");
    if (settings instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!e.getKey().equals("input")) {
          b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(" = ").append(e.getValue());
        }
      }
      t.put("settings", b.toString());
      if (m.get("seed") != null) {
        t.put("seed", String.valueOf(m.get("seed")));
      }
    }
    if (summary.has("init")) {
      t.put("seeding", summary.path("init").asText());
    }
    t.put("iterations", summary.path("iterations").asInt() + (summary.path("converged").asBoolean() ? " (converged)"
        : " (not converged)"));
    if (kmeans()) {
      t.put("inertia", fmt(summary.path("inertia").asDouble()));
    } else {
      t.put("log-likelihood", fmt(summary.path("logLikelihood").asDouble()) + " (mean per row "
          + fmt(summary.path("meanLogLikelihood").asDouble()) + ")");
    }
    if (summary.has("elbo")) {
      t.put("lower bound (ELBO)", fmt(summary.path("elbo").asDouble()));
    }
    if (summary.has("bic")) {
      t.put("BIC / AIC" + (summary.has("icl") ? " / ICL" : ""), fmt(summary.path("bic").asDouble()) + " / "
          + fmt(summary.path("aic").asDouble()) + (summary.has("icl") ? " / " + fmt(summary.path("icl").asDouble())
          : "") + " (lower is better)");
    }
    t.put("started", run.path("startedAt").asText("?"));
    t.put("time", String.format(Locale.ROOT, "%.1f s", run.path("seconds").asDouble()) + " on "
        + run.path("master").asText("?") + ", " + run.path("partitions").asInt() + " partition(s)");
    html.append("<table class=\"facts\">\n");
    for (Map.Entry<String, String> e : t.entrySet()) {
      html.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue())).append("</td></tr>\n");
    }
    html.append("</table>\n");
    JsonNode w = summary.path("warnings");
    if (w.size() == 0) {
      html.append("<p class=\"ok\">No warnings.</p>\n");
    } else {
      html.append("<h3>Warnings</h3>\n<ul class=\"warnings\">\n");
      for (JsonNode s : w) {
        html.append("<li>").append(esc(s.asText())).append("</li>\n");
      }
      html.append("</ul>\n");
    }
    html.append("</section>\n");
  }

  // ---- convergence ----

  private void convergence() {
    boolean vb = summary.has("elboTrace");
    String what = kmeans() ? "K-means objective" : vb ? "lower bound" : "log-likelihood";
    section("convergence", "Convergence: the " + what + (kmeans() ? " per pass" : " per iteration"),
        kmeans() ? "Each line is one restart; K-means lowers the sum of squared distances J with every pass until "
            + "no assignment changes. The thick line is the restart kept (lowest final J)."
            : vb ? "Variational EM raises the evidence lower bound (ELBO) with every iteration until it levels "
                + "off; each line is one restart, the thick one kept (highest final bound)."
            : "Each line is one restart (a fit from another seeded start); EM never lowers the log-likelihood, so "
                + "every line rises and levels off. The thick line is the restart kept (highest final "
                + "log-likelihood); restarts that level off lower found a worse local maximum, and restarts that "
                + "reach the same maximum are drawn on top of each other.");
    List<Charts.Series> series = new ArrayList<>();
    int kept = summary.path("keptCandidate").asInt(0);
    if (summary.has("restarts")) {
      for (JsonNode r : summary.path("restarts")) {
        int c = r.path("candidate").asInt();
        double[] y = doubles(kmeans() && r.has("inertiaTrace") ? r.get("inertiaTrace")
            : vb && r.has("elboTrace") ? r.get("elboTrace") : r.path("trace"));
        String last = y.length == 0 ? "" : ": ends at " + fmt(y[y.length - 1]);
        series.add(new Charts.Series("restart " + c + (c == kept ? " (kept)" : "") + last, index(y.length), y,
            c == kept ? "#1f4e79" : Palette.of(1 + (c % 9)), c == kept));
      }
    } else {
      double[] y = doubles(vb ? summary.get("elboTrace") : kmeans() && summary.has("inertiaTrace")
          ? summary.get("inertiaTrace") : summary.path("trace"));
      series.add(new Charts.Series(vb ? "lower bound" : "the fit", index(y.length), y, "#1f4e79", true));
    }
    String yTitle = kmeans() ? "inertia J (sum of squared distances)" : vb ? "evidence lower bound (nats, all rows)"
        : "mean log-likelihood per row (nats)";
    html.append(figure(Charts.lines("chart-trace", "the " + what + " per iteration, one line per restart", Charts.WIDE,
        kmeans() ? "K-means pass (0 = the seeded centres)" : "iteration (0 = the starting parameters)", yTitle, series,
        List.of(), true)));
    html.append("</section>\n");
  }

  private static double[] index(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return x;
  }

  // ---- model selection ----

  private void selection() {
    JsonNode sel = summary.path("selection");
    if (!sel.has("table")) {
      return;
    }
    String criterion = sel.path("criterion").asText("bic");
    String name = criterion.toUpperCase(Locale.ROOT);
    int chosen = sel.path("chosen").asInt();
    section("selection", "Model selection: " + name + " against K",
        "Every K and covariance type in the sweep was fitted; the model with the lowest " + name + " (a penalised "
            + "log-likelihood: lower is better) is kept. A flat curve near the minimum means the data do not "
            + "clearly prefer one K.");
    Map<String, List<double[]>> byType = new LinkedHashMap<>();
    JsonNode table = sel.path("table");
    double[] chosenPoint = null;
    String chosenType = null;
    for (int i = 0; i < table.size(); i++) {
      JsonNode row = table.get(i);
      String type = row.path("covariance").asText();
      double v = row.path(criterion).asDouble(Double.NaN);
      byType.computeIfAbsent(type, x -> new ArrayList<>()).add(new double[] {row.path("k").asInt(), v});
      if (i == chosen) {
        chosenPoint = new double[] {row.path("k").asInt(), v};
        chosenType = type;
      }
    }
    List<Charts.Series> series = new ArrayList<>();
    int c = 0;
    for (Map.Entry<String, List<double[]>> e : byType.entrySet()) {
      List<double[]> pts = e.getValue();
      pts.sort((a, b) -> Double.compare(a[0], b[0]));
      double[] x = new double[pts.size()];
      double[] y = new double[pts.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = pts.get(i)[0];
        y[i] = pts.get(i)[1];
      }
      series.add(new Charts.Series(e.getKey(), x, y, Palette.of(c++), e.getKey().equals(chosenType)));
    }
    List<Charts.Mark> marks = chosenPoint == null || !Double.isFinite(chosenPoint[1]) ? List.of()
        : List.of(new Charts.Mark(chosenPoint[0], chosenPoint[1], "kept: K = " + (int) chosenPoint[0] + ", "
            + chosenType, "#b22222"));
    html.append(figure(Charts.lines("chart-selection", name + " against K, one line per covariance type", Charts.WIDE,
        "K (number of components)", name + " (lower is better)", series, marks, true)));
    html.append("</section>\n");
  }

  // ---- components ----

  private void components() {
    JsonNode se = summary.path("standardErrors");
    boolean hasSe = se.path("weights").isArray();
    section("components", "The components", (kmeans()
        ? "Each cluster's share of the rows and its centre."
        : "Each component's weight (its share of the data), the rows assigned to it (by highest probability), "
            + "and its covariance: the eigenvalues are the variances along its principal directions, and the "
            + "condition number (largest over smallest) says how elongated it is; a very large one means a "
            + "nearly flat component.")
        + (hasSe ? " Standard errors (± one standard error, " + se.path("method").asText("?")
            + " information) follow each estimate." : se.has("reason") ? " Standard errors were asked for but not "
            + "computed: " + se.path("reason").asText() + "." : ""));
    double[] sizes = doubles(summary.path("clusterSizes"));
    html.append("<table class=\"numbers\" id=\"table-components\">\n<tr><th>component</th><th>weight</th>")
        .append("<th>rows assigned</th>");
    if (!kmeans()) {
      html.append("<th>covariance eigenvalues (largest first)</th><th>condition number</th>");
    }
    html.append("</tr>\n");
    for (int j = 0; j < model.k(); j++) {
      html.append("<tr class=\"component\" data-component=\"").append(j).append("\"><td><span class=\"swatch\" style=\"")
          .append("background:").append(Palette.of(j)).append("\"></span>").append(j).append("</td><td>")
          .append(fmt(model.weights()[j])).append(hasSe ? pm(se.path("weights").path(j)) : "").append("</td><td>")
          .append(j < sizes.length ? String.format(Locale.ROOT, "%,.0f", sizes[j]) : "").append("</td>");
      if (!kmeans()) {
        double[] ev = SymmetricEigen.of(fullCovariance(j), model.d()).values();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ev.length && i < 8; i++) {
          b.append(i == 0 ? "" : ", ").append(fmt(ev[i]));
        }
        if (ev.length > 8) {
          b.append(", … (").append(ev.length - 8).append(" more)");
        }
        double cond = ev[ev.length - 1] > 0 ? ev[0] / ev[ev.length - 1] : Double.POSITIVE_INFINITY;
        html.append("<td>").append(esc(b.toString())).append("</td><td>").append(Double.isFinite(cond) ? fmt(cond) : "∞")
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n<h3>").append(kmeans() ? "Centres" : "Means").append(" (input units)</h3>\n")
        .append("<div class=\"scroll\"><table class=\"numbers\" id=\"table-means\">\n<tr><th>component</th>");
    for (String f : model.features()) {
      html.append("<th>").append(esc(f)).append("</th>");
    }
    html.append("</tr>\n");
    for (int j = 0; j < model.k(); j++) {
      html.append("<tr><td><span class=\"swatch\" style=\"background:").append(Palette.of(j)).append("\"></span>")
          .append(j).append("</td>");
      for (int i = 0; i < model.d(); i++) {
        html.append("<td>").append(fmt(model.means()[j][i]))
            .append(hasSe ? pm(se.path("means").path(j).path(i)) : "").append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table></div>\n</section>\n");
  }

  private String pm(JsonNode v) {
    return v.isNumber() ? "<span class=\"se\"> ± " + fmt(v.asDouble()) + "</span>" : "";
  }

  /** Component j's covariance as a full d x d matrix, whatever its stored shape. */
  private double[] fullCovariance(int j) {
    return mixture.fullCovariance(j);
  }

  // ---- clusters drawn ----

  private void clusters() {
    int d = model.d();
    String sampleText = data == null ? "" : String.format(Locale.ROOT, "%,d", data.sample().length);
    section("clusters", "The clusters drawn",
        (data == null ? "" : (data.sample().length >= data.rows() ? "All " + sampleText + " rows"
            : "A sample of " + sampleText + " rows (drawn at random from all " + String.format(Locale.ROOT, "%,d",
                data.rows()) + ", the same rows for the same seed)") + ", coloured by the component each row is "
            + "assigned to. ")
            + (kmeans() ? "Numbered circles are the cluster centres. "
                : "Each component is drawn as its mean (numbered) with its 1-sigma (solid) and 2-sigma (dashed) "
                    + "ellipse, its covariance projected into the same plane (P Σ Pᵀ): in two dimensions about 39% "
                    + "and 86% of a Gaussian's mass lie inside them. ")
            + "Left: the first two principal axes of the data (the directions of largest variance, from the "
            + "data's covariance). Right: the two original features that separate the components best (the "
            + "pair with the largest ratio of between-component to within-component variance, "
            + "trace(W⁻¹B), from the fitted " + (kmeans() ? "cluster shares and centres, W being the sampled "
                + "rows' scatter about their centres)." : "weights, means and covariances)."));
    if (data == null) {
      html.append("<p class=\"missing\">No ").append(ReportDataJson.FILE)
          .append(" in the output folder, so no rows to draw.</p>\n</section>\n");
      return;
    }
    if (d < 2) {
      html.append("<p class=\"missing\">The data have one feature, so there is no plane to draw; the components' "
          + "means and variances are in the tables above.</p>\n</section>\n");
      return;
    }
    double[][] within = new double[model.k()][];
    for (int j = 0; j < model.k(); j++) {
      within[j] = kmeans() ? null : fullCovariance(j);
    }
    if (kmeans()) {
      within = sampleScatter(d);
    }
    int[] pair = Projections.separatingPair(model.weights(), model.means(), within, d);
    Projections.Plane pca = Projections.principal(data.dataMean(), data.dataCovariance(), d);
    Projections.Plane feat = Projections.features(pair[0], pair[1], d, model.features().get(pair[0]),
        model.features().get(pair[1]));
    html.append("<div class=\"row\">\n");
    html.append(figure(scatter("chart-pca", pca, "the sample on the first two principal axes"), "Principal axes"));
    html.append(figure(scatter("chart-features", feat, "the sample on the features " + model.features().get(pair[0])
        + " and " + model.features().get(pair[1])), "The two most separating features"));
    html.append("</div>\n<div class=\"legend\">");
    int[] counts = new int[model.k()];
    for (int c : data.cluster()) {
      if (c < counts.length) {
        counts[c]++;
      }
    }
    for (int j = 0; j < model.k(); j++) {
      html.append("<span><span class=\"swatch\" style=\"background:").append(Palette.of(j)).append("\"></span>")
          .append(kmeans() ? "cluster " : "component ").append(j).append(" (").append(counts[j])
          .append(" sampled rows)</span> ");
    }
    if (!kmeans()) {
      html.append("<span>── 1 σ ellipse</span> <span>- - 2 σ ellipse</span>");
    }
    html.append("</div>\n</section>\n");
  }

  /** For K-means: the scatter of the sample about its centres per cluster (d x d), standing in for W. */
  private double[][] sampleScatter(int d) {
    int k = model.k();
    double[][] s = new double[k][d * d];
    double[] n = new double[k];
    for (int r = 0; r < data.sample().length; r++) {
      int j = data.cluster()[r];
      if (j >= k) {
        continue;
      }
      n[j]++;
      double[] x = data.sample()[r];
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          s[j][a * d + b] += (x[a] - model.means()[j][a]) * (x[b] - model.means()[j][b]);
        }
      }
    }
    for (int j = 0; j < k; j++) {
      for (int q = 0; q < d * d; q++) {
        s[j][q] = n[j] > 0 ? s[j][q] / n[j] : 0;
      }
    }
    return s;
  }

  private String scatter(String id, Projections.Plane plane, String label) {
    int m = data.sample().length;
    double[] x = new double[m];
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      double[] p = plane.project(data.sample()[i]);
      x[i] = p[0];
      y[i] = p[1];
    }
    List<Charts.Ellipse> ellipses = new ArrayList<>();
    for (int j = 0; j < model.k(); j++) {
      double[] c = plane.project(model.means()[j]);
      double[] s = kmeans() ? new double[3] : plane.project(fullCovariance(j), model.d());
      ellipses.add(new Charts.Ellipse(j, c[0], c[1], s[0], s[1], s[2]));
    }
    return Charts.scatter(id, label, plane.xTitle(), plane.yTitle(), x, y, data.cluster(), model.k(), ellipses,
        !kmeans());
  }

  // ---- uncertainty ----

  private void uncertainty() {
    if (kmeans()) {
      return;
    }
    section("uncertainty", "How certain the assignments are",
        "For every row, 1 − max_k r_ik: 0 when one component explains the row alone, up to 1 − 1/K when all "
            + "are equally likely. Counted over all rows (not just the sample), weighted by row weight. Mass "
            + "away from 0 means overlapping components.");
    if (data == null || !data.hasUncertainty()) {
      html.append("<p class=\"missing\">No uncertainty counts in the output folder.</p>\n</section>\n");
      return;
    }
    double total = 0;
    for (double v : data.uncertaintyWeights()) {
      total += v;
    }
    double[] e = data.uncertaintyEdges();
    double sure = total > 0 ? data.uncertaintyWeights()[0] / total : 0;
    html.append("<div class=\"row\">\n").append(figure(Charts.histogram("chart-uncertainty",
        "histogram of the assignment uncertainty", "assignment uncertainty 1 − max_k r_ik (0 = certain)", e,
        data.uncertaintyWeights()))).append("<p class=\"aside\">")
        .append(String.format(Locale.ROOT, "%.1f%% of the rows have an uncertainty below %.3f (the first bar); ",
            100 * sure, e[1]))
        .append(String.format(Locale.ROOT, "%.1f%% lie in the upper half of the range (above %.3f).",
            100 * upperHalf(e, data.uncertaintyWeights(), total), e[e.length - 1] / 2)).append("</p>\n</div>\n");
    html.append("</section>\n");
  }

  private static double upperHalf(double[] edges, double[] w, double total) {
    double half = edges[edges.length - 1] / 2;
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      if (edges[i] >= half - 1e-12) {
        s += w[i];
      }
    }
    return total > 0 ? s / total : 0;
  }

  // ---- optional sections ----

  private void overlapSection() {
    if (overlap == null || kmeans()) {
      return;
    }
    section("overlap", "How much the components overlap",
        "The " + overlap.measure() + " between every pair of components, in closed form from their means and "
            + "covariances. " + overlap.reading());
    html.append(figure(Charts.heatmap("chart-overlap", overlap.measure() + " between components", overlap.matrix(),
        overlap.measure(), overlap.scaleMax())));
    html.append("</section>\n");
  }

  private void annealing() {
    JsonNode a = summary.path("annealing");
    if (!a.isArray() || a.size() == 0) {
      return;
    }
    boolean byBeta = a.get(0).has("beta");
    section("annealing", "The annealing path",
        "Deterministic annealing fits at a sequence of temperatures; hardness measures how close the "
            + "assignments are to all-or-nothing (1 = every row in one component). It should rise as "
            + (byBeta ? "the inverse temperature β grows." : "the variance shrinks."));
    double[] x = new double[a.size()];
    double[] y = new double[a.size()];
    for (int i = 0; i < a.size(); i++) {
      x[i] = a.get(i).path(byBeta ? "beta" : "variance").asDouble(Double.NaN);
      y[i] = a.get(i).path("hardness").asDouble(Double.NaN);
    }
    html.append(figure(Charts.lines("chart-annealing", "hardness along the annealing path", Charts.WIDE,
        byBeta ? "inverse temperature β" : "variance (input units squared)", "hardness (0 to 1)",
        List.of(new Charts.Series("hardness", x, y, "#1f4e79", true)), List.of(), false)));
    html.append("<table class=\"numbers\" id=\"table-annealing\">\n<tr><th>step</th><th>β</th><th>variance</th>")
        .append("<th>iterations</th><th>log-likelihood</th><th>hardness</th><th>entropy</th></tr>\n");
    for (int i = 0; i < a.size(); i++) {
      JsonNode s = a.get(i);
      html.append("<tr><td>").append(i).append("</td>");
      for (String key : new String[] {"beta", "variance", "iterations", "logLikelihood", "hardness", "entropy"}) {
        html.append("<td>").append(s.has(key) ? fmt(s.get(key).asDouble()) : "").append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n</section>\n");
  }

  private void variational() {
    if (!summary.has("effectiveComponents")) {
      return;
    }
    int effective = summary.path("effectiveComponents").asInt();
    section("variational", "Variational weights",
        "A variational mixture starts with more components than it needs and lets the prior empty the "
            + "superfluous ones: " + effective + " of " + model.k() + " components have a noticeable weight "
            + "(coloured); the grey ones are effectively unused." + (summary.has("elbo")
                ? " Final lower bound (ELBO): " + fmt(summary.path("elbo").asDouble()) + "." : ""));
    double[] w = model.weights();
    double[] sorted = w.clone();
    java.util.Arrays.sort(sorted);
    double cut = effective > 0 && effective <= w.length ? sorted[w.length - effective] : Double.POSITIVE_INFINITY;
    String[] names = new String[w.length];
    String[] colours = new String[w.length];
    for (int j = 0; j < w.length; j++) {
      names[j] = "component " + j;
      colours[j] = w[j] >= cut ? Palette.of(j) : "#c8c8c8";
    }
    html.append(figure(Charts.bars("chart-vb-weights", "the variational weights", barWidth(w.length), "component",
        "weight (share of the data)", names, w, colours, Double.NaN, "")));
    html.append("</section>\n");
  }

  private void alignment() {
    JsonNode a = summary.path("alignment");
    if (!a.has("components")) {
      return;
    }
    section("alignment", "Drift from the previous model",
        "Components were renumbered to match " + a.path("to").asText("the previous model") + " (minimum total "
            + "distance between means, " + fmt(a.path("totalDistance").asDouble()) + "). The bars show how far "
            + "each mean moved (Euclidean, input units); an unmatched new component has no bar.");
    JsonNode comps = a.path("components");
    String[] names = new String[comps.size()];
    double[] dist = new double[comps.size()];
    String[] colours = new String[comps.size()];
    for (int i = 0; i < comps.size(); i++) {
      JsonNode c = comps.get(i);
      names[i] = "component " + c.path("component").asInt(i);
      dist[i] = c.path("meanDistance").isNumber() ? c.path("meanDistance").asDouble() : 0;
      colours[i] = Palette.of(c.path("component").asInt(i));
    }
    html.append(figure(Charts.bars("chart-drift", "distance each mean moved since the previous model", barWidth(dist.length),
        "component", "distance the mean moved (input units)", names, dist, colours, Double.NaN, "")));
    html.append("<table class=\"numbers\" id=\"table-alignment\">\n<tr><th>component</th><th>previous number</th>")
        .append("<th>weight</th><th>previous weight</th><th>weight change</th><th>mean moved</th></tr>\n");
    for (JsonNode c : comps) {
      boolean matched = c.path("previous").isNumber();
      html.append("<tr><td>").append(c.path("component").asInt()).append("</td><td>")
          .append(matched ? Integer.toString(c.path("previous").asInt()) : "new").append("</td><td>")
          .append(fmt(c.path("weight").asDouble())).append("</td><td>")
          .append(matched ? fmt(c.path("previousWeight").asDouble()) : "").append("</td><td>")
          .append(matched ? fmt(c.path("weightChange").asDouble()) : "").append("</td><td>")
          .append(matched ? fmt(c.path("meanDistance").asDouble()) : "").append("</td></tr>\n");
    }
    html.append("</table>\n</section>\n");
  }

  // ---- helpers ----

  /** Half the page for a few bars, the whole width for many. */
  private static int barWidth(int bars) {
    return bars <= 12 ? Charts.HALF : Charts.WIDE;
  }

  private void section(String id, String title, String text) {
    html.append("<section id=\"").append(id).append("\">\n<h2>").append(esc(title)).append("</h2>\n<p class=\"explain\">")
        .append(esc(text)).append("</p>\n");
  }

  private static String figure(String svg) {
    return "<figure>" + svg + "</figure>\n";
  }

  private static String figure(String svg, String caption) {
    return "<figure><figcaption>" + esc(caption) + "</figcaption>" + svg + "</figure>\n";
  }

  static double[] doubles(JsonNode n) {
    if (n == null || !n.isArray()) {
      return new double[0];
    }
    double[] v = new double[n.size()];
    Iterator<JsonNode> it = n.elements();
    for (int i = 0; it.hasNext(); i++) {
      JsonNode x = it.next();
      v[i] = x.isNumber() ? x.asDouble() : Double.NaN;
    }
    return v;
  }

  static String fmt(double v) {
    if (!Double.isFinite(v)) {
      return Double.isNaN(v) ? "–" : v > 0 ? "∞" : "−∞";
    }
    double a = Math.abs(v);
    if (v == Math.rint(v) && a < 1e6) {
      return Long.toString((long) v);
    }
    if (a >= 1e6 || a < 1e-3) {
      return String.format(Locale.ROOT, "%.4g", v);
    }
    return String.format(Locale.ROOT, a >= 1000 ? "%.1f" : a >= 1 ? "%.4f" : "%.4g", v);
  }

  static String esc(String s) {
    return Svg.escape(s);
  }

  private static final String CSS = """
      body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
             color: #222; background: #fff; margin: 0 auto; padding: 16px 24px 40px; max-width: 1200px;
             line-height: 1.45; font-size: 15px; }
      h1 { font-size: 26px; margin: 8px 0 2px; }
      h2 { font-size: 20px; margin: 0 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
      h3 { font-size: 15px; margin: 14px 0 6px; }
      .lede { color: #555; margin: 0 0 12px; font-size: 16px; }
      section { margin: 26px 0; }
      .explain { color: #444; max-width: 1100px; margin: 4px 0 10px; }
      table { border-collapse: collapse; margin: 6px 0; }
      th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
      table.facts th { color: #555; font-weight: 600; white-space: nowrap; }
      table.numbers td { font-variant-numeric: tabular-nums; }
      .se { color: #777; font-size: 13px; }
      .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; }
      .warnings li { color: #8a4b00; }
      .ok { color: #2e6b30; }
      .missing { color: #8a4b00; font-style: italic; }
      .row { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
      .aside { max-width: 520px; color: #444; }
      figure { margin: 6px 0; }
      figcaption { font-weight: 600; margin-bottom: 4px; }
      .legend span { margin-right: 16px; white-space: nowrap; }
      .scroll { overflow-x: auto; max-width: 100%; }
      svg.chart { display: block; max-width: 100%; height: auto; }
      footer { color: #777; font-size: 13px; margin-top: 30px; }
      """;
}
