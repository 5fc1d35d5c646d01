package dev.latent.spark;

import dev.latent.config.PredictOptions;
import dev.latent.em.Distance;
import dev.latent.em.Mixture;
import dev.latent.em.ModelKind;
import dev.latent.em.OutlierThreshold;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import dev.latent.io.ModelStore;
import dev.latent.io.OutputDir;
import dev.latent.io.SummaryJson;
import dev.latent.io.UsageException;
import dev.latent.model.MixtureModel;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code latent predict}: assign the rows of new data to a fitted model's components, score and flag them. */
public final class PredictJob {
  private static final Logger LOG = LoggerFactory.getLogger(PredictJob.class);

  private PredictJob() {}

  /** Where the output went, and the outlier threshold when outliers were flagged (else null). */
  public record Outcome(String output, OutlierThreshold threshold) {}

  public static Outcome run(JavaSparkContext jsc, PredictOptions o) {
    Configuration conf = jsc.hadoopConfiguration();
    MixtureModel model = ModelStore.read(conf, o.model());
    Mixture mixture;
    try {
      mixture = model.toMixture();
    } catch (Mixture.DegenerateComponentException e) {
      throw new InputException(o.model() + ": " + e.getMessage());
    }
    // A vbgmm scores rows by its expected log-probabilities, as scikit-learn's predict_proba and score_samples.
    boolean gmm = model.kind().gaussian();
    if (o.flagOutliers() && !gmm) {
      throw new UsageException("--outlier-quantile needs a Gaussian mixture: " + o.model()
          + " is a K-means model, which has no density");
    }
    OutputDir out = OutputDir.prepare(conf, o.output(), o.overwrite());
    try (out) {
      InputFiles files = InputFiles.resolve(conf, o.input());
      List<String> header = List.of(files.header());
      for (String f : model.features()) {
        if (!header.contains(f)) {
          throw new InputException(o.model() + ": the model's feature '" + f + "' is not a column of "
              + files.name(0) + " (columns: " + String.join(",", header) + ")");
        }
      }
      InputSchema schema = InputSchema.resolve(files.name(0), files.header(), model.features(), List.of(),
          null, null);
      Assignments.Scoring scoring = Assignments.Scoring.of(gmm, model.distance() == Distance.COSINE);
      OutlierThreshold t = null;
      if (o.flagOutliers()) {
        t = Assignments.threshold(jsc, files, schema, mixture, scoring.unitRows(), o.partitions(),
            o.aggregationDepth(), o.outlierQuantile());
        LOG.info("outlier threshold: log-density {} (rank {} of {} rows, {} passes); {} rows flagged",
            t.value(), t.rank(), t.rows(), t.passes(), t.flagged());
        Assignments.writeFlagged(jsc, files, schema, mixture, scoring, t, o.partitions(), out.staged("assignments"));
      } else {
        Assignments.write(jsc, files, schema, mixture, scoring, o.partitions(), out.staged("assignments"));
      }
      out.writeText("summary.json", SummaryJson.predict(o.model(), o.input(), t));
      out.commit();
      return new Outcome(out.target(), t);
    }
  }
}
