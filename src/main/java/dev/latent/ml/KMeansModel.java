package dev.latent.ml;

import dev.latent.em.Distance;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted K-means model, as {@code org.apache.spark.ml.clustering.KMeansModel}: {@link #transform} adds
 * the nearest centre's index (int). A cosine model scales rows to unit length before scoring them.
 * Saved as a folder holding Spark's metadata and Latent's {@code model.json}.
 */
public class KMeansModel extends Model<KMeansModel> implements KMeansParams, MLWritable, LatentModel {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamSet latent;
  private final MixtureModel fitted;
  private final KMeansSummary summary;

  /** A model without parameters (Spark Connect and readers construct stages this way). */
  public KMeansModel() {
    this(Identifiable.randomUID("latentKmeans"));
  }

  public KMeansModel(String uid) {
    this(uid, null, null);
  }

  KMeansModel(MixtureModel fitted) {
    this(Identifiable.randomUID("latentKmeans"), fitted, null);
  }

  KMeansModel(String uid, MixtureModel fitted, KMeansSummary summary) {
    if (fitted != null && fitted.kind() != ModelKind.KMEANS) {
      throw new IllegalArgumentException("a " + fitted.kind().key() + " model is not a K-means model");
    }
    this.uid = uid;
    this.latent = new ParamSet(this);
    latent.kmeansDefaults(this);
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
      throw new IllegalStateException("this KMeansModel has no parameters: fit or load one");
    }
    return fitted;
  }

  public KMeansModel setFeaturesCol(String value) {
    set(featuresCol(), value);
    return this;
  }

  public KMeansModel setFeaturesCols(String[] value) {
    set(featuresCols(), value);
    return this;
  }

  public KMeansModel setPredictionCol(String value) {
    set(predictionCol(), value);
    return this;
  }

  /** The centres (unit length for a cosine model). */
  public Vector[] clusterCenters() {
    double[][] mu = latentModel().means();
    Vector[] c = new Vector[mu.length];
    for (int j = 0; j < mu.length; j++) {
      c[j] = Vectors.dense(mu[j].clone());
    }
    return c;
  }

  /** The cluster fractions (by weight) of the fit. */
  public double[] weights() {
    return latentModel().weights().clone();
  }

  public List<String> featureNames() {
    return latentModel().features();
  }

  /** The nearest centre of one row (ties to the lowest index). */
  public int predict(Vector features) {
    return scorer().score(features);
  }

  public boolean hasSummary() {
    return summary != null;
  }

  /** The training summary; like Spark's, only on a model just fitted (not on one loaded). */
  public KMeansSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("no training summary available for this KMeansModel");
    }
    return summary;
  }

  private Features.Scorer scorer() {
    Mixture m;
    try {
      m = latentModel().toMixture();
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalStateException("the model cannot score rows: " + e.getMessage(), e);
    }
    return new Features.Scorer(m, latentModel().distance() == Distance.COSINE,
        String.join(",", Features.columns(this)));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    Features.Scorer s = scorer();
    UserDefinedFunction f = functions.udf((UDF1<Vector, Integer>) s::score, DataTypes.IntegerType);
    return dataset.toDF().withColumn(getPredictionCol(),
        f.apply(Features.vector(dataset.schema(), Features.columns(this))));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return outputSchema(this, schema);
  }

  static StructType outputSchema(KMeansParams p, StructType schema) {
    Features.validate(schema, Features.columns(p));
    return Features.append(schema, p.getPredictionCol(), DataTypes.IntegerType);
  }

  @Override
  public KMeansModel copy(ParamMap extra) {
    KMeansModel m = new KMeansModel(uid, fitted, summary);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new ModelIO.Writer(this, latentModel());
  }

  public static MLReader<KMeansModel> read() {
    return new ModelIO.Reader<>(KMeansModel.class, (uid, m) -> new KMeansModel(uid, m, null));
  }

  public static KMeansModel load(String path) {
    return read().load(path);
  }
}
