package dev.latent.em;

import dev.latent.mixture.Mixture;
import dev.latent.mixture.Posterior;
import java.io.Serializable;

/**
 * What the run report needs from one extra scan over the data under the final model: a bounded sample of
 * rows (drawn per row from the seed by {@link SampleTask}, weight-proportional and the same for any
 * partitioning), and the weighted histogram of the assignment uncertainty 1 - max_k r_ik over every row, in
 * {@link #BINS} fixed bins of [0, 1 - 1/K] (exact, mergeable by addition, O(1) in n).
 */
public final class AssignmentProfile implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Bins of the uncertainty histogram. */
  public static final int BINS = 20;

  public final TopRows sample;
  /** Weight of the rows per uncertainty bin; null when assignments are hard (K-means). */
  public final double[] uncertainty;

  public AssignmentProfile(int m, int d, boolean soft) {
    sample = new TopRows(m, d);
    uncertainty = soft ? new double[BINS] : null;
  }

  /** Adds a block: its rows offered to the sample, and (soft models) their uncertainty under {@code mixture}. */
  public AssignmentProfile add(DataBlock b, SampleTask draw, Mixture mixture) {
    draw.accumulate(b, sample);
    if (uncertainty != null) {
      Posterior post = new Posterior(mixture);
      int d = b.d;
      for (int r = 0; r < b.rows; r++) {
        double w = b.weight(r);
        if (w == 0.0) {
          continue;
        }
        int best = post.score(b.x, r * d);
        uncertainty[bin(1.0 - post.probabilities()[best], mixture.k)] += w;
      }
    }
    return this;
  }

  public AssignmentProfile merge(AssignmentProfile o) {
    sample.merge(o.sample);
    if (uncertainty != null) {
      for (int i = 0; i < BINS; i++) {
        uncertainty[i] += o.uncertainty[i];
      }
    }
    return this;
  }

  /** The largest possible uncertainty with k components, 1 - 1/k (1 for k = 1, where it is always 0). */
  static double top(int k) {
    return k > 1 ? 1.0 - 1.0 / k : 1.0;
  }

  /** The BINS + 1 bin edges for k components. */
  public static double[] edges(int k) {
    double[] e = new double[BINS + 1];
    for (int i = 0; i <= BINS; i++) {
      e[i] = top(k) * i / BINS;
    }
    return e;
  }

  /** The bin of uncertainty u (the top edge, and rounding past it, go into the last bin). */
  public static int bin(double u, int k) {
    double top = top(k);
    int b = Math.max(0, Math.min(BINS - 1, (int) Math.floor(u / top * BINS)));
    // The division can round across an edge: settle on the bin whose edges, as edges() computes them, hold u.
    if (b + 1 < BINS && u >= top * (b + 1) / BINS) {
      b++;
    } else if (b > 0 && u < top * b / BINS) {
      b--;
    }
    return b;
  }
}
