package dev.latent.diagnostics;

import dev.latent.math.Cholesky;

/**
 * Closed-form divergences between d-dimensional Gaussians N(mu, Sigma), and the K x K matrices of a
 * mixture's components. Means are {@code double[d]}, covariances full and row-major {@code double[d*d]}
 * (every covariance type expands to this; see {@code em.Mixture.fullCovariance}). Static methods on
 * arrays, so a report can call them without the rest of Latent.
 *
 * <p>Everything goes through Cholesky factors Sigma = L L^T; no inverse is formed:
 * <ul>
 *   <li>KL(N_0 || N_1) = 1/2 [tr(Sigma_1^-1 Sigma_0) + |L_1^-1 (mu_0 - mu_1)|^2 - d + ln det Sigma_1
 *       - ln det Sigma_0]. With M = L_1^-1 L_0 (lower triangular, M_ii = L0_ii / L1_ii) the trace,
 *       -d and log-determinant terms are sum_{i != j} M_ij^2 + sum_i g(ln M_ii) with
 *       g(t) = e^{2t} - 1 - 2t >= 0, evaluated without cancellation, so equal Gaussians give exactly 0
 *       and near-equal ones a small positive number rather than rounding noise.</li>
 *   <li>Bhattacharyya distance D_B = 1/8 |L^-1 (mu_0 - mu_1)|^2 + 1/2 [ln det Sigma - (ln det Sigma_0
 *       + ln det Sigma_1) / 2] with Sigma = (Sigma_0 + Sigma_1) / 2 = L L^T (Bhattacharyya 1943;
 *       Fukunaga, Statistical Pattern Recognition, 1990, eq. 3.152).</li>
 *   <li>The Bayes error between two weighted components is at most sqrt(w_0 w_1) exp(-D_B), since
 *       min(a, b) <= sqrt(a b) pointwise (Fukunaga eq. 3.150).</li>
 * </ul>
 */
public final class GaussianDivergence {
  private GaussianDivergence() {}

  /** KL(N(mu0, cov0) || N(mu1, cov1)), closed form in d dimensions. */
  public static double kl(double[] mu0, double[] cov0, double[] mu1, double[] cov1) {
    int d = mu0.length;
    return kl(Factor.of(mu0, cov0, d, 0), Factor.of(mu1, cov1, d, 1));
  }

  /** KL(N0 || N1) + KL(N1 || N0). */
  public static double symmetricKl(double[] mu0, double[] cov0, double[] mu1, double[] cov1) {
    return kl(mu0, cov0, mu1, cov1) + kl(mu1, cov1, mu0, cov0);
  }

  /** Bhattacharyya distance D_B(N0, N1) = -ln of the Bhattacharyya coefficient. */
  public static double bhattacharyya(double[] mu0, double[] cov0, double[] mu1, double[] cov1) {
    int d = mu0.length;
    return bhattacharyya(Factor.of(mu0, cov0, d, 0), Factor.of(mu1, cov1, d, 1));
  }

  /** sqrt(w0 w1) exp(-D_B): an upper bound on the Bayes error between two weighted components. */
  public static double overlapBound(double w0, double w1, double bhattacharyya) {
    return Math.sqrt(w0 * w1) * Math.exp(-bhattacharyya);
  }

