package dev.latent.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The params of one stage (estimator or model), created with the stage as their parent, as Spark ML
 * requires. Names, meanings and defaults follow {@code org.apache.spark.ml.clustering} where Spark has
 * the param, and the CLI's defaults otherwise (so the same settings give the same fit).
 */
final class ParamSet {
  final Param<String> featuresCol;
  final StringArrayParam featuresCols;
  final Param<String> predictionCol;
  final Param<String> probabilityCol;
  final Param<String> logDensityCol;
  final Param<String> weightCol;
  final IntParam k;
  final IntParam maxIter;
  final DoubleParam tol;
  final LongParam seed;
  final IntParam aggregationDepth;
  final IntParam restarts;
  final Param<String> initMode;
  final Param<String> handleInvalid;
  final Param<String> covarianceType;
  final DoubleParam regCovar;
  final Param<String> distanceMeasure;
  final Param<String> standardErrors;
  final Param<String> weightPrior;
  final DoubleParam weightConcentration;
  final DoubleParam meanPrecision;
  final DoubleParam degreesOfFreedom;
  final InitialModelParam<GaussianMixtureModel> gmmInitialModel;
  final InitialModelParam<KMeansModel> kmeansInitialModel;

  ParamSet(Params parent) {
    featuresCol = new Param<>(parent, "featuresCol", "features column: an ML Vector (dense or sparse), an"
        + " array<double> or array<float> column; ignored when featuresCols is set");
    featuresCols = new StringArrayParam(parent, "featuresCols", "numeric feature columns (used instead of"
        + " featuresCol when not empty)");
    predictionCol = new Param<>(parent, "predictionCol", "prediction column name (int component index)");
    probabilityCol = new Param<>(parent, "probabilityCol", "column of posterior probabilities (an ML Vector);"
        + " empty for none");
    logDensityCol = new Param<>(parent, "logDensityCol", "column of log p(x) under the model; empty for none");
    weightCol = new Param<>(parent, "weightCol", "per-row sample weight column; empty for weight 1");
    k = new IntParam(parent, "k", "number of components (> 0)", ParamValidators.gt(0));
    maxIter = new IntParam(parent, "maxIter", "maximum number of iterations (>= 1)", ParamValidators.gtEq(1));
    tol = new DoubleParam(parent, "tol", "stop when the mean log-likelihood (per unit weight) changes by less than"
        + " tol (scikit-learn's rule; Spark's GaussianMixture applies tol to the total); K-means: when J's"
        + " relative decrease falls below tol (0: when no assignment changes)", ParamValidators.gtEq(0));
    seed = new LongParam(parent, "seed", "random seed (all randomness is derived per row from it)");
    aggregationDepth = new IntParam(parent, "aggregationDepth", "treeAggregate depth (>= 1)",
        ParamValidators.gtEq(1));
    restarts = new IntParam(parent, "restarts", "seeded candidates run in the same scans; the best is kept",
        ParamValidators.gtEq(1));
    initMode = new Param<>(parent, "initMode", "seeding: auto, kmeans++, kmeans|| (also Spark's k-means||)"
        + " or random", ParamValidators.inArray(new String[] {"auto", "kmeans++", "kmeans||", "k-means||",
            "random"}));
    handleInvalid = new Param<>(parent, "handleInvalid", "a row with a null, NaN or infinite feature is an"
        + " error (error) or is left out and counted (skip)", ParamValidators.inArray(new String[] {"error",
            "skip"}));
    covarianceType = new Param<>(parent, "covarianceType", "full, diag, spherical or tied",
        ParamValidators.inArray(new String[] {"full", "diag", "spherical", "tied"}));
    regCovar = new DoubleParam(parent, "regCovar", "added to every covariance diagonal (>= 0)",
        ParamValidators.gtEq(0));
    distanceMeasure = new Param<>(parent, "distanceMeasure", "euclidean or cosine (spherical K-means: rows"
        + " and centres scaled to unit length)", ParamValidators.inArray(new String[] {"euclidean", "cosine"}));
    standardErrors = new Param<>(parent, "standardErrors", "standard errors of the fitted weights, means and"
        + " covariances from the observed information (observed, Louis 1982) or the outer products of the"
        + " scores (opg), one more scan; none (the default) for none",
        ParamValidators.inArray(new String[] {"none", "observed", "opg"}));
    weightPrior = new Param<>(parent, "weightPrior", "the weights' prior: dirichlet-process (stick-breaking) or"
        + " dirichlet-distribution (scikit-learn's weight_concentration_prior_type)",
        ParamValidators.inArray(new String[] {"dirichlet-process", "dirichlet-distribution"}));
    weightConcentration = new DoubleParam(parent, "weightConcentration", "the weights' concentration prior"
        + " gamma_0 (> 0; 0, the default, for 1/k as scikit-learn)", ParamValidators.gtEq(0));
    meanPrecision = new DoubleParam(parent, "meanPrecision", "the means' precision prior beta_0 (> 0)",
        ParamValidators.gt(0));
    degreesOfFreedom = new DoubleParam(parent, "degreesOfFreedom", "the Wishart degrees of freedom nu_0 (> d - 1;"
        + " 0, the default, for d)", ParamValidators.gtEq(0));
    gmmInitialModel = new InitialModelParam<>(parent, GaussianMixtureModel::new);
    kmeansInitialModel = new InitialModelParam<>(parent, KMeansModel::new);
  }

  /** The defaults every stage shares: Spark's column names and k 2, the CLI's defaults otherwise. */
  void commonDefaults(Params stage) {
    stage.setDefault(featuresCol, "features");
    stage.setDefault(featuresCols, new String[0]);
    stage.setDefault(predictionCol, "prediction");
    stage.setDefault(weightCol, "");
    stage.setDefault(k, 2);
    stage.setDefault(maxIter, 100);
    stage.setDefault(tol, 1e-3);
    stage.setDefault(seed, 0L);
    stage.setDefault(aggregationDepth, 2);
    stage.setDefault(restarts, 1);
    stage.setDefault(initMode, "auto");
    stage.setDefault(handleInvalid, "error");
  }

  void gmmDefaults(Params stage) {
    commonDefaults(stage);
    stage.setDefault(probabilityCol, "probability");
    stage.setDefault(logDensityCol, "");
    stage.setDefault(covarianceType, "full");
    stage.setDefault(regCovar, 1e-6);
    stage.setDefault(standardErrors, "none");
  }

  /** A variational mixture's: the GMM's, with scikit-learn's BayesianGaussianMixture priors. */
  void vbDefaults(Params stage) {
    gmmDefaults(stage);
    stage.setDefault(weightPrior, "dirichlet-process");
    stage.setDefault(weightConcentration, 0.0);
    stage.setDefault(meanPrecision, 1.0);
    stage.setDefault(degreesOfFreedom, 0.0);
  }

  void kmeansDefaults(Params stage) {
    commonDefaults(stage);
    stage.setDefault(distanceMeasure, "euclidean");
  }
}
