package dev.latent.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * The params Latent's Gaussian mixtures and K-means share, each a public no-argument method returning
 * its {@code Param} (how Spark's reflection finds params) with its getter. Setters are on the concrete
 * classes, so that they return them and calls chain.
 */
public interface MixtureParams extends Params {
  /** The stage's param objects (internal). */
  ParamSet latentParams();

  /** Features column: an ML Vector (dense or sparse), array&lt;double&gt; or array&lt;float&gt; [features]. */
  default Param<String> featuresCol() {
    return latentParams().featuresCol;
  }

  /** Numeric feature columns, used instead of {@link #featuresCol()} when not empty (no VectorAssembler needed). */
  default StringArrayParam featuresCols() {
    return latentParams().featuresCols;
  }

  default Param<String> predictionCol() {
    return latentParams().predictionCol;
  }

  /** Per-row sample weights; empty (the default) for weight 1. Weight 2 is the row twice. */
  default Param<String> weightCol() {
    return latentParams().weightCol;
  }

  /** Number of components [2]. */
  default IntParam k() {
    return latentParams().k;
  }

  /** Iteration cap [100]. */
  default IntParam maxIter() {
    return latentParams().maxIter;
  }

  /**
   * Tolerance [1e-3]. Unlike Spark's GaussianMixture (a change of the total log-likelihood), EM stops when
   * the mean log-likelihood per unit weight changes by less than tol, as scikit-learn does, so tol does not
   * depend on n. K-means stops when no assignment changes or, with tol &gt; 0, when J's relative decrease
   * falls below tol (Spark's KMeans: when no centre moves more than tol).
   */
  default DoubleParam tol() {
    return latentParams().tol;
  }

  /** Seed [0]; every random choice is drawn per row from (seed, step, row position). */
  default LongParam seed() {
    return latentParams().seed;
  }

  /** treeAggregate depth [2]. */
  default IntParam aggregationDepth() {
    return latentParams().aggregationDepth;
  }

  /** Seeded candidates run in the same scans; the best is kept [1]. */
  default IntParam restarts() {
    return latentParams().restarts;
  }

  /**
   * Seeding [auto]: auto (k-means|| from 100,000 rows when K &gt; 7, else k-means++), kmeans++, kmeans||
   * (Spark's name k-means|| is accepted) or random.
   */
  default Param<String> initMode() {
    return latentParams().initMode;
  }

  /** error (default): a null, NaN or infinite feature fails the fit naming column and row; skip: left out, counted. */
  default Param<String> handleInvalid() {
    return latentParams().handleInvalid;
  }

  default String getFeaturesCol() {
    return (String) getOrDefault(featuresCol());
  }

  default String[] getFeaturesCols() {
    return (String[]) getOrDefault(featuresCols());
  }

  default String getPredictionCol() {
    return (String) getOrDefault(predictionCol());
  }

  default String getWeightCol() {
    return (String) getOrDefault(weightCol());
  }

  default int getK() {
    return (Integer) getOrDefault(k());
  }

  default int getMaxIter() {
    return (Integer) getOrDefault(maxIter());
  }

  default double getTol() {
    return (Double) getOrDefault(tol());
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  default int getAggregationDepth() {
    return (Integer) getOrDefault(aggregationDepth());
  }

  default int getRestarts() {
    return (Integer) getOrDefault(restarts());
  }

  default String getInitMode() {
    return (String) getOrDefault(initMode());
  }

  default String getHandleInvalid() {
    return (String) getOrDefault(handleInvalid());
  }
}