  /** kl[i][j] = KL(N_i || N_j) over a mixture's components; the diagonal is 0. */
  public static double[][] klMatrix(double[][] means, double[][] covariances) {
    Factor[] f = Factor.all(means, covariances);
    int k = f.length;
    double[][] out = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        out[i][j] = i == j ? 0.0 : kl(f[i], f[j]);
      }
    }
    return out;
  }

  /** kl[a][b] = KL(A_a || B_b) between the components of two mixtures of the same dimension. */
  public static double[][] klMatrix(double[][] meansA, double[][] covariancesA, double[][] meansB,
      double[][] covariancesB) {
    Factor[] fa = Factor.all(meansA, covariancesA);
    Factor[] fb = Factor.all(meansB, covariancesB);
    if (fa.length > 0 && fb.length > 0 && fa[0].d != fb[0].d) {
      throw new IllegalArgumentException("dimensions differ: " + fa[0].d + " and " + fb[0].d);
    }
    double[][] out = new double[fa.length][fb.length];
    for (int a = 0; a < fa.length; a++) {
      for (int b = 0; b < fb.length; b++) {
        out[a][b] = kl(fa[a], fb[b]);
      }
    }
    return out;
  }

  /** The symmetric KL matrix, kl[i][j] + kl[j][i], from a KL matrix. */
  public static double[][] symmetricKlMatrix(double[][] kl) {
    int k = kl.length;
    double[][] out = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        out[i][j] = kl[i][j] + kl[j][i];
      }
    }
    return out;
  }

  /** D_B(i, j) over a mixture's components; symmetric, with a zero diagonal. */
  public static double[][] bhattacharyyaMatrix(double[][] means, double[][] covariances) {
    Factor[] f = Factor.all(means, covariances);
    int k = f.length;
    double[][] out = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        out[i][j] = bhattacharyya(f[i], f[j]);
        out[j][i] = out[i][j];
      }
    }
    return out;
  }

  /** sqrt(w_i w_j) exp(-D_B(i, j)) from the weights and a Bhattacharyya matrix; the diagonal is w_i. */
  public static double[][] overlapBoundMatrix(double[] weights, double[][] bhattacharyya) {
    int k = weights.length;
    double[][] out = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        out[i][j] = overlapBound(weights[i], weights[j], bhattacharyya[i][j]);
      }
    }
    return out;
  }

  private static double kl(Factor p, Factor q) {
    int d = p.d;
    // M = L_q^-1 L_p column by column (forward substitution); M is lower triangular.
    double[] m = solveLower(q.l, p.l, d, d);
    double off = 0.0;
    double diag = 0.0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < i; j++) {
        off += m[i * d + j] * m[i * d + j];
      }
      diag += traceLogDetTerm(Math.log(p.l[i * d + i]) - Math.log(q.l[i * d + i]));
    }
    double[] delta = new double[d];
    for (int i = 0; i < d; i++) {
      delta[i] = p.mu[i] - q.mu[i];
    }
    double maha = squaredNorm(solveLower(q.l, delta, d, 1));
    return 0.5 * (off + diag + maha);
  }

  private static double bhattacharyya(Factor p, Factor q) {
    int d = p.d;
    double[] avg = new double[d * d];
    for (int i = 0; i < avg.length; i++) {
      avg[i] = 0.5 * (p.cov[i] + q.cov[i]);
    }
    // The average of two positive-definite matrices is positive definite.
    Factor mid = Factor.of(p.mu, avg, d, -1);
    double[] delta = new double[d];
    for (int i = 0; i < d; i++) {
      delta[i] = p.mu[i] - q.mu[i];
    }
    double maha = squaredNorm(solveLower(mid.l, delta, d, 1));
    return 0.125 * maha + 0.5 * (mid.logDet - 0.5 * (p.logDet + q.logDet));
  }

  /**
   * g(t) = e^{2t} - 1 - 2t, the contribution of one diagonal entry M_ii = e^t to tr(M M^T) - d -
   * ln det(M M^T); its Taylor series near 0, where the direct form cancels.
   */
  static double traceLogDetTerm(double t) {
    double u = 2.0 * t;
    if (Math.abs(u) < 1e-3) {
      return u * u * (0.5 + u * (1.0 / 6.0 + u * (1.0 / 24.0 + u / 120.0)));
    }
    return Math.expm1(u) - u;
  }

  /** X with L X = B for lower-triangular L (d x d) and B (d x cols), both row-major. */
  private static double[] solveLower(double[] l, double[] b, int d, int cols) {
    double[] x = new double[d * cols];
    for (int c = 0; c < cols; c++) {
      for (int i = 0; i < d; i++) {
        double s = b[i * cols + c];
        for (int p = 0; p < i; p++) {
          s -= l[i * d + p] * x[p * cols + c];
        }
        x[i * cols + c] = s / l[i * d + i];
      }
    }
    return x;
  }

  private static double squaredNorm(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x * x;
    }
    return s;
  }

  /** A Gaussian with its Cholesky factor and log-determinant, computed once per component. */
  private record Factor(int d, double[] mu, double[] cov, double[] l, double logDet) {
    static Factor of(double[] mu, double[] cov, int d, int component) {
      if (mu.length != d || cov.length != d * d) {
        throw new IllegalArgumentException("component " + component + ": mean of length " + mu.length
            + " and covariance of length " + cov.length + " do not make a " + d + "-dimensional Gaussian");
      }
      double[] l;
      try {
        l = Cholesky.decompose(cov, d);
      } catch (Cholesky.NotPositiveDefiniteException e) {
        throw new IllegalArgumentException("component " + component + ": covariance " + e.getMessage());
      }
      return new Factor(d, mu, cov, l, 2.0 * logDiag(l, d));
    }

    static Factor[] all(double[][] means, double[][] covariances) {
      if (means.length != covariances.length) {
        throw new IllegalArgumentException(means.length + " means but " + covariances.length + " covariances");
      }
      Factor[] f = new Factor[means.length];
      for (int j = 0; j < f.length; j++) {
        f[j] = of(means[j], covariances[j], means[0].length, j);
      }
      return f;
    }

    private static double logDiag(double[] l, int d) {
      double s = 0.0;
      for (int i = 0; i < d; i++) {
        s += Math.log(l[i * d + i]);
      }
      return s;
    }
  }
}
