package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.io.ModelJson;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import dev.latent.testing.Runs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code latent predict} (log-densities, outlier flags) and {@code latent sample} end to end. Log-densities
 * are checked against {@link Mixture#logits} to 1e-12; the outlier threshold must be exact (the
 * floor(q n)-th smallest log-density); a fit on a sample must recover the generating parameters within
 * about 5 standard errors (stated per check below).
 */
class ScoringCliTest extends CliTestBase {
  /** A 2-D mixture with well separated, differently shaped components. */
  static final double[] WEIGHTS = {0.5, 0.3, 0.2};
  static final double[][] MEANS = {{0, 0}, {8, 2}, {2, 9}};
  static final double[][] COVS = {{1.0, 0.5, 0.5, 2.0}, {0.5, 0.0, 0.0, 0.5}, {2.0, -0.8, -0.8, 1.0}};

  private Path trueModel() throws IOException {
    MixtureModel m = new MixtureModel(ModelKind.GMM, CovarianceType.FULL, List.of("x0", "x1"), WEIGHTS, MEANS, COVS,
        Map.of("note", "test model"));
    Path p = tmp.resolve("true.json");
    Files.writeString(p, ModelJson.write(m));
    return p;
  }

  @Test
  void sampleThenFitRecoversTheParameters() throws IOException {
    Path model = trueModel();
    Path s = tmp.resolve("sample");
    Runs.Result r = run("sample", "--model", model.toString(), "--n", "6000", "--seed", "7", "--partitions", "3",
        "--output", s.toString());
    assertEquals(0, r.code(), r.err());
    List<String> header = Files.readAllLines(s.resolve("samples").resolve("part-00000")).subList(0, 1);
    assertEquals(List.of("x0,x1,component"), header);
    Path fit = tmp.resolve("refit");
    r = run("fit", "--input", s.resolve("samples").toString(), "--exclude", "component", "--k", "3", "--tol", "1e-6",
        "--align-to", model.toString(), "--output", fit.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode m = json(fit.resolve("model.json"));
    for (int j = 0; j < 3; j++) {
      // n_j >= 1200: SE(weight) <= 0.007, SE(mean) <= sqrt(2 / 1200) = 0.041, SE(cov) <= 2 sqrt(2 / 1200) = 0.08.
      assertEquals(WEIGHTS[j], m.get("weights").get(j).asDouble(), 0.03, "weight " + j);
      for (int i = 0; i < 2; i++) {
        assertEquals(MEANS[j][i], m.get("means").get(j).get(i).asDouble(), 0.2, "mean " + j + "," + i);
        for (int p = 0; p < 2; p++) {
          assertEquals(COVS[j][2 * i + p], m.get("covariances").get(j).get(i).get(p).asDouble(), 0.4,
              "cov " + j + "," + i + "," + p);
        }
      }
    }
    // The component column is the truth: the refit's clusters agree on nearly every row.
    List<String[]> rows = assignments(fit.resolve("assignments"));
    long agree = rows.stream().filter(x -> x[2].equals(x[3])).count();
    assertTrue(agree > 0.98 * rows.size(), agree + " of " + rows.size());
  }

  @Test
  void sampleDoesNotDependOnPartitionsAndFollowsTheSeed() throws IOException {
    Path model = trueModel();
    List<String> one = sampleRows(model, 1, 11);
    List<String> four = sampleRows(model, 4, 11);
    assertEquals(500, one.size());
    assertEquals(one, four);
    assertTrue(!one.equals(sampleRows(model, 4, 12)), "another seed draws other rows");
  }

  private List<String> sampleRows(Path model, int partitions, long seed) throws IOException {
    Path out = tmp.resolve("s" + partitions + "-" + seed);
    Runs.Result r = run("sample", "--model", model.toString(), "--n", "500", "--seed", Long.toString(seed),
        "--partitions", Integer.toString(partitions), "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> rows = new ArrayList<>();
    for (String[] row : assignments(out.resolve("samples"))) {
      rows.add(String.join(",", row));
    }
    return rows;
  }

  @Test
  void predictWritesLogDensitiesAndFlagsExactlyTheLowest() throws Exception {
    Path model = trueModel();
    double[][] x = blobs(400, 5);
    x[17] = new double[] {40, -30};
    x[230] = new double[] {-25, 18};
    Path csv = writeCsv(tmp.resolve("new.csv"), x, null, null);
    Path out = tmp.resolve("pred");
    Runs.Result r = run("predict", "--model", model.toString(), "--input", csv.toString(), "--partitions", "3",
        "--outlier-quantile", "0.05", "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    List<String[]> rows = assignments(out.resolve("assignments"));
    assertEquals(400, rows.size());
    Mixture mix = Mixture.of(CovarianceType.FULL, WEIGHTS, MEANS, COVS);
    double[] dens = new double[rows.size()];
    double[] logits = new double[3];
    for (int i = 0; i < rows.size(); i++) {
      String[] row = rows.get(i);
      assertEquals(2 + 1 + 3 + 1 + 1, row.length, "x0, x1, cluster, p0..p2, logDensity, outlier");
      mix.logits(x[i], 0, new double[3], logits, new double[2]);
      double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
      double lse = max + Math.log(Math.exp(logits[0] - max) + Math.exp(logits[1] - max) + Math.exp(logits[2] - max));
      dens[i] = Double.parseDouble(row[6]);
      assertEquals(lse, dens[i], 1e-12 * Math.max(1, Math.abs(lse)), "row " + i);
    }
    double[] sorted = dens.clone();
    Arrays.sort(sorted);
    double threshold = sorted[20 - 1];
    int flagged = 0;
    for (int i = 0; i < rows.size(); i++) {
      boolean outlier = rows.get(i)[7].equals("1");
      assertEquals(dens[i] <= threshold, outlier, "row " + i);
      flagged += outlier ? 1 : 0;
    }
    assertEquals(20, flagged, "floor(0.05 * 400) rows");
    assertEquals("1", rows.get(17)[7]);
    assertEquals("1", rows.get(230)[7]);
    JsonNode s = json(out.resolve("summary.json")).get("outliers");
    assertEquals(threshold, s.get("logDensityThreshold").asDouble(), 0.0);
    assertEquals(20, s.get("rank").asLong());
    assertEquals(20, s.get("flagged").asLong());
    assertEquals(400, s.get("rows").asLong());
    assertTrue(r.out().contains("20 of 400 rows flagged as outliers"), r.out());
  }

  @Test
  void kmeansModelsHaveNoDensity() throws IOException {
    Path csv = writeCsv(tmp.resolve("km.csv"), blobs(60, 2), null, null);
    Path fit = tmp.resolve("km");
    assertEquals(0, run("fit", "--input", csv.toString(), "--k", "3", "--model", "kmeans", "--output",
        fit.toString()).code());
    assertEquals(2 + 1, assignments(fit.resolve("assignments")).get(0).length, "no density columns for K-means");
    String model = fit.resolve("model.json").toString();
    Runs.Result p = run("predict", "--model", model, "--input", csv.toString(), "--outlier-quantile", "0.1", "--output",
        tmp.resolve("kmp").toString());
    assertEquals(Main.USAGE, p.code());
    assertTrue(p.err().contains("--outlier-quantile needs a Gaussian mixture"), p.err());
    Runs.Result s = run("sample", "--model", model, "--n", "10", "--output", tmp.resolve("kms").toString());
    assertEquals(Main.USAGE, s.code());
    assertTrue(s.err().contains("sample needs a Gaussian mixture"), s.err());
    assertTrue(!Files.exists(tmp.resolve("kmp")) && !Files.exists(tmp.resolve("kms")), "no output left behind");
  }
}
