package dev.latent.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latent.io.InputException;

/**
 * {@code report-data.json} (format "latent-report-data", version 1): the bounded data of {@link ReportData},
 * kept in the output folder so that {@code latent report} can draw the report again without the input.
 */
public final class ReportDataJson {
  public static final String FORMAT = "latent-report-data";
  public static final String FILE = "report-data.json";
  static final ObjectMapper JSON = new ObjectMapper();

  private ReportDataJson() {}

  public static String write(ReportData r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", 1);
    root.put("seed", r.seed());
    root.put("rows", r.rows());
    ObjectNode data = root.putObject("data");
    data.set("mean", vector(r.dataMean()));
    int d = r.d();
    ArrayNode cov = data.putArray("covariance");
    for (int i = 0; i < d; i++) {
      double[] row = new double[d];
      System.arraycopy(r.dataCovariance(), i * d, row, 0, d);
      cov.add(vector(row));
    }
    ObjectNode s = root.putObject("sample");
    ArrayNode rows = s.putArray("rows");
    for (double[] x : r.sample()) {
      rows.add(vector(x));
    }
    ArrayNode c = s.putArray("cluster");
    for (int j : r.cluster()) {
      c.add(j);
    }
    if (r.maxResponsibility() != null) {
      s.set("maxResponsibility", vector(r.maxResponsibility()));
    }
    if (r.hasUncertainty()) {
      ObjectNode u = root.putObject("uncertainty");
      u.set("edges", vector(r.uncertaintyEdges()));
      u.set("weights", vector(r.uncertaintyWeights()));
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ReportData read(String text, String file) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new InputException(file + ": not a " + FORMAT + " file");
    }
    if (root.path("version").asInt(0) != 1) {
      throw new InputException(file + ": version " + root.path("version") + " is not one this Latent reads (1)");
    }
    double[] mean = vector(root.path("data").path("mean"), file, "data.mean", -1);
    int d = mean.length;
    JsonNode covNode = root.path("data").path("covariance");
    if (!covNode.isArray() || covNode.size() != d) {
      throw new InputException(file + ": data.covariance must be " + d + " x " + d);
    }
    double[] cov = new double[d * d];
    for (int i = 0; i < d; i++) {
      System.arraycopy(vector(covNode.get(i), file, "data.covariance[" + i + "]", d), 0, cov, i * d, d);
    }
    JsonNode s = root.path("sample");
    JsonNode rowsNode = s.path("rows");
    JsonNode clusterNode = s.path("cluster");
    if (!rowsNode.isArray() || !clusterNode.isArray() || rowsNode.size() != clusterNode.size()) {
      throw new InputException(file + ": sample.rows and sample.cluster must be arrays of the same length");
    }
    int m = rowsNode.size();
    double[][] x = new double[m][];
    int[] cluster = new int[m];
    for (int i = 0; i < m; i++) {
      x[i] = vector(rowsNode.get(i), file, "sample.rows[" + i + "]", d);
      if (!clusterNode.get(i).canConvertToInt() || clusterNode.get(i).asInt() < 0) {
        throw new InputException(file + ": sample.cluster[" + i + "] is not a component number");
      }
      cluster[i] = clusterNode.get(i).asInt();
    }
    double[] maxResp = s.has("maxResponsibility") ? vector(s.get("maxResponsibility"), file, "sample.maxResponsibility",
        m) : null;
    double[] edges = null;
    double[] weights = null;
    if (root.has("uncertainty")) {
      edges = vector(root.path("uncertainty").path("edges"), file, "uncertainty.edges", -1);
      weights = vector(root.path("uncertainty").path("weights"), file, "uncertainty.weights", edges.length - 1);
    }
    return new ReportData(root.path("seed").asLong(), root.path("rows").asLong(), mean, cov, x, cluster, maxResp,
        edges, weights);
  }

  private static ArrayNode vector(double[] v) {
    ArrayNode a = JSON.createArrayNode();
    for (double x : v) {
      a.add(x);
    }
    return a;
  }

  private static double[] vector(JsonNode n, String file, String what, int length) {
    if (n == null || !n.isArray() || (length >= 0 && n.size() != length)) {
      throw new InputException(file + ": " + what + " must be an array" + (length >= 0 ? " of " + length + " numbers"
          : " of numbers"));
    }
    double[] v = new double[n.size()];
    for (int i = 0; i < v.length; i++) {
      if (!n.get(i).isNumber() || !Double.isFinite(n.get(i).asDouble())) {
        throw new InputException(file + ": " + what + "[" + i + "] is not a finite number");
      }
      v[i] = n.get(i).asDouble();
    }
    return v;
  }
}
