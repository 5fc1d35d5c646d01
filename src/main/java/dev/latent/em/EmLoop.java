package dev.latent.em;

import dev.latent.mixture.Mixture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of EM, independent of Spark: seeds the candidates, then runs scans over the data until
 * every candidate has finished, and keeps the best of each fit. Each scan is one {@link DataPass} call
 * carrying one task per unfinished candidate, so R restarts of F fits (a model-selection sweep over K and
 * covariance types) cost R F times the arithmetic but not R F times the I/O.
 *
 * <p>The scans themselves are a {@link Sweep}, a serializable step state that {@link DataPass#advance}
 * moves on by one scan (one Spark job) or by a round of scans run where the data are (a barrier stage);
 * between two calls the state is back here for the log, the checkpoint and the decision to go on.
 */
public final class EmLoop {
  private static final Logger LOG = LoggerFactory.getLogger(EmLoop.class);
  /** The candidates' lines are logged under their own name, as before they went through a journal. */
  private static final Logger CANDIDATE_LOG = LoggerFactory.getLogger(Candidate.class);

  private EmLoop() {}

  /** Fits {@code spec} on {@code data}; {@code columns} describes the data (per-column variance for repairs). */
  public static FitResult fit(DataPass data, FitSpec spec, ColumnStats columns) {
    return sweep(data, List.of(spec), columns).get(0);
  }

  /** One fit with checkpoints: see {@link #sweep(DataPass, List, ColumnStats, EmState, Consumer)}. */
  public static FitResult fit(DataPass data, FitSpec spec, ColumnStats columns, EmState from,
      Consumer<EmState> checkpoint) {
    return sweep(data, List.of(spec), columns, from, checkpoint).get(0);
  }

  /**
   * Fits every spec in the same scans and returns, per spec, its best candidate (restart) by the final
   * mean log-likelihood (K-means: the lowest inertia).
   *
   * <p>Seeded specs share their seeds: restart c of every spec starts from the first k of the same
   * k_max seeded centres (k-means++ and random draws are sequential, so the first k of k_max draws are
   * exactly a k-draw), so a sweep entry equals the lone fit with the same K, type and seed. Tasks that
   * coincide (the K-means start of one K and restart under several covariance types) are computed once.
   *
   * <p>GMM restarts alternate between two starts from their seeds: even candidates (candidate 0, so a
   * lone fit too) refine the seeds by K-means first, as scikit-learn does; odd candidates start EM from
   * one M-step on the rows' nearest seeds. K-means maps most seeds to the same few partitions, so
   * K-means-started restarts alone explore little: on iris (diag, K=3) 100 of them never reached the
   * optimum that about a quarter of the direct starts find (Biernacki et al. 2003 make the same point).
   */
  public static List<FitResult> sweep(DataPass data, List<FitSpec> specs, ColumnStats columns) {
    return sweep(data, specs, columns, null, null);
  }

  /**
   * As {@link #sweep(DataPass, List, ColumnStats)}, continuing from {@code from} when it is not null (the
   * state of the same specs, checked with {@link EmState#check}; seeding is then skipped), and handing
   * the state of every candidate to {@code checkpoint} (when not null) once they are seeded and after
   * every scan, so a driver that dies loses at most the scan under way.
   */
  public static List<FitResult> sweep(DataPass data, List<FitSpec> specs, ColumnStats columns, EmState from,
      Consumer<EmState> checkpoint) {
    int d = data.dimension();
    if (columns.weight <= 0.0) {
      throw new IllegalArgumentException("the data have no rows with positive weight");
    }
    Sweep sweep = new Sweep(specs, columns.variance(), d);
    for (List<Candidate> cands : sweep.bySpec()) {
      for (Candidate c : cands) {
        c.usePriorsOf(columns);
      }
    }
    if (from != null) {
      from.check(specs, d);
      sweep.restore(from);
      LOG.info("resumed after scan {}", sweep.scans());
    } else {
      start(data, specs, sweep.bySpec(), columns.rows, d);
      sweep.journal().drainTo(CANDIDATE_LOG);
      save(checkpoint, sweep);
    }
    while (!sweep.done()) {
      // One scan, or a round of several where the data are (the barrier engine): either way the state
      // comes back here between rounds for the log, the checkpoint and the decision to go on.
      sweep = data.advance(sweep);
      sweep.journal().drainTo(CANDIDATE_LOG);
      save(checkpoint, sweep);
    }
    List<FitResult> out = sweep.results();
    sweep.journal().drainTo(LOG);
    return out;
  }

  private static void save(Consumer<EmState> checkpoint, Sweep sweep) {
    if (checkpoint != null) {
      checkpoint.accept(sweep.snapshot());
    }
  }

  /** Candidate c's seed: split from the one seed on the driver. */
  static long candidateSeed(long seed, int c) {
    return RowRandom.mix(seed * 0x9E3779B97F4A7C15L + c);
  }

  /** One seeded start shared by the specs with the same method, seed and restart index. */
  private record SeedKey(InitMethod method, long seed, int restart) {}

  /** Puts every candidate in its first phase; seeded starts are drawn for all of them together. */
  private static void start(DataPass data, List<FitSpec> specs, List<List<Candidate>> bySpec, long rows, int d) {
    int kMax = 0;
    for (FitSpec s : specs) {
      kMax = Math.max(kMax, s.k());
    }
    Map<SeedKey, Integer> need = new LinkedHashMap<>();
    for (FitSpec s : specs) {
      if (s.init().seeded()) {
        InitMethod m = s.init().resolve(rows, kMax);
        for (int c = 0; c < s.restarts(); c++) {
          need.merge(new SeedKey(m, s.seed(), c), s.k(), Math::max);
        }
      }
    }
    Map<SeedKey, double[][]> rowsDrawn = drawRows(data, need, d);
    Map<SeedKey, KMeansParallel.Sketch> sketches = sketches(data, need);
    Map<String, double[][]> reclustered = new HashMap<>();
    for (int s = 0; s < specs.size(); s++) {
      FitSpec spec = specs.get(s);
      for (Candidate cand : bySpec.get(s)) {
        InitMethod m = spec.init().resolve(rows, kMax);
        switch (m) {
          case LABELS -> cand.startFromLabels();
          case MODEL -> {
            try {
              cand.startFromModel(spec.start());
            } catch (Mixture.DegenerateComponentException e) {
              throw new IllegalArgumentException("the initial model is not usable: " + e.getMessage(), e);
            }
          }
          case KMEANS_PARALLEL -> {
            SeedKey key = new SeedKey(m, spec.seed(), cand.index());
            String memo = key + "/" + spec.k() + "/" + spec.distance();
            double[][] c = reclustered.computeIfAbsent(memo, x -> KMeansParallel.recluster(sketches.get(key),
                spec.k(), candidateSeed(spec.seed(), cand.index()), spec.cosine()));
            cand.startFromCentres(Mixture.deepCopy(c), m);
          }
          default -> {
            double[][] c = rowsDrawn.get(new SeedKey(m, spec.seed(), cand.index()));
            if (cand.index() % 2 == 1) {
              cand.startFromSeeds(fill(c, spec.k()), m);
            } else {
              cand.startFromCentres(fill(c, spec.k()), m);
            }
            if (c.length < spec.k()) {
              cand.warn("seeding found only " + c.length + " distinct row(s) for " + spec.k()
                  + " initial centres (duplicate points): the others start on top of them");
            }
          }
        }
      }
    }
  }

  /**
   * Rows drawn for k-means++ (k_max sequential scans) and random starts (one scan), for every key
   * together; a key's draw has its k_max rows best first.
   */
  private static Map<SeedKey, double[][]> drawRows(DataPass data, Map<SeedKey, Integer> need, int d) {
    List<SeedKey> keys = new ArrayList<>();
    for (SeedKey key : need.keySet()) {
      if (key.method() == InitMethod.KMEANS_PP || key.method() == InitMethod.RANDOM) {
        keys.add(key);
      }
    }
    Map<SeedKey, double[][]> out = new HashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    List<List<double[]>> chosen = new ArrayList<>();
    int steps = 0;
    for (SeedKey key : keys) {
      chosen.add(new ArrayList<>());
      steps = Math.max(steps, key.method() == InitMethod.RANDOM ? 1 : need.get(key));
    }
    SampleTask[] tasks = new SampleTask[keys.size()];
    for (int step = 0; step < steps; step++) {
      for (int i = 0; i < keys.size(); i++) {
        SeedKey key = keys.get(i);
        long seed = candidateSeed(key.seed(), key.restart());
        int k = need.get(key);
        if (key.method() == InitMethod.RANDOM) {
          tasks[i] = step == 0 ? new SampleTask(new double[0][], seed, 0, k) : null;
        } else {
          tasks[i] = step < k ? new SampleTask(chosen.get(i).toArray(new double[0][]), seed, step, 1) : null;
          if (step == k - 1 && tasks[i] != null) {
            tasks[i] = tasks[i].lastStep(); // its kept distances are of no further use
          }
        }
      }
      TopRows[] got = data.sample(tasks);
      for (int i = 0; i < keys.size(); i++) {
        if (tasks[i] != null) {
          for (int r : got[i].order()) {
            chosen.get(i).add(got[i].row(r));
          }
        }
      }
    }
    for (int i = 0; i < keys.size(); i++) {
      if (chosen.get(i).isEmpty()) {
        throw new IllegalArgumentException("no row with positive weight to start from");
      }
      out.put(keys.get(i), chosen.get(i).toArray(new double[0][]));
    }
    return out;
  }

  /** k-means|| candidate sketches for every k-means|| key, oversampled for its k_max in the same scans. */
  private static Map<SeedKey, KMeansParallel.Sketch> sketches(DataPass data, Map<SeedKey, Integer> need) {
    List<SeedKey> keys = new ArrayList<>();
    for (SeedKey key : need.keySet()) {
      if (key.method() == InitMethod.KMEANS_PARALLEL) {
        keys.add(key);
      }
    }
    Map<SeedKey, KMeansParallel.Sketch> out = new HashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    long[] seeds = new long[keys.size()];
    double[] l = new double[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      seeds[i] = candidateSeed(keys.get(i).seed(), keys.get(i).restart());
      l[i] = KMeansParallel.factor(need.get(keys.get(i)));
    }
    KMeansParallel.Sketch[] s = KMeansParallel.oversample(data, seeds, l);
    for (int i = 0; i < keys.size(); i++) {
      out.put(keys.get(i), s[i]);
    }
    return out;
  }

  /**
   * The first k drawn rows; fewer distinct rows than k repeat the last (the M-step re-seeds those, and the
   * caller warns).
   */
  private static double[][] fill(double[][] rows, int k) {
    double[][] c = new double[k][];
    for (int j = 0; j < k; j++) {
      c[j] = rows[Math.min(j, rows.length - 1)].clone();
    }
    return c;
  }
}
