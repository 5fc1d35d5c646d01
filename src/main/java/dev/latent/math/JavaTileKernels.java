package dev.latent.math;

/**
 * {@link TileKernels} in plain Java: loops over the rows of a tile with unit stride, which C2 turns
 * into SIMD code where the loop carries no sum (the norms), while sums over rows (the Gram matrix) stay
 * scalar, spread over independent partial sums so that the additions overlap. The fallback when the
 * Vector API is not available, and a reference for {@link VectorTileKernels}.
 */
public final class JavaTileKernels implements TileKernels {
  @Override
  public String name() {
    return "java";
  }

  @Override
  public void centre(double[] xt, int stride, int n, int d, double[] mu, double[] out) {
    for (int i = 0; i < d; i++) {
      int o = i * stride;
      double m = mu[i];
      for (int r = 0; r < n; r++) {
        out[o + r] = xt[o + r] - m;
      }
    }
  }

  @Override
  public void triangularNorms(double[] f, int d, double[] diff, int stride, int n, double[] y,
      double[] m2) {
    for (int r = 0; r < n; r++) {
      m2[r] = 0.0;
    }
    for (int i = 0; i < d; i++) {
      int fr = i * d;
      double f0 = f[fr];
      for (int r = 0; r < n; r++) {
        y[r] = f0 * diff[r];
      }
      // Two columns per sweep halve the loads and stores of y; the additions keep their order.
      int p = 1;
      for (; p + 1 <= i; p += 2) {
        double fa = f[fr + p];
        double fb = f[fr + p + 1];
        int oa = p * stride;
        int ob = oa + stride;
        for (int r = 0; r < n; r++) {
          y[r] = y[r] + fa * diff[oa + r] + fb * diff[ob + r];
        }
      }
      if (p <= i) {
        double fa = f[fr + p];
        int oa = p * stride;
        for (int r = 0; r < n; r++) {
          y[r] = y[r] + fa * diff[oa + r];
        }
      }
      for (int r = 0; r < n; r++) {
        m2[r] += y[r] * y[r];
      }
    }
  }

  @Override
  public void centredTriangularNorms(double[] xt, int stride, int n, int d, double[] mu, double[] f,
      double[] diff, double[] y, double[] m2) {
    centre(xt, stride, n, d, mu, diff);
    triangularNorms(f, d, diff, stride, n, y, m2);
  }

  @Override
  public void diagonalNorms(double[] xt, int stride, int n, int d, double[] mu, double[] f, double[] m2) {
    for (int r = 0; r < n; r++) {
      m2[r] = 0.0;
    }
    for (int i = 0; i < d; i++) {
      int o = i * stride;
      double m = mu[i];
      double fi = f[i];
      for (int r = 0; r < n; r++) {
        double y = (xt[o + r] - m) * fi;
        m2[r] += y * y;
      }
    }
  }

  @Override
  public void sphericalNorms(double[] xt, int stride, int n, int d, double[] mu, double f, double[] m2) {
    for (int r = 0; r < n; r++) {
      m2[r] = 0.0;
    }
    for (int i = 0; i < d; i++) {
      int o = i * stride;
      double m = mu[i];
      for (int r = 0; r < n; r++) {
        double t = xt[o + r] - m;
        m2[r] += t * t;
      }
    }
    for (int r = 0; r < n; r++) {
      m2[r] = m2[r] * f * f;
    }
  }

  @Override
  public void centredWeightedSums(double[] xt, int stride, int n, int d, double[] shift, double[] w,
      double[] diff, double[] wd, double[] acc, int a0) {
    double tw = 0.0;
    for (int r = 0; r < n; r++) {
      tw += w[r];
    }
    acc[a0] += tw;
    for (int i = 0; i < d; i++) {
      int o = i * stride;
      double m = shift[i];
      double s = 0.0;
      for (int r = 0; r < n; r++) {
        double t = xt[o + r] - m;
        double v = w[r] * t;
        diff[o + r] = t;
        wd[o + r] = v;
        s += v;
      }
      acc[a0 + (1 + i) * PAD] += s;
    }
  }

