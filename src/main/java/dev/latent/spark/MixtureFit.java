package dev.latent.spark;

import dev.latent.config.Engine;
import dev.latent.em.Annealing;
import dev.latent.em.ColumnStats;
import dev.latent.em.Criterion;
import dev.latent.em.DataBlock;
import dev.latent.em.DataPass;
import dev.latent.em.Distance;
import dev.latent.em.EmLoop;
import dev.latent.em.EmState;
import dev.latent.em.FitResult;
import dev.latent.em.FitSpec;
import dev.latent.em.InitMethod;
import dev.latent.em.Scaling;
import dev.latent.em.StartParams;
import dev.latent.io.BadRows;
import dev.latent.io.InputException;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import dev.latent.vb.PriorSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one fit of Latent, as a Spark library call: cached blocks and their column statistics -> the EM
 * loop over every (K, covariance type) fit -> selection by the criterion -> the kept fit with the data's
 * warnings. {@code latent fit} ({@link FitJob}: files in, output folder out) and the Spark ML estimators
 * ({@code dev.latent.ml}: a DataFrame in, a model out) are both thin clients of {@link #fit}, so the
 * same blocks and settings give the same model through either.
 */
public final class MixtureFit {
  private static final Logger LOG = LoggerFactory.getLogger(MixtureFit.class);

  private MixtureFit() {}

  /**
   * What a fit needs of the settings: one spec per (K, covariance type), how to pick among them;
   * {@code priors} only for a vbgmm (null: scikit-learn's defaults), {@code annealing} only for a GMM;
   * {@code engine} runs the scans (null: {@link Engine#DEFAULT}, see {@link Engines}).
   */
  public record Settings(ModelKind model, List<CovarianceType> covarianceTypes, int k, int kMax, int maxIter,
      double tol, double regCovar, long seed, InitMethod init, StartParams start, int restarts, Distance distance,
      Criterion criterion, int aggregationDepth, PriorSettings priors, Annealing annealing, Engine engine) {

    public Settings {
      covarianceTypes = List.copyOf(covarianceTypes);
      if (kMax < k) {
        throw new IllegalArgumentException("kMax " + kMax + " is below k " + k);
      }
      if (annealing == null) {
        annealing = Annealing.NONE;
      }
      if (engine == null) {
        engine = Engine.DEFAULT;
      }
    }

    /** Settings of a GMM or K-means fit: plain EM (no fixed variance, no annealing), the default engine. */
    public Settings(ModelKind model, List<CovarianceType> covarianceTypes, int k, int kMax, int maxIter,
        double tol, double regCovar, long seed, InitMethod init, StartParams start, int restarts,
        Distance distance, Criterion criterion, int aggregationDepth) {
      this(model, covarianceTypes, k, kMax, maxIter, tol, regCovar, seed, init, start, restarts, distance,
          criterion, aggregationDepth, null, Annealing.NONE, Engine.DEFAULT);
    }

    /** Settings of a fit with variational priors (a vbgmm; null: scikit-learn's defaults). */
    public Settings(ModelKind model, List<CovarianceType> covarianceTypes, int k, int kMax, int maxIter,
        double tol, double regCovar, long seed, InitMethod init, StartParams start, int restarts,
        Distance distance, Criterion criterion, int aggregationDepth, PriorSettings priors) {
      this(model, covarianceTypes, k, kMax, maxIter, tol, regCovar, seed, init, start, restarts, distance,
          criterion, aggregationDepth, priors, Annealing.NONE, Engine.DEFAULT);
    }

    /** Settings with priors and annealing, on the default engine. */
    public Settings(ModelKind model, List<CovarianceType> covarianceTypes, int k, int kMax, int maxIter,
        double tol, double regCovar, long seed, InitMethod init, StartParams start, int restarts,
        Distance distance, Criterion criterion, int aggregationDepth, PriorSettings priors, Annealing annealing) {
      this(model, covarianceTypes, k, kMax, maxIter, tol, regCovar, seed, init, start, restarts, distance,
          criterion, aggregationDepth, priors, annealing, Engine.DEFAULT);
    }
  }

  /** The cached input: blocks (keys by row position), their column statistics, and rows left out. */
  public record Data(JavaRDD<DataBlock> blocks, int d, ColumnStats columns, BadRows skipped) {}

  /** Resuming and saving EM states (the CLI's --checkpoint); the estimators pass none. */
  public record Checkpointing(Function<List<FitSpec>, EmState> resume, Consumer<EmState> save) {}

  /**
   * The outcome: every fit ({@code table}, in spec order), the index of the kept one and the kept fit
   * itself with the data's warnings ahead of its own; {@code from} is the state resumed from, or null;
   * {@code scaling} the units the fit ran in (results are in the data's units; see {@link Scaling});
   * {@code engine} the engine that ran the scans ({@link Engines}); {@code barrierScans} where the barrier
   * engine's scans spent their time, or null for the aggregate engine.
   */
  public record Result(List<FitSpec> specs, List<FitResult> table, int chosen, FitResult best, EmState from,
      Scaling scaling, String engine, BarrierDataPass.Profile barrierScans) {
    public boolean sweep() {
      return specs.size() > 1;
    }
  }

  /** Fits on cached data: {@code input} names the data in messages; {@code checkpointing} may be null. */
  public static Result fit(JavaSparkContext jsc, Data data, Settings s, List<String> features, String input,
      Checkpointing checkpointing) {
    requireRows(data, s, input);
    // Extreme values are fitted in exactly scaled units (none for ordinary data); see em/Scaling.
    Scaling scaling = scaling(data, s);
    try (ScaledData scaled = ScaledData.of(data, scaling, s.aggregationDepth())) {
      List<String> dataWarnings = dataWarnings(scaled.data, features, s.regCovar());
      List<FitSpec> specs = specs(inUnits(s, scaling));
      EmState from = checkpointing == null ? null : checkpointing.resume().apply(specs);
      Engines.Choice[] engine = new Engines.Choice[1];
      BarrierDataPass.Profile[] profile = new BarrierDataPass.Profile[1];
      List<FitResult> table = FitUnits.original(scaling, () -> {
        try (Engines.Prepared scans = Engines.open(jsc, scaled.data.blocks(), scaled.data.d(), s.aggregationDepth(),
            s.engine(), specs)) {
          engine[0] = scans.choice();
          List<FitResult> fits = sweep(scans.pass(), scaled.data, specs, from,
              checkpointing == null ? null : checkpointing.save());
          if (scans.pass() instanceof BarrierDataPass b && b.profile().scans() > 0) {
            profile[0] = b.profile();
            LOG.info("{}", profile[0]);
          }
          return fits;
        }
      }, data.columns(), features, input);
      int chosen = select(s.criterion(), specs, table);
      return new Result(specs, table, chosen, table.get(chosen).withWarningsFirst(dataWarnings), from, scaling,
          engine[0].kind().key(), profile[0]);
    }
  }

  /**
   * GMMs are scaled with their reg-covar kept a normal double; K-means has none (its distances alone
   * decide); annealed and fixed-variance fits are not scaled; cosine K-means rows are of unit length already, and a vbgmm's priors are in the data's units.
   */
  static Scaling scaling(Data data, Settings s) {
    if (s.annealing() != null && (s.annealing().fixed() || s.annealing().anneal())) {
      return Scaling.NONE; // a fixed variance and the annealing schedule are in the data's units
    }
    if (s.model() == ModelKind.GMM) {
      return Scaling.choose(data.columns(), s.regCovar());
    }
    if (s.model() == ModelKind.KMEANS && s.distance() != Distance.COSINE) {
      return Scaling.choose(data.columns(), 0.0);
    }
    return Scaling.NONE;
  }

  /** The settings in the scaled units: reg-covar times c^2 (GMM) and the initial model scaled. */
  static Settings inUnits(Settings s, Scaling c) {
    if (!c.active()) {
      return s;
    }
    double reg = s.model() == ModelKind.GMM ? c.regCovar(s.regCovar()) : s.regCovar();
    return new Settings(s.model(), s.covarianceTypes(), s.k(), s.kMax(), s.maxIter(), s.tol(), reg, s.seed(),
        s.init(), c.scaled(s.start()), s.restarts(), s.distance(), s.criterion(), s.aggregationDepth(), s.priors(),
        s.annealing(), s.engine());
  }

  /** Every K must have at least K rows to place its components on. */
  static void requireRows(Data data, Settings s, String input) {
    long n = data.columns().rows;
    if (n < s.kMax()) {
      throw new InputException(input + ": " + n + " data rows, fewer than k = " + s.kMax()
          + (data.skipped().count() > 0 ? " (" + data.skipped().count() + " bad rows were skipped)" : ""));
    }
    LOG.info("cached {} rows x {} features in {} partitions", n, data.d(), data.blocks().getNumPartitions());
  }

  /**
   * What the user should know about the data before reading the fit: rows left out, and columns with no
   * spread at all (their variance in every component is then reg-covar alone; the fit stays finite, but
   * densities and the log-likelihood are dominated by that choice).
   */
  static List<String> dataWarnings(Data data, List<String> features, double regCovar) {
    List<String> w = new ArrayList<>();
    if (data.skipped().count() > 0) {
      w.add(data.skipped().count() + " bad row(s) left out (--on-bad-row skip); the first: "
          + data.skipped().examples().get(0));
    }
    // In the fit's units: a spread of 1e-300 is no spread in original units once squared (underflow).
    double[] var = data.columns().variance();
    double[] mean = data.columns().mean();
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

  /** One spec per K of the range and covariance type, K outermost (the selection table's order). */
  public static List<FitSpec> specs(Settings s) {
    List<FitSpec> specs = new ArrayList<>();
    for (int k = s.k(); k <= s.kMax(); k++) {
      for (CovarianceType type : s.covarianceTypes()) {
        specs.add(new FitSpec(s.model(), type, k, s.maxIter(), s.tol(), s.regCovar(), s.seed(), s.init(),
            s.start(), s.restarts(), s.distance(), s.priors(), s.annealing()));
      }
    }
    return specs;
  }

  /** Every spec in the same scans of the cached blocks by the chosen engine (see {@link EmLoop#sweep}). */
  static List<FitResult> sweep(DataPass scans, Data data, List<FitSpec> specs, EmState from,
      Consumer<EmState> checkpoint) {
    if (specs.size() > 1) {
      LOG.info("fitting {} models in the same scans", specs.size());
    }
    return EmLoop.sweep(scans, specs, data.columns(), from, checkpoint);
  }

  /** The entry with the lowest criterion (the only entry of a lone fit). */
  static int select(Criterion criterion, List<FitSpec> specs, List<FitResult> table) {
    int chosen = criterion.best(table);
    if (chosen < 0) {
      throw new IllegalStateException("no fit has a finite " + criterion.key());
    }
    if (specs.size() > 1) {
      LOG.info("kept {} ({} = {})", specs.get(chosen).label(), criterion.key(),
          String.format("%.6f", criterion.of(table.get(chosen))));
    }
    return chosen;
  }

  /** The fitted model value of {@code r} (what model.json holds). */
  public static MixtureModel model(FitResult r, List<String> features, Distance distance,
      Map<String, Object> provenance) {
    return new MixtureModel(r.kind(), r.covariance(), features, r.weights(), r.means(), r.covariances(), provenance,
        r.kind() == ModelKind.KMEANS ? distance : Distance.EUCLIDEAN,
        r.variational() == null ? null : r.variational().posterior());
  }
}
