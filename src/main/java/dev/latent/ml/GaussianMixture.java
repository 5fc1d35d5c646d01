package dev.latent.ml;

import dev.latent.diagnostics.InformationMethod;
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
 * A Gaussian mixture fitted by EM on Latent's engine, a drop-in for
 * {@code org.apache.spark.ml.clustering.GaussianMixture}: the same param names ({@code featuresCol},
 * {@code predictionCol}, {@code probabilityCol}, {@code weightCol}, {@code k}, {@code maxIter},
 * {@code tol}, {@code seed}, {@code aggregationDepth}) plus {@code covarianceType}, {@code regCovar},
 * {@code restarts}, {@code initMode}, {@code initialModel}, {@code logDensityCol}, {@code featuresCols}
 * and {@code handleInvalid}. Defaults are the CLI's ({@code maxIter} 100, {@code tol} 1e-3 on the mean
 * log-likelihood, {@code seed} 0, init auto) with Spark's column names and k 2; with the same data,
 * seed and settings the model equals {@code latent fit}'s.
 *
 * <pre>{@code new GaussianMixture().setK(8).setSeed(7).setMaxIter(200).setTol(1e-6).fit(df)}</pre>
 */
public class GaussianMixture extends Estimator<GaussianMixtureModel>
    implements GaussianMixtureParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamSet latent;

  public GaussianMixture() {
    this(Identifiable.randomUID("latentGmm"));
  }

  public GaussianMixture(String uid) {
    this.uid = uid;
    this.latent = new ParamSet(this);
    latent.gmmDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public ParamSet latentParams() {
    return latent;
  }

  public GaussianMixture setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public GaussianMixture setFeaturesCols(String[] value) {
    set(featuresCols(), value);
    return this;
  }

  public GaussianMixture setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  public GaussianMixture setProbabilityCol(String value) {
    set(probabilityCol(), value);
    return this;
  }

  public GaussianMixture setLogDensityCol(String value) {
    set(logDensityCol(), value);
    return this;
  }

  public GaussianMixture setWeightCol(String value) {
    set(weightCol(), value);
    return this;
  }

  public GaussianMixture setK(int value) {
    set(k(), value);
    return this;
  }

  public GaussianMixture setMaxIter(int value) {
    set(maxIter(), value);
    return this;
  }

  public GaussianMixture setTol(double value) {
    set(tol(), value);
    return this;
  }

  public GaussianMixture setSeed(long value) {
    set(seed(), value);
    return this;
  }

  public GaussianMixture setAggregationDepth(int value) {
    set(aggregationDepth(), value);
    return this;
  }

  public GaussianMixture setRestarts(int value) {
    set(restarts(), value);
    return this;
  }

  public GaussianMixture setInitMode(String value) {
    set(initMode(), value);
    return this;
  }

  public GaussianMixture setHandleInvalid(String value) {
    set(handleInvalid(), value);
    return this;
  }

  public GaussianMixture setCovarianceType(String value) {
    set(covarianceType(), value);
    return this;
  }

  public GaussianMixture setRegCovar(double value) {
    set(regCovar(), value);
    return this;
  }

  public GaussianMixture setStandardErrors(String value) {
    set(standardErrors(), value);
    return this;
  }

  public GaussianMixture setInitialModel(GaussianMixtureModel value) {
    set(initialModel(), value);
    return this;
  }

  @Override
  public GaussianMixtureModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    GaussianMixtureModel initial = isDefined(initialModel()) ? getInitialModel() : null;
    InformationMethod se = getStandardErrors().equals("none") ? null : InformationMethod.parse(getStandardErrors());
    Fitting.Fitted f = Fitting.run(dataset, this, ModelKind.GMM, CovarianceType.parse(getCovarianceType()),
        Distance.EUCLIDEAN, getRegCovar(), initial, null, se);
    GaussianMixtureModel m = new GaussianMixtureModel(uid, f.model(),
        new GaussianMixtureSummary(f.result(), f.skipped(), f.standardErrors()));
    return copyValues(m, ParamMap.empty()).setParent(this);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return GaussianMixtureModel.outputSchema(this, schema);
  }

  @Override
  public GaussianMixture copy(ParamMap extra) {
    return (GaussianMixture) defaultCopy(extra);
  }

  public static MLReader<GaussianMixture> read() {
    return new DefaultParamsReader<>();
  }

  public static GaussianMixture load(String path) {
    return read().load(path);
  }
}
