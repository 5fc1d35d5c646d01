package dev.latent.em;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * k-means|| initialisation (Bahmani, Moseley, Vattani, Kumar and Vassilvitskii, "Scalable K-Means++",
 * VLDB 2012): instead of k sequential scans, a few rounds each take about l rows at once, with
 * probability proportional to weight times squared distance to the candidates so far; the candidates are
 * then weighted by the rows nearest to them and reclustered to k centres on the driver (weighted greedy
 * k-means++ and Lloyd, as the paper's step 8).
 *
 * <p>Settings: l = 2k and {@link #ROUNDS} = 5 rounds, the paper's recommended values (its section 5
 * finds r = 5 enough for l >= k). Every random choice comes from (seed, step, row key), so the same seed
 * gives the same centres for any partitioning. Scans: one for the first centre, one per round, one to
 * weight the candidates.
 */
public final class KMeansParallel {
  private static final Logger LOG = LoggerFactory.getLogger(KMeansParallel.class);

  public static final int ROUNDS = 5;
  public static final int SCANS = ROUNDS + 2;
  /** Lloyd iterations of the driver-side reclustering (the candidate set is small). */
  static final int LOCAL_MAX_ITER = 30;
  /** Steps of the driver-side draws, apart from the scans' steps 0..ROUNDS. */
  private static final long LOCAL_STEP = 1L << 32;

  private KMeansParallel() {}

  /** The weighted candidate centres of one k-means|| run. */
  public record Sketch(double[][] points, double[] weights) {}

  /** The oversampling factor for up to k centres. */
  static double factor(int k) {
    return 2.0 * k;
  }

  /**
   * Oversamples candidates for every seed in the same scans, with factor {@code l[c]} for seed c.
   * A round's cap on the rows it keeps is far above the expected l (a sum of independent Bernoulli draws
   * with mean at most l), so it binds only with negligible probability; if it does, the rows with the
   * smallest u / (w D^2) are kept, which still does not depend on the partitioning.
   */
  public static Sketch[] oversample(DataPass data, long[] seeds, double[] l) {
    int r = seeds.length;
    List<List<double[]>> cands = new ArrayList<>();
    SampleTask[] tasks = new SampleTask[r];
    for (int c = 0; c < r; c++) {
      tasks[c] = new SampleTask(new double[0][], seeds[c], 0, 1);
    }
    TopRows[] first = data.sample(tasks);
    for (int c = 0; c < r; c++) {
      if (first[c].size() == 0) {
        throw new IllegalArgumentException("no row with positive weight to start from");
      }
      List<double[]> list = new ArrayList<>();
      list.add(first[c].row(0));
      cands.add(list);
    }
    boolean[] done = new boolean[r];
    for (int round = 1; round <= ROUNDS; round++) {
      boolean any = false;
      for (int c = 0; c < r; c++) {
        int cap = (int) Math.ceil(l[c] + 10 * Math.sqrt(l[c]) + 10);
        tasks[c] = done[c] ? null : SampleTask.oversample(cands.get(c).toArray(new double[0][]), seeds[c], round,
            cap, l[c]);
        if (tasks[c] != null && round == ROUNDS) {
          tasks[c] = tasks[c].lastStep();
        }
        any |= tasks[c] != null;
      }
      if (!any) {
        break;
      }
      TopRows[] got = data.sample(tasks);
      for (int c = 0; c < r; c++) {
        if (tasks[c] == null) {
          continue;
        }
        TopRows t = got[c];
        double phi = t.cost;
        if (!(phi > 0.0)) {
          done[c] = true; // every row coincides with a candidate: nothing left to draw
          continue;
        }
        double bound = l[c] / phi;
        int taken = 0;
        for (int i : t.order()) {
          if (-t.score(i) < bound) {
            cands.get(c).add(t.row(i));
            taken++;
          }
        }
        if (taken == tasks[c].m) {
          LOG.warn("k-means|| round {}: the cap of {} rows was reached; the {} most likely were kept", round,
              taken, taken);
        }
        LOG.info("k-means|| round {}: phi = {}, {} candidates added", round, String.format("%.6g", phi), taken);
      }
    }
    EStepTask[] weigh = new EStepTask[r];
    for (int c = 0; c < r; c++) {
      weigh[c] = EStepTask.nearest(cands.get(c).toArray(new double[0][]), EStepTask.Scatter.NONE);
    }
    SuffStats[] stats = data.estep(weigh);
    Sketch[] out = new Sketch[r];
    for (int c = 0; c < r; c++) {
      double[][] pts = cands.get(c).toArray(new double[0][]);
      double[] w = new double[pts.length];
      for (int j = 0; j < pts.length; j++) {
        w[j] = stats[c].hardCount(j);
      }
      out[c] = new Sketch(pts, w);
    }
    return out;
  }

  /**
   * k centres from a sketch: weighted greedy k-means++ on the candidates, then weighted Lloyd iterations (on
   * the driver). {@code normalise} keeps centres at unit length (cosine). Fewer distinct candidates than k
   * repeat the last one; the first M-step then relocates the empty clusters.
   */
  public static double[][] recluster(Sketch s, int k, long seed, boolean normalise) {
    double[][] pts = s.points();
    double[] w = s.weights();
    int n = pts.length;
    int d = pts[0].length;
    double[][] centres = new double[k][];
    double[] dist = new double[n];
    Arrays.fill(dist, Double.POSITIVE_INFINITY);
    // Greedy k-means++ (as scikit-learn's): each step draws 2 + ln k candidates by D^2 and keeps the one
    // that lowers the weighted cost most. The candidate set is small, and the plain draw, run once, often
    // merges two groups; the reclustering is the step where k-means|| can lose what its rounds found.
    int trials = 2 + (int) Math.log(k);
    double[] trialDist = new double[n];
    double[] bestDist = new double[n];
    int chosen = 0;
    for (int step = 0; step < k; step++) {
      double total = 0.0;
      for (int i = 0; i < n; i++) {
        total += step == 0 ? w[i] : w[i] * dist[i];
      }
      if (!(total > 0.0)) {
        break;
      }
      int best = -1;
      double bestCost = Double.POSITIVE_INFINITY;
      for (int t = 0; t < (step == 0 ? 1 : trials); t++) {
        double target = RowRandom.uniform(seed, LOCAL_STEP + step, t) * total;
        int pick = -1;
        double acc = 0.0;
        for (int i = 0; i < n; i++) {
          double p = step == 0 ? w[i] : w[i] * dist[i];
          if (p > 0.0) {
            pick = i;
            acc += p;
            if (acc >= target) {
              break;
            }
          }
        }
        double cost = 0.0;
        for (int i = 0; i < n; i++) {
          trialDist[i] = Math.min(dist[i], squared(pts[i], pts[pick]));
          cost += w[i] * trialDist[i];
        }
        if (cost < bestCost) {
          bestCost = cost;
          best = pick;
          System.arraycopy(trialDist, 0, bestDist, 0, n);
        }
      }
      centres[step] = pts[best].clone();
      chosen++;
      System.arraycopy(bestDist, 0, dist, 0, n);
    }
    if (chosen == 0) {
      throw new IllegalArgumentException("no candidate with positive weight to start from");
    }
    for (int j = chosen; j < k; j++) {
      centres[j] = centres[chosen - 1].clone();
    }
    lloyd(pts, w, centres, normalise);
    return centres;
  }

  private static void lloyd(double[][] pts, double[] w, double[][] centres, boolean normalise) {
    int n = pts.length;
    int k = centres.length;
    int d = pts[0].length;
    int[] assign = new int[n];
    Arrays.fill(assign, -1);
    for (int iter = 0; iter < LOCAL_MAX_ITER; iter++) {
      boolean changed = false;
      for (int i = 0; i < n; i++) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          double s = squared(pts[i], centres[j]);
          if (s < bestD) {
            bestD = s;
            best = j;
          }
        }
        changed |= assign[i] != best;
        assign[i] = best;
      }
      if (!changed) {
        return;
      }
      double[][] sum = new double[k][d];
      double[] mass = new double[k];
      for (int i = 0; i < n; i++) {
        mass[assign[i]] += w[i];
        for (int p = 0; p < d; p++) {
          sum[assign[i]][p] += w[i] * pts[i][p];
        }
      }
      for (int j = 0; j < k; j++) {
        if (mass[j] > 0.0) {
          // An empty cluster keeps its centre here; the distributed K-means relocates it properly.
          double[] c = new double[d];
          for (int p = 0; p < d; p++) {
            c[p] = sum[j][p] / mass[j];
          }
          if (!normalise || Distance.normalise(c, 0, d)) {
            centres[j] = c;
          }
        }
      }
    }
  }

  private static double squared(double[] a, double[] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      double t = a[i] - b[i];
      s += t * t;
    }
    return s;
  }
}
