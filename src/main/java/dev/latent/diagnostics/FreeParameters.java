package dev.latent.diagnostics;

import dev.latent.mixture.CovarianceType;
import java.io.Serializable;

/**
 * The free parameters theta of a K-component Gaussian mixture in d dimensions, in the order of the rows
 * of the information matrix: the first K-1 weights (pi_K = 1 - their sum), the K means, then the free
 * covariance entries of the type: full, the upper triangle a <= b of each Sigma_k (row by row); diag,
 * the variances; spherical, one variance per component; tied, the upper triangle of the shared matrix.
 * p is scikit-learn's {@code _n_parameters}, the count BIC uses.
 *
 * <p>Each covariance entry g is the direction dSigma/dtheta_g, written as the index pairs (i, j) of its
 * nonzero (unit) entries: E_ab + E_ba for an off-diagonal entry, E_aa for a variance, the identity (d
 * pairs) for a spherical variance. Scores and Hessians are then traces against these few pairs, one code
 * path for all four types.
 */
public final class FreeParameters implements Serializable {
  private static final long serialVersionUID = 1L;

  public final CovarianceType type;
  public final int k;
  public final int d;
  /** Covariance entries per covariance block (one block per component; tied: one for all). */
  public final int q;
  /** The number of free parameters. */
  public final int p;
  /** Pairs of entry g are (pairI[t], pairJ[t]) for pairStart[g] <= t < pairStart[g + 1]. */
  final int[] pairStart;
  final int[] pairI;
  final int[] pairJ;
  /** The matrix position (row a, column b, a <= b) that entry g stands for (spherical: (0, 0)). */
  final int[] entryRow;
  final int[] entryCol;

  public FreeParameters(CovarianceType type, int k, int d) {
    this.type = type;
    this.k = k;
    this.d = d;
    this.q = switch (type) {
      case FULL, TIED -> d * (d + 1) / 2;
      case DIAG -> d;
      case SPHERICAL -> 1;
    };
    long count = (long) k - 1 + (long) k * d + (long) type.blocks(k) * q;
    this.p = (int) Math.min(Integer.MAX_VALUE, count);
    pairStart = new int[q + 1];
    entryRow = new int[q];
    entryCol = new int[q];
    int pairs = switch (type) {
      case FULL, TIED -> d * d;
      case DIAG, SPHERICAL -> d;
    };
    pairI = new int[pairs];
    pairJ = new int[pairs];
    int t = 0;
    if (type == CovarianceType.SPHERICAL) {
      for (int a = 0; a < d; a++) {
        pairI[t] = a;
        pairJ[t++] = a;
      }
      pairStart[1] = t;
      return;
    }
    int g = 0;
    for (int a = 0; a < d; a++) {
      int last = type == CovarianceType.DIAG ? a : d - 1;
      for (int b = a; b <= last; b++) {
        entryRow[g] = a;
        entryCol[g] = b;
        pairI[t] = a;
        pairJ[t++] = b;
        if (a != b) {
          pairI[t] = b;
          pairJ[t++] = a;
        }
        pairStart[++g] = t;
      }
    }
  }

  /** The number of free parameters of a mixture, without building the layout (for the size check). */
  public static long count(CovarianceType type, int k, int d) {
    return (long) k - 1 + (long) k * d + type.freeParameters(k, d);
  }

  /** Index of weight j < k - 1. */
  public int weight(int j) {
    return j;
  }

  /** Index of coordinate a of component j's mean. */
  public int mean(int j, int a) {
    return k - 1 + j * d + a;
  }

  /** Index of covariance entry g of component j (tied: of the shared matrix, whatever j). */
  public int covariance(int j, int g) {
    return k - 1 + k * d + (type == CovarianceType.TIED ? 0 : j) * q + g;
  }

  /** Index of entry (a, b) of component j's covariance among its q entries (full and tied: a <= b). */
  int entry(int a, int b) {
    return switch (type) {
      case FULL, TIED -> a * d - a * (a - 1) / 2 + (b - a);
      case DIAG -> a;
      case SPHERICAL -> 0;
    };
  }

  /** A readable name of parameter {@code index}, for messages: weight[0], mean[1][2], covariance[0][1][3]. */
  public String name(int index) {
    if (index < k - 1) {
      return "weight[" + index + "]";
    }
    int m = index - (k - 1);
    if (m < k * d) {
      return "mean[" + m / d + "][" + m % d + "]";
    }
    int c = m - k * d;
    int g = c % q;
    String block = type == CovarianceType.TIED ? "" : "[" + c / q + "]";
    return switch (type) {
      case FULL, TIED -> "covariance" + block + "[" + entryRow[g] + "][" + entryCol[g] + "]";
      case DIAG -> "covariance" + block + "[" + g + "]";
      case SPHERICAL -> "covariance" + block;
    };
  }
}