  @Override
  public void weightedSquares(double[] wd, double[] diff, int stride, int n, int d, double[] acc, int a0) {
    for (int i = 0; i < d; i++) {
      acc[a0 + i * PAD] += dot(wd, i * stride, diff, i * stride, n);
    }
  }

  @Override
  public void weightedGramUpper(double[] wd, double[] diff, int stride, int n, int d, double[] acc,
      int a0) {
    // Four output entries and two rows at a time keep eight independent sums in registers, so the
    // additions overlap instead of each waiting for the last. Each tile's sums go to partial sum 0.
    int q = a0;
    for (int i = 0; i < d; i++) {
      int a = i * stride;
      int p = i;
      for (; p + 4 <= d; p += 4) {
        int b0 = p * stride;
        int b1 = b0 + stride;
        int b2 = b1 + stride;
        int b3 = b2 + stride;
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        double t0 = 0.0;
        double t1 = 0.0;
        double t2 = 0.0;
        double t3 = 0.0;
        int r = 0;
        for (; r + 2 <= n; r += 2) {
          double u = wd[a + r];
          double v = wd[a + r + 1];
          s0 += u * diff[b0 + r];
          s1 += u * diff[b1 + r];
          s2 += u * diff[b2 + r];
          s3 += u * diff[b3 + r];
          t0 += v * diff[b0 + r + 1];
          t1 += v * diff[b1 + r + 1];
          t2 += v * diff[b2 + r + 1];
          t3 += v * diff[b3 + r + 1];
        }
        if (r < n) {
          double u = wd[a + r];
          s0 += u * diff[b0 + r];
          s1 += u * diff[b1 + r];
          s2 += u * diff[b2 + r];
          s3 += u * diff[b3 + r];
        }
        acc[q] += s0 + t0;
        acc[q + PAD] += s1 + t1;
        acc[q + 2 * PAD] += s2 + t2;
        acc[q + 3 * PAD] += s3 + t3;
        q += 4 * PAD;
      }
      for (; p < d; p++) {
        acc[q] += dot(wd, a, diff, p * stride, n);
        q += PAD;
      }
    }
  }

  @Override
  public void argmax(double[][] logit, double[][] maha, int k, int n, int[] best, double[] max,
      double[] bestMaha) {
    for (int r = 0; r < n; r++) {
      int b = 0;
      double m = logit[0][r];
      for (int j = 1; j < k; j++) {
        if (logit[j][r] > m) {
          m = logit[j][r];
          b = j;
        }
      }
      best[r] = b;
      max[r] = m;
      bestMaha[r] = maha[b][r];
    }
  }

  @Override
  public void posteriors(double[][] logit, int k, int n, double[] w, double[] max, double[][] resp,
      double[] lse) {
    for (int r = 0; r < n; r++) {
      double m = max[r];
      if (w[r] == 0.0 || !(m > Double.NEGATIVE_INFINITY)) {
        for (int j = 0; j < k; j++) {
          resp[j][r] = 0.0;
        }
        lse[r] = m;
        continue;
      }
      // exp(logit - max) / sum: one exp per component (the row path takes a second, of logit - lse).
      double sum = 0.0;
      for (int j = 0; j < k; j++) {
        double e = Math.exp(logit[j][r] - m);
        resp[j][r] = e;
        sum += e;
      }
      lse[r] = m + Math.log(sum);
      double scale = w[r] / sum;
      for (int j = 0; j < k; j++) {
        resp[j][r] *= scale;
      }
    }
  }

