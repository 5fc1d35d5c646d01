package dev.latent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.model.MixtureModel;
import dev.latent.testing.Chromium;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser (headless Debian chromium, which .ci/run installs): it loads with no
 * console error, fits a laptop's width, and every chart's plot area is drawn (holds coloured pixels).
 * Screenshots are kept in target/report-screenshots/ to look at.
 */
class BrowserReportTest extends SharedSpark {
  private static final int WIDTH = 1280;
  /** Each chart's plot area (else the whole chart) as page coordinates, and the page's width. */
  private static final String MEASURE = "JSON.stringify({width: document.documentElement.scrollWidth, charts: "
      + "Array.from(document.querySelectorAll('svg.chart')).map(function (e) {"
      + " var a = e.querySelector('rect.plot-area') || e; var r = a.getBoundingClientRect();"
      + " return {id: e.id, x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height}; })})";

  @TempDir
  Path tmp;

  @BeforeAll
  void needsChromium() {
    Assumptions.assumeTrue(Chromium.available(), "skipped: no browser at " + Chromium.BINARY
        + " (.ci/run installs Debian's chromium; apt-get install -y chromium)");
  }

  @Test
  void irisReportLoadsCleanlyAndEveryChartIsDrawn() throws Exception {
    Path out = tmp.resolve("iris");
    Runs.ok(jsc, "fit", "--input", "testdata/iris.csv", "--exclude", "label", "--k", "3", "--restarts", "4",
        "--output", out.toString());
    check(out.resolve("report.html"), "iris", List.of("chart-trace", "chart-pca", "chart-features",
        "chart-uncertainty", "chart-overlap"));
  }

  @Test
  void everyOptionalChartIsDrawnToo() throws Exception {
    MixtureModel m = ReportFixtures.gmm();
    ObjectNode s = ReportFixtures.summary(m);
    ReportFixtures.addSelection(s);
    ReportFixtures.addStandardErrors(s);
    ReportFixtures.addAnnealing(s);
    ReportFixtures.addVariational(s);
    ReportFixtures.addAlignment(s);
    double[][] overlap = {{1, 0.25, 0.5}, {0.25, 1, 0.125}, {0.5, 0.125, 1}};
    Path page = tmp.resolve("all.html");
    Files.writeString(page, HtmlReport.render(s, m, ReportFixtures.data(m, 600, true),
        new HtmlReport.Overlap("Bhattacharyya coefficient", "1 is identical.", overlap, 1.0)));
    check(page, "all-sections", List.of("chart-trace", "chart-selection", "chart-pca", "chart-features",
        "chart-uncertainty", "chart-overlap", "chart-annealing", "chart-vb-weights", "chart-drift"));
  }

  @Test
  void theCheckSeesConsoleErrorsAndExceptions() throws Exception {
    Path page = tmp.resolve("broken.html");
    Files.writeString(page, "<!DOCTYPE html><html><body><p>x</p><script>console.error('drawn wrong');"
        + "undefinedFunction();</script></body></html>");
    try (Chromium browser = Chromium.start(tmp.resolve("profile-broken"))) {
      List<String> errors = browser.open(page, WIDTH, "JSON.stringify(1)").errors();
      assertEquals(2, errors.size(), errors.toString());
      assertTrue(errors.get(0).contains("drawn wrong"), errors.toString());
      assertTrue(errors.get(1).contains("undefinedFunction"), errors.toString());
    }
  }

  private void check(Path page, String name, List<String> expected) throws Exception {
    Chromium.Page shown;
    try (Chromium browser = Chromium.start(tmp.resolve("profile-" + name))) {
      shown = browser.open(page, WIDTH, MEASURE);
    }
    Path shots = Path.of("target", "report-screenshots");
    Files.createDirectories(shots);
    Files.write(shots.resolve(name + ".png"), shown.png());
    assertEquals(List.of(), shown.errors(), "console errors");
    assertTrue(shown.measured().get("width").asInt() <= WIDTH, "no horizontal scrolling at " + WIDTH + " px: "
        + shown.measured().get("width"));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(shown.png()));
    assertEquals(WIDTH, img.getWidth());
    JsonNode charts = shown.measured().get("charts");
    assertEquals(expected, charts.findValuesAsText("id"));
    for (JsonNode c : charts) {
      int x0 = (int) Math.ceil(c.get("x").asDouble());
      int y0 = (int) Math.ceil(c.get("y").asDouble());
      int x1 = (int) Math.floor(c.get("x").asDouble() + c.get("w").asDouble());
      int y1 = (int) Math.floor(c.get("y").asDouble() + c.get("h").asDouble());
      assertTrue(x1 - x0 > 100 && y1 - y0 > 100, c + ": a chart of readable size");
      assertTrue(x1 <= img.getWidth() && y1 <= img.getHeight(), c + " inside the screenshot");
      int coloured = 0;
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          int rgb = img.getRGB(x, y);
          int r = (rgb >> 16) & 255;
          int g = (rgb >> 8) & 255;
          int b = rgb & 255;
          // Data are drawn in colour; the background, grid and axes are white and greys.
          if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40) {
            coloured++;
          }
        }
      }
      assertTrue(coloured >= 50, c.get("id").asText() + ": only " + coloured + " coloured pixels in its plot area");
    }
  }
}
