package dev.latent.spark;

import dev.latent.config.PredictOptions;
import dev.latent.em.Distance;
import dev.latent.io.BadRows;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import dev.latent.io.ModelStore;
import dev.latent.io.OutputDir;
import dev.latent.io.SummaryJson;
import dev.latent.io.UsageException;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.OutlierThreshold;
import dev.latent.model.MixtureModel;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
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
      String format = SourceInput.formatOf(conf, o.input(), o.format());
      if (!format.equals("csv")) {
        return fromSource(jsc, o, model, mixture, format, out);
      }
      InputFiles files = InputFiles.resolve(conf, o.input(), o.delimiter());
      List<String> header = List.of(files.header());
      for (String f : model.features()) {
        if (!header.contains(f)) {
          throw new InputException(o.model() + ": the model's feature '" + f + "' is not a column of "
              + files.name(0) + " (columns: " + String.join(",", header) + ")");
        }
      }
      InputSchema schema = InputSchema.resolve(files.name(0), files.header(), model.features(), List.of(),
          null, null, o.delimiter());
      Assignments.Scoring scoring = Assignments.Scoring.of(gmm, model.distance() == Distance.COSINE)
          .skippingBadRows(o.skipBadRows());
      OutlierThreshold t = null;
      BadRows skipped;
      if (o.flagOutliers()) {
        t = Assignments.threshold(jsc, files, schema, mixture, scoring, o.partitions(),
            o.aggregationDepth(), o.outlierQuantile());
        OutlierThreshold flagged = t;
        String name = o.outputFormat().equals("parquet") ? ".assignments-csv" : "assignments";
        skipped = out.save(name, path -> Assignments.writeFlagged(jsc, files, schema, mixture, scoring,
            flagged, o.partitions(), path));
      } else {
        String name = o.outputFormat().equals("parquet") ? ".assignments-csv" : "assignments";
        skipped = out.save(name, path -> Assignments.write(jsc, files, schema, mixture, scoring,
            o.partitions(), path));
      }
      if (o.outputFormat().equals("parquet")) {
        String csv = out.staged(".assignments-csv");
        out.save("assignments", path -> {
          SourceInput.csvToParquet(jsc, csv, model.features(), path);
          return path;
        });
      }
      if (skipped.count() > 0) {
        LOG.warn("{} bad row(s) left out (--on-bad-row skip); the first: {}", skipped.count(),
            skipped.examples().get(0));
      }
      out.writeText("summary.json", SummaryJson.predict(o.model(), o.input(), t,
          new SummaryJson.Skipped(o.skipBadRows(), skipped)));
      out.commit();
      return new Outcome(out.target(), t);
    }
  }

  /**
   * Parquet, ORC or JSON input: every row with cluster (GMMs: p0..p{K-1}, logDensity), in the input's
   * order; with --outlier-quantile the threshold is selected as for CSV from the log-densities cached
   * once, then the rows are scored again as they are written.
   */
  private static Outcome fromSource(JavaSparkContext jsc, PredictOptions o, MixtureModel model, Mixture mixture,
      String format, OutputDir out) {
    SourceInput source = SourceInput.open(jsc, o.input(), format);
    List<String> columns = List.of(source.schema.fieldNames());
    for (String f : model.features()) {
      if (!columns.contains(f)) {
        throw new InputException(o.model() + ": the model's feature '" + f + "' is not a column of "
            + source.name(0) + " (columns: " + String.join(",", columns) + ")");
      }
    }
    source.features(model.features(), List.of(), null, null);
    boolean gmm = model.kind().gaussian();
    SourceInput.Scoring scoring = new SourceInput.Scoring(gmm, gmm, model.distance() == Distance.COSINE, false);
    OutlierThreshold t = null;
    if (o.flagOutliers()) {
      JavaRDD<double[]> dens = source.logDensities(mixture, model.features(), scoring)
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        t = Assignments.select(dens, o.outlierQuantile(), o.aggregationDepth());
      } finally {
        dens.unpersist(false);
      }
    }
    source.writeAssignments(mixture, model.features(), scoring, t, o.outputFormat(), out.staged("assignments"));
    out.writeText("summary.json", SummaryJson.predict(o.model(), o.input(), t));
    out.commit();
    return new Outcome(out.target(), t);
  }
}