  @Override
  public void nearestByProducts(double[] xt, int stride, int n, int d, double[] shift, double[] diff,
      double[] c, double[] cc, int k, int[] best, double[] gap, double[] xx, double[] work) {
    // The shifted rows u into diff first.
    centre(xt, stride, n, d, shift, diff);
    double[] u = diff;
    // work[0..n) holds the products x.c_j, work[n..2n) the second smallest e; gap the smallest until the end.
    double[] m1 = gap;
    for (int r = 0; r < n; r++) {
      xx[r] = 0.0;
      m1[r] = Double.POSITIVE_INFINITY;
      work[n + r] = Double.POSITIVE_INFINITY;
      best[r] = 0;
    }
    for (int i = 0; i < d; i++) {
      int o = i * stride;
      for (int r = 0; r < n; r++) {
        xx[r] += u[o + r] * u[o + r];
      }
    }
    for (int j = 0; j < k; j++) {
      for (int r = 0; r < n; r++) {
        work[r] = 0.0;
      }
      for (int i = 0; i < d; i++) {
        int o = i * stride;
        double cj = c[j * d + i];
        for (int r = 0; r < n; r++) {
          work[r] += u[o + r] * cj;
        }
      }
      double ccj = cc[j];
      for (int r = 0; r < n; r++) {
        double v = ccj - 2.0 * work[r];
        if (v < m1[r]) {
          work[n + r] = m1[r];
          m1[r] = v;
          best[r] = j;
        } else if (v < work[n + r]) {
          work[n + r] = v;
        }
      }
    }
    for (int r = 0; r < n; r++) {
      gap[r] = work[n + r] - m1[r];
    }
  }

  @Override
  public void bestDistances(double[] xt, int stride, int n, int d, double[] c, int[] best, int[] offsets,
      double[] dist) {
    for (int r = 0; r < n; r++) {
      int o = best[r] * d;
      double m2 = 0.0;
      for (int i = 0; i < d; i++) {
        double t = xt[i * stride + r] - c[o + i];
        m2 += t * t;
      }
      dist[r] = m2;
    }
  }

  @Override
  public int fewCentres() {
    return PAD;
  }

  @Override
  public void nearestOfFew(double[] x, int row0, int n, int d, double[] byCoordinate, int k, double logNorm,
      int[] best, double[] dist, double[] work) {
    if (k > PAD) {
      throw new IllegalArgumentException(k + " centres are more than " + PAD);
    }
    for (int r = 0; r < n; r++) {
      int o = (row0 + r) * d;
      int label = 0;
      double top = Double.NEGATIVE_INFINITY;
      double m2 = 0.0;
      for (int j = 0; j < k; j++) {
        double s = 0.0;
        for (int i = 0; i < d; i++) {
          double t = x[o + i] - byCoordinate[i * PAD + j];
          s += t * t;
        }
        double logit = logNorm - 0.5 * s;
        if (j == 0 || logit > top) {
          label = j;
          top = logit;
          m2 = s;
        }
      }
      best[r] = label;
      dist[r] = m2;
    }
  }

  @Override
  public void addToLabels(double[] x, int row0, int n, int d, double[] w, int[] label, double[] shift,
      double[] sum) {
    for (int r = 0; r < n; r++) {
      double wr = w == null ? 1.0 : w[r];
      if (wr == 0.0) {
        continue;
      }
      int o = (row0 + r) * d;
      int q = label[r] * d;
      for (int i = 0; i < d; i++) {
        sum[q + i] += wr * (x[o + i] - shift[q + i]);
      }
    }
  }

  /** sum_r a[ao + r] b[bo + r] with four independent partial sums. */
  static double dot(double[] a, int ao, double[] b, int bo, int n) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int r = 0;
    for (; r + 4 <= n; r += 4) {
      s0 += a[ao + r] * b[bo + r];
      s1 += a[ao + r + 1] * b[bo + r + 1];
      s2 += a[ao + r + 2] * b[bo + r + 2];
      s3 += a[ao + r + 3] * b[bo + r + 3];
    }
    for (; r < n; r++) {
      s0 += a[ao + r] * b[bo + r];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
