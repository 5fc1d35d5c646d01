package dev.latent.spark;

import dev.latent.config.AssignmentColumns;
import dev.latent.config.FitOptions;
import dev.latent.config.VariationalOptions;
import dev.latent.diagnostics.Drift;
import dev.latent.diagnostics.StandardErrors;
import dev.latent.em.Alignment;
import dev.latent.em.EmState;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.StartParams;
import dev.latent.io.CheckpointStore;
import dev.latent.io.InputException;
import dev.latent.io.ModelJson;
import dev.latent.io.ModelStore;
import dev.latent.io.OutputDir;
import dev.latent.io.SummaryJson;
import dev.latent.model.MixtureModel;
import dev.latent.report.ReportData;
import dev.latent.report.ReportDataJson;
import dev.latent.report.Reports;
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
  public record Outcome(String output, FitResult result, double seconds, int fits) {}

  public static Outcome run(JavaSparkContext jsc, FitOptions o) {
    long t0 = System.nanoTime();
    String started = Instant.now().toString();
    Configuration conf = jsc.hadoopConfiguration();
    OutputDir out = OutputDir.prepare(conf, o.output(), o.overwrite());
    try (out; FitInput input = FitInput.open(jsc, o)) {
      List<String> features = input.features();
      VariationalOptions.checkDimension(o.priors(), features.size());
      MixtureFit.Settings settings = settings(conf, o, features);
      MixtureModel previous = o.alignTo() == null ? null : previousModel(conf, o, features);
      LOG.info("input {}: {} file(s), features {}", o.input(), input.files().size(), features);
      Phases phases = new Phases(t0);
      MixtureFit.Data cached = input.load(o, Engines.loadPartitions(jsc, features.size(), settings.engine(),
          MixtureFit.specs(settings)));
      phases.end("load");
      VariationalOptions.checkData(o.priors(), o.covariance(), cached.columns(), features, o.input());
      long n = cached.columns().rows;
      CheckpointStore checkpoints = o.checkpoint() == null ? null
          : CheckpointStore.open(conf, o.checkpoint(), checkpointIdentity(o, features, input.files(), n));
      MixtureFit.Result fit = MixtureFit.fit(jsc, cached, settings, features, o.input(),
          checkpoints == null ? null : new MixtureFit.Checkpointing(
              specs -> resumeFrom(checkpoints, o, specs, cached.d()), checkpoints::save));
      phases.end("fit");
      FitResult r = fit.best();
      SummaryJson.Selection selection = fit.sweep()
          ? new SummaryJson.Selection(o.criterion(), fit.table(), fit.chosen()) : null;
      SummaryJson.Aligned aligned = null;
      if (previous != null) {
        Alignment a = Alignment.of(r.means(), previous.means());
        r = r.permuted(a.order());
        aligned = aligned(o, a, r, previous);
      }
      StandardErrors standardErrors = StandardErrors.forFit(
          new SparkDataPass(jsc, cached.blocks(), cached.d(), o.aggregationDepth()), o.standardErrors(), r);
      if (standardErrors != null) {
        phases.end("standardErrors");
      }
      MixtureModel model = MixtureFit.model(r, features, o.distance(), provenance(jsc, o, input.files(), n));
      out.writeText("model.json", ModelJson.write(model));
      if (o.assignments() != AssignmentColumns.NONE) {
        input.writeAssignments(jsc, o, model, fit.scaling(),
            r.kind().gaussian() && o.assignments() == AssignmentColumns.FULL, out);
        phases.end("assignments");
      }
      ReportData report = o.htmlReport() ? ReportScan.run(jsc, cached.blocks(), model, o.seed(), cached.columns(),
          o.aggregationDepth()) : null;
      if (report != null) {
        phases.end("report");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      LOG.info("phases (s): {}", phases.seconds);
      String summary = SummaryJson.write(r, features,
          run(jsc, o, started, seconds, cached.blocks().getNumPartitions(), out, fit.from(), fit.engine(),
              fit.barrierScans(), phases.seconds),
          selection, aligned,
          new SummaryJson.Skipped(o.skipBadRows(), cached.skipped()), standardErrors);
      out.writeText("summary.json", summary);
      if (report != null) {
        out.writeText(ReportDataJson.FILE, ReportDataJson.write(report));
        out.writeText(Reports.HTML, Reports.html(summary, model, report));
      }
      out.commit();
      if (checkpoints != null) {
        // The output is the fit's result now; a later run with --resume starts afresh.
        checkpoints.clear();
      }
      return new Outcome(out.target(), r, seconds, selection == null ? 1 : fit.table().size());
    }
  }

  /**
   * Wall seconds of the run's phases, in order, for summary.json's {@code run.phases}: {@code load}
   * (start-up to cached input: listing, reading, parsing, caching), {@code fit} (every scan of the fit:
   * seeding, K-means, EM), {@code standardErrors}, {@code assignments} (scoring and writing them) and
   * {@code report} (its scan); the rest of {@code seconds} is writing the small files.
   */
  private static final class Phases {
    final Map<String, Double> seconds = new LinkedHashMap<>();
    private long last;

    Phases(long t0) {
      last = t0;
    }

    void end(String phase) {
      long now = System.nanoTime();
      seconds.put(phase, Math.round((now - last) / 1e6) / 1e3);
      last = now;
    }
  }

  /** The engine's settings from the options; reads --init's model (checked against the features). */
  static MixtureFit.Settings settings(Configuration conf, FitOptions o, List<String> features) {
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
    return new MixtureFit.Settings(o.model(), o.covarianceTypes(), o.k(), o.kMax(), o.maxIter(), o.tol(),
        o.regCovar(), o.seed(), init, start, o.restarts(), o.distance(), o.criterion(), o.aggregationDepth(),
        o.priors(), o.annealing(), o.engine());
  }

  /** What a checkpoint must match to be resumed: the settings, features, input files and row count. */
  private static Map<String, Object> checkpointIdentity(FitOptions o, List<String> features, List<String> files,
      long rows) {
    Map<String, Object> fit = new LinkedHashMap<>();
    fit.put("settings", o.asProvenance());
    fit.put("features", features);
    fit.put("inputFiles", files);
    fit.put("rows", rows);
    return fit;
  }

  /** The alignment's report for summary.json; {@code r} is already renumbered. */
  private static SummaryJson.Aligned aligned(FitOptions o, Alignment a, FitResult r, MixtureModel previous) {
    LOG.info("components aligned to {} (total distance {}){}", o.alignTo(),
        String.format("%.6g", a.totalDistance()), a.identity() ? "; numbering unchanged" : "");
    return new SummaryJson.Aligned(o.alignTo(), a, a.drift(r.weights(), r.means(), previous.weights(),
        previous.means()), Drift.klVariational(r, previous));
  }

  /** How the model was made, as model.json records it. */
  private static Map<String, Object> provenance(JavaSparkContext jsc, FitOptions o, List<String> files, long rows) {
    Map<String, Object> prov = new LinkedHashMap<>();
    prov.put("settings", o.asProvenance());
    prov.put("inputFiles", files);
    prov.put("rows", rows);
    Versions.stamp(prov, jsc);
    return prov;
  }

  /** How the run went, for summary.json's {@code run}. */
  private static Map<String, Object> run(JavaSparkContext jsc, FitOptions o, String started, double seconds,
      int partitions, OutputDir out, EmState from, String engine, BarrierDataPass.Profile scans,
      Map<String, Double> phases) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("startedAt", started);
    run.put("seconds", seconds);
    run.put("phases", phases);
    run.put("master", jsc.master());
    run.put("partitions", partitions);
    run.put("engine", engine);
    if (scans != null) {
      run.put("barrierScans", scans.summary());
    }
    run.put("input", o.input());
    run.put("output", out.target());
    if (from != null) {
      run.put("resumedAfterScan", from.scans());
    }
    return run;
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
