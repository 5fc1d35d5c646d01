package dev.latent.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.io.ModelJson;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import dev.latent.testing.Models;
import dev.latent.testing.Refs;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark ML estimators: a Pipeline (VectorAssembler -> estimator) on Parquet written by Spark gives the
 * CLI's model on the same rows (1e-9), transforms new data, and survives PipelineModel save/load.
 */
class EstimatorTest extends SharedSession {
  static final List<String> IRIS = List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm");

  @TempDir
  Path tmp;

  private Dataset<Row> irisParquet() {
    Path p = tmp.resolve("iris.parquet");
    if (!Files.exists(p)) {
      frame(Refs.features("iris"), IRIS, 1).write().parquet(p.toString());
    }
    return spark.read().parquet(p.toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gmm", "kmeans"})
  void pipelineOnParquetMatchesTheCli(String kind) throws Exception {
    Dataset<Row> train = irisParquet();
    VectorAssembler assemble = new VectorAssembler().setInputCols(IRIS.toArray(String[]::new)).setOutputCol("features");
    PipelineStage est = kind.equals("gmm")
        ? new GaussianMixture().setK(3).setSeed(7).setCovarianceType("diag")
        : new KMeans().setK(3).setSeed(7);
    PipelineModel pm = new Pipeline().setStages(new PipelineStage[] {assemble, est}).fit(train);
    LatentModel fitted = (LatentModel) pm.stages()[1];

    Path cli = tmp.resolve("cli-" + kind);
    Runs.ok(jsc, "fit", "--input", Refs.dataFile("iris").toString(), "--k", "3", "--exclude", "label", "--seed", "7",
        "--model", kind, "--covariance", "diag", "--output", cli.toString());
    Path ours = tmp.resolve("est-" + kind + ".json");
    Files.writeString(ours, ModelJson.write(fitted.latentModel()));
    Models.assertSameModel(cli.resolve("model.json"), ours, 1e-9);
    JsonNode s = Runs.json(cli.resolve("summary.json"));
    MixtureSummary sum = kind.equals("gmm") ? ((GaussianMixtureModel) fitted).summary()
        : ((KMeansModel) fitted).summary();
    assertEquals(s.get("iterations").asInt(), sum.numIter());
    assertEquals(s.get("logLikelihood").asDouble(), sum.logLikelihood(), 1e-9 * Math.abs(sum.logLikelihood()));
    assertEquals(s.get("bic").asDouble(), sum.bic(), 1e-9 * Math.abs(sum.bic()));
    if (sum instanceof KMeansSummary km) {
      assertEquals(s.get("inertia").asDouble(), km.trainingCost(), 1e-9 * km.trainingCost());
    }

    // New data: a few rows, with the CLI's assignments of the same rows.
    double[][] x = Refs.features("iris");
    double[][] fresh = {x[0], x[60], x[120], {6.0, 3.0, 4.5, 1.5}};
    Dataset<Row> scored = pm.transform(frame(fresh, IRIS, 2));
    List<Row> rows = scored.select("features", "prediction").collectAsList();
    List<String[]> assigned = Runs.assignments(cli);
    int cluster = Arrays.asList(Runs.assignmentsHeader(cli).split(",")).indexOf("cluster");
    assertEquals(Integer.parseInt(assigned.get(0)[cluster]), rows.get(0).getInt(1));
    assertEquals(Integer.parseInt(assigned.get(60)[cluster]), rows.get(1).getInt(1));
    assertEquals(Integer.parseInt(assigned.get(120)[cluster]), rows.get(2).getInt(1));
    if (fitted instanceof GaussianMixtureModel g) {
      // gaussians(): mllib-local Gaussians with the fitted means and (diagonal here) covariances.
      var gs = g.gaussians();
      MixtureModel v = g.latentModel();
      assertEquals(3, gs.length);
      for (int j = 0; j < 3; j++) {
        assertArrayEquals(v.means()[j], gs[j].mean().toArray(), 0.0);
        for (int i = 0; i < 4; i++) {
          assertEquals(v.covariances()[j][i], gs[j].cov().apply(i, i), 1e-15);
          assertEquals(0.0, gs[j].cov().apply(i, (i + 1) % 4), 0.0);
        }
      }
      assertArrayEquals(v.weights(), g.weights(), 0.0);
      for (Row r : scored.select("features", "probability").collectAsList()) {
        Vector p = r.getAs(1);
        assertEquals(1.0, Arrays.stream(p.toArray()).sum(), 1e-12);
        assertArrayEquals(g.predictProbability(r.getAs(0)).toArray(), p.toArray(), 1e-15);
      }
    }

    Path saved = tmp.resolve("pipeline-" + kind);
    pm.write().save(saved.toString());
    pm.write().overwrite().save(saved.toString());
    PipelineModel loaded = PipelineModel.load(saved.toString());
    assertEquals(fitted.getClass(), loaded.stages()[1].getClass());
    List<Row> again = loaded.transform(frame(fresh, IRIS, 1)).select("prediction").collectAsList();
    for (int i = 0; i < fresh.length; i++) {
      assertEquals(rows.get(i).getInt(1), again.get(i).getInt(0));
    }
    // The stage folder holds model.json beside Spark's metadata: the CLI reads it as --model and --init.
    Path stage;
    try (var dirs = Files.list(saved.resolve("stages"))) {
      stage = dirs.filter(d -> d.getFileName().toString().startsWith("1_")).findFirst().orElseThrow();
    }
    assertTrue(Files.exists(stage.resolve("model.json")));
    assertTrue(Files.isDirectory(stage.resolve("metadata")));
    Path predicted = tmp.resolve("predict-" + kind);
    Runs.ok(jsc, "predict", "--model", stage.toString(), "--input", Refs.dataFile("iris").toString(), "--output",
        predicted.toString());
    assertEquals(assigned.get(7)[cluster], Runs.assignments(predicted).get(7)[cluster]);
    Path refit = tmp.resolve("refit-" + kind);
    Runs.ok(jsc, "fit", "--input", Refs.dataFile("iris").toString(), "--k", "3", "--exclude", "label", "--model", kind,
        "--covariance", "diag", "--init", stage.toString(), "--align-to", stage.toString(), "--output", refit.toString());
  }

  /** standardErrors: the CLI's --standard-errors of the same fit, in the summary. */
  @Test
  void standardErrorsMatchTheCli() {
    Dataset<Row> df = frame(Refs.features("iris"), IRIS, 2);
    GaussianMixtureModel m = new GaussianMixture().setFeaturesCols(IRIS.toArray(String[]::new)).setK(3).setSeed(7)
        .setCovarianceType("diag").setStandardErrors("observed").fit(df);
    Path cli = tmp.resolve("cli-se");
    Runs.ok(jsc, "fit", "--input", Refs.dataFile("iris").toString(), "--k", "3", "--exclude", "label", "--seed", "7",
        "--covariance", "diag", "--standard-errors", "observed", "--output", cli.toString());
    JsonNode se = Runs.json(cli.resolve("summary.json")).get("standardErrors");
    var ours = m.summary().standardErrors();
    assertTrue(ours.computed(), String.valueOf(ours.reason()));
    for (int j = 0; j < 3; j++) {
      double w = se.get("weights").get(j).asDouble();
      assertEquals(w, ours.weights()[j], 1e-9 * w, "weight " + j);
      for (int i = 0; i < 4; i++) {
        double mu = se.get("means").get(j).get(i).asDouble();
        assertEquals(mu, ours.means()[j][i], 1e-9 * mu, "mean " + j + ", " + i);
      }
    }
    assertTrue(new GaussianMixture().setFeaturesCols(IRIS.toArray(String[]::new)).fit(df).summary()
        .standardErrors() == null, "none by default");
    assertThrows(IllegalArgumentException.class, () -> new GaussianMixture().setStandardErrors("bootstrap"));
  }

  /**
   * The variational mixture as an estimator: the CLI's vbgmm fit (model, posterior, lower bound), its
   * predict_proba and score_samples in transform, a model folder the CLI reads, and its priors' checks.
   */
  @Test
  void bayesianMixtureMatchesTheCli() throws Exception {
    List<String> names = List.of("eruptions", "waiting");
    Dataset<Row> df = frame(Refs.features("faithful"), names, 3);
    BayesianGaussianMixture est = new BayesianGaussianMixture().setFeaturesCols(names.toArray(String[]::new))
        .setK(6).setSeed(3).setCovarianceType("diag").setWeightPrior("dirichlet-distribution")
        .setWeightConcentration(0.5).setLogDensityCol("logDensity");
    GaussianMixtureModel m = est.fit(df);
    Path cli = tmp.resolve("cli-vbgmm");
    Runs.ok(jsc, "fit", "--input", Refs.dataFile("faithful").toString(), "--k", "6", "--seed", "3", "--model",
        "vbgmm", "--covariance", "diag", "--weight-prior", "dirichlet-distribution", "--weight-concentration",
        "0.5", "--output", cli.toString());
    Path ours = tmp.resolve("est-vbgmm.json");
    Files.writeString(ours, ModelJson.write(m.latentModel()));
    Models.assertSameModel(cli.resolve("model.json"), ours, 1e-9);
    for (String f : new String[] {"weightConcentration", "meanPrecision", "degreesOfFreedom"}) {
      double[] a = Models.flatten(Runs.json(cli.resolve("model.json")).path("variational").path(f));
      double[] b = Models.flatten(Runs.json(ours).path("variational").path(f));
      assertEquals(6, a.length, f);
      assertArrayEquals(a, b, 1e-9 * Arrays.stream(a).map(Math::abs).max().orElseThrow(), f);
    }
    JsonNode s = Runs.json(cli.resolve("summary.json"));
    assertEquals(s.get("elbo").asDouble(), m.summary().lowerBound(), 1e-9 * Math.abs(s.get("elbo").asDouble()));
    assertEquals(s.get("elboTrace").size(), m.summary().lowerBoundTrace().length);
    assertEquals(s.get("iterations").asInt(), m.summary().numIter());
    // transform: predict_proba and score_samples, as latent predict writes them.
    Path pred = tmp.resolve("predict-vbgmm");
    Runs.ok(jsc, "predict", "--model", cli.resolve("model.json").toString(), "--input",
        Refs.dataFile("faithful").toString(), "--output", pred.toString());
    List<String[]> cliRows = Runs.assignments(pred);
    List<Row> rows = m.transform(df).select("prediction", "probability", "logDensity").collectAsList();
    assertEquals(cliRows.size(), rows.size());
    for (int r = 0; r < rows.size(); r += 17) {
      String[] c = cliRows.get(r);
      assertEquals(Integer.parseInt(c[2]), rows.get(r).getInt(0), "row " + r);
      Vector p = rows.get(r).getAs(1);
      for (int j = 0; j < 6; j++) {
        assertEquals(Double.parseDouble(c[3 + j]), p.apply(j), 1e-9, "row " + r + ", p" + j);
      }
      assertEquals(Double.parseDouble(c[9]), rows.get(r).getDouble(2), 1e-9, "row " + r);
    }
    // gaussians(): the posterior's means_ and covariances_ (not the scoring mixture's).
    for (int j = 0; j < 6; j++) {
      assertArrayEquals(m.latentModel().means()[j], m.gaussians()[j].mean().toArray(), 0.0);
      assertEquals(m.latentModel().covariances()[j][1], m.gaussians()[j].cov().apply(1, 1), 1e-12);
    }
    // A model folder: loads back as a vbgmm and is the CLI's --model; the estimator keeps its priors.
    Path saved = tmp.resolve("vbgmm-model");
    m.write().save(saved.toString());
    GaussianMixtureModel back = GaussianMixtureModel.load(saved.toString());
    assertEquals(ModelKind.VBGMM, back.latentModel().kind());
    assertEquals(rows.get(5).getDouble(2), back.logDensity(Vectors.dense(Refs.features("faithful")[5])), 1e-12);
    Runs.ok(jsc, "predict", "--model", saved.toString(), "--input", Refs.dataFile("faithful").toString(),
        "--output", tmp.resolve("predict-saved").toString());
    Path estSaved = tmp.resolve("vbgmm-estimator");
    est.write().save(estSaved.toString());
    BayesianGaussianMixture estBack = BayesianGaussianMixture.load(estSaved.toString());
    assertEquals("dirichlet-distribution", estBack.getWeightPrior());
    assertEquals(0.5, estBack.getWeightConcentration(), 0.0);
    // Priors are checked as the CLI checks them.
    Exception e = assertThrows(Exception.class, () -> new BayesianGaussianMixture()
        .setFeaturesCols(names.toArray(String[]::new)).setDegreesOfFreedom(0.5).fit(df));
    assertTrue(e.getMessage().contains("--degrees-of-freedom must be greater than d - 1 = 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BayesianGaussianMixture().setWeightPrior("pitman-yor"));
    assertThrows(IllegalArgumentException.class, () -> new BayesianGaussianMixture().setMeanPrecision(0.0));
  }

  /** The scikit-learn reference fits from their stored initial parameters, through the estimator. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"iris", "faithful", "penguins"})
  void referenceFits(String dataset) {
    JsonNode ref = Refs.ref("gmm_" + dataset);
    List<String> features = new java.util.ArrayList<>();
    ref.get("feature_columns").forEach(n -> features.add(n.asText()));
    Dataset<Row> df = frame(Refs.features(dataset), features, 2);
    for (String type : List.of("full", "diag", "spherical", "tied")) {
      JsonNode start = ref.get("inits").get("kmeans").get("by_covariance_type").get(type);
      JsonNode fit = Refs.gmmFit(ref, "kmeans", type);
      MixtureModel init = new MixtureModel(dev.latent.mixture.ModelKind.GMM, dev.latent.mixture.CovarianceType.parse(type),
          features, Refs.vector(start.get("weights")), Refs.matrix(start.get("means")),
          Refs.covariances(start.get("covariances"), type), java.util.Map.of());
      GaussianMixtureModel m = new GaussianMixture().setFeaturesCols(features.toArray(String[]::new))
          .setK(init.k()).setCovarianceType(type).setInitialModel(new GaussianMixtureModel(init)).setTol(1e-10)
          .setRegCovar(1e-6).setMaxIter(100000).fit(df);
      GaussianMixtureSummary s = m.summary();
      assertEquals(fit.get("n_iter").asInt(), s.numIter(), type + " iterations");
      double score = fit.get("score").asDouble();
      assertEquals(score, s.logLikelihood() / ref.get("n").asInt(), 1e-8 * Math.abs(score), type + " score");
      double bic = fit.get("bic").asDouble();
      assertEquals(bic, s.bic(), 1e-8 * Math.abs(bic), type + " bic");
      int[] labels = m.transform(df).select("prediction").collectAsList().stream().mapToInt(r -> r.getInt(0))
          .toArray();
      assertArrayEquals(Refs.ints(fit.get("labels")), labels, type + " labels");
    }
    JsonNode km = Refs.ref("kmeans_" + dataset);
    double[][] centres = Refs.matrix(km.get("init").get("centers"));
    MixtureModel start = new MixtureModel(dev.latent.mixture.ModelKind.KMEANS, null, features,
        new double[centres.length], centres, null, java.util.Map.of());
    KMeansModel m = new KMeans().setFeaturesCols(features.toArray(String[]::new)).setK(centres.length)
        .setInitialModel(new KMeansModel(start)).setTol(0).setMaxIter(100000).fit(df);
    double inertia = km.get("inertia").asDouble();
    assertEquals(inertia, m.summary().trainingCost(), 1e-9 * inertia);
    assertEquals(km.get("n_iter").asInt(), m.summary().numIter());
  }

  /** Weights and the cosine distance pass through the estimator as through the CLI. */
  @Test
  void weightedCosineKMeansMatchesTheCli() throws Exception {
    double[][] x = Refs.features("iris");
    double[][] xw = new double[x.length][];
    StringBuilder csv = new StringBuilder(String.join(",", IRIS) + ",w\n");
    for (int r = 0; r < x.length; r++) {
      xw[r] = Arrays.copyOf(x[r], 5);
      xw[r][4] = 1 + r % 3;
      StringBuilder line = new StringBuilder();
      for (double v : xw[r]) {
        line.append(line.length() == 0 ? "" : ",").append(v);
      }
      csv.append(line).append('\n');
    }
    Path file = tmp.resolve("weighted.csv");
    Files.writeString(file, csv);
    List<String> names = new java.util.ArrayList<>(IRIS);
    names.add("w");
    KMeansModel m = new KMeans().setK(3).setSeed(5).setDistanceMeasure("cosine").setWeightCol("w")
        .setFeaturesCols(IRIS.toArray(String[]::new)).fit(frame(xw, names, 2));
    Path cli = tmp.resolve("cli-cosine");
    Runs.ok(jsc, "fit", "--input", file.toString(), "--k", "3", "--seed", "5", "--model", "kmeans", "--distance",
        "cosine", "--weight-col", "w", "--output", cli.toString());
    Path ours = tmp.resolve("cosine.json");
    Files.writeString(ours, ModelJson.write(m.latentModel()));
    Models.assertSameModel(cli.resolve("model.json"), ours, 1e-9);
    double inertia = Runs.json(cli.resolve("summary.json")).get("inertia").asDouble();
    assertEquals(inertia / 2, m.summary().trainingCost(), 1e-9 * inertia);
  }

  /** A Vector column (dense or sparse), array<double> and numeric columns are the same rows; array<float> as float columns. */
  @Test
  void inputKindsGiveTheSameModel() {
    double[][] x = Refs.features("iris");
    Dataset<Row> cols = frame(x, IRIS, 3);
    Dataset<Row> vec = new VectorAssembler().setInputCols(IRIS.toArray(String[]::new)).setOutputCol("features")
        .transform(cols);
    org.apache.spark.sql.Column c = org.apache.spark.sql.functions.col("features");
    org.apache.spark.sql.expressions.UserDefinedFunction sparse = org.apache.spark.sql.functions.udf(
        (org.apache.spark.sql.api.java.UDF1<Vector, Vector>) Vector::toSparse,
        org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
    Dataset<Row> sparseVec = vec.withColumn("features", sparse.apply(c));
    Dataset<Row> arr = vec.withColumn("features", org.apache.spark.ml.functions.vector_to_array(c, "float64"));
    GaussianMixture g = new GaussianMixture().setK(3).setSeed(3).setCovarianceType("full");
    double[] expected = flat(g.fit(vec));
    assertArrayEquals(expected, flat(g.fit(sparseVec)), 1e-12, "sparse");
    assertArrayEquals(expected, flat(g.fit(arr)), 1e-12, "array<double>");
    assertArrayEquals(expected, flat(g.copy(new org.apache.spark.ml.param.ParamMap())
        .setFeaturesCols(IRIS.toArray(String[]::new)).fit(cols)), 1e-12, "numeric columns");
    // array<float> reads the same floats as float columns.
    Dataset<Row> floats = arr.withColumn("features", c.cast("array<float>"));
    Dataset<Row> floatCols = cols;
    for (String n : IRIS) {
      floatCols = floatCols.withColumn(n, org.apache.spark.sql.functions.col(n).cast("float"));
    }
    assertArrayEquals(flat(g.copy(new org.apache.spark.ml.param.ParamMap()).setFeaturesCols(
        IRIS.toArray(String[]::new)).fit(floatCols)), flat(g.fit(floats)), 1e-12, "array<float>");
    // transform takes every kind as well.
    assertEquals(150, g.fit(arr).transform(arr).filter("prediction >= 0").count());
  }

  private static double[] flat(GaussianMixtureModel m) {
    MixtureModel v = m.latentModel();
    double[] w = v.weights();
    double[] mu = Refs.flatten(v.means());
    double[] cov = Refs.flatten(v.covariances());
    double[] all = new double[w.length + mu.length + cov.length];
    System.arraycopy(w, 0, all, 0, w.length);
    System.arraycopy(mu, 0, all, w.length, mu.length);
    System.arraycopy(cov, 0, all, w.length + mu.length, cov.length);
    return all;
  }

  @Test
  void badFeaturesNameColumnAndRowOrAreSkipped() {
    double[][] x = Refs.features("iris");
    Dataset<Row> df = frame(x, IRIS, 2).withColumn("petal_width_cm", org.apache.spark.sql.functions.expr(
        "CASE WHEN sepal_length_cm = 5.0 AND sepal_width_cm = 3.6 THEN double('NaN') ELSE petal_width_cm END"));
    KMeans km = new KMeans().setK(3).setFeaturesCols(IRIS.toArray(String[]::new));
    Exception e = assertThrows(Exception.class, () -> km.fit(df));
    String msg = String.valueOf(e.getMessage());
    // Row 5 of iris is (5.0, 3.6, 1.4, 0.2).
    assertTrue(msg.contains("row 5") && msg.contains("column 'petal_width_cm'"), msg);
    KMeansModel m = km.copy(new org.apache.spark.ml.param.ParamMap()).setHandleInvalid("skip").fit(df);
    assertEquals(1, m.summary().rowsSkipped());
    assertEquals(149, java.util.Arrays.stream(m.summary().clusterSizes()).sum());
  }

  @Test
  void paramsFollowSparkConventions() throws Exception {
    GaussianMixture g = new GaussianMixture().setK(8).setSeed(7).setMaxIter(200).setTol(1e-6);
    assertEquals(8, g.getK());
    assertEquals(7L, g.getSeed());
    assertEquals("features", g.getFeaturesCol());
    assertEquals("probability", g.getProbabilityCol());
    assertEquals(1e-3, new GaussianMixture().getTol());
    assertEquals(100, new KMeans().getMaxIter());
    assertEquals("auto", new KMeans().getInitMode());
    for (String name : List.of("featuresCol", "predictionCol", "probabilityCol", "weightCol", "k", "maxIter", "tol",
        "seed", "aggregationDepth", "covarianceType", "regCovar", "restarts", "initMode", "initialModel",
        "logDensityCol")) {
      assertTrue(g.hasParam(name), name);
    }
    for (String name : List.of("k", "maxIter", "tol", "seed", "initMode", "distanceMeasure", "weightCol",
        "featuresCol", "predictionCol")) {
      assertTrue(new KMeans().hasParam(name), name);
    }
    assertThrows(IllegalArgumentException.class, () -> new KMeans().setInitMode("nonsense"));
    new KMeans().setInitMode("k-means||");
    GaussianMixture copy = g.copy(new org.apache.spark.ml.param.ParamMap().put(g.k(), 4));
    assertEquals(4, copy.getK());
    assertEquals(g.uid(), copy.uid());
    Path p = tmp.resolve("estimator");
    g.write().save(p.toString());
    GaussianMixture back = GaussianMixture.load(p.toString());
    assertEquals(8, back.getK());
    assertEquals(1e-6, back.getTol());
    assertFalse(new GaussianMixtureModel().hasSummary());
    // initialModel is saved with the estimator's params, as its model.json text.
    MixtureModel start = new MixtureModel(dev.latent.mixture.ModelKind.KMEANS, null, List.of("a", "b"),
        new double[] {0.5, 0.5}, new double[][] {{0, 0}, {1, 1}}, null, java.util.Map.of());
    Path q = tmp.resolve("kmeans-estimator");
    new KMeans().setK(2).setDistanceMeasure("cosine").setInitialModel(new KMeansModel(start)).write().save(q.toString());
    KMeans km = KMeans.load(q.toString());
    assertEquals("cosine", km.getDistanceMeasure());
    assertArrayEquals(new double[] {1, 1}, km.getInitialModel().clusterCenters()[1].toArray());
    assertTrue(new GaussianMixture().explainParams().contains("mean log-likelihood"));
  }
}
