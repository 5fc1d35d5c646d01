package dev.latent.config;

import dev.latent.diagnostics.InformationMethod;
import dev.latent.em.Annealing;
import dev.latent.em.Criterion;
import dev.latent.em.Distance;
import dev.latent.em.InitMethod;
import dev.latent.io.UsageException;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.vb.PriorSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated options of {@code latent fit}. Defaults live here and only here; they follow
 * scikit-learn ({@code tol} 1e-3, {@code max-iter} 100, {@code reg-covar} 1e-6) so the same settings give
 * the same fit.
 *
 * <p>{@code k..kMax} is the range of K to fit (one K when equal); {@code allCovariances} fits every
 * covariance type ({@code --covariance all}), and {@code covariance} is then unused. With more than one
 * fit, {@code criterion} picks the model that is kept. {@code priors} is set for {@code --model vbgmm} only.
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
    boolean overwrite,
    int kMax,
    boolean allCovariances,
    Criterion criterion,
    Distance distance,
    String alignTo,
    boolean skipBadRows,
    String checkpoint,
    boolean resume,
    PriorSettings priors,
    InformationMethod standardErrors,
    Annealing annealing,
    boolean htmlReport,
    AssignmentColumns assignments,
    String format,
    String outputFormat,
    Engine engine,
    char delimiter) {

  public static final Set<String> KEYS = Set.of("input", "output", "k", "model", "covariance", "features",
      "exclude", "init", "init-labels", "weight-col", "max-iter", "tol", "reg-covar", "seed", "restarts",
      "master", "partitions", "aggregation-depth", "criterion", "distance", "align-to",
      "on-bad-row", "checkpoint", "standard-errors",
      "weight-prior", "weight-concentration", "mean-precision", "degrees-of-freedom",
      "fixed-variance", "anneal-start", "anneal-factor", "report", "assignments", "format", "output-format",
      "engine", "round-scans", "round-seconds", "delimiter");
  public static final Set<String> FLAGS = Set.of("overwrite", "resume", "anneal");

  /** The --init values that name a seeding method; anything else is the path of a model file. */
  private static final Map<String, InitMethod> SEEDINGS = Map.of("auto", InitMethod.AUTO,
      "kmeans++", InitMethod.KMEANS_PP, "kmeans||", InitMethod.KMEANS_PARALLEL, "random", InitMethod.RANDOM);

  public static FitOptions from(Settings s) {
    ModelKind model;
    try {
      model = ModelKind.parse(s.string("model", "gmm"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--model: " + e.getMessage());
    }
    String covKey = s.string("covariance", "full");
    boolean all = covKey.equals("all");
    CovarianceType cov;
    try {
      cov = all ? CovarianceType.FULL : CovarianceType.parse(covKey);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--covariance: unknown covariance type '" + covKey
          + "' (expected full, diag, spherical, tied or all)");
    }
    Criterion criterion;
    try {
      criterion = Criterion.parse(s.string("criterion", "bic"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--criterion: " + e.getMessage());
    }
    Distance distance;
    try {
      distance = Distance.parse(s.string("distance", "euclidean"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--distance: " + e.getMessage());
    }
    if (distance == Distance.COSINE && model != ModelKind.KMEANS) {
      throw new UsageException("--distance cosine is spherical K-means: it needs --model kmeans");
    }
    int[] ks = kRange(s.string("k", null));
    String init = s.string("init", "auto");
    String labels = s.string("init-labels", null);
    if (labels != null && s.string("init", null) != null) {
      throw new UsageException("--init and --init-labels cannot be used together");
    }
    if (ks[0] != ks[1] && (labels != null || !SEEDINGS.containsKey(init))) {
      throw new UsageException((labels != null ? "--init-labels" : "--init " + init)
          + " starts one K; it cannot be used with the range --k " + ks[0] + ".." + ks[1]);
    }
    String onBadRow = s.string("on-bad-row", "fail");
    if (!onBadRow.equals("fail") && !onBadRow.equals("skip")) {
      throw new UsageException("--on-bad-row is fail or skip, got '" + onBadRow + "'");
    }
    String checkpoint = s.string("checkpoint", null);
    if (s.flag("resume") && checkpoint == null) {
      throw new UsageException("--resume needs --checkpoint DIR (the folder to resume from)");
    }
    String report = s.string("report", "html");
    if (!report.equals("html") && !report.equals("none")) {
      throw new UsageException("--report is html or none, got '" + report + "'");
    }
    PriorSettings priors = VariationalOptions.from(s, model, ks[0] != ks[1] || all);
    if (!s.list("features").isEmpty() && !s.list("exclude").isEmpty()) {
      throw new UsageException("--features and --exclude cannot be used together");
    }
    InformationMethod standardErrors = standardErrors(s.string("standard-errors", "none"), model);
    Annealing annealing = annealing(s, model, all ? "all" : cov.key());
    return new FitOptions(
        s.required("input"),
        s.required("output"),
        ks[0],
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
        s.flag("overwrite"),
        ks[1],
        all,
        criterion,
        distance,
        s.string("align-to", null),
        onBadRow.equals("skip"),
        checkpoint,
        s.flag("resume"),
        priors,
        standardErrors,
        annealing, report.equals("html"), AssignmentColumns.parse(s.string("assignments", "full")),
        Formats.input(s),
        Formats.output(s),
        Engine.from(s),
        Delimiter.parse(s.string("delimiter", null)));
  }

  /**
   * --standard-errors observed|opg|none: the Fisher information of a maximum-likelihood Gaussian mixture,
   * so any other model (K-means has no density; a variational fit has a posterior, not a likelihood
   * maximum) is a usage error.
   */
  private static InformationMethod standardErrors(String v, ModelKind model) {
    if (v.equals("none")) {
      return null;
    }
    InformationMethod m;
    try {
      m = InformationMethod.parse(v);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--standard-errors: " + e.getMessage());
    }
    if (model != ModelKind.GMM) {
      throw new UsageException("--standard-errors is for Gaussian mixtures fitted by maximum likelihood "
          + "(--model gmm), not --model " + model.key());
    }
    return m;
  }

  /**
   * --fixed-variance S (spherical GMMs only), --anneal with --anneal-start B0 (0.1) and --anneal-factor F
   * (2). The variance path (--anneal with --fixed-variance) starts at S, so --anneal-start does not apply.
   */
  static Annealing annealing(Settings s, ModelKind model, String covKey) {
    boolean anneal = s.flag("anneal");
    boolean fixed = s.string("fixed-variance", null) != null;
    if (fixed && model != ModelKind.GMM) {
      throw new UsageException("--fixed-variance S fixes a Gaussian mixture's covariances at S I; it does not"
          + " apply to --model " + model.key());
    }
    if (fixed && !covKey.equals(CovarianceType.SPHERICAL.key())) {
      throw new UsageException("--fixed-variance S fixes every covariance at S I: it needs --covariance spherical,"
          + " got --covariance " + covKey);
    }
    if (anneal && model != ModelKind.GMM) {
      throw new UsageException("--anneal tempers a Gaussian mixture's responsibilities; it does not apply to"
          + " --model " + model.key());
    }
    for (String key : new String[] {"anneal-start", "anneal-factor"}) {
      if (!anneal && s.string(key, null) != null) {
        throw new UsageException("--" + key + " sets the annealing schedule: it needs --anneal");
      }
    }
    if (fixed && s.string("anneal-start", null) != null) {
      throw new UsageException("--anneal-start does not apply with --fixed-variance: the variance path starts"
          + " at S and divides it by --anneal-factor at every stage");
    }
    double variance = Double.NaN;
    if (fixed) {
      variance = s.number("fixed-variance", 1.0, 0.0);
      if (!(variance >= Annealing.MIN_VARIANCE)) {
        throw new UsageException("--fixed-variance must be at least " + Annealing.MIN_VARIANCE + ", got "
            + s.string("fixed-variance", null));
      }
    }
    double start = s.number("anneal-start", 0.1, 0.0);
    if (!(start > 0.0 && start <= 1.0)) {
      throw new UsageException("--anneal-start is the first stage's inverse temperature, in (0, 1], got "
          + s.string("anneal-start", null));
    }
    double factor = s.number("anneal-factor", 2.0, 0.0);
    if (!(factor > 1.0)) {
      throw new UsageException("--anneal-factor must be above 1, got " + s.string("anneal-factor", null));
    }
    return new Annealing(variance, anneal, start, factor);
  }

  private static void putIfSet(Map<String, Object> m, String key, double v) {
    if (!Double.isNaN(v)) {
      m.put(key, v);
    }
  }

  /** "K" or "KMIN..KMAX", K at least 1. */
  static int[] kRange(String v) {
    if (v == null) {
      throw new UsageException("--k is required (the number of components, at least 1)");
    }
    boolean range = v.contains("..");
    String[] parts = v.split("\\.\\.", -1);
    int[] out = new int[2];
    for (int i = 0; i < parts.length; i++) {
      try {
        if (parts.length > 2) {
          throw new NumberFormatException(v);
        }
        out[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new UsageException(range ? "--k must be an integer or a range KMIN..KMAX such as 2..10, got '" + v + "'"
            : "--k must be an integer, got '" + v + "'");
      }
      if (out[i] < 1) {
        throw new UsageException("--k must be at least 1, got " + v);
      }
    }
    if (!range) {
      out[1] = out[0];
    }
    if (out[1] < out[0]) {
      throw new UsageException("--k range " + v + " is empty (write the smaller K first)");
    }
    return out;
  }

  /** The seeding method of --init, or null when --init names a model file (or labels are used). */
  public InitMethod seeding() {
    return initLabels != null ? null : SEEDINGS.get(init);
  }

  /** The covariance types to fit: one, or all four (K-means: the one, unused). */
  public List<CovarianceType> covarianceTypes() {
    return allCovariances && model != ModelKind.KMEANS ? List.of(CovarianceType.values()) : List.of(covariance);
  }

  /** True when more than one model is fitted and the criterion chooses. */
  public boolean sweep() {
    return kMax > k || covarianceTypes().size() > 1;
  }

  /** The settings as recorded in a model's provenance. */
  public Map<String, Object> asProvenance() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", input);
    m.put("k", kMax > k ? k + ".." + kMax : (Object) k);
    m.put("model", model.key());
    if (model.gaussian()) {
      m.put("covariance", allCovariances ? "all" : covariance.key());
    } else if (distance != Distance.EUCLIDEAN) {
      m.put("distance", distance.key());
    }
    if (sweep()) {
      m.put("criterion", criterion.key());
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
    if (alignTo != null) {
      m.put("alignTo", alignTo);
    }
    m.put("onBadRow", skipBadRows ? "skip" : "fail");
    if (delimiter != Delimiter.DEFAULT) {
      m.put("delimiter", Delimiter.name(delimiter));
    }
    if (annealing.fixed()) {
      m.put("fixedVariance", annealing.fixedVariance());
    }
    if (annealing.anneal()) {
      if (!annealing.fixed()) {
        m.put("annealStart", annealing.start());
      }
      m.put("annealFactor", annealing.factor());
    }
    m.put("assignments", assignments.key());
    if (priors != null) {
      m.put("weightPrior", priors.weightPrior().key());
      putIfSet(m, "weightConcentration", priors.weightConcentration());
      putIfSet(m, "meanPrecision", priors.meanPrecision());
      putIfSet(m, "degreesOfFreedom", priors.degreesOfFreedom());
    }
    return m;
  }
}
