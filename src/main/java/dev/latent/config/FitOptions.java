package dev.latent.config;

import dev.latent.em.CovarianceType;
import dev.latent.em.ModelKind;
import dev.latent.io.UsageException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated options of {@code latent fit}. Defaults live here and only here; they follow
 * scikit-learn ({@code tol} 1e-3, {@code max-iter} 100, {@code reg-covar} 1e-6) so the same settings give
 * the same fit.
 */
public record FitOptions(
    String input,
    String output,
    int k,
    ModelKind model,
    CovarianceType covariance,
    List<String> features,
    List<String> exclude,
    String init,
    String initLabels,
    String weightCol,
    int maxIter,
    double tol,
    double regCovar,
    long seed,
    int restarts,
    String master,
    int partitions,
    int aggregationDepth,
    boolean overwrite) {

  public static final Set<String> KEYS = Set.of("input", "output", "k", "model", "covariance", "features",
      "exclude", "init", "init-labels", "weight-col", "max-iter", "tol", "reg-covar", "seed", "restarts",
      "master", "partitions", "aggregation-depth");
  public static final Set<String> FLAGS = Set.of("overwrite");

  public static FitOptions from(Settings s) {
    ModelKind model;
    CovarianceType cov;
    try {
      model = ModelKind.parse(s.string("model", "gmm"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--model: " + e.getMessage());
    }
    try {
      cov = CovarianceType.parse(s.string("covariance", "full"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--covariance: " + e.getMessage());
    }
    int k = s.integer("k", 0, 1);
    if (k == 0) {
      throw new UsageException("--k is required (the number of components, at least 1)");
    }
    String init = s.string("init", "kmeans++");
    String labels = s.string("init-labels", null);
    if (labels != null && s.string("init", null) != null) {
      throw new UsageException("--init and --init-labels cannot be used together");
    }
    if (!s.list("features").isEmpty() && !s.list("exclude").isEmpty()) {
      throw new UsageException("--features and --exclude cannot be used together");
    }
    return new FitOptions(
        s.required("input"),
        s.required("output"),
        k,
        model,
        cov,
        s.list("features"),
        s.list("exclude"),
        init,
        labels,
        s.string("weight-col", null),
        s.integer("max-iter", 100, 1),
        s.number("tol", 1e-3, 0.0),
        s.number("reg-covar", 1e-6, 0.0),
        s.longValue("seed", 0L),
        s.integer("restarts", 1, 1),
        s.string("master", null),
        s.integer("partitions", 0, 0),
        s.integer("aggregation-depth", 2, 1),
        s.flag("overwrite"));
  }

  /** The settings as recorded in a model's provenance. */
  public Map<String, Object> asProvenance() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("input", input);
    m.put("k", k);
    m.put("model", model.key());
    if (model == ModelKind.GMM) {
      m.put("covariance", covariance.key());
    }
    m.put("init", initLabels != null ? "labels:" + initLabels : init);
    m.put("maxIter", maxIter);
    m.put("tol", tol);
    m.put("regCovar", regCovar);
    m.put("seed", seed);
    m.put("restarts", restarts);
    if (weightCol != null) {
      m.put("weightCol", weightCol);
    }
    return m;
  }
}
