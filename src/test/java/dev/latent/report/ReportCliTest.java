package dev.latent.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.diagnostics.GaussianDivergence;
import dev.latent.io.ModelJson;
import dev.latent.mixture.Mixture;
import dev.latent.model.MixtureModel;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** fit writes the report from one extra scan; latent report draws the same page again from the folder alone. */
class ReportCliTest extends SharedSpark {
  @TempDir
  Path tmp;

  @Test
  void irisReportHoldsTheSummaryAndRerendersIdentically() throws Exception {
    Path out = tmp.resolve("iris");
    Runs.ok(jsc, "fit", "--input", "testdata/iris.csv", "--exclude", "label", "--k", "3", "--restarts", "3",
        "--output", out.toString());
    JsonNode summary = Runs.json(out.resolve("summary.json"));
    JsonNode restarts = summary.get("restarts");
    assertEquals(3, restarts.size());
    for (int c = 0; c < 3; c++) {
      assertEquals(c, restarts.get(c).get("candidate").asInt());
    }
    JsonNode kept = restarts.get(summary.get("keptCandidate").asInt());
    assertEquals(summary.get("trace"), kept.get("trace"), "the kept restart's trace is the summary's");
    assertEquals(summary.get("candidateScores").get(summary.get("keptCandidate").asInt()).asDouble(),
        kept.get("score").asDouble(), 0.0);

    ReportData data = ReportDataJson.read(Files.readString(out.resolve(ReportDataJson.FILE)), "report-data.json");
    assertEquals(150, data.sample().length, "fewer rows than the sample size: all of them");
    double sum = 0;
    for (double w : data.uncertaintyWeights()) {
      sum += w;
    }
    assertEquals(150.0, sum, 0.0, "the histogram counts every row once");
    assertEquals(150, data.rows());

    String html = Files.readString(out.resolve("report.html"));
    Document doc = ReportXml.parse(html);
    ReportXml.svgs(html);
    List<Element> lines = ReportXml.all(ReportXml.byId(doc, "chart-trace"), "polyline", "series");
    assertEquals(3, lines.size());
    for (Element l : lines) {
      int c = Integer.parseInt(l.getAttribute("data-name").replaceAll("restart (\\d+).*", "$1"));
      assertArrayEquals(HtmlReport.doubles(restarts.get(c).get("trace")), ReportXml.numbers(l.getAttribute(
          "data-values")), 0.0);
    }
    assertEquals(6, ReportXml.all(ReportXml.byId(doc, "chart-pca"), "ellipse", "ellipse").size());
    assertEquals(150, ReportXml.all(ReportXml.byId(doc, "chart-features"), "circle", "point").size());
    assertEquals(3, ReportXml.all(ReportXml.byId(doc, "table-components"), "tr", "component").size());

    // The overlap heat map: exp(-D_B) of every pair, D_B in closed form from the fitted components.
    MixtureModel model = ModelJson.read(Files.readString(out.resolve("model.json")), "model.json");
    Mixture mix = model.toMixture();
    List<Element> cells = ReportXml.all(ReportXml.byId(doc, "chart-overlap"), "rect", "cell");
    assertEquals(9, cells.size());
    for (Element c : cells) {
      int i = Integer.parseInt(c.getAttribute("data-row"));
      int j = Integer.parseInt(c.getAttribute("data-col"));
      double expected = i == j ? 1.0 : Math.exp(-GaussianDivergence.bhattacharyya(mix.mean(i), mix.fullCovariance(i),
          mix.mean(j), mix.fullCovariance(j)));
      assertEquals(expected, Double.parseDouble(c.getAttribute("data-value")), 1e-15, i + "," + j);
    }

    // Drawn again from the folder alone: the same page, in place and atomically (no temporary file left).
    Files.writeString(out.resolve("report.html"), "stale");
    Runs.Result r = Runs.ok(jsc, "report", "--run", out.toString());
    assertTrue(r.out().contains("report written to"), r.out());
    assertEquals(html, Files.readString(out.resolve("report.html")));
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList());
    }
    Path other = tmp.resolve("copy.html");
    Runs.ok(jsc, "report", "--run", out.toString(), "--output", other.toString());
    assertEquals(html, Files.readString(other));
  }

  @Test
  void theSampleIsBoundedAndTheSameForAnyPartitioning() throws IOException {
    Path csv = tmp.resolve("blobs.csv");
    SplittableRandom rnd = new SplittableRandom(5);
    StringBuilder b = new StringBuilder("x,y\n");
    for (int i = 0; i < 5000; i++) {
      int c = i % 3;
      b.append(c * 4 + rnd.nextDouble()).append(',').append(c * c + rnd.nextDouble()).append('\n');
    }
    Files.writeString(csv, b.toString());
    ReportData[] got = new ReportData[2];
    int[] partitions = {1, 4};
    for (int i = 0; i < 2; i++) {
      Path out = tmp.resolve("p" + partitions[i]);
      Runs.ok(jsc, "fit", "--input", csv.toString(), "--k", "3", "--partitions", Integer.toString(partitions[i]),
          "--output", out.toString());
      got[i] = ReportDataJson.read(Files.readString(out.resolve(ReportDataJson.FILE)), "report-data.json");
    }
    assertEquals(ReportData.SAMPLE_ROWS, got[0].sample().length);
    for (int r = 0; r < got[0].sample().length; r++) {
      assertArrayEquals(got[0].sample()[r], got[1].sample()[r], 0.0, "row " + r);
    }
    assertArrayEquals(got[0].cluster(), got[1].cluster());
    double sum = 0;
    for (int q = 0; q < got[0].uncertaintyWeights().length; q++) {
      assertEquals(got[0].uncertaintyWeights()[q], got[1].uncertaintyWeights()[q], 0.0, "bin " + q);
      sum += got[0].uncertaintyWeights()[q];
    }
    assertEquals(5000.0, sum, 0.0);
  }

  @Test
  void reportNoneWritesNoReportAndBadUsageIsRefused() throws IOException {
    Path out = tmp.resolve("none");
    Runs.ok(jsc, "fit", "--input", "testdata/iris.csv", "--exclude", "label", "--k", "2", "--report", "none",
        "--output", out.toString());
    assertFalse(Files.exists(out.resolve("report.html")));
    assertFalse(Files.exists(out.resolve(ReportDataJson.FILE)));
    Runs.Result r = Runs.main(jsc, "fit", "--input", "testdata/iris.csv", "--k", "2", "--report", "pdf", "--output",
        tmp.resolve("x").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--report is html or none, got 'pdf'"), r.err());

    // Without report-data.json the page is still drawn, and says what is missing.
    Runs.ok(jsc, "report", "--run", out.toString());
    assertTrue(Files.readString(out.resolve("report.html")).contains("no rows to draw"));

    Runs.Result missing = Runs.main(jsc, "report", "--run", tmp.resolve("nothing").toString());
    assertEquals(3, missing.code());
    assertTrue(missing.err().contains("no summary.json (is it the output folder of latent fit?)"), missing.err());
    assertEquals(2, Runs.main(jsc, "report").code());
    Runs.Result noFolder = Runs.main(jsc, "report", "--run", out.toString(), "--output",
        tmp.resolve("no/such/folder/r.html").toString());
    assertEquals(4, noFolder.code());
    assertTrue(noFolder.err().contains("does not exist"), noFolder.err());
  }
}
