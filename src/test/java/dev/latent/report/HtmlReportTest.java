package dev.latent.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.model.MixtureModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The report parsed as XML: every chart holds the numbers of the summary it was drawn from. */
class HtmlReportTest {
  private static String render(ObjectNode summary, MixtureModel m, ReportData data, HtmlReport.Overlap overlap) {
    return HtmlReport.render(summary, m, data, overlap);
  }

  @Test
  void pageAndEverySvgAreWellFormedAndSelfContained() {
    MixtureModel m = ReportFixtures.gmm();
    ObjectNode s = ReportFixtures.summary(m);
    String html = render(s, m, ReportFixtures.data(m, 300, true), null);
    Document doc = ReportXml.parse(html);
    assertEquals("html", doc.getDocumentElement().getTagName());
    List<Document> svgs = ReportXml.svgs(html);
    // trace, two scatter plots, the uncertainty histogram
    assertEquals(4, svgs.size());
    for (Document svg : svgs) {
      assertEquals("svg", svg.getDocumentElement().getTagName());
    }
    assertFalse(html.contains("<script"), "no scripts");
    assertFalse(html.contains("http://") && html.replace("http://www.w3.org/", "").contains("http://"),
        "no links out but the XML namespaces");
    assertFalse(html.contains("https://"), "nothing from the network");
    assertFalse(html.contains("@font-face") || html.contains("@import"), "no web fonts");
    // Names with markup characters are escaped, and the warning is shown as text.
    assertTrue(ReportXml.text(ReportXml.byId(doc, "table-means")).contains("length <cm>"));
    assertTrue(ReportXml.text(doc.getDocumentElement()).contains("column 'x' <is> constant & so on"));
  }

  @Test
  void traceChartHasOneLinePerRestartWithItsNumbersAndTheKeptOneEmphasised() {
    MixtureModel m = ReportFixtures.gmm();
    ObjectNode s = ReportFixtures.summary(m);
    Document doc = ReportXml.parse(render(s, m, ReportFixtures.data(m, 50, true), null));
    List<Element> lines = ReportXml.all(ReportXml.byId(doc, "chart-trace"), "polyline", "series");
    JsonNode restarts = s.get("restarts");
    assertEquals(restarts.size(), lines.size());
    for (Element line : lines) {
      String name = line.getAttribute("data-name");
      int c = Integer.parseInt(name.replaceAll("restart (\\d+).*", "$1"));
      double[] trace = HtmlReport.doubles(restarts.get(c).get("trace"));
      assertArrayEquals(trace, ReportXml.numbers(line.getAttribute("data-values")), 0.0, name);
      double[] y = ReportXml.pointsY(line);
      assertEquals(trace.length, y.length, name + ": one point per iteration");
      for (int i = 1; i < y.length; i++) {
        // A higher log-likelihood is drawn higher (smaller y on screen).
        assertEquals(Math.signum(trace[i] - trace[i - 1]), Math.signum(y[i - 1] - y[i]), name + " point " + i);
      }
      boolean kept = c == s.get("keptCandidate").asInt();
      assertEquals(kept, name.contains("(kept)"), name);
      assertEquals(kept ? "2.8" : "1.4", line.getAttribute("stroke-width"), name);
    }
  }

  @Test
  void kmeansDrawsInertiaPerPassAndNoEllipsesNorUncertainty() {
    MixtureModel m = ReportFixtures.kmeans();
    ObjectNode s = ReportFixtures.summary(m);
    String html = render(s, m, ReportFixtures.data(m, 60, false), null);
    Document doc = ReportXml.parse(html);
    List<Element> lines = ReportXml.all(ReportXml.byId(doc, "chart-trace"), "polyline", "series");
    assertEquals(3, lines.size());
    assertArrayEquals(HtmlReport.doubles(s.get("restarts").get(1).get("inertiaTrace")),
        ReportXml.numbers(lines.get(lines.size() - 1).getAttribute("data-values")), 0.0, "the kept line is drawn last");
    assertEquals(0, ReportXml.all(ReportXml.byId(doc, "chart-pca"), "ellipse", "ellipse").size());
    assertEquals(3, ReportXml.all(ReportXml.byId(doc, "chart-pca"), "g", "centre").size());
    assertNull(ReportXml.findId(doc, "uncertainty"));
    assertEquals(3, ReportXml.svgs(html).size());
  }

