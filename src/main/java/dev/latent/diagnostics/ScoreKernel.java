package dev.latent.diagnostics;

import dev.latent.em.RowStatistic;
import dev.latent.mixture.CovarianceType;
import java.util.Arrays;

/**
 * The per-row part of the Fisher information, run inside the E-step mapper: the packed upper triangle
 * (p(p+1)/2 numbers) of
 * <ul>
 *   <li>{@code OPG}: sum_i w_i s_i s_i^T, the outer products of the per-row scores;</li>
 *   <li>{@code OBSERVED}: sum_i w_i (s_i s_i^T - sum_k r_ik g_ik g_ik^T), minus Louis's (1982) missing
 *       information: the conditional covariance of the complete-data score given the row.</li>
 * </ul>
 * g_ik is the score of log pi_k + log N(x_i | mu_k, Sigma_k) (the complete-data log-likelihood of row i
 * in component k) and s_i = sum_k r_ik g_ik the score of log p(x_i). With e = x - mu_k, u = P_k e:
 * weight j < K-1: [j = k] / pi_j - [k = K] / pi_K; mean: u; covariance entry g with direction A_g:
 * tr(G A_g), G = (u u^T - P_k) / 2. g_ik is nonzero only on the weights, component k's mean and its
 * covariance entries, so the second sum costs K (K + d + q)^2 per row; s s^T costs p^2 over the entries
 * of the components with a nonzero responsibility.
 */
final class ScoreKernel implements RowStatistic {
  private static final long serialVersionUID = 1L;

  private final FreeParameters theta;
  private final boolean observed;
  private final double[] weights;
  private final double[][] means;
  /** Component j's precision P_j = Sigma_j^-1, dense row-major d x d (diagonal for diag and spherical). */
  private final double[][] precisions;
  /** The parameters on which g_ij can be nonzero, ascending; the weights' come first. */
  private final int[][] support;
  /** Packed index of (a, b), a <= b, is rowStart[a] + b. */
  private final int[] rowStart;

  ScoreKernel(FreeParameters theta, InformationMethod method, double[] weights, double[][] means,
      double[][] precisions) {
    this.theta = theta;
    this.observed = method == InformationMethod.OBSERVED;
    this.weights = weights.clone();
    this.means = means;
    this.precisions = precisions;
    int k = theta.k;
    int d = theta.d;
    support = new int[k][];
    for (int j = 0; j < k; j++) {
      int nw = j < k - 1 ? 1 : k - 1;
      int[] s = new int[nw + d + theta.q];
      int t = 0;
      if (j < k - 1) {
        s[t++] = theta.weight(j);
      } else {
        for (int a = 0; a < k - 1; a++) {
          s[t++] = theta.weight(a);
        }
      }
      for (int a = 0; a < d; a++) {
        s[t++] = theta.mean(j, a);
      }
      for (int g = 0; g < theta.q; g++) {
        s[t++] = theta.covariance(j, g);
      }
      support[j] = s;
    }
    int p = theta.p;
    rowStart = new int[p];
    for (int a = 0; a < p; a++) {
      rowStart[a] = a * p - a * (a - 1) / 2 - a;
    }
  }

  @Override
  public int length() {
    return theta.p * (theta.p + 1) / 2;
  }

  /** Packed index of (a, b) for a <= b. */
  int packed(int a, int b) {
    return rowStart[a] + b;
  }

  @Override
  public void addTile(double[] x, int row0, int n, double[] w, double[][] wresp, double[] acc) {
    int k = theta.k;
    int d = theta.d;
    int p = theta.p;
    double[] e = new double[d];
    double[] u = new double[d];
    double[] score = new double[p];
    double[][] g = new double[k][];
    for (int j = 0; j < k; j++) {
      g[j] = new double[support[j].length];
    }
    int[] nonzero = new int[p];
    boolean[] active = new boolean[k];
    for (int r = 0; r < n; r++) {
      double wr = w[r];
      if (wr == 0.0) {
        continue;
      }
      int off = (row0 + r) * d;
      Arrays.fill(score, 0.0);
      for (int j = 0; j < k; j++) {
        double rw = wresp[j][r];
        active[j] = rw > 0.0;
        if (!active[j]) {
          continue;
        }
        componentScore(j, x, off, e, u, g[j]);
        double resp = rw / wr;
        int[] s = support[j];
        double[] gj = g[j];
        for (int t = 0; t < s.length; t++) {
          score[s[t]] += resp * gj[t];
        }
        if (observed) {
          // minus r_ij g g^T over g's support (ascending, so a <= b in the packed triangle)
          for (int t = 0; t < s.length; t++) {
            double a = rw * gj[t];
            int base = rowStart[s[t]];
            for (int t2 = t; t2 < s.length; t2++) {
              acc[base + s[t2]] -= a * gj[t2];
            }
          }
        }
      }
      // s s^T over the entries that can be nonzero: the weights, then the active components' blocks.
      int m = 0;
      for (int a = 0; a < k - 1; a++) {
        nonzero[m++] = theta.weight(a);
      }
      for (int j = 0; j < k; j++) {
        if (active[j]) {
          for (int a = 0; a < d; a++) {
            nonzero[m++] = theta.mean(j, a);
          }
        }
      }
      for (int j = 0; j < theta.type.blocks(k); j++) {
        if (active[j] || theta.type == CovarianceType.TIED) {
          for (int c = 0; c < theta.q; c++) {
            nonzero[m++] = theta.covariance(j, c);
          }
        }
      }
      if (m == p) {
        // Every component active (overlapping clouds): contiguous rows of the packed triangle.
        int idx = 0;
        for (int a = 0; a < p; a++) {
          double sa = wr * score[a];
          for (int b = a; b < p; b++) {
            acc[idx++] += sa * score[b];
          }
        }
        continue;
      }
      for (int t = 0; t < m; t++) {
        int a = nonzero[t];
        double sa = wr * score[a];
        if (sa == 0.0) {
          continue;
        }
        int base = rowStart[a];
        for (int t2 = t; t2 < m; t2++) {
          int b = nonzero[t2];
          acc[base + b] += sa * score[b];
        }
      }
    }
  }

  /** g_ij on component j's support, into {@code g}; e and u are scratch of length d. */
  void componentScore(int j, double[] x, int off, double[] e, double[] u, double[] g) {
    int k = theta.k;
    int d = theta.d;
    double[] mu = means[j];
    double[] prec = precisions[j];
    for (int a = 0; a < d; a++) {
      e[a] = x[off + a] - mu[a];
    }
    for (int a = 0; a < d; a++) {
      double s = 0.0;
      int row = a * d;
      for (int b = 0; b < d; b++) {
        s += prec[row + b] * e[b];
      }
      u[a] = s;
    }
    int t = 0;
    if (j < k - 1) {
      g[t++] = 1.0 / weights[j];
    } else {
      double v = -1.0 / weights[k - 1];
      for (int a = 0; a < k - 1; a++) {
        g[t++] = v;
      }
    }
    for (int a = 0; a < d; a++) {
      g[t++] = u[a];
    }
    int[] pi = theta.pairI;
    int[] pj = theta.pairJ;
    for (int c = 0; c < theta.q; c++) {
      double s = 0.0;
      for (int z = theta.pairStart[c]; z < theta.pairStart[c + 1]; z++) {
        s += u[pi[z]] * u[pj[z]] - prec[pi[z] * d + pj[z]];
      }
      g[t++] = 0.5 * s;
    }
  }
}
