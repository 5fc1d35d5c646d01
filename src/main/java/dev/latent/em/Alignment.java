package dev.latent.em;

import dev.latent.math.Hungarian;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Renumbering of a new fit's components so they keep the numbers of a previous model's: the new means are
 * matched to the old ones by minimum total Euclidean distance (an assignment problem, solved exactly by
 * {@link Hungarian}), and each new component takes its match's number.
 *
 * <p>With more new components than old, the unmatched ones follow the matched ones in their own order;
 * with fewer, the matched ones keep the old numbers' order (numbers stay 0..K-1, so some old numbers
 * are not used). {@code order[i]} is the index, in the fit as it came, of the component numbered i;
 * {@code previous[i]} is the old number matched to it, or -1.
 */
public record Alignment(int[] order, int[] previous, double totalDistance) {

  /** Per component after renumbering: its old match and how far weight and mean moved from it. */
  public record Drift(int component, int previous, double weight, double previousWeight, double weightChange,
      double meanDistance, double[] meanShift) {}

  public static Alignment of(double[][] means, double[][] oldMeans) {
    int k = means.length;
    int old = oldMeans.length;
    if (k == 0 || old == 0 || means[0].length != oldMeans[0].length) {
      throw new IllegalArgumentException("means of dimension " + (k == 0 ? 0 : means[0].length)
          + " cannot be matched to means of dimension " + (old == 0 ? 0 : oldMeans[0].length));
    }
    double[][] cost = new double[k][old];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < old; j++) {
        cost[i][j] = distance(means[i], oldMeans[j]);
      }
    }
    int[] match = Hungarian.assign(cost);
    Integer[] idx = new Integer[k];
    for (int i = 0; i < k; i++) {
      idx[i] = i;
    }
    // Sort by the old number; unmatched components after all matched ones, in their own order.
    Arrays.sort(idx, (a, b) -> Long.compare(rank(match, a, old), rank(match, b, old)));
    int[] order = new int[k];
    int[] previous = new int[k];
    for (int i = 0; i < k; i++) {
      order[i] = idx[i];
      previous[i] = match[idx[i]];
    }
    return new Alignment(order, previous, Hungarian.total(cost, match));
  }

  private static long rank(int[] match, int i, int old) {
    return match[i] >= 0 ? match[i] : (long) old + i;
  }

  /** True when nothing is renumbered. */
  public boolean identity() {
    for (int i = 0; i < order.length; i++) {
      if (order[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** Drift of every component of the renumbered fit against the old weights and means. */
  public List<Drift> drift(double[] weights, double[][] means, double[] oldWeights, double[][] oldMeans) {
    List<Drift> out = new ArrayList<>();
    for (int i = 0; i < order.length; i++) {
      int p = previous[i];
      if (p < 0) {
        out.add(new Drift(i, -1, weights[i], Double.NaN, Double.NaN, Double.NaN, null));
        continue;
      }
      double[] shift = new double[means[i].length];
      for (int t = 0; t < shift.length; t++) {
        shift[t] = means[i][t] - oldMeans[p][t];
      }
      out.add(new Drift(i, p, weights[i], oldWeights[p], weights[i] - oldWeights[p], distance(means[i], oldMeans[p]),
          shift));
    }
    return out;
  }

  static double distance(double[] a, double[] b) {
    double s = 0.0;
    for (int t = 0; t < a.length; t++) {
      double x = a[t] - b[t];
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
