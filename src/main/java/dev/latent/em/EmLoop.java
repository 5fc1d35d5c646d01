package dev.latent.em;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of EM, independent of Spark: seeds the candidates, then runs scans over the data until
 * every candidate has finished, and keeps the best. Each scan is one {@link DataPass} call carrying one
 * task per unfinished candidate, so R restarts cost R times the arithmetic but not R times the I/O.
 */
public final class EmLoop {
  private static final Logger LOG = LoggerFactory.getLogger(EmLoop.class);

  private EmLoop() {}

  /** Fits {@code spec} on {@code data}; {@code columns} describes the data (per-column variance for repairs). */
  public static FitResult fit(DataPass data, FitSpec spec, ColumnStats columns) {
    int d = data.dimension();
    if (columns.weight <= 0.0) {
      throw new IllegalArgumentException("the data have no rows with positive weight");
    }
    int r = spec.restarts();
    List<Candidate> cands = new ArrayList<>();
    for (int c = 0; c < r; c++) {
      cands.add(new Candidate(c, spec, columns.variance(), d, r));
    }
    switch (spec.init()) {
      case LABELS -> cands.forEach(Candidate::startFromLabels);
      case MODEL -> {
        for (Candidate c : cands) {
          try {
            c.startFromModel(spec.start());
          } catch (Mixture.DegenerateComponentException e) {
            throw new IllegalArgumentException("the initial model is not usable: " + e.getMessage(), e);
          }
        }
      }
      default -> {
        double[][][] seeds = seed(data, spec, d);
        for (int c = 0; c < r; c++) {
          cands.get(c).startFromCentres(seeds[c]);
        }
      }
    }
    EStepTask[] tasks = new EStepTask[r];
    while (true) {
      boolean any = false;
      for (int c = 0; c < r; c++) {
        tasks[c] = cands.get(c).task();
        any |= tasks[c] != null;
      }
      if (!any) {
        break;
      }
      SuffStats[] stats = data.estep(tasks);
      for (int c = 0; c < r; c++) {
        if (tasks[c] != null) {
          cands.get(c).accept(stats[c]);
        }
      }
    }
    double[] scores = new double[r];
    int best = 0;
    for (int c = 0; c < r; c++) {
      scores[c] = cands.get(c).finalScore();
      if (scores[c] > scores[best]) {
        best = c;
      }
    }
    if (r > 1) {
      LOG.info("kept candidate {} of {} (score {})", best, r, scores[best]);
    }
    return cands.get(best).result(scores);
  }

  /** Candidate c's seed: split from the one seed on the driver. */
  static long candidateSeed(long seed, int c) {
    return RowRandom.mix(seed * 0x9E3779B97F4A7C15L + c);
  }

  /** Initial centres for every candidate: k random rows in one scan, or k-means++ in k scans. */
  static double[][][] seed(DataPass data, FitSpec spec, int d) {
    int r = spec.restarts();
    int k = spec.k();
    double[][][] out = new double[r][][];
    SampleTask[] tasks = new SampleTask[r];
    if (spec.init() == InitMethod.RANDOM) {
      for (int c = 0; c < r; c++) {
        tasks[c] = new SampleTask(new double[0][], candidateSeed(spec.seed(), c), 0, k);
      }
      TopRows[] got = data.sample(tasks);
      for (int c = 0; c < r; c++) {
        out[c] = fill(rowsOf(got[c]), k, d);
      }
      return out;
    }
    List<List<double[]>> chosen = new ArrayList<>();
    for (int c = 0; c < r; c++) {
      chosen.add(new ArrayList<>());
    }
    for (int step = 0; step < k; step++) {
      for (int c = 0; c < r; c++) {
        tasks[c] = new SampleTask(chosen.get(c).toArray(new double[0][]), candidateSeed(spec.seed(), c), step, 1);
      }
      TopRows[] got = data.sample(tasks);
      for (int c = 0; c < r; c++) {
        List<double[]> rows = rowsOf(got[c]);
        if (!rows.isEmpty()) {
          chosen.get(c).add(rows.get(0));
        }
      }
    }
    for (int c = 0; c < r; c++) {
      out[c] = fill(chosen.get(c), k, d);
    }
    return out;
  }

  private static List<double[]> rowsOf(TopRows t) {
    List<double[]> rows = new ArrayList<>();
    for (int i : t.order()) {
      rows.add(t.row(i));
    }
    return rows;
  }

  /** Fewer distinct rows than k: repeat the ones found (the M-step then re-seeds the empty ones). */
  private static double[][] fill(List<double[]> rows, int k, int d) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no row with positive weight to start from");
    }
    double[][] c = new double[k][];
    for (int j = 0; j < k; j++) {
      c[j] = rows.get(Math.min(j, rows.size() - 1)).clone();
    }
    if (rows.size() < k) {
      LOG.warn("only {} distinct rows were found for {} initial centres", rows.size(), k);
    }
    return c;
  }
}
