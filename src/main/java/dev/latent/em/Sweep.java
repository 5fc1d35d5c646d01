package dev.latent.em;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The scan loop of EM as a deterministic, serializable step state: every candidate of every fit, and
 * the scans done so far. {@link #tasks} says what the next scan must compute, {@link #accept} takes its
 * merged statistics and advances every candidate (the M-steps), {@link #done} says when nothing is left.
 *
 * <p>Both engines drive the same object through {@link DataPass#advance}: the aggregate engine with one
 * Spark job per scan, the barrier engine with one exchange per scan with the tasks of a long-lived barrier
 * stage; either merges the partitions' statistics in the same order ({@link OrderedMerge}) before
 * {@link #accept}. The state is serializable so that an engine may also move it away from the driver and
 * back (a round run elsewhere): nothing here may depend on where it runs, so no clocks, no randomness but
 * the seeded hashes, no logging but the {@link Journal}, which the driver writes once.
 */
public final class Sweep implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<FitSpec> specs;
  private final List<List<Candidate>> bySpec;
  private final List<Candidate> all;
  private final Journal journal = new Journal();
  private int scans;
  /** For the tasks last handed out: the index of the task whose statistics candidate c takes. */
  private int[] sameAs;

  /** Candidates of every spec in their initial (unstarted) state; {@code colVar} is the data's column variance. */
  Sweep(List<FitSpec> specs, double[] colVar, int d) {
    this.specs = List.copyOf(specs);
    this.bySpec = new ArrayList<>();
    this.all = new ArrayList<>();
    boolean many = specs.size() > 1;
    for (FitSpec spec : specs) {
      List<Candidate> cands = new ArrayList<>();
      int r = spec.restarts();
      for (int c = 0; c < r; c++) {
        String tag = (many ? spec.label() + (r > 1 ? ", " : ": ") : "") + (r > 1 ? "candidate " + c + ": " : "");
        cands.add(new Candidate(c, spec, colVar, d, tag, journal));
      }
      bySpec.add(cands);
      all.addAll(cands);
    }
  }

  /** Continues from a checkpoint already checked against the same specs ({@link EmState#check}). */
  void restore(EmState from) {
    for (int c = 0; c < all.size(); c++) {
      all.get(c).restore(from.candidates().get(c));
    }
    scans = from.scans();
  }

  List<FitSpec> specs() {
    return specs;
  }

  List<List<Candidate>> bySpec() {
    return bySpec;
  }

  /** The E-step scans done so far. */
  public int scans() {
    return scans;
  }

  /** True when every candidate has been scored under its final parameters. */
  public boolean done() {
    for (Candidate c : all) {
      if (!c.done()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The E-step tasks of the next scan, one entry per candidate, null for a finished candidate and for one
   * whose task coincides with an earlier candidate's (the K-means start of one K under several covariance
   * types): that statistic is computed once and handed to both by {@link #accept}.
   */
  public EStepTask[] tasks() {
    int n = all.size();
    EStepTask[] tasks = new EStepTask[n];
    sameAs = new int[n];
    EStepTask[] unique = new EStepTask[n];
    for (int c = 0; c < n; c++) {
      tasks[c] = all.get(c).task();
      sameAs[c] = tasks[c] == null ? -1 : c;
      for (int e = 0; e < c && tasks[c] != null; e++) {
        if (sameAs[e] == e && tasks[c].sameAs(tasks[e])) {
          sameAs[c] = e;
          break;
        }
      }
      unique[c] = sameAs[c] == c ? tasks[c] : null;
    }
    return unique;
  }

  /** Takes the merged statistics of the tasks last returned by {@link #tasks} and advances every candidate. */
  public void accept(SuffStats[] stats) {
    if (sameAs == null || stats.length != all.size()) {
      throw new IllegalStateException("statistics for tasks that were not handed out");
    }
    for (int c = 0; c < all.size(); c++) {
      if (sameAs[c] >= 0) {
        // Candidates only read the statistics, so one result may serve several.
        all.get(c).accept(stats[sameAs[c]]);
      }
    }
    sameAs = null;
    scans++;
  }

  /** Every candidate's state between two scans, for a checkpoint. */
  public EmState snapshot() {
    List<EmState.CandidateState> states = new ArrayList<>();
    for (Candidate c : all) {
      states.add(c.snapshot());
    }
    return new EmState(scans, List.copyOf(states));
  }

  /** The log lines of the steps taken since the last drain. */
  public Journal journal() {
    return journal;
  }

  /**
   * Per spec, its best candidate by the final mean log-likelihood (K-means: the lowest inertia); the
   * choice is logged through the journal.
   */
  List<FitResult> results() {
    boolean many = specs.size() > 1;
    List<FitResult> out = new ArrayList<>();
    for (int s = 0; s < specs.size(); s++) {
      List<Candidate> cands = bySpec.get(s);
      double[] scores = new double[cands.size()];
      int best = 0;
      for (int c = 0; c < cands.size(); c++) {
        scores[c] = cands.get(c).finalScore();
        if (scores[c] > scores[best]) {
          best = c;
        }
      }
      if (cands.size() > 1) {
        journal.info((many ? specs.get(s).label() + ": " : "") + "kept candidate " + best + " of " + cands.size()
            + " (score " + scores[best] + ")");
      }
      List<FitResult.Restart> restarts = new ArrayList<>();
      for (int c = 0; c < cands.size(); c++) {
        restarts.add(cands.get(c).restart(scores[c]));
      }
      out.add(cands.get(best).result(scores).withRestarts(restarts));
    }
    return out;
  }
}
