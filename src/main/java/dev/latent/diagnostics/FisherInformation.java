package dev.latent.diagnostics;

import dev.latent.em.SuffStats;

/**
 * The information matrix J (dense, row-major p x p) from one scan's statistics.
 *
 * <p>Observed information by Louis (1982): -d^2 log L = I_c - I_m, where I_c = sum_i sum_k w_i r_ik
 * (-d^2 [log pi_k + log N(x_i | mu_k, Sigma_k)]) is the expected complete-data information and I_m the
 * missing information, whose negative {@link ScoreKernel} sums per row. Per row this is the exact identity
 * d^2 log sum_k f_k = sum_k r_k (d^2 log f_k + g_k g_k^T) - s s^T, so J is the exact Hessian at any
 * parameters, not only at a stationary point. I_c is affine in (1, e, e e^T), e = x - mu_k, so it comes
 * from the E-step's own statistics about the fitted means: N_k, S1_k = sum w r e, S2_k = sum w r e e^T.
 * With u = P e, U1 = P S1, U2 = P S2 P and directions A = E_ij, B = E_kl (summed over the pairs of each
 * covariance entry):
 * <ul>
 *   <li>weights: N_j / pi_j^2 on the diagonal, and N_K / pi_K^2 on every entry of the weight block;</li>
 *   <li>mean-mean: N_k P; mean c - covariance A: (P A U1)_c = P_ci U1_j;</li>
 *   <li>covariance A - covariance B: -1/2 [N_k P_li P_jk - P_li U2_jk - P_jk U2_li], from
 *       d^2 log N / dA dB = 1/2 [tr(P A P B) - u^T B P A u - u^T A P B u].</li>
 * </ul>
 */
final class FisherInformation {
  private FisherInformation() {}

  /** The packed upper triangle {@code packed} (p(p+1)/2) as a dense symmetric p x p matrix. */
  static double[] unpack(double[] packed, int p) {
    double[] m = new double[p * p];
    int t = 0;
    for (int a = 0; a < p; a++) {
      for (int b = a; b < p; b++) {
        m[a * p + b] = packed[t];
        m[b * p + a] = packed[t];
        t++;
      }
    }
    return m;
  }

  /**
   * Adds I_c into {@code info} (dense p x p). {@code stats} are those of a soft E-step whose shifts are
   * the component means, so sumOf and scatterOf are S1 and S2 (the diagonal only for diag and spherical,
   * where P is diagonal and the off-diagonal entries of S2 are never read).
   */
  static void addCompleteData(double[] info, FreeParameters theta, double[] weights, double[][] precisions,
      SuffStats stats) {
    int k = theta.k;
    int d = theta.d;
    int p = theta.p;
    double nLast = stats.resp(k - 1) / (weights[k - 1] * weights[k - 1]);
    for (int a = 0; a < k - 1; a++) {
      info[a * p + a] += stats.resp(a) / (weights[a] * weights[a]);
      for (int b = 0; b < k - 1; b++) {
        info[a * p + b] += nLast;
      }
    }
    int[] pi = theta.pairI;
    int[] pj = theta.pairJ;
    for (int j = 0; j < k; j++) {
      double nj = stats.resp(j);
      double[] prec = precisions[j];
      double[] s1 = stats.sumOf(j);
      double[] s2 = fullScatter(stats.scatterOf(j), d);
      double[] u1 = new double[d];
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          u1[a] += prec[a * d + b] * s1[b];
        }
      }
      double[] u2 = sandwich(prec, s2, d);
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          info[theta.mean(j, a) * p + theta.mean(j, b)] += nj * prec[a * d + b];
        }
      }
      for (int g = 0; g < theta.q; g++) {
        int cg = theta.covariance(j, g);
        for (int c = 0; c < d; c++) {
          double v = 0.0;
          for (int z = theta.pairStart[g]; z < theta.pairStart[g + 1]; z++) {
            v += prec[c * d + pi[z]] * u1[pj[z]];
          }
          int mc = theta.mean(j, c);
          info[mc * p + cg] += v;
          info[cg * p + mc] += v;
        }
        for (int h = 0; h < theta.q; h++) {
          int ch = theta.covariance(j, h);
          double v = 0.0;
          for (int z = theta.pairStart[g]; z < theta.pairStart[g + 1]; z++) {
            int i1 = pi[z];
            int j1 = pj[z];
            for (int y = theta.pairStart[h]; y < theta.pairStart[h + 1]; y++) {
              int k1 = pi[y];
              int l1 = pj[y];
              v += nj * prec[l1 * d + i1] * prec[j1 * d + k1] - prec[l1 * d + i1] * u2[j1 * d + k1]
                  - prec[j1 * d + k1] * u2[l1 * d + i1];
            }
          }
          info[cg * p + ch] -= 0.5 * v;
        }
      }
    }
  }

  /** A scatter as a dense d x d matrix: full ones as they are, a diagonal (length d) on the diagonal. */
  private static double[] fullScatter(double[] s, int d) {
    if (s.length == d * d) {
      return s;
    }
    double[] m = new double[d * d];
    for (int a = 0; a < d; a++) {
      m[a * d + a] = s[a];
    }
    return m;
  }

  /** P S P for symmetric P, S (row-major d x d). */
  private static double[] sandwich(double[] prec, double[] s, int d) {
    double[] ps = new double[d * d];
    for (int a = 0; a < d; a++) {
      for (int c = 0; c < d; c++) {
        double v = 0.0;
        for (int b = 0; b < d; b++) {
          v += prec[a * d + b] * s[b * d + c];
        }
        ps[a * d + c] = v;
      }
    }
    double[] out = new double[d * d];
    for (int a = 0; a < d; a++) {
      for (int c = 0; c < d; c++) {
        double v = 0.0;
        for (int b = 0; b < d; b++) {
          v += ps[a * d + b] * prec[b * d + c];
        }
        out[a * d + c] = v;
      }
    }
    return out;
  }
}
