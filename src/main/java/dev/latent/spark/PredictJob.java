package dev.latent.spark;

import dev.latent.config.PredictOptions;
import dev.latent.em.Mixture;
import dev.latent.em.ModelKind;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import dev.latent.io.ModelStore;
import dev.latent.io.OutputDir;
import dev.latent.model.MixtureModel;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/** {@code latent predict}: assign the rows of new data to a fitted model's components. */
public final class PredictJob {
  private PredictJob() {}

  public static String run(JavaSparkContext jsc, PredictOptions o) {
    Configuration conf = jsc.hadoopConfiguration();
    MixtureModel model = ModelStore.read(conf, o.model());
    Mixture mixture;
    try {
      mixture = model.toMixture();
    } catch (Mixture.DegenerateComponentException e) {
      throw new InputException(o.model() + ": " + e.getMessage());
    }
    OutputDir out = OutputDir.prepare(conf, o.output(), o.overwrite());
    try {
      InputFiles files = InputFiles.resolve(conf, o.input());
      List<String> header = List.of(files.header());
      for (String f : model.features()) {
        if (!header.contains(f)) {
          throw new InputException(files.files().get(0) + ": the model's feature '" + f
              + "' is not a column of the input (columns: " + String.join(",", header) + ")");
        }
      }
      InputSchema schema = InputSchema.resolve(files.files().get(0), files.header(), model.features(), List.of(),
          null, null);
      Assignments.write(jsc, files, schema, mixture, model.kind() == ModelKind.GMM, o.partitions(),
          out.staged("assignments"));
      out.commit();
      return out.target();
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }
}
