package dev.latent.ml;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.mixture.Posterior;
import dev.latent.model.MixtureModel;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.stat.distribution.MultivariateGaussian;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted Gaussian mixture, as {@code org.apache.spark.ml.clustering.GaussianMixtureModel}:
 * {@link #transform} adds the prediction (int), the probabilities (an ML Vector) and, when
 * {@code logDensityCol} is set, log p(x). Saved as a folder holding Spark's metadata and Latent's
 * {@code model.json}, which the CLI's {@code --init}, {@code --align-to} and {@code predict --model}
 * also read. A {@link BayesianGaussianMixture} gives one too, scoring rows by its posterior.
 */
public class GaussianMixtureModel extends Model<GaussianMixtureModel>
    implements GaussianMixtureParams, MLWritable, LatentModel {
  private static final long serialVersionUID = 1L;
  private static final String SCORES = "__latent_scores";

  private final String uid;
  private final ParamSet latent;
  private final MixtureModel fitted;
  private final GaussianMixtureSummary summary;

  /** A model without parameters (Spark Connect and readers construct stages this way). */
  public GaussianMixtureModel() {
    this(Identifiable.randomUID("latentGmm"));
  }

  public GaussianMixtureModel(String uid) {
    this(uid, null, null);
  }

  GaussianMixtureModel(MixtureModel fitted) {
    this(Identifiable.randomUID("latentGmm"), fitted, null);
  }

  GaussianMixtureModel(String uid, MixtureModel fitted, GaussianMixtureSummary summary) {
    if (fitted != null && !fitted.kind().gaussian()) {
      throw new IllegalArgumentException("a " + fitted.kind().key() + " model is not a Gaussian mixture");
    }
    this.uid = uid;
    this.latent = new ParamSet(this);
    latent.gmmDefaults(this);
    this.fitted = fitted;
    this.summary = summary;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public ParamSet latentParams() {
    return latent;
  }

  @Override
  public MixtureModel latentModel() {
    if (fitted == null) {
      throw new IllegalStateException("this GaussianMixtureModel has no parameters: fit or load one");
    }
    return fitted;
  }

  public GaussianMixtureModel setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public GaussianMixtureModel setFeaturesCols(String[] value) {
    set(featuresCols(), value);
    return this;
  }

  public GaussianMixtureModel setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  public GaussianMixtureModel setProbabilityCol(String value) {
    set(probabilityCol(), value);
    return this;
  }

  public GaussianMixtureModel setLogDensityCol(String value) {
    set(logDensityCol(), value);
    return this;
  }

  /** The component weights. */
  public double[] weights() {
    return latentModel().weights().clone();
  }

  /**
   * The components as mllib-local Gaussians (full covariance matrices, whatever the covariance type); of a
   * variational mixture its posterior's means and covariances (scikit-learn's means_, covariances_).
   */
  public MultivariateGaussian[] gaussians() {
    Mixture m = parameters();
    MultivariateGaussian[] g = new MultivariateGaussian[m.k];
    for (int j = 0; j < m.k; j++) {
      // Symmetric, so the row-major values are also the column-major ones DenseMatrix expects.
      g[j] = new MultivariateGaussian(Vectors.dense(m.mean(j)), new DenseMatrix(m.d, m.d, m.fullCovariance(j)));
    }
    return g;
  }

  /** The features' names, in the order of the means' coordinates. */
  public List<String> featureNames() {
    return latentModel().features();
  }

  /** The covariance type it was fitted with. */
  public String covarianceTypeFitted() {
    CovarianceType t = latentModel().covariance();
    return t.key();
  }

  /** The most probable component of one row. */
  public int predict(Vector features) {
    return scorer().score(features);
  }

  /** The posterior probabilities of one row. */
  public Vector predictProbability(Vector features) {
    Features.Scorer s = scorer();
    s.score(features);
    return Vectors.dense(s.last().probabilities().clone());
  }

  /** log p(x) of one row. */
  public double logDensity(Vector features) {
    Features.Scorer s = scorer();
    s.score(features);
    return s.last().logDensity();
  }

  public boolean hasSummary() {
    return summary != null;
  }

  /** The training summary; like Spark's, only on a model just fitted (not on one loaded). */
  public GaussianMixtureSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("no training summary available for this GaussianMixtureModel");
    }
    return summary;
  }

  /** The weights, means and covariances as a mixture (a vbgmm scores rows by another: {@link #mixture}). */
  private Mixture parameters() {
    MixtureModel v = latentModel();
    if (v.kind() != ModelKind.VBGMM) {
      return mixture();
    }
    try {
      return Mixture.of(v.covariance(), v.weights(), v.means(), v.covariances());
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalStateException("the model's covariances are not usable: " + e.getMessage(), e);
    }
  }

  /** The mixture that scores rows (a vbgmm: its expected log-weights and precisions, as predict_proba). */
  private Mixture mixture() {
    try {
      return latentModel().toMixture();
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalStateException("the model cannot score rows: " + e.getMessage(), e);
    }
  }

  private Features.Scorer scorer() {
    return new Features.Scorer(mixture(), false, String.join(",", Features.columns(this)));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    Features.Scorer s = scorer();
    StructType scores = new StructType().add("prediction", DataTypes.IntegerType, false)
        .add("probability", SQLDataTypes.VectorType(), false).add("logDensity", DataTypes.DoubleType, false);
    // Marked nondeterministic so the optimiser never inlines it once per extracted field (three E-steps a row).
    UserDefinedFunction f = functions.udf((UDF1<Vector, Row>) v -> {
      int c = s.score(v);
      Posterior p = s.last();
      return RowFactory.create(c, Vectors.dense(p.probabilities().clone()), p.logDensity());
    }, scores).asNondeterministic();
    Column in = Features.vector(dataset.schema(), Features.columns(this));
    Dataset<Row> out = dataset.toDF().withColumn(SCORES, f.apply(in));
    out = out.withColumn(getPredictionCol(), out.col(SCORES + ".prediction"));
    if (!getProbabilityCol().isEmpty()) {
      out = out.withColumn(getProbabilityCol(), out.col(SCORES + ".probability"));
    }
    if (!getLogDensityCol().isEmpty()) {
      out = out.withColumn(getLogDensityCol(), out.col(SCORES + ".logDensity"));
    }
    return out.drop(SCORES);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return outputSchema(this, schema);
  }

  static StructType outputSchema(GaussianMixtureParams p, StructType schema) {
    Features.validate(schema, Features.columns(p));
    StructType out = Features.append(schema, p.getPredictionCol(), DataTypes.IntegerType);
    out = Features.outputVector(out, p.getProbabilityCol());
    return Features.append(out, p.getLogDensityCol(), DataTypes.DoubleType);
  }

  @Override
  public GaussianMixtureModel copy(ParamMap extra) {
    GaussianMixtureModel m = new GaussianMixtureModel(uid, fitted, summary);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelIO.Writer(this, latentModel());
  }

  public static MLReader<GaussianMixtureModel> read() {
    return new ModelIO.Reader<>(GaussianMixtureModel.class, (uid, m) -> new GaussianMixtureModel(uid, m, null));
  }

  public static GaussianMixtureModel load(String path) {
    return read().load(path);
  }
}