  @Test
  void selectionChartHasOneLinePerCovarianceTypeAndMarksTheChosenModel() {
    MixtureModel m = ReportFixtures.gmm();
    ObjectNode s = ReportFixtures.summary(m);
    ReportFixtures.addSelection(s);
    Document doc = ReportXml.parse(render(s, m, ReportFixtures.data(m, 50, true), null));
    Element chart = ReportXml.byId(doc, "chart-selection");
    List<Element> lines = ReportXml.all(chart, "polyline", "series");
    assertEquals(2, lines.size());
    for (Element line : lines) {
      String type = line.getAttribute("data-name");
      double[] expected = new double[4];
      for (JsonNode row : s.at("/selection/table")) {
        if (row.get("covariance").asText().equals(type)) {
          expected[row.get("k").asInt() - 1] = row.get("bic").asDouble();
        }
      }
      assertArrayEquals(expected, ReportXml.numbers(line.getAttribute("data-values")), 0.0, type);
      assertArrayEquals(new double[] {1, 2, 3, 4}, ReportXml.numbers(line.getAttribute("data-x")), 0.0, type);
    }
    List<Element> marks = ReportXml.all(chart, "circle", "mark");
    assertEquals(1, marks.size());
    assertEquals("3.0", marks.get(0).getAttribute("data-x"));
    assertEquals("800.0", marks.get(0).getAttribute("data-value"));
    assertTrue(ReportXml.text(chart).contains("kept: K = 3, diag"));
  }

  @Test
  void componentsAndClustersHoldEveryComponentAndEverySampledRow() {
    MixtureModel m = ReportFixtures.gmm();
    ObjectNode s = ReportFixtures.summary(m);
    ReportData data = ReportFixtures.data(m, 300, true);
    Document doc = ReportXml.parse(render(s, m, data, null));
    assertEquals(m.k(), ReportXml.all(ReportXml.byId(doc, "table-components"), "tr", "component").size());
    for (String id : List.of("chart-pca", "chart-features")) {
      Element chart = ReportXml.byId(doc, id);
      assertEquals(300, ReportXml.all(chart, "circle", "point").size(), id);
      assertEquals(2 * m.k(), ReportXml.all(chart, "ellipse", "ellipse").size(), id + ": 1 and 2 sigma per component");
      assertEquals(m.k(), ReportXml.all(chart, "g", "centre").size(), id);
      int[] perCluster = new int[m.k()];
      for (Element p : ReportXml.all(chart, "circle", "point")) {
        perCluster[Integer.parseInt(p.getAttribute("data-cluster"))]++;
      }
      assertArrayEquals(new int[] {100, 100, 100}, perCluster, id);
      for (Element e : ReportXml.all(chart, "ellipse", "ellipse")) {
        double rx = Double.parseDouble(e.getAttribute("rx"));
        assertTrue(rx > 0 && Double.parseDouble(e.getAttribute("ry")) > 0, id + ": a proper ellipse");
      }
    }
    // The 2-sigma ellipse is the 1-sigma one doubled.
    List<Element> es = ReportXml.all(ReportXml.byId(doc, "chart-features"), "ellipse", "ellipse");
    assertEquals(2 * Double.parseDouble(es.get(0).getAttribute("rx")), Double.parseDouble(es.get(1).getAttribute("rx")),
        0.11);
  }

  @Test
  void uncertaintyHistogramHoldsTheCountsOfAllRows() {
    MixtureModel m = ReportFixtures.gmm();
    ReportData data = ReportFixtures.data(m, 40, true);
    Document doc = ReportXml.parse(render(ReportFixtures.summary(m), m, data, null));
    List<Element> bins = ReportXml.all(ReportXml.byId(doc, "chart-uncertainty"), "rect", "bin");
    assertEquals(data.uncertaintyWeights().length, bins.size());
    for (int b = 0; b < bins.size(); b++) {
      assertEquals(data.uncertaintyWeights()[b], Double.parseDouble(bins.get(b).getAttribute("data-value")), 0.0);
      assertEquals(data.uncertaintyEdges()[b], Double.parseDouble(bins.get(b).getAttribute("data-lo")), 0.0);
    }
    assertEquals(1 - 1.0 / 3, data.uncertaintyEdges()[data.uncertaintyEdges().length - 1], 1e-15);
  }

