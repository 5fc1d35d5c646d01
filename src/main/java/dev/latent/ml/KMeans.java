package dev.latent.ml;

import dev.latent.em.Distance;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * K-means (Lloyd's algorithm, the hard-assignment variant of Latent's EM mapper), a drop-in for
 * {@code org.apache.spark.ml.clustering.KMeans}: {@code k}, {@code maxIter}, {@code tol}, {@code seed},
 * {@code initMode}, {@code distanceMeasure}, {@code weightCol}, {@code featuresCol},
 * {@code predictionCol}, plus {@code restarts}, {@code initialModel}, {@code aggregationDepth},
 * {@code featuresCols} and {@code handleInvalid}. {@code tol} differs from Spark's: with tol &gt; 0 the
 * fit stops when J's relative decrease falls below tol (Spark: when no centre moves more than tol);
 * with tol 0 when no assignment changes. Defaults are the CLI's (maxIter 100, tol 1e-3, seed 0, init
 * auto); the same data and settings give {@code latent fit --model kmeans}'s model.
 */
public class KMeans extends Estimator<KMeansModel> implements KMeansParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamSet latent;

  public KMeans() {
    this(Identifiable.randomUID("latentKmeans"));
  }

  public KMeans(String uid) {
    this.uid = uid;
    this.latent = new ParamSet(this);
    latent.kmeansDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public ParamSet latentParams() {
    return latent;
  }

  public KMeans setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public KMeans setFeaturesCols(String[] value) {
    set(featuresCols(), value);
    return this;
  }

  public KMeans setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  public KMeans setWeightCol(String value) {
    set(weightCol(), value);
    return this;
  }

  public KMeans setK(int value) {
    set(k(), value);
    return this;
  }

  public KMeans setMaxIter(int value) {
    set(maxIter(), value);
    return this;
  }

  public KMeans setTol(double value) {
    set(tol(), value);
    return this;
  }

  public KMeans setSeed(long value) {
    set(seed(), value);
    return this;
  }

  public KMeans setAggregationDepth(int value) {
    set(aggregationDepth(), value);
    return this;
  }

  public KMeans setRestarts(int value) {
    set(restarts(), value);
    return this;
  }

  public KMeans setInitMode(String value) {
    set(initMode(), value);
    return this;
  }

  public KMeans setHandleInvalid(String value) {
    set(handleInvalid(), value);
    return this;
  }

  public KMeans setDistanceMeasure(String value) {
    set(distanceMeasure(), value);
    return this;
  }

  public KMeans setInitialModel(KMeansModel value) {
    set(initialModel(), value);
    return this;
  }

  @Override
  public KMeansModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    KMeansModel initial = isDefined(initialModel()) ? getInitialModel() : null;
    Distance distance = Distance.parse(getDistanceMeasure());
    Fitting.Fitted f = Fitting.run(dataset, this, ModelKind.KMEANS, CovarianceType.FULL, distance, 0.0, initial);
    KMeansModel m = new KMeansModel(uid, f.model(),
        new KMeansSummary(f.result(), f.skipped(), distance == Distance.COSINE));
    return copyValues(m, ParamMap.empty()).setParent(this);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return KMeansModel.outputSchema(this, schema);
  }

  @Override
  public KMeans copy(ParamMap extra) {
    return (KMeans) defaultCopy(extra);
  }

  public static MLReader<KMeans> read() {
    return new DefaultParamsReader<>();
  }

  public static KMeans load(String path) {
    return read().load(path);
  }
}
