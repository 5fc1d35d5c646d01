package dev.latent.spark;

import dev.latent.config.FitOptions;
import dev.latent.em.Alignment;
import dev.latent.em.CovarianceType;
import dev.latent.em.Distance;
import dev.latent.em.EmLoop;
import dev.latent.em.EmState;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.Mixture;
import dev.latent.em.ModelKind;
import dev.latent.em.StartParams;
import dev.latent.io.CheckpointStore;
import dev.latent.io.InputException;
import dev.latent.io.InputSchema;
import dev.latent.io.ModelJson;
import dev.latent.io.ModelStore;
import dev.latent.io.OutputDir;
import dev.latent.io.SummaryJson;
import dev.latent.model.MixtureModel;
import java.time.Instant;
import java.util.ArrayList;
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
  public record Outcome(String output, FitResult result, double seconds, int fits) {}

  public static Outcome run(JavaSparkContext jsc, FitOptions o) {
    long t0 = System.nanoTime();
    String started = Instant.now().toString();
    Configuration conf = jsc.hadoopConfiguration();
    OutputDir out = OutputDir.prepare(conf, o.output(), o.overwrite());
    try (out) {
      InputFiles files = InputFiles.resolve(conf, o.input());
      InputSchema schema = InputSchema.resolve(files.name(0), files.header(), o.features(), o.exclude(),
          o.weightCol(), o.initLabels());
      List<String> features = List.of(schema.featureNames);
      InitMethod init;
      StartParams start = null;
      if (o.initLabels() != null) {
        init = InitMethod.LABELS;
      } else if (o.seeding() != null) {
        init = o.seeding();
      } else {
        init = InitMethod.MODEL;
        start = initialModel(conf, o, features);
      }
      MixtureModel previous = o.alignTo() == null ? null : previousModel(conf, o, features);
      boolean cosine = o.distance() == Distance.COSINE;
      LOG.info("input {}: {} file(s), features {}", o.input(), files.files().size(), features);
      try (InputData data = InputData.load(jsc, files, schema, o.k(), o.partitions(), o.aggregationDepth(),
          cosine, o.skipBadRows())) {
        long n = data.columns.rows;
        if (n < o.kMax()) {
          throw new InputException(o.input() + ": " + n + " data rows, fewer than k = " + o.kMax()
              + (data.skipped.count() > 0 ? " (" + data.skipped.count() + " bad rows were skipped)" : ""));
        }
        List<String> dataWarnings = dataWarnings(data, features, o.regCovar());
        LOG.info("cached {} rows x {} features in {} partitions", n, schema.dimension(),
            data.blocks.getNumPartitions());
        List<FitSpec> specs = new ArrayList<>();
        for (int k = o.k(); k <= o.kMax(); k++) {
          for (CovarianceType type : o.covarianceTypes()) {
            specs.add(new FitSpec(o.model(), type, k, o.maxIter(), o.tol(), o.regCovar(), o.seed(), init, start,
                o.restarts(), o.distance()));
          }
        }
        if (specs.size() > 1) {
          LOG.info("fitting {} models in the same scans, kept by {}", specs.size(), o.criterion().key());
        }
        CheckpointStore checkpoints = null;
        EmState from = null;
        if (o.checkpoint() != null) {
          Map<String, Object> fit = new LinkedHashMap<>();
          fit.put("settings", o.asProvenance());
          fit.put("features", features);
          fit.put("inputFiles", files.files());
          fit.put("rows", n);
          checkpoints = CheckpointStore.open(conf, o.checkpoint(), fit);
          from = resumeFrom(checkpoints, o, specs, schema.dimension());
        }
        List<FitResult> table;
        Engines.Choice engine;
        try (Engines.Prepared scans = Engines.open(jsc, data.blocks, schema.dimension(), o.aggregationDepth(),
            o.engine(), specs)) {
          engine = scans.choice();
          table = EmLoop.sweep(scans.pass(), specs, data.columns, from, checkpoints == null ? null : checkpoints::save);
        }
        int chosen = o.criterion().best(table);
        if (chosen < 0) {
          throw new IllegalStateException("no fit has a finite " + o.criterion().key());
        }
        FitResult r = table.get(chosen).withWarningsFirst(dataWarnings);
        SummaryJson.Selection selection = specs.size() > 1 ? new SummaryJson.Selection(o.criterion(), table, chosen)
            : null;
        if (selection != null) {
          LOG.info("kept {} ({} = {})", specs.get(chosen).label(), o.criterion().key(),
              String.format("%.6f", o.criterion().of(r)));
        }
        SummaryJson.Aligned aligned = null;
        if (previous != null) {
          Alignment a = Alignment.of(r.means(), previous.means());
          r = r.permuted(a.order());
          aligned = new SummaryJson.Aligned(o.alignTo(), a,
              a.drift(r.weights(), r.means(), previous.weights(), previous.means()));
          LOG.info("components aligned to {} (total distance {}){}", o.alignTo(),
              String.format("%.6g", a.totalDistance()), a.identity() ? "; numbering unchanged" : "");
        }
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("settings", o.asProvenance());
        prov.put("inputFiles", files.files());
        prov.put("rows", n);
        prov.put("createdAt", Instant.now().toString());
        prov.put("latentVersion", Versions.latent());
        prov.put("sparkVersion", jsc.version());
        prov.put("javaVersion", System.getProperty("java.version"));
        MixtureModel model = new MixtureModel(r.kind(), r.covariance(), features, r.weights(), r.means(),
            r.covariances(), prov, r.kind() == ModelKind.KMEANS ? o.distance() : Distance.EUCLIDEAN);
        out.writeText("model.json", ModelJson.write(model));
        Mixture mixture = model.toMixture();
        Assignments.write(jsc, files, schema, mixture,
            Assignments.Scoring.forFit(r.kind() == ModelKind.GMM, cosine).skippingBadRows(o.skipBadRows()),
            o.partitions(), out.staged("assignments"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("startedAt", started);
        run.put("seconds", seconds);
        run.put("master", jsc.master());
        run.put("partitions", data.blocks.getNumPartitions());
        run.put("engine", engine.kind().key());
        run.put("input", o.input());
        run.put("output", out.target());
        if (from != null) {
          run.put("resumedAfterScan", from.scans());
        }
        out.writeText("summary.json", SummaryJson.write(r, features, run, selection, aligned,
            new SummaryJson.Skipped(o.skipBadRows(), data.skipped)));
        out.commit();
        if (checkpoints != null) {
          // The output is the fit's result now; a later run with --resume starts afresh.
          checkpoints.clear();
        }
        return new Outcome(out.target(), r, seconds, selection == null ? 1 : table.size());
      }
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalStateException("the fitted model cannot score rows: " + e.getMessage(), e);
    }
  }

  /**
   * The state to continue from: the folder's latest checkpoint with --resume (none yet is not an error,
   * so a scheduled job can always pass --resume), or null to start afresh.
   */
  private static EmState resumeFrom(CheckpointStore store, FitOptions o, List<FitSpec> specs, int d) {
    if (!o.resume()) {
      if (store.hasState()) {
        LOG.warn("{} holds a checkpoint of an earlier run: starting afresh (--resume would continue it)",
            store.latestName());
      }
      return null;
    }
    EmState s = store.latest();
    if (s == null) {
      LOG.info("no checkpoint in {} yet: starting from the beginning", o.checkpoint());
      return null;
    }
    try {
      s.check(specs, d);
    } catch (IllegalArgumentException e) {
      throw new InputException(store.latestName() + ": " + e.getMessage());
    }
    LOG.info("resuming from {}", store.latestName());
    return s;
  }

  /**
   * What the user should know about the data before reading the fit: rows left out, and columns with no
   * spread at all (their variance in every component is then reg-covar alone; the fit stays finite, but
   * densities and the log-likelihood are dominated by that choice).
   */
  private static List<String> dataWarnings(InputData data, List<String> features, double regCovar) {
    List<String> w = new ArrayList<>();
    if (data.skipped.count() > 0) {
      w.add(data.skipped.count() + " bad row(s) left out (--on-bad-row skip); the first: "
          + data.skipped.examples().get(0));
    }
    double[] var = data.columns.variance();
    double[] mean = data.columns.mean();
    for (int i = 0; i < var.length; i++) {
      if (var[i] == 0.0) {
        w.add("column '" + features.get(i) + "' is constant (every row is " + mean[i] + "): its variance is "
            + "reg-covar (" + regCovar + ") alone");
      }
    }
    for (String s : w) {
      LOG.warn(s);
    }
    return w;
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

  /** The model of --align-to: read before any work, so a bad path fails at once. */
  private static MixtureModel previousModel(Configuration conf, FitOptions o, List<String> features) {
    MixtureModel m = ModelStore.read(conf, o.alignTo());
    if (!m.features().equals(features)) {
      throw new InputException(o.alignTo() + ": the model's features " + m.features()
          + " do not match the input's " + features + ", so its components cannot be matched");
    }
    return m;
  }
}
