package dev.latent.spark;

import dev.latent.config.FitOptions;
import dev.latent.em.EmLoop;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.Mixture;
import dev.latent.em.ModelKind;
import dev.latent.em.StartParams;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import dev.latent.io.ModelJson;
import dev.latent.io.ModelStore;
import dev.latent.io.OutputDir;
import dev.latent.io.SummaryJson;
import dev.latent.model.MixtureModel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code latent fit}: load and cache the input, run EM, write model, summary and assignments atomically. */
public final class FitJob {
  private static final Logger LOG = LoggerFactory.getLogger(FitJob.class);

  private FitJob() {}

  /** What a finished fit reports to the command line. */
  public record Outcome(String output, FitResult result, double seconds) {}

  public static Outcome run(JavaSparkContext jsc, FitOptions o) {
    long t0 = System.nanoTime();
    String started = Instant.now().toString();
    Configuration conf = jsc.hadoopConfiguration();
    OutputDir out = OutputDir.prepare(conf, o.output(), o.overwrite());
    try {
      InputFiles files = InputFiles.resolve(conf, o.input());
      InputSchema schema = InputSchema.resolve(files.files().get(0), files.header(), o.features(), o.exclude(),
          o.weightCol(), o.initLabels());
      List<String> features = List.of(schema.featureNames);
      InitMethod init;
      StartParams start = null;
      if (o.initLabels() != null) {
        init = InitMethod.LABELS;
      } else if (o.init().equals("kmeans++")) {
        init = InitMethod.KMEANS_PP;
      } else if (o.init().equals("random")) {
        init = InitMethod.RANDOM;
      } else {
        init = InitMethod.MODEL;
        start = initialModel(conf, o, features);
      }
      LOG.info("input {}: {} file(s), features {}", o.input(), files.files().size(), features);
      try (InputData data = InputData.load(jsc, files, schema, o.k(), o.partitions(), o.aggregationDepth())) {
        long n = data.columns.rows;
        if (n < o.k()) {
          throw new InputException(o.input() + ": " + n + " data rows, fewer than k = " + o.k());
        }
        LOG.info("cached {} rows x {} features in {} partitions", n, schema.dimension(),
            data.blocks.getNumPartitions());
        FitSpec spec = new FitSpec(o.model(), o.covariance(), o.k(), o.maxIter(), o.tol(), o.regCovar(), o.seed(),
            init, start, o.restarts());
        FitResult r = EmLoop.fit(new SparkDataPass(jsc, data.blocks, schema.dimension(), o.aggregationDepth()),
            spec, data.columns);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("settings", o.asProvenance());
        prov.put("inputFiles", files.files());
        prov.put("rows", n);
        prov.put("createdAt", Instant.now().toString());
        prov.put("latentVersion", Versions.latent());
        prov.put("sparkVersion", jsc.version());
        prov.put("javaVersion", System.getProperty("java.version"));
        MixtureModel model = new MixtureModel(r.kind(), r.covariance(), features, r.weights(), r.means(),
            r.covariances(), prov);
        out.writeText("model.json", ModelJson.write(model));
        Mixture mixture = model.toMixture();
        Assignments.write(jsc, files, schema, mixture, r.kind() == ModelKind.GMM, o.partitions(),
            out.staged("assignments"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("startedAt", started);
        run.put("seconds", seconds);
        run.put("master", jsc.master());
        run.put("partitions", data.blocks.getNumPartitions());
        run.put("input", o.input());
        run.put("output", out.target());
        out.writeText("summary.json", SummaryJson.write(r, features, run));
        out.commit();
        return new Outcome(out.target(), r, seconds);
      }
    } catch (Mixture.DegenerateComponentException e) {
      out.abort();
      throw new IllegalStateException("the fitted model cannot score rows: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      out.abort();
      throw e;
    }
  }

  private static StartParams initialModel(Configuration conf, FitOptions o, List<String> features) {
    MixtureModel m = ModelStore.read(conf, o.init());
    if (m.k() != o.k()) {
      throw new InputException(o.init() + ": the model has k = " + m.k() + " components but --k is " + o.k());
    }
    if (!m.features().equals(features)) {
      throw new InputException(o.init() + ": the model's features " + m.features()
          + " do not match the input's " + features);
    }
    return m.toStart();
  }
}
