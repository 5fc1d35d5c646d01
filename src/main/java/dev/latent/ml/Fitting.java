package dev.latent.ml;

import dev.latent.config.VariationalOptions;
import dev.latent.diagnostics.InformationMethod;
import dev.latent.diagnostics.StandardErrors;
import dev.latent.em.Criterion;
import dev.latent.em.Distance;
import dev.latent.em.FitResult;
import dev.latent.em.InitMethod;
import dev.latent.em.StartParams;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import dev.latent.spark.FrameInput;
import dev.latent.spark.MixtureFit;
import dev.latent.spark.SparkDataPass;
import dev.latent.spark.Versions;
import dev.latent.vb.PriorSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The estimators' side of the one engine: the DataFrame becomes cached blocks ({@link FrameInput}, row
 * keys by position in the DataFrame), then {@link MixtureFit#fit} runs exactly as for {@code latent fit}.
 * The input is read twice, once to count rows per partition (for the row keys) and once into the cache:
 * cache an expensive DataFrame first.
 */
final class Fitting {
  private Fitting() {}

  /** The fitted model value and the fit's result. */
  record Fitted(MixtureModel model, FitResult result, long skipped, StandardErrors standardErrors) {}

  static Fitted run(Dataset<?> dataset, MixtureParams p, ModelKind kind, CovarianceType type, Distance distance,
      double regCovar, LatentModel initial) {
    return run(dataset, p, kind, type, distance, regCovar, initial, null, null);
  }

  /**
   * As above; {@code priors} for a variational mixture (checked against d and the data as the CLI does),
   * {@code standardErrors} (null for none) computed by one more scan of the cached rows.
   */
  static Fitted run(Dataset<?> dataset, MixtureParams p, ModelKind kind, CovarianceType type, Distance distance,
      double regCovar, LatentModel initial, PriorSettings priors, InformationMethod standardErrors) {
    Dataset<Row> df = dataset.toDF();
    List<String> cols = Features.columns(p);
    Features.validate(df.schema(), cols);
    int d = FrameInput.dimension(df, cols);
    List<String> names = Features.names(df.schema(), cols, d);
    int k = p.getK();
    InitMethod init = initMethod(p.getInitMode());
    StartParams start = null;
    if (initial != null) {
      MixtureModel m = initial.latentModel();
      if (m.k() != k || m.d() != d) {
        throw new IllegalArgumentException("initialModel has k = " + m.k() + " and " + m.d()
            + " features; the fit has k = " + k + " and " + d);
      }
      init = InitMethod.MODEL;
      start = m.toStart();
    }
    String weight = p.getWeightCol().isEmpty() ? null : p.getWeightCol();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
    VariationalOptions.checkDimension(priors, d);
    MixtureFit.Settings s = new MixtureFit.Settings(kind, List.of(type), k, k, p.getMaxIter(), p.getTol(), regCovar,
        p.getSeed(), init, start, p.getRestarts(), distance, Criterion.BIC, p.getAggregationDepth(), priors);
    try (FrameInput in = FrameInput.load(jsc, List.of(new FrameInput.Part(df, null)),
        new FrameInput.Columns(cols, weight, null), d, k, distance == Distance.COSINE,
        p.getHandleInvalid().equals("skip"), 0, p.getAggregationDepth())) {
      VariationalOptions.checkData(priors, type, in.columns, names, "the DataFrame");
      MixtureFit.Result r = MixtureFit.fit(jsc, new MixtureFit.Data(in.blocks, d, in.columns, in.skipped), s, names,
          "the DataFrame", null);
      StandardErrors se = StandardErrors.forFit(new SparkDataPass(jsc, in.blocks, d, p.getAggregationDepth()),
          standardErrors, r.best());
      return new Fitted(MixtureFit.model(r.best(), names, distance, provenance(p, jsc, in.columns.rows)), r.best(),
          in.skipped.count(), se);
    }
  }

  static InitMethod initMethod(String mode) {
    return switch (mode) {
      case "kmeans++" -> InitMethod.KMEANS_PP;
      case "kmeans||", "k-means||" -> InitMethod.KMEANS_PARALLEL;
      case "random" -> InitMethod.RANDOM;
      default -> InitMethod.AUTO;
    };
  }

  private static Map<String, Object> provenance(MixtureParams p, JavaSparkContext jsc, long rows) {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (org.apache.spark.ml.param.Param<?> param : p.params()) {
      if (p.isDefined(param) && !param.name().equals("initialModel")) {
        Object v = p.getOrDefault(param);
        settings.put(param.name(), v instanceof String[] a ? List.of(a) : v);
      }
    }
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("estimator", p.getClass().getName());
    prov.put("settings", settings);
    prov.put("rows", rows);
    Versions.stamp(prov, jsc);
    return prov;
  }
}
