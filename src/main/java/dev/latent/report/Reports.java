package dev.latent.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.diagnostics.GaussianDivergence;
import dev.latent.io.InputException;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;

/**
 * The report of a fit from the texts of its output folder: {@code fit} renders it before committing the
 * folder, and {@code latent report --run DIR} ({@code cli.ReportCommand}) renders it again from
 * summary.json, model.json and report-data.json alone (no input, no Spark).
 */
public final class Reports {
  public static final String HTML = "report.html";

  private Reports() {}

  /** The report of a fit from its summary.json text, model and report data. */
  public static String html(String summaryJson, MixtureModel model, ReportData data) {
    JsonNode summary;
    try {
      summary = ReportDataJson.JSON.readTree(summaryJson);
    } catch (JsonProcessingException e) {
      throw new InputException("summary.json: not valid JSON (" + e.getOriginalMessage() + ")");
    }
    return HtmlReport.render(summary, model, data, overlap(model));
  }

  /**
   * The Bhattacharyya coefficient exp(-D_B) of every pair of components (D_B in closed form, see
   * {@link GaussianDivergence}): 1 for identical components, 0 for components that never overlap; it
   * bounds the pair's Bayes error, which is at most sqrt(w_i w_j) times it. Null for K-means.
   */
  static HtmlReport.Overlap overlap(MixtureModel model) {
    if (model.kind() == ModelKind.KMEANS) {
      return null;
    }
    double[][] cov = new double[model.k()][];
    try {
      Mixture m = model.toMixture();
      for (int j = 0; j < cov.length; j++) {
        cov[j] = m.fullCovariance(j);
      }
    } catch (Mixture.DegenerateComponentException e) {
      return null;
    }
    double[][] db = GaussianDivergence.bhattacharyyaMatrix(model.means(), cov);
    double[][] bc = new double[db.length][db.length];
    for (int i = 0; i < db.length; i++) {
      for (int j = 0; j < db.length; j++) {
        bc[i][j] = Math.exp(-db[i][j]);
      }
    }
    return new HtmlReport.Overlap("Bhattacharyya coefficient", "It is exp(−D_B), D_B the Bhattacharyya distance: 1 "
        + "for identical components, 0 for components that do not overlap at all; darker cells are pairs that are "
        + "harder to tell apart (their Bayes error is at most √(w_i w_j) times the coefficient).", bc, 1.0);
  }
}