  @Test
  void optionalSectionsAppearOnlyWithTheirKeys() {
    MixtureModel m = ReportFixtures.gmm();
    ObjectNode bare = ReportFixtures.summary(m);
    Document plain = ReportXml.parse(render(bare, m, ReportFixtures.data(m, 30, true), null));
    for (String id : List.of("selection", "overlap", "annealing", "variational", "alignment")) {
      assertNull(ReportXml.findId(plain, id), id);
    }
    assertFalse(ReportXml.text(ReportXml.byId(plain, "table-components")).contains("±"));

    ObjectNode s = ReportFixtures.summary(m);
    ReportFixtures.addStandardErrors(s);
    ReportFixtures.addAnnealing(s);
    ReportFixtures.addVariational(s);
    ReportFixtures.addAlignment(s);
    double[][] overlap = {{1, 0.25, 0.5}, {0.25, 1, 0.125}, {0.5, 0.125, 1}};
    String html = render(s, m, ReportFixtures.data(m, 30, true),
        new HtmlReport.Overlap("Bhattacharyya coefficient", "1 is identical.", overlap, 1.0));
    Document doc = ReportXml.parse(html);
    ReportXml.svgs(html);

    String components = ReportXml.text(ReportXml.byId(doc, "table-components"));
    assertTrue(components.contains("± 0.01250"), components);
    assertTrue(ReportXml.text(ReportXml.byId(doc, "table-means")).contains("± 0.05200"));

    List<Element> cells = ReportXml.all(ReportXml.byId(doc, "chart-overlap"), "rect", "cell");
    assertEquals(9, cells.size());
    for (Element c : cells) {
      int i = Integer.parseInt(c.getAttribute("data-row"));
      int j = Integer.parseInt(c.getAttribute("data-col"));
      assertEquals(overlap[i][j], Double.parseDouble(c.getAttribute("data-value")), 0.0);
    }
    assertEquals("#e0e0e0", cells.get(0).getAttribute("fill"), "the diagonal is grey");
    assertEquals(Palette.sequential(0.5), cells.get(2).getAttribute("fill"), "0.5 of the scale's 1");
    assertEquals("#08306b", Palette.sequential(1), "the scale's top is the darkest");

    List<Element> path = ReportXml.all(ReportXml.byId(doc, "chart-annealing"), "polyline", "series");
    assertEquals(1, path.size());
    assertArrayEquals(new double[] {0.05, 0.35, 0.8, 0.97}, ReportXml.numbers(path.get(0).getAttribute("data-values")),
        0.0);
    assertArrayEquals(new double[] {0.1, 0.3, 0.6, 1.0}, ReportXml.numbers(path.get(0).getAttribute("data-x")), 0.0);
    assertEquals(5, ReportXml.all(ReportXml.byId(doc, "table-annealing"), "tr", null).size());

    List<Element> bars = ReportXml.all(ReportXml.byId(doc, "chart-vb-weights"), "rect", "bar");
    assertEquals(m.k(), bars.size());
    long grey = bars.stream().filter(b -> b.getAttribute("fill").equals("#c8c8c8")).count();
    assertEquals(m.k() - 2, grey, "effectiveComponents = 2 are coloured");
    assertTrue(ReportXml.text(ReportXml.byId(doc, "variational")).contains("-4400.5"));

    List<Element> drift = ReportXml.all(ReportXml.byId(doc, "chart-drift"), "rect", "bar");
    assertEquals(3, drift.size());
    assertEquals("0.5", drift.get(1).getAttribute("data-value"));
    assertTrue(ReportXml.text(ReportXml.byId(doc, "table-alignment")).contains("new"));
  }

