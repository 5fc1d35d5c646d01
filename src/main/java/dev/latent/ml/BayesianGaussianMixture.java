package dev.latent.ml;

import dev.latent.em.Distance;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.vb.PriorSettings;
import dev.latent.vb.WeightPrior;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A variational Bayesian Gaussian mixture (scikit-learn's {@code BayesianGaussianMixture}; {@code latent fit
 * --model vbgmm}) as a Spark ML estimator: k is an upper bound, the components the data do not need keep
 * weights near zero. Params: {@link GaussianMixture}'s, with {@code tol} on the change of the total lower
 * bound (scikit-learn's rule), plus the priors {@code weightPrior}, {@code weightConcentration} (0: 1/k),
 * {@code meanPrecision} (1) and {@code degreesOfFreedom} (0: d). The model is a {@link GaussianMixtureModel}:
 * {@code transform} gives scikit-learn's {@code predict_proba} and {@code score_samples}; its summary has
 * the lower bound. With the same data, seed and settings the model equals {@code latent fit}'s.
 *
 * <pre>{@code new BayesianGaussianMixture().setK(10).setWeightPrior("dirichlet-process").fit(df)}</pre>
 */
public class BayesianGaussianMixture extends Estimator<GaussianMixtureModel>
    implements BayesianGaussianMixtureParams, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamSet latent;

  public BayesianGaussianMixture() {
    this(Identifiable.randomUID("latentVbgmm"));
  }

  public BayesianGaussianMixture(String uid) {
    this.uid = uid;
    this.latent = new ParamSet(this);
    latent.vbDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public ParamSet latentParams() {
    return latent;
  }

  public BayesianGaussianMixture setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public BayesianGaussianMixture setFeaturesCols(String[] value) {
    set(featuresCols(), value);
    return this;
  }

  public BayesianGaussianMixture setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  public BayesianGaussianMixture setProbabilityCol(String value) {
    set(probabilityCol(), value);
    return this;
  }

  public BayesianGaussianMixture setLogDensityCol(String value) {
    set(logDensityCol(), value);
    return this;
  }

  public BayesianGaussianMixture setWeightCol(String value) {
    set(weightCol(), value);
    return this;
  }

  public BayesianGaussianMixture setK(int value) {
    set(k(), value);
    return this;
  }

  public BayesianGaussianMixture setMaxIter(int value) {
    set(maxIter(), value);
    return this;
  }

  public BayesianGaussianMixture setTol(double value) {
    set(tol(), value);
    return this;
  }

  public BayesianGaussianMixture setSeed(long value) {
    set(seed(), value);
    return this;
  }

  public BayesianGaussianMixture setAggregationDepth(int value) {
    set(aggregationDepth(), value);
    return this;
  }

  public BayesianGaussianMixture setRestarts(int value) {
    set(restarts(), value);
    return this;
  }

  public BayesianGaussianMixture setInitMode(String value) {
    set(initMode(), value);
    return this;
  }

  public BayesianGaussianMixture setHandleInvalid(String value) {
    set(handleInvalid(), value);
    return this;
  }

  public BayesianGaussianMixture setCovarianceType(String value) {
    set(covarianceType(), value);
    return this;
  }

  public BayesianGaussianMixture setRegCovar(double value) {
    set(regCovar(), value);
    return this;
  }

  public BayesianGaussianMixture setWeightPrior(String value) {
    set(weightPrior(), value);
    return this;
  }

  public BayesianGaussianMixture setWeightConcentration(double value) {
    set(weightConcentration(), value);
    return this;
  }

  public BayesianGaussianMixture setMeanPrecision(double value) {
    set(meanPrecision(), value);
    return this;
  }

  public BayesianGaussianMixture setDegreesOfFreedom(double value) {
    set(degreesOfFreedom(), value);
    return this;
  }

  /** A fitted model to start from: a vbgmm continues from its posterior, a GMM from its responsibilities. */
  public BayesianGaussianMixture setInitialModel(GaussianMixtureModel value) {
    set(initialModel(), value);
    return this;
  }

  @Override
  public GaussianMixtureModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    if (!getStandardErrors().equals("none")) {
      throw new IllegalArgumentException("standardErrors are those of a maximum-likelihood fit"
          + " (GaussianMixture), not of a variational posterior");
    }
    GaussianMixtureModel initial = isDefined(initialModel()) ? getInitialModel() : null;
    // 0 stands for scikit-learn's data-dependent defaults (1/k, d), which the priors compute from NaN.
    PriorSettings priors = new PriorSettings(WeightPrior.parse(getWeightPrior()),
        getWeightConcentration() == 0.0 ? Double.NaN : getWeightConcentration(), getMeanPrecision(),
        getDegreesOfFreedom() == 0.0 ? Double.NaN : getDegreesOfFreedom());
    Fitting.Fitted f = Fitting.run(dataset, this, ModelKind.VBGMM, CovarianceType.parse(getCovarianceType()),
        Distance.EUCLIDEAN, getRegCovar(), initial, priors, null);
    GaussianMixtureModel m = new GaussianMixtureModel(uid, f.model(),
        new GaussianMixtureSummary(f.result(), f.skipped(), null));
    return copyValues(m, ParamMap.empty()).setParent(this);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return GaussianMixtureModel.outputSchema(this, schema);
  }

  @Override
  public BayesianGaussianMixture copy(ParamMap extra) {
    return (BayesianGaussianMixture) defaultCopy(extra);
  }

  public static MLReader<BayesianGaussianMixture> read() {
    return new DefaultParamsReader<>();
  }

  public static BayesianGaussianMixture load(String path) {
    return read().load(path);
  }
}