  @Test
  void vbWithoutRestartsDrawsItsLowerBound() {
    MixtureModel m = ReportFixtures.gmm();
    ObjectNode s = ReportFixtures.summary(m);
    s.remove("restarts");
    s.put("model", "vbgmm");
    ReportFixtures.addVariational(s);
    Document doc = ReportXml.parse(render(s, m, ReportFixtures.data(m, 30, true), null));
    List<Element> lines = ReportXml.all(ReportXml.byId(doc, "chart-trace"), "polyline", "series");
    assertEquals(1, lines.size());
    assertArrayEquals(new double[] {-5000, -4600, -4450, -4400.5}, ReportXml.numbers(lines.get(0)
        .getAttribute("data-values")), 0.0);
    assertTrue(ReportXml.text(ReportXml.byId(doc, "chart-trace")).contains("evidence lower bound"));
  }

  @Test
  void vbRestartsDrawTheirLowerBounds() {
    MixtureModel m = ReportFixtures.gmm();
    ObjectNode s = ReportFixtures.summary(m);
    s.put("model", "vbgmm");
    ReportFixtures.addVariational(s);
    for (JsonNode r : s.get("restarts")) {
      ((ObjectNode) r).set("elboTrace", ReportFixtures.array(-900 - r.get("candidate").asInt(), -800));
    }
    Document doc = ReportXml.parse(render(s, m, ReportFixtures.data(m, 30, true), null));
    List<Element> lines = ReportXml.all(ReportXml.byId(doc, "chart-trace"), "polyline", "series");
    assertEquals(3, lines.size());
    for (Element l : lines) {
      int c = Integer.parseInt(l.getAttribute("data-name").replaceAll("restart (\\d+).*", "$1"));
      assertArrayEquals(new double[] {-900 - c, -800}, ReportXml.numbers(l.getAttribute("data-values")), 0.0);
    }
  }

  @Test
  void standardErrorsThatCouldNotBeComputedSayWhy() {
    MixtureModel m = ReportFixtures.gmm();
    ObjectNode s = ReportFixtures.summary(m);
    ObjectNode se = s.putObject("standardErrors");
    se.put("method", "opg");
    se.putNull("weights");
    se.put("reason", "the information matrix is singular");
    Document doc = ReportXml.parse(render(s, m, ReportFixtures.data(m, 30, true), null));
    String text = ReportXml.text(ReportXml.byId(doc, "components"));
    assertTrue(text.contains("not computed: the information matrix is singular"), text);
    assertFalse(text.contains("±"));
  }

  @Test
  void withoutReportDataTheClustersSectionSaysSo() {
    MixtureModel m = ReportFixtures.gmm();
    Document doc = ReportXml.parse(render(ReportFixtures.summary(m), m, null, null));
    assertTrue(ReportXml.text(ReportXml.byId(doc, "clusters")).contains("no rows to draw"));
    assertNull(ReportXml.findId(doc, "chart-pca"));
  }

  @Test
  void separatingPairMaximisesTheFisherRatio() {
    // Feature 2 separates the two components (means 0 and 10, unit variance); features 0 and 1 do not.
    double[] w = {0.5, 0.5};
    double[][] means = {{0, 0, 0}, {0.1, 0.2, 10}};
    double[] cov = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    int[] pair = Projections.separatingPair(w, means, new double[][] {cov, cov}, 3);
    assertArrayEquals(new int[] {1, 2}, pair);
  }

  @Test
  void principalPlaneProjectsCovariancesAsPSigmaPT() {
    double[] cov = {4, 0, 0, 0, 1, 0, 0, 0, 9};
    Projections.Plane p = Projections.principal(new double[3], cov, 3);
    assertArrayEquals(new double[] {0, 0, 1}, p.p()[0], 0.0);
    assertArrayEquals(new double[] {1, 0, 0}, p.p()[1], 0.0);
    assertArrayEquals(new double[] {9, 0, 4}, p.project(cov, 3), 1e-15);
    assertEquals(9.0 / 14, p.explained()[0], 1e-15);
  }
}
