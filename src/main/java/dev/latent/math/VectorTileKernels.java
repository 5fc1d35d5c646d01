package dev.latent.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileKernels} on the JDK Vector API (incubating in JDK 17; needs
 * {@code --add-modules=jdk.incubator.vector}): one vector holds the same column of several consecutive
 * rows, as many as the CPU's widest registers take (8 with AVX-512, 4 with AVX2); in
 * {@link #nearestOfFew}, the same coordinate of several centres.
 *
 * <p>Against the plain loops this keeps each row's running values in registers instead of in the scratch
 * arrays (a row's projection onto every factor row, its distance), sums over rows lane by lane into
 * per-lane partial sums (the soft statistics, in register blocks of the Gram matrix that centre and weigh
 * their own columns; reduced once per block, see {@link TileKernels#addPartials}), and takes the exponentials and logarithms of a whole
 * vector at once with its own exp and log from exact lane operations (SVML's differ from the fallback's
 * in the last bit). The hard path's norms use separate multiply and add, as the row path does, so they
 * stay bitwise equal to it; the soft path's norms and the statistics use fused multiply-add.
 *
 * <p>Only loaded through {@link Kernels}, which checks that the module is present first.
 */
public final class VectorTileKernels implements TileKernels {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final double LOG2E = 1.4426950408889634;
  /** ln 2 split as fdlibm does: the high part has zero low bits, so k * LN2_HI is exact for |k| < 2^11. */
  private static final double LN2_HI = 6.93147180369123816490e-01;
  private static final double LN2_LO = 1.90821492927058770002e-10;
  /** 1.5 * 2^52: adding and subtracting it rounds |t| < 2^51 to the nearest integer. */
  private static final double ROUNDER = 0x1.8p52;
  private static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
  /** Below this exp(x) rounds to 0 (the smallest subnormal is 2^-1074 = exp(-744.44)). */
  private static final double EXP_UNDERFLOW = -745.2;
  private static final long MANTISSA = 0x000f_ffff_ffff_ffffL;
  private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
  private static final double SQRT2 = Math.sqrt(2.0);
  /** 2/(2n + 3) for n = 0..9: (2 atanh(t) - 2t) / (2t z) as a series in z = t^2, for {@link #log(DoubleVector)}. */
  private static final double[] TWO_OVER_ODD = new double[10];
  /** 1/n! for n = 0..13: the Taylor polynomial of exp on |r| <= ln2 / 2 (truncation below 2^-56). */
  private static final double[] INV_FACTORIAL = new double[14];

  static {
    for (int n = 0; n < TWO_OVER_ODD.length; n++) {
      TWO_OVER_ODD[n] = 2.0 / (2 * n + 3);
    }
    double f = 1.0;
    for (int n = 0; n < INV_FACTORIAL.length; n++) {
      f *= Math.max(1, n);
      INV_FACTORIAL[n] = 1.0 / f;
    }
  }

  @Override
  public String name() {
    return "vector-api-" + L + "x64bit";
  }

  @Override
  public void centre(double[] xt, int stride, int n, int d, double[] mu, double[] out) {
    for (int i = 0; i < d; i++) {
      int o = i * stride;
      DoubleVector m = DoubleVector.broadcast(S, mu[i]);
      for (int r = 0; r < n; r += L) {
        DoubleVector.fromArray(S, xt, o + r).sub(m).intoArray(out, o + r);
      }
    }
  }

  @Override
  public void triangularNorms(double[] f, int d, double[] diff, int stride, int n, double[] y, double[] m2) {
    // Each row's sum is a chain of dependent additions, so four vectors of rows go through the factor
    // together: four independent chains keep the floating-point units busy. Per row, the operations and
    // their order are those of the row path.
    int r = 0;
    for (; r + 4 * L <= n; r += 4 * L) {
      DoubleVector m0 = DoubleVector.zero(S);
      DoubleVector m1 = m0;
      DoubleVector m2v = m0;
      DoubleVector m3 = m0;
      for (int i = 0; i < d; i++) {
        int fr = i * d;
        double f0 = f[fr];
        DoubleVector y0 = DoubleVector.fromArray(S, diff, r).mul(f0);
        DoubleVector y1 = DoubleVector.fromArray(S, diff, r + L).mul(f0);
        DoubleVector y2 = DoubleVector.fromArray(S, diff, r + 2 * L).mul(f0);
        DoubleVector y3 = DoubleVector.fromArray(S, diff, r + 3 * L).mul(f0);
        for (int p = 1; p <= i; p++) {
          double fp = f[fr + p];
          int o = p * stride + r;
          y0 = y0.add(DoubleVector.fromArray(S, diff, o).mul(fp));
          y1 = y1.add(DoubleVector.fromArray(S, diff, o + L).mul(fp));
          y2 = y2.add(DoubleVector.fromArray(S, diff, o + 2 * L).mul(fp));
          y3 = y3.add(DoubleVector.fromArray(S, diff, o + 3 * L).mul(fp));
        }
        m0 = m0.add(y0.mul(y0));
        m1 = m1.add(y1.mul(y1));
        m2v = m2v.add(y2.mul(y2));
        m3 = m3.add(y3.mul(y3));
      }
      m0.intoArray(m2, r);
      m1.intoArray(m2, r + L);
      m2v.intoArray(m2, r + 2 * L);
      m3.intoArray(m2, r + 3 * L);
    }
    for (; r < n; r += L) {
      DoubleVector m = DoubleVector.zero(S);
      for (int i = 0; i < d; i++) {
        int fr = i * d;
        DoubleVector yv = DoubleVector.fromArray(S, diff, r).mul(f[fr]);
        for (int p = 1; p <= i; p++) {
          yv = yv.add(DoubleVector.fromArray(S, diff, p * stride + r).mul(f[fr + p]));
        }
        m = m.add(yv.mul(yv));
      }
      m.intoArray(m2, r);
    }
  }

    @Override
  public void centredTriangularNorms(double[] xt, int stride, int n, int d, double[] mu, double[] f,
      double[] diff, double[] y, double[] m2) {
    // Four vectors of rows through four factor rows at a time: sixteen running projections, each
    // centred column loaded (and centred) once per four factor rows instead of once per factor row,
    // each factor entry broadcast once per four vectors, fused multiply-adds throughout; the last d % 4
    // factor rows two and one at a time, the last vectors of rows one at a time. No scratch is written.
    // Small methods per block of factor rows, the sums through m2: one method of all of it is too large
    // for C1, which then leaves it to slow code that C2 never replaces.
    int g = d - d % 4;
    int r = 0;
    for (; r + 4 * L <= n; r += 4 * L) {
      DoubleVector zero = DoubleVector.zero(S);
      for (int t = 0; t < 4; t++) {
        zero.intoArray(m2, r + t * L);
      }
      for (int i0 = 0; i0 < g; i0 += 4) {
        projectFour(xt, stride, r, d, mu, f, i0, m2);
      }
      int i1 = g;
      if (i1 + 2 <= d) {
        projectTwo(xt, stride, r, d, mu, f, i1, m2);
        i1 += 2;
      }
      if (i1 < d) {
        projectOne(xt, stride, r, d, mu, f, i1, m2);
      }
    }
    for (; r < n; r += L) {
      DoubleVector ma = DoubleVector.zero(S);
      for (int i = 0; i < d; i++) {
        int fr = i * d;
        DoubleVector ya = DoubleVector.zero(S);
        for (int p = 0; p <= i; p++) {
          ya = DoubleVector.fromArray(S, xt, p * stride + r).sub(mu[p]).fma(DoubleVector.broadcast(S, f[fr + p]), ya);
        }
        ma = ya.fma(ya, ma);
      }
      ma.intoArray(m2, r);
    }
  }

  /** Four vectors of rows from r: m2 += the squares of their projections on factor rows i0 .. i0 + 3. */
  private static void projectFour(double[] xt, int stride, int r, int d, double[] mu, double[] f, int i0,
      double[] m2) {
    int f0 = i0 * d;
    int f1 = f0 + d;
    int f2 = f1 + d;
    int f3 = f2 + d;
    DoubleVector a0 = DoubleVector.zero(S);
    DoubleVector a1 = DoubleVector.zero(S);
    DoubleVector a2 = DoubleVector.zero(S);
    DoubleVector a3 = DoubleVector.zero(S);
    DoubleVector b0 = DoubleVector.zero(S);
    DoubleVector b1 = DoubleVector.zero(S);
    DoubleVector b2 = DoubleVector.zero(S);
    DoubleVector b3 = DoubleVector.zero(S);
    DoubleVector c0 = DoubleVector.zero(S);
    DoubleVector c1 = DoubleVector.zero(S);
    DoubleVector c2 = DoubleVector.zero(S);
    DoubleVector c3 = DoubleVector.zero(S);
    DoubleVector e0 = DoubleVector.zero(S);
    DoubleVector e1 = DoubleVector.zero(S);
    DoubleVector e2 = DoubleVector.zero(S);
    DoubleVector e3 = DoubleVector.zero(S);
    for (int p = 0; p < i0; p++) {
      int o = p * stride + r;
      DoubleVector mp = DoubleVector.broadcast(S, mu[p]);
      DoubleVector xa = DoubleVector.fromArray(S, xt, o).sub(mp);
      DoubleVector xb = DoubleVector.fromArray(S, xt, o + L).sub(mp);
      DoubleVector xc = DoubleVector.fromArray(S, xt, o + 2 * L).sub(mp);
      DoubleVector xe = DoubleVector.fromArray(S, xt, o + 3 * L).sub(mp);
      DoubleVector t0 = DoubleVector.broadcast(S, f[f0 + p]);
      a0 = xa.fma(t0, a0);
      b0 = xb.fma(t0, b0);
      c0 = xc.fma(t0, c0);
      e0 = xe.fma(t0, e0);
      DoubleVector t1 = DoubleVector.broadcast(S, f[f1 + p]);
      a1 = xa.fma(t1, a1);
      b1 = xb.fma(t1, b1);
      c1 = xc.fma(t1, c1);
      e1 = xe.fma(t1, e1);
      DoubleVector t2 = DoubleVector.broadcast(S, f[f2 + p]);
      a2 = xa.fma(t2, a2);
      b2 = xb.fma(t2, b2);
      c2 = xc.fma(t2, c2);
      e2 = xe.fma(t2, e2);
      DoubleVector t3 = DoubleVector.broadcast(S, f[f3 + p]);
      a3 = xa.fma(t3, a3);
      b3 = xb.fma(t3, b3);
      c3 = xc.fma(t3, c3);
      e3 = xe.fma(t3, e3);
    }
    // The diagonal block: F is zero above its diagonal, so column i0 + q meets rows i0 + q.. only.
    {
      int o = i0 * stride + r;
      DoubleVector mp = DoubleVector.broadcast(S, mu[i0]);
      DoubleVector xa = DoubleVector.fromArray(S, xt, o).sub(mp);
      DoubleVector xb = DoubleVector.fromArray(S, xt, o + L).sub(mp);
      DoubleVector xc = DoubleVector.fromArray(S, xt, o + 2 * L).sub(mp);
      DoubleVector xe = DoubleVector.fromArray(S, xt, o + 3 * L).sub(mp);
      DoubleVector t0 = DoubleVector.broadcast(S, f[f0 + i0]);
      a0 = xa.fma(t0, a0);
      b0 = xb.fma(t0, b0);
      c0 = xc.fma(t0, c0);
      e0 = xe.fma(t0, e0);
      DoubleVector t1 = DoubleVector.broadcast(S, f[f1 + i0]);
      a1 = xa.fma(t1, a1);
      b1 = xb.fma(t1, b1);
      c1 = xc.fma(t1, c1);
      e1 = xe.fma(t1, e1);
      DoubleVector t2 = DoubleVector.broadcast(S, f[f2 + i0]);
      a2 = xa.fma(t2, a2);
      b2 = xb.fma(t2, b2);
      c2 = xc.fma(t2, c2);
      e2 = xe.fma(t2, e2);
      DoubleVector t3 = DoubleVector.broadcast(S, f[f3 + i0]);
      a3 = xa.fma(t3, a3);
      b3 = xb.fma(t3, b3);
      c3 = xc.fma(t3, c3);
      e3 = xe.fma(t3, e3);
    }
    {
      int o = (i0 + 1) * stride + r;
      DoubleVector mp = DoubleVector.broadcast(S, mu[(i0 + 1)]);
      DoubleVector xa = DoubleVector.fromArray(S, xt, o).sub(mp);
      DoubleVector xb = DoubleVector.fromArray(S, xt, o + L).sub(mp);
      DoubleVector xc = DoubleVector.fromArray(S, xt, o + 2 * L).sub(mp);
      DoubleVector xe = DoubleVector.fromArray(S, xt, o + 3 * L).sub(mp);
      DoubleVector t1 = DoubleVector.broadcast(S, f[f1 + (i0 + 1)]);
      a1 = xa.fma(t1, a1);
      b1 = xb.fma(t1, b1);
      c1 = xc.fma(t1, c1);
      e1 = xe.fma(t1, e1);
      DoubleVector t2 = DoubleVector.broadcast(S, f[f2 + (i0 + 1)]);
      a2 = xa.fma(t2, a2);
      b2 = xb.fma(t2, b2);
      c2 = xc.fma(t2, c2);
      e2 = xe.fma(t2, e2);
      DoubleVector t3 = DoubleVector.broadcast(S, f[f3 + (i0 + 1)]);
      a3 = xa.fma(t3, a3);
      b3 = xb.fma(t3, b3);
      c3 = xc.fma(t3, c3);
      e3 = xe.fma(t3, e3);
    }
    {
      int o = (i0 + 2) * stride + r;
      DoubleVector mp = DoubleVector.broadcast(S, mu[(i0 + 2)]);
      DoubleVector xa = DoubleVector.fromArray(S, xt, o).sub(mp);
      DoubleVector xb = DoubleVector.fromArray(S, xt, o + L).sub(mp);
      DoubleVector xc = DoubleVector.fromArray(S, xt, o + 2 * L).sub(mp);
      DoubleVector xe = DoubleVector.fromArray(S, xt, o + 3 * L).sub(mp);
      DoubleVector t2 = DoubleVector.broadcast(S, f[f2 + (i0 + 2)]);
      a2 = xa.fma(t2, a2);
      b2 = xb.fma(t2, b2);
      c2 = xc.fma(t2, c2);
      e2 = xe.fma(t2, e2);
      DoubleVector t3 = DoubleVector.broadcast(S, f[f3 + (i0 + 2)]);
      a3 = xa.fma(t3, a3);
      b3 = xb.fma(t3, b3);
      c3 = xc.fma(t3, c3);
      e3 = xe.fma(t3, e3);
    }
    {
      int o = (i0 + 3) * stride + r;
      DoubleVector mp = DoubleVector.broadcast(S, mu[(i0 + 3)]);
      DoubleVector xa = DoubleVector.fromArray(S, xt, o).sub(mp);
      DoubleVector xb = DoubleVector.fromArray(S, xt, o + L).sub(mp);
      DoubleVector xc = DoubleVector.fromArray(S, xt, o + 2 * L).sub(mp);
      DoubleVector xe = DoubleVector.fromArray(S, xt, o + 3 * L).sub(mp);
      DoubleVector t3 = DoubleVector.broadcast(S, f[f3 + (i0 + 3)]);
      a3 = xa.fma(t3, a3);
      b3 = xb.fma(t3, b3);
      c3 = xc.fma(t3, c3);
      e3 = xe.fma(t3, e3);
    }
    DoubleVector ma = DoubleVector.fromArray(S, m2, r);
    DoubleVector mb = DoubleVector.fromArray(S, m2, r + L);
    DoubleVector mc = DoubleVector.fromArray(S, m2, r + 2 * L);
    DoubleVector me = DoubleVector.fromArray(S, m2, r + 3 * L);
    ma = a0.fma(a0, ma);
    mb = b0.fma(b0, mb);
    mc = c0.fma(c0, mc);
    me = e0.fma(e0, me);
    ma = a1.fma(a1, ma);
    mb = b1.fma(b1, mb);
    mc = c1.fma(c1, mc);
    me = e1.fma(e1, me);
    ma = a2.fma(a2, ma);
    mb = b2.fma(b2, mb);
    mc = c2.fma(c2, mc);
    me = e2.fma(e2, me);
    ma = a3.fma(a3, ma);
    mb = b3.fma(b3, mb);
    mc = c3.fma(c3, mc);
    me = e3.fma(e3, me);
    ma.intoArray(m2, r);
    mb.intoArray(m2, r + L);
    mc.intoArray(m2, r + 2 * L);
    me.intoArray(m2, r + 3 * L);
  }

  /** As {@link #projectFour} on factor rows i0 and i0 + 1. */
  private static void projectTwo(double[] xt, int stride, int r, int d, double[] mu, double[] f, int i0,
      double[] m2) {
    int f0 = i0 * d;
    int f1 = f0 + d;
    DoubleVector a0 = DoubleVector.zero(S);
    DoubleVector a1 = DoubleVector.zero(S);
    DoubleVector b0 = DoubleVector.zero(S);
    DoubleVector b1 = DoubleVector.zero(S);
    DoubleVector c0 = DoubleVector.zero(S);
    DoubleVector c1 = DoubleVector.zero(S);
    DoubleVector e0 = DoubleVector.zero(S);
    DoubleVector e1 = DoubleVector.zero(S);
    for (int p = 0; p <= i0; p++) {
      int o = p * stride + r;
      DoubleVector mp = DoubleVector.broadcast(S, mu[p]);
      DoubleVector xa = DoubleVector.fromArray(S, xt, o).sub(mp);
      DoubleVector xb = DoubleVector.fromArray(S, xt, o + L).sub(mp);
      DoubleVector xc = DoubleVector.fromArray(S, xt, o + 2 * L).sub(mp);
      DoubleVector xe = DoubleVector.fromArray(S, xt, o + 3 * L).sub(mp);
      DoubleVector t0 = DoubleVector.broadcast(S, f[f0 + p]);
      a0 = xa.fma(t0, a0);
      b0 = xb.fma(t0, b0);
      c0 = xc.fma(t0, c0);
      e0 = xe.fma(t0, e0);
      DoubleVector t1 = DoubleVector.broadcast(S, f[f1 + p]);
      a1 = xa.fma(t1, a1);
      b1 = xb.fma(t1, b1);
      c1 = xc.fma(t1, c1);
      e1 = xe.fma(t1, e1);
    }
    {
      int o = (i0 + 1) * stride + r;
      DoubleVector mp = DoubleVector.broadcast(S, mu[(i0 + 1)]);
      DoubleVector xa = DoubleVector.fromArray(S, xt, o).sub(mp);
      DoubleVector xb = DoubleVector.fromArray(S, xt, o + L).sub(mp);
      DoubleVector xc = DoubleVector.fromArray(S, xt, o + 2 * L).sub(mp);
      DoubleVector xe = DoubleVector.fromArray(S, xt, o + 3 * L).sub(mp);
      DoubleVector t1 = DoubleVector.broadcast(S, f[f1 + (i0 + 1)]);
      a1 = xa.fma(t1, a1);
      b1 = xb.fma(t1, b1);
      c1 = xc.fma(t1, c1);
      e1 = xe.fma(t1, e1);
    }
    DoubleVector ma = DoubleVector.fromArray(S, m2, r);
    DoubleVector mb = DoubleVector.fromArray(S, m2, r + L);
    DoubleVector mc = DoubleVector.fromArray(S, m2, r + 2 * L);
    DoubleVector me = DoubleVector.fromArray(S, m2, r + 3 * L);
    ma = a0.fma(a0, ma);
    mb = b0.fma(b0, mb);
    mc = c0.fma(c0, mc);
    me = e0.fma(e0, me);
    ma = a1.fma(a1, ma);
    mb = b1.fma(b1, mb);
    mc = c1.fma(c1, mc);
    me = e1.fma(e1, me);
    ma.intoArray(m2, r);
    mb.intoArray(m2, r + L);
    mc.intoArray(m2, r + 2 * L);
    me.intoArray(m2, r + 3 * L);
  }

  /** As {@link #projectFour} on factor row i0. */
  private static void projectOne(double[] xt, int stride, int r, int d, double[] mu, double[] f, int i0,
      double[] m2) {
    int f0 = i0 * d;
    DoubleVector a0 = DoubleVector.zero(S);
    DoubleVector b0 = DoubleVector.zero(S);
    DoubleVector c0 = DoubleVector.zero(S);
    DoubleVector e0 = DoubleVector.zero(S);
    for (int p = 0; p <= i0; p++) {
      int o = p * stride + r;
      DoubleVector mp = DoubleVector.broadcast(S, mu[p]);
      DoubleVector xa = DoubleVector.fromArray(S, xt, o).sub(mp);
      DoubleVector xb = DoubleVector.fromArray(S, xt, o + L).sub(mp);
      DoubleVector xc = DoubleVector.fromArray(S, xt, o + 2 * L).sub(mp);
      DoubleVector xe = DoubleVector.fromArray(S, xt, o + 3 * L).sub(mp);
      DoubleVector t0 = DoubleVector.broadcast(S, f[f0 + p]);
      a0 = xa.fma(t0, a0);
      b0 = xb.fma(t0, b0);
      c0 = xc.fma(t0, c0);
      e0 = xe.fma(t0, e0);
    }
    DoubleVector ma = DoubleVector.fromArray(S, m2, r);
    DoubleVector mb = DoubleVector.fromArray(S, m2, r + L);
    DoubleVector mc = DoubleVector.fromArray(S, m2, r + 2 * L);
    DoubleVector me = DoubleVector.fromArray(S, m2, r + 3 * L);
    ma = a0.fma(a0, ma);
    mb = b0.fma(b0, mb);
    mc = c0.fma(c0, mc);
    me = e0.fma(e0, me);
    ma.intoArray(m2, r);
    mb.intoArray(m2, r + L);
    mc.intoArray(m2, r + 2 * L);
    me.intoArray(m2, r + 3 * L);
  }


  @Override
  public void diagonalNorms(double[] xt, int stride, int n, int d, double[] mu, double[] f, double[] m2) {
    for (int r = 0; r < n; r += L) {
      DoubleVector m = DoubleVector.zero(S);
      for (int i = 0; i < d; i++) {
        DoubleVector yv = DoubleVector.fromArray(S, xt, i * stride + r).sub(mu[i]).mul(f[i]);
        m = m.add(yv.mul(yv));
      }
      m.intoArray(m2, r);
    }
  }

  @Override
  public void sphericalNorms(double[] xt, int stride, int n, int d, double[] mu, double f, double[] m2) {
    for (int r = 0; r < n; r += L) {
      DoubleVector s = DoubleVector.zero(S);
      for (int i = 0; i < d; i++) {
        DoubleVector t = DoubleVector.fromArray(S, xt, i * stride + r).sub(mu[i]);
        s = s.add(t.mul(t));
      }
      s.mul(f).mul(f).intoArray(m2, r);
    }
  }

  @Override
  public void argmax(double[][] logit, double[][] maha, int k, int n, int[] best, double[] max, double[] bestMaha) {
    // The index is carried as a double lane (exact for any k) and converted per row at the end.
    for (int r = 0; r < n; r += L) {
      DoubleVector m = DoubleVector.fromArray(S, logit[0], r);
      DoubleVector mm = DoubleVector.fromArray(S, maha[0], r);
      DoubleVector b = DoubleVector.zero(S);
      for (int j = 1; j < k; j++) {
        DoubleVector l = DoubleVector.fromArray(S, logit[j], r);
        VectorMask<Double> larger = l.compare(VectorOperators.GT, m);
        m = m.blend(l, larger);
        mm = mm.blend(DoubleVector.fromArray(S, maha[j], r), larger);
        b = b.blend(j, larger);
      }
      m.intoArray(max, r);
      mm.intoArray(bestMaha, r);
      for (int t = 0; t < L; t++) {
        best[r + t] = (int) b.lane(t);
      }
    }
  }

  @Override
  public void posteriors(double[][] logit, int k, int n, double[] w, double[] max, double[][] resp, double[] lse) {
    DoubleVector zero = DoubleVector.zero(S);
    for (int r = 0; r < n; r += L) {
      DoubleVector m = DoubleVector.fromArray(S, max, r);
      // Rows without a finite maximum (no component gives them a density) would make NaNs below.
      VectorMask<Double> finite = m.compare(VectorOperators.GT, Double.NEGATIVE_INFINITY);
      DoubleVector safeMax = zero.blend(m, finite);
      DoubleVector sum = zero;
      for (int j = 0; j < k; j++) {
        DoubleVector e = exp(DoubleVector.fromArray(S, logit[j], r).sub(safeMax));
        e.intoArray(resp[j], r);
        sum = sum.add(e);
      }
      m.add(log(sum)).blend(m, finite.not()).intoArray(lse, r);
      DoubleVector scale = DoubleVector.fromArray(S, w, r).div(sum).blend(zero, finite.not());
      for (int j = 0; j < k; j++) {
        DoubleVector.fromArray(S, resp[j], r).mul(scale).intoArray(resp[j], r);
      }
    }
  }

  @Override
  public void centredWeightedSums(double[] xt, int stride, int n, int d, double[] shift, double[] w,
      double[] diff, double[] wd, double[] acc, int a0) {
    DoubleVector tw = DoubleVector.fromArray(S, acc, a0);
    for (int r = 0; r < n; r += L) {
      tw = tw.add(DoubleVector.fromArray(S, w, r));
    }
    tw.intoArray(acc, a0);
    for (int i = 0; i < d; i++) {
      int o = i * stride;
      int a = a0 + (1 + i) * PAD;
      DoubleVector m = DoubleVector.broadcast(S, shift[i]);
      DoubleVector s = DoubleVector.fromArray(S, acc, a);
      for (int r = 0; r < n; r += L) {
        DoubleVector t = DoubleVector.fromArray(S, xt, o + r).sub(m);
        DoubleVector v = DoubleVector.fromArray(S, w, r).mul(t);
        t.intoArray(diff, o + r);
        v.intoArray(wd, o + r);
        s = s.add(v);
      }
      s.intoArray(acc, a);
    }
  }

  @Override
  public void weightedSquares(double[] wd, double[] diff, int stride, int n, int d, double[] acc, int a0) {
    for (int i = 0; i < d; i++) {
      int o = i * stride;
      int a = a0 + i * PAD;
      DoubleVector s = DoubleVector.fromArray(S, acc, a);
      for (int r = 0; r < n; r += L) {
        s = DoubleVector.fromArray(S, wd, o + r).fma(DoubleVector.fromArray(S, diff, o + r), s);
      }
      s.intoArray(acc, a);
    }
  }

  @Override
  public void weightedGramUpper(double[] wd, double[] diff, int stride, int n, int d, double[] acc, int a0) {
    // Register blocks of the upper triangle: 4 x 4 blocks (16 running sums, 8 loads per 16 fused
    // multiply-adds), the triangle of each diagonal block of four, the last d % 4 columns by pairs of
    // four rows, and the last d % 4 indices among themselves. Each running sum starts from its lanes'
    // partial sums and goes back to them after the tile: no reduction across lanes.
    int g = d - d % 4;
    for (int i0 = 0; i0 < g; i0 += 4) {
      gramDiagonal4(wd, diff, stride, n, d, i0, acc, a0);
      for (int p0 = i0 + 4; p0 < g; p0 += 4) {
        gram4x4(wd, diff, stride, n, d, i0, p0, acc, a0);
      }
      int p = g;
      for (; p + 2 <= d; p += 2) {
        gram4x2(wd, diff, stride, n, d, i0, p, acc, a0);
      }
      if (p < d) {
        gram4x1(wd, diff, stride, n, d, i0, p, acc, a0);
      }
    }
    for (int i = g; i < d; i++) {
      for (int p = i; p < d; p++) {
        int a = a0 + TileKernels.upper(i, p, d) * PAD;
        DoubleVector s = DoubleVector.fromArray(S, acc, a);
        for (int r = 0; r < n; r += L) {
          s = DoubleVector.fromArray(S, wd, i * stride + r).fma(DoubleVector.fromArray(S, diff, p * stride + r), s);
        }
        s.intoArray(acc, a);
      }
    }
  }

  /** Entries (i, p) with i0 <= i <= p < i0 + 4: ten running sums. */
  private static void gramDiagonal4(double[] wd, double[] diff, int stride, int n, int d, int i0, double[] acc,
      int a0) {
    int e0 = a0 + TileKernels.upper(i0, i0, d) * PAD;
    int e1 = a0 + TileKernels.upper(i0 + 1, i0 + 1, d) * PAD;
    int e2 = a0 + TileKernels.upper(i0 + 2, i0 + 2, d) * PAD;
    int e3 = a0 + TileKernels.upper(i0 + 3, i0 + 3, d) * PAD;
    DoubleVector s00 = DoubleVector.fromArray(S, acc, e0);
    DoubleVector s01 = DoubleVector.fromArray(S, acc, e0 + PAD);
    DoubleVector s02 = DoubleVector.fromArray(S, acc, e0 + 2 * PAD);
    DoubleVector s03 = DoubleVector.fromArray(S, acc, e0 + 3 * PAD);
    DoubleVector s11 = DoubleVector.fromArray(S, acc, e1);
    DoubleVector s12 = DoubleVector.fromArray(S, acc, e1 + PAD);
    DoubleVector s13 = DoubleVector.fromArray(S, acc, e1 + 2 * PAD);
    DoubleVector s22 = DoubleVector.fromArray(S, acc, e2);
    DoubleVector s23 = DoubleVector.fromArray(S, acc, e2 + PAD);
    DoubleVector s33 = DoubleVector.fromArray(S, acc, e3);
    int o0 = i0 * stride;
    int o1 = o0 + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector w0 = DoubleVector.fromArray(S, wd, o0 + r);
      DoubleVector w1 = DoubleVector.fromArray(S, wd, o1 + r);
      DoubleVector w2 = DoubleVector.fromArray(S, wd, o2 + r);
      DoubleVector w3 = DoubleVector.fromArray(S, wd, o3 + r);
      DoubleVector x0 = DoubleVector.fromArray(S, diff, o0 + r);
      s00 = w0.fma(x0, s00);
      DoubleVector x1 = DoubleVector.fromArray(S, diff, o1 + r);
      s01 = w0.fma(x1, s01);
      s11 = w1.fma(x1, s11);
      DoubleVector x2 = DoubleVector.fromArray(S, diff, o2 + r);
      s02 = w0.fma(x2, s02);
      s12 = w1.fma(x2, s12);
      s22 = w2.fma(x2, s22);
      DoubleVector x3 = DoubleVector.fromArray(S, diff, o3 + r);
      s03 = w0.fma(x3, s03);
      s13 = w1.fma(x3, s13);
      s23 = w2.fma(x3, s23);
      s33 = w3.fma(x3, s33);
    }
    s00.intoArray(acc, e0);
    s01.intoArray(acc, e0 + PAD);
    s02.intoArray(acc, e0 + 2 * PAD);
    s03.intoArray(acc, e0 + 3 * PAD);
    s11.intoArray(acc, e1);
    s12.intoArray(acc, e1 + PAD);
    s13.intoArray(acc, e1 + 2 * PAD);
    s22.intoArray(acc, e2);
    s23.intoArray(acc, e2 + PAD);
    s33.intoArray(acc, e3);
  }

  /** Entries (i0 + a, p0 + b) for a, b < 4, p0 >= i0 + 4: sixteen running sums. */
  private static void gram4x4(double[] wd, double[] diff, int stride, int n, int d, int i0, int p0, double[] acc,
      int a0) {
    int e0 = a0 + TileKernels.upper(i0, p0, d) * PAD;
    int e1 = a0 + TileKernels.upper(i0 + 1, p0, d) * PAD;
    int e2 = a0 + TileKernels.upper(i0 + 2, p0, d) * PAD;
    int e3 = a0 + TileKernels.upper(i0 + 3, p0, d) * PAD;
    DoubleVector s00 = DoubleVector.fromArray(S, acc, e0);
    DoubleVector s01 = DoubleVector.fromArray(S, acc, e0 + PAD);
    DoubleVector s02 = DoubleVector.fromArray(S, acc, e0 + 2 * PAD);
    DoubleVector s03 = DoubleVector.fromArray(S, acc, e0 + 3 * PAD);
    DoubleVector s10 = DoubleVector.fromArray(S, acc, e1);
    DoubleVector s11 = DoubleVector.fromArray(S, acc, e1 + PAD);
    DoubleVector s12 = DoubleVector.fromArray(S, acc, e1 + 2 * PAD);
    DoubleVector s13 = DoubleVector.fromArray(S, acc, e1 + 3 * PAD);
    DoubleVector s20 = DoubleVector.fromArray(S, acc, e2);
    DoubleVector s21 = DoubleVector.fromArray(S, acc, e2 + PAD);
    DoubleVector s22 = DoubleVector.fromArray(S, acc, e2 + 2 * PAD);
    DoubleVector s23 = DoubleVector.fromArray(S, acc, e2 + 3 * PAD);
    DoubleVector s30 = DoubleVector.fromArray(S, acc, e3);
    DoubleVector s31 = DoubleVector.fromArray(S, acc, e3 + PAD);
    DoubleVector s32 = DoubleVector.fromArray(S, acc, e3 + 2 * PAD);
    DoubleVector s33 = DoubleVector.fromArray(S, acc, e3 + 3 * PAD);
    int o0 = i0 * stride;
    int o1 = o0 + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    int q0 = p0 * stride;
    int q1 = q0 + stride;
    int q2 = q1 + stride;
    int q3 = q2 + stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector w0 = DoubleVector.fromArray(S, wd, o0 + r);
      DoubleVector w1 = DoubleVector.fromArray(S, wd, o1 + r);
      DoubleVector w2 = DoubleVector.fromArray(S, wd, o2 + r);
      DoubleVector w3 = DoubleVector.fromArray(S, wd, o3 + r);
      DoubleVector x = DoubleVector.fromArray(S, diff, q0 + r);
      s00 = w0.fma(x, s00);
      s10 = w1.fma(x, s10);
      s20 = w2.fma(x, s20);
      s30 = w3.fma(x, s30);
      x = DoubleVector.fromArray(S, diff, q1 + r);
      s01 = w0.fma(x, s01);
      s11 = w1.fma(x, s11);
      s21 = w2.fma(x, s21);
      s31 = w3.fma(x, s31);
      x = DoubleVector.fromArray(S, diff, q2 + r);
      s02 = w0.fma(x, s02);
      s12 = w1.fma(x, s12);
      s22 = w2.fma(x, s22);
      s32 = w3.fma(x, s32);
      x = DoubleVector.fromArray(S, diff, q3 + r);
      s03 = w0.fma(x, s03);
      s13 = w1.fma(x, s13);
      s23 = w2.fma(x, s23);
      s33 = w3.fma(x, s33);
    }
    s00.intoArray(acc, e0);
    s01.intoArray(acc, e0 + PAD);
    s02.intoArray(acc, e0 + 2 * PAD);
    s03.intoArray(acc, e0 + 3 * PAD);
    s10.intoArray(acc, e1);
    s11.intoArray(acc, e1 + PAD);
    s12.intoArray(acc, e1 + 2 * PAD);
    s13.intoArray(acc, e1 + 3 * PAD);
    s20.intoArray(acc, e2);
    s21.intoArray(acc, e2 + PAD);
    s22.intoArray(acc, e2 + 2 * PAD);
    s23.intoArray(acc, e2 + 3 * PAD);
    s30.intoArray(acc, e3);
    s31.intoArray(acc, e3 + PAD);
    s32.intoArray(acc, e3 + 2 * PAD);
    s33.intoArray(acc, e3 + 3 * PAD);
  }

  /** Entries (i0 + a, p) and (i0 + a, p + 1) for a < 4, p >= i0 + 4: eight running sums. */
  private static void gram4x2(double[] wd, double[] diff, int stride, int n, int d, int i0, int p, double[] acc,
      int a0) {
    int e0 = a0 + TileKernels.upper(i0, p, d) * PAD;
    int e1 = a0 + TileKernels.upper(i0 + 1, p, d) * PAD;
    int e2 = a0 + TileKernels.upper(i0 + 2, p, d) * PAD;
    int e3 = a0 + TileKernels.upper(i0 + 3, p, d) * PAD;
    DoubleVector s00 = DoubleVector.fromArray(S, acc, e0);
    DoubleVector s01 = DoubleVector.fromArray(S, acc, e0 + PAD);
    DoubleVector s10 = DoubleVector.fromArray(S, acc, e1);
    DoubleVector s11 = DoubleVector.fromArray(S, acc, e1 + PAD);
    DoubleVector s20 = DoubleVector.fromArray(S, acc, e2);
    DoubleVector s21 = DoubleVector.fromArray(S, acc, e2 + PAD);
    DoubleVector s30 = DoubleVector.fromArray(S, acc, e3);
    DoubleVector s31 = DoubleVector.fromArray(S, acc, e3 + PAD);
    int o0 = i0 * stride;
    int o1 = o0 + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    int q0 = p * stride;
    int q1 = q0 + stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector w0 = DoubleVector.fromArray(S, wd, o0 + r);
      DoubleVector w1 = DoubleVector.fromArray(S, wd, o1 + r);
      DoubleVector w2 = DoubleVector.fromArray(S, wd, o2 + r);
      DoubleVector w3 = DoubleVector.fromArray(S, wd, o3 + r);
      DoubleVector x = DoubleVector.fromArray(S, diff, q0 + r);
      DoubleVector y = DoubleVector.fromArray(S, diff, q1 + r);
      s00 = w0.fma(x, s00);
      s10 = w1.fma(x, s10);
      s20 = w2.fma(x, s20);
      s30 = w3.fma(x, s30);
      s01 = w0.fma(y, s01);
      s11 = w1.fma(y, s11);
      s21 = w2.fma(y, s21);
      s31 = w3.fma(y, s31);
    }
    s00.intoArray(acc, e0);
    s01.intoArray(acc, e0 + PAD);
    s10.intoArray(acc, e1);
    s11.intoArray(acc, e1 + PAD);
    s20.intoArray(acc, e2);
    s21.intoArray(acc, e2 + PAD);
    s30.intoArray(acc, e3);
    s31.intoArray(acc, e3 + PAD);
  }

  /** Entries (i0 + a, p) for a < 4, p >= i0 + 4: four running sums. */
  private static void gram4x1(double[] wd, double[] diff, int stride, int n, int d, int i0, int p, double[] acc,
      int a0) {
    int e0 = a0 + TileKernels.upper(i0, p, d) * PAD;
    int e1 = a0 + TileKernels.upper(i0 + 1, p, d) * PAD;
    int e2 = a0 + TileKernels.upper(i0 + 2, p, d) * PAD;
    int e3 = a0 + TileKernels.upper(i0 + 3, p, d) * PAD;
    DoubleVector s0 = DoubleVector.fromArray(S, acc, e0);
    DoubleVector s1 = DoubleVector.fromArray(S, acc, e1);
    DoubleVector s2 = DoubleVector.fromArray(S, acc, e2);
    DoubleVector s3 = DoubleVector.fromArray(S, acc, e3);
    int o0 = i0 * stride;
    int q = p * stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector x = DoubleVector.fromArray(S, diff, q + r);
      s0 = DoubleVector.fromArray(S, wd, o0 + r).fma(x, s0);
      s1 = DoubleVector.fromArray(S, wd, o0 + stride + r).fma(x, s1);
      s2 = DoubleVector.fromArray(S, wd, o0 + 2 * stride + r).fma(x, s2);
      s3 = DoubleVector.fromArray(S, wd, o0 + 3 * stride + r).fma(x, s3);
    }
    s0.intoArray(acc, e0);
    s1.intoArray(acc, e1);
    s2.intoArray(acc, e2);
    s3.intoArray(acc, e3);
  }

  @Override
  public void centredWeightedGram(double[] xt, int stride, int n, int d, double[] shift, double[] w,
      double[] diff, double[] wd, double[] acc, int a0) {
    // The blocks of weightedGramUpper, each centring and weighing the columns it reads straight from xt
    // (the column sums in the diagonal blocks): no column is stored, where storing and reloading them
    // cost about as much as the Gram matrix itself. A column is centred again in every block that reads
    // it, which EStepKernelBench.gmmFlopsPerRow counts. Per entry the operations are those of
    // centredWeightedSums then weightedGramUpper, in the same order, so the bits are theirs.
    DoubleVector tw = DoubleVector.fromArray(S, acc, a0);
    for (int r = 0; r < n; r += L) {
      tw = tw.add(DoubleVector.fromArray(S, w, r));
    }
    tw.intoArray(acc, a0);
    int g = d - d % 4;
    for (int i0 = 0; i0 < g; i0 += 4) {
      fusedDiagonal4(xt, stride, n, d, shift, w, i0, acc, a0);
      for (int p0 = i0 + 4; p0 < g; p0 += 4) {
        fused4x4(xt, stride, n, d, shift, w, i0, p0, acc, a0);
      }
      int p = g;
      for (; p + 2 <= d; p += 2) {
        fused4x2(xt, stride, n, d, shift, w, i0, p, acc, a0);
      }
      if (p < d) {
        fused4x1(xt, stride, n, d, shift, w, i0, p, acc, a0);
      }
    }
    // The last d % 4 columns among themselves.
    switch (d - g) {
      case 1 -> fusedDiagonal1(xt, stride, n, d, shift, w, g, acc, a0);
      case 2 -> fusedDiagonal2(xt, stride, n, d, shift, w, g, acc, a0);
      case 3 -> {
        fusedDiagonal2(xt, stride, n, d, shift, w, g, acc, a0);
        fused2x1(xt, stride, n, d, shift, w, g, g + 2, acc, a0);
        fusedDiagonal1(xt, stride, n, d, shift, w, g + 2, acc, a0);
      }
      default -> { }
    }
  }

  /** Offset in the partial sums of Gram entry (i, p), i <= p (the Gram matrix follows the d column sums). */
  private static int gramAt(int a0, int i, int p, int d) {
    return a0 + (1 + d + TileKernels.upper(i, p, d)) * PAD;
  }

  /** Columns i0 .. i0 + 3: their sums and the Gram entries among them (fourteen running sums). */
  private static void fusedDiagonal4(double[] xt, int stride, int n, int d, double[] shift, double[] w, int i0,
      double[] acc, int a0) {
    int c = a0 + (1 + i0) * PAD;
    int e0 = gramAt(a0, i0, i0, d);
    int e1 = gramAt(a0, i0 + 1, i0 + 1, d);
    int e2 = gramAt(a0, i0 + 2, i0 + 2, d);
    int e3 = gramAt(a0, i0 + 3, i0 + 3, d);
    DoubleVector t0 = DoubleVector.fromArray(S, acc, c);
    DoubleVector t1 = DoubleVector.fromArray(S, acc, c + PAD);
    DoubleVector t2 = DoubleVector.fromArray(S, acc, c + 2 * PAD);
    DoubleVector t3 = DoubleVector.fromArray(S, acc, c + 3 * PAD);
    DoubleVector s00 = DoubleVector.fromArray(S, acc, e0);
    DoubleVector s01 = DoubleVector.fromArray(S, acc, e0 + PAD);
    DoubleVector s02 = DoubleVector.fromArray(S, acc, e0 + 2 * PAD);
    DoubleVector s03 = DoubleVector.fromArray(S, acc, e0 + 3 * PAD);
    DoubleVector s11 = DoubleVector.fromArray(S, acc, e1);
    DoubleVector s12 = DoubleVector.fromArray(S, acc, e1 + PAD);
    DoubleVector s13 = DoubleVector.fromArray(S, acc, e1 + 2 * PAD);
    DoubleVector s22 = DoubleVector.fromArray(S, acc, e2);
    DoubleVector s23 = DoubleVector.fromArray(S, acc, e2 + PAD);
    DoubleVector s33 = DoubleVector.fromArray(S, acc, e3);
    DoubleVector m0 = DoubleVector.broadcast(S, shift[i0]);
    DoubleVector m1 = DoubleVector.broadcast(S, shift[i0 + 1]);
    DoubleVector m2 = DoubleVector.broadcast(S, shift[i0 + 2]);
    DoubleVector m3 = DoubleVector.broadcast(S, shift[i0 + 3]);
    int o0 = i0 * stride;
    int o1 = o0 + stride;
    int o2 = o1 + stride;
    int o3 = o2 + stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector v = DoubleVector.fromArray(S, w, r);
      DoubleVector x0 = DoubleVector.fromArray(S, xt, o0 + r).sub(m0);
      DoubleVector w0 = v.mul(x0);
      t0 = t0.add(w0);
      s00 = w0.fma(x0, s00);
      DoubleVector x1 = DoubleVector.fromArray(S, xt, o1 + r).sub(m1);
      DoubleVector w1 = v.mul(x1);
      t1 = t1.add(w1);
      s01 = w0.fma(x1, s01);
      s11 = w1.fma(x1, s11);
      DoubleVector x2 = DoubleVector.fromArray(S, xt, o2 + r).sub(m2);
      DoubleVector w2 = v.mul(x2);
      t2 = t2.add(w2);
      s02 = w0.fma(x2, s02);
      s12 = w1.fma(x2, s12);
      s22 = w2.fma(x2, s22);
      DoubleVector x3 = DoubleVector.fromArray(S, xt, o3 + r).sub(m3);
      DoubleVector w3 = v.mul(x3);
      t3 = t3.add(w3);
      s03 = w0.fma(x3, s03);
      s13 = w1.fma(x3, s13);
      s23 = w2.fma(x3, s23);
      s33 = w3.fma(x3, s33);
    }
    t0.intoArray(acc, c);
    t1.intoArray(acc, c + PAD);
    t2.intoArray(acc, c + 2 * PAD);
    t3.intoArray(acc, c + 3 * PAD);
    s00.intoArray(acc, e0);
    s01.intoArray(acc, e0 + PAD);
    s02.intoArray(acc, e0 + 2 * PAD);
    s03.intoArray(acc, e0 + 3 * PAD);
    s11.intoArray(acc, e1);
    s12.intoArray(acc, e1 + PAD);
    s13.intoArray(acc, e1 + 2 * PAD);
    s22.intoArray(acc, e2);
    s23.intoArray(acc, e2 + PAD);
    s33.intoArray(acc, e3);
  }

  /** Gram entries (i0 + a, p0 + b) for a, b < 4, p0 >= i0 + 4: sixteen running sums. */
  private static void fused4x4(double[] xt, int stride, int n, int d, double[] shift, double[] w, int i0, int p0,
      double[] acc, int a0) {
    int e0 = gramAt(a0, i0, p0, d);
    int e1 = gramAt(a0, i0 + 1, p0, d);
    int e2 = gramAt(a0, i0 + 2, p0, d);
    int e3 = gramAt(a0, i0 + 3, p0, d);
    DoubleVector s00 = DoubleVector.fromArray(S, acc, e0);
    DoubleVector s01 = DoubleVector.fromArray(S, acc, e0 + PAD);
    DoubleVector s02 = DoubleVector.fromArray(S, acc, e0 + 2 * PAD);
    DoubleVector s03 = DoubleVector.fromArray(S, acc, e0 + 3 * PAD);
    DoubleVector s10 = DoubleVector.fromArray(S, acc, e1);
    DoubleVector s11 = DoubleVector.fromArray(S, acc, e1 + PAD);
    DoubleVector s12 = DoubleVector.fromArray(S, acc, e1 + 2 * PAD);
    DoubleVector s13 = DoubleVector.fromArray(S, acc, e1 + 3 * PAD);
    DoubleVector s20 = DoubleVector.fromArray(S, acc, e2);
    DoubleVector s21 = DoubleVector.fromArray(S, acc, e2 + PAD);
    DoubleVector s22 = DoubleVector.fromArray(S, acc, e2 + 2 * PAD);
    DoubleVector s23 = DoubleVector.fromArray(S, acc, e2 + 3 * PAD);
    DoubleVector s30 = DoubleVector.fromArray(S, acc, e3);
    DoubleVector s31 = DoubleVector.fromArray(S, acc, e3 + PAD);
    DoubleVector s32 = DoubleVector.fromArray(S, acc, e3 + 2 * PAD);
    DoubleVector s33 = DoubleVector.fromArray(S, acc, e3 + 3 * PAD);
    double mi0 = shift[i0];
    double mi1 = shift[i0 + 1];
    double mi2 = shift[i0 + 2];
    double mi3 = shift[i0 + 3];
    double mp0 = shift[p0];
    double mp1 = shift[p0 + 1];
    double mp2 = shift[p0 + 2];
    double mp3 = shift[p0 + 3];
    int o0 = i0 * stride;
    int q0 = p0 * stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector v = DoubleVector.fromArray(S, w, r);
      DoubleVector w0 = v.mul(DoubleVector.fromArray(S, xt, o0 + r).sub(mi0));
      DoubleVector w1 = v.mul(DoubleVector.fromArray(S, xt, o0 + stride + r).sub(mi1));
      DoubleVector w2 = v.mul(DoubleVector.fromArray(S, xt, o0 + 2 * stride + r).sub(mi2));
      DoubleVector w3 = v.mul(DoubleVector.fromArray(S, xt, o0 + 3 * stride + r).sub(mi3));
      DoubleVector x = DoubleVector.fromArray(S, xt, q0 + r).sub(mp0);
      s00 = w0.fma(x, s00);
      s10 = w1.fma(x, s10);
      s20 = w2.fma(x, s20);
      s30 = w3.fma(x, s30);
      x = DoubleVector.fromArray(S, xt, q0 + stride + r).sub(mp1);
      s01 = w0.fma(x, s01);
      s11 = w1.fma(x, s11);
      s21 = w2.fma(x, s21);
      s31 = w3.fma(x, s31);
      x = DoubleVector.fromArray(S, xt, q0 + 2 * stride + r).sub(mp2);
      s02 = w0.fma(x, s02);
      s12 = w1.fma(x, s12);
      s22 = w2.fma(x, s22);
      s32 = w3.fma(x, s32);
      x = DoubleVector.fromArray(S, xt, q0 + 3 * stride + r).sub(mp3);
      s03 = w0.fma(x, s03);
      s13 = w1.fma(x, s13);
      s23 = w2.fma(x, s23);
      s33 = w3.fma(x, s33);
    }
    s00.intoArray(acc, e0);
    s01.intoArray(acc, e0 + PAD);
    s02.intoArray(acc, e0 + 2 * PAD);
    s03.intoArray(acc, e0 + 3 * PAD);
    s10.intoArray(acc, e1);
    s11.intoArray(acc, e1 + PAD);
    s12.intoArray(acc, e1 + 2 * PAD);
    s13.intoArray(acc, e1 + 3 * PAD);
    s20.intoArray(acc, e2);
    s21.intoArray(acc, e2 + PAD);
    s22.intoArray(acc, e2 + 2 * PAD);
    s23.intoArray(acc, e2 + 3 * PAD);
    s30.intoArray(acc, e3);
    s31.intoArray(acc, e3 + PAD);
    s32.intoArray(acc, e3 + 2 * PAD);
    s33.intoArray(acc, e3 + 3 * PAD);
  }

  /** Gram entries (i0 + a, p) and (i0 + a, p + 1) for a < 4, p >= i0 + 4: eight running sums. */
  private static void fused4x2(double[] xt, int stride, int n, int d, double[] shift, double[] w, int i0, int p,
      double[] acc, int a0) {
    int e0 = gramAt(a0, i0, p, d);
    int e1 = gramAt(a0, i0 + 1, p, d);
    int e2 = gramAt(a0, i0 + 2, p, d);
    int e3 = gramAt(a0, i0 + 3, p, d);
    DoubleVector s00 = DoubleVector.fromArray(S, acc, e0);
    DoubleVector s01 = DoubleVector.fromArray(S, acc, e0 + PAD);
    DoubleVector s10 = DoubleVector.fromArray(S, acc, e1);
    DoubleVector s11 = DoubleVector.fromArray(S, acc, e1 + PAD);
    DoubleVector s20 = DoubleVector.fromArray(S, acc, e2);
    DoubleVector s21 = DoubleVector.fromArray(S, acc, e2 + PAD);
    DoubleVector s30 = DoubleVector.fromArray(S, acc, e3);
    DoubleVector s31 = DoubleVector.fromArray(S, acc, e3 + PAD);
    double mi0 = shift[i0];
    double mi1 = shift[i0 + 1];
    double mi2 = shift[i0 + 2];
    double mi3 = shift[i0 + 3];
    double mp0 = shift[p];
    double mp1 = shift[p + 1];
    int o0 = i0 * stride;
    int q0 = p * stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector v = DoubleVector.fromArray(S, w, r);
      DoubleVector w0 = v.mul(DoubleVector.fromArray(S, xt, o0 + r).sub(mi0));
      DoubleVector w1 = v.mul(DoubleVector.fromArray(S, xt, o0 + stride + r).sub(mi1));
      DoubleVector w2 = v.mul(DoubleVector.fromArray(S, xt, o0 + 2 * stride + r).sub(mi2));
      DoubleVector w3 = v.mul(DoubleVector.fromArray(S, xt, o0 + 3 * stride + r).sub(mi3));
      DoubleVector x = DoubleVector.fromArray(S, xt, q0 + r).sub(mp0);
      DoubleVector y = DoubleVector.fromArray(S, xt, q0 + stride + r).sub(mp1);
      s00 = w0.fma(x, s00);
      s10 = w1.fma(x, s10);
      s20 = w2.fma(x, s20);
      s30 = w3.fma(x, s30);
      s01 = w0.fma(y, s01);
      s11 = w1.fma(y, s11);
      s21 = w2.fma(y, s21);
      s31 = w3.fma(y, s31);
    }
    s00.intoArray(acc, e0);
    s01.intoArray(acc, e0 + PAD);
    s10.intoArray(acc, e1);
    s11.intoArray(acc, e1 + PAD);
    s20.intoArray(acc, e2);
    s21.intoArray(acc, e2 + PAD);
    s30.intoArray(acc, e3);
    s31.intoArray(acc, e3 + PAD);
  }

  /** Gram entries (i0 + a, p) for a < 4, p >= i0 + 4: four running sums. */
  private static void fused4x1(double[] xt, int stride, int n, int d, double[] shift, double[] w, int i0, int p,
      double[] acc, int a0) {
    int e0 = gramAt(a0, i0, p, d);
    int e1 = gramAt(a0, i0 + 1, p, d);
    int e2 = gramAt(a0, i0 + 2, p, d);
    int e3 = gramAt(a0, i0 + 3, p, d);
    DoubleVector s0 = DoubleVector.fromArray(S, acc, e0);
    DoubleVector s1 = DoubleVector.fromArray(S, acc, e1);
    DoubleVector s2 = DoubleVector.fromArray(S, acc, e2);
    DoubleVector s3 = DoubleVector.fromArray(S, acc, e3);
    double mi0 = shift[i0];
    double mi1 = shift[i0 + 1];
    double mi2 = shift[i0 + 2];
    double mi3 = shift[i0 + 3];
    double mp = shift[p];
    int o0 = i0 * stride;
    int q = p * stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector v = DoubleVector.fromArray(S, w, r);
      DoubleVector x = DoubleVector.fromArray(S, xt, q + r).sub(mp);
      s0 = v.mul(DoubleVector.fromArray(S, xt, o0 + r).sub(mi0)).fma(x, s0);
      s1 = v.mul(DoubleVector.fromArray(S, xt, o0 + stride + r).sub(mi1)).fma(x, s1);
      s2 = v.mul(DoubleVector.fromArray(S, xt, o0 + 2 * stride + r).sub(mi2)).fma(x, s2);
      s3 = v.mul(DoubleVector.fromArray(S, xt, o0 + 3 * stride + r).sub(mi3)).fma(x, s3);
    }
    s0.intoArray(acc, e0);
    s1.intoArray(acc, e1);
    s2.intoArray(acc, e2);
    s3.intoArray(acc, e3);
  }

  /** Columns i and i + 1: their sums and the Gram entries (i, i), (i, i + 1), (i + 1, i + 1). */
  private static void fusedDiagonal2(double[] xt, int stride, int n, int d, double[] shift, double[] w, int i,
      double[] acc, int a0) {
    int c = a0 + (1 + i) * PAD;
    int e0 = gramAt(a0, i, i, d);
    int e1 = gramAt(a0, i + 1, i + 1, d);
    DoubleVector t0 = DoubleVector.fromArray(S, acc, c);
    DoubleVector t1 = DoubleVector.fromArray(S, acc, c + PAD);
    DoubleVector s00 = DoubleVector.fromArray(S, acc, e0);
    DoubleVector s01 = DoubleVector.fromArray(S, acc, e0 + PAD);
    DoubleVector s11 = DoubleVector.fromArray(S, acc, e1);
    double m0 = shift[i];
    double m1 = shift[i + 1];
    int o0 = i * stride;
    int o1 = o0 + stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector v = DoubleVector.fromArray(S, w, r);
      DoubleVector x0 = DoubleVector.fromArray(S, xt, o0 + r).sub(m0);
      DoubleVector w0 = v.mul(x0);
      t0 = t0.add(w0);
      s00 = w0.fma(x0, s00);
      DoubleVector x1 = DoubleVector.fromArray(S, xt, o1 + r).sub(m1);
      DoubleVector w1 = v.mul(x1);
      t1 = t1.add(w1);
      s01 = w0.fma(x1, s01);
      s11 = w1.fma(x1, s11);
    }
    t0.intoArray(acc, c);
    t1.intoArray(acc, c + PAD);
    s00.intoArray(acc, e0);
    s01.intoArray(acc, e0 + PAD);
    s11.intoArray(acc, e1);
  }

  /** Gram entries (i, p) and (i + 1, p) for p >= i + 2. */
  private static void fused2x1(double[] xt, int stride, int n, int d, double[] shift, double[] w, int i, int p,
      double[] acc, int a0) {
    int e0 = gramAt(a0, i, p, d);
    int e1 = gramAt(a0, i + 1, p, d);
    DoubleVector s0 = DoubleVector.fromArray(S, acc, e0);
    DoubleVector s1 = DoubleVector.fromArray(S, acc, e1);
    double mi0 = shift[i];
    double mi1 = shift[i + 1];
    double mp = shift[p];
    int o0 = i * stride;
    int q = p * stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector v = DoubleVector.fromArray(S, w, r);
      DoubleVector x = DoubleVector.fromArray(S, xt, q + r).sub(mp);
      s0 = v.mul(DoubleVector.fromArray(S, xt, o0 + r).sub(mi0)).fma(x, s0);
      s1 = v.mul(DoubleVector.fromArray(S, xt, o0 + stride + r).sub(mi1)).fma(x, s1);
    }
    s0.intoArray(acc, e0);
    s1.intoArray(acc, e1);
  }

  /** Column i: its sum and the Gram entry (i, i). */
  private static void fusedDiagonal1(double[] xt, int stride, int n, int d, double[] shift, double[] w, int i,
      double[] acc, int a0) {
    int c = a0 + (1 + i) * PAD;
    int e = gramAt(a0, i, i, d);
    DoubleVector t = DoubleVector.fromArray(S, acc, c);
    DoubleVector s = DoubleVector.fromArray(S, acc, e);
    double m = shift[i];
    int o = i * stride;
    for (int r = 0; r < n; r += L) {
      DoubleVector x = DoubleVector.fromArray(S, xt, o + r).sub(m);
      DoubleVector wx = DoubleVector.fromArray(S, w, r).mul(x);
      t = t.add(wx);
      s = wx.fma(x, s);
    }
    t.intoArray(acc, c);
    s.intoArray(acc, e);
  }

  /**
   * e^x on every lane from adds, multiplies, fused multiply-adds and integer bit operations only. Not
   * {@code lanewise(EXP)}: C2 compiles that to SVML's exp while the Vector API's Java fallback (before
   * the JIT has compiled a method) calls Math.exp per lane, and the two differ in the last bit for
   * about one argument in twenty, so a fit's bits would depend on the JIT's timing (a resumed fit, or one
   * on other executors, would not repeat an uninterrupted one exactly). These operations are exact in
   * both, so the same inputs give the same bits everywhere. Cody-Waite reduction x = k ln2 + r with
   * |r| <= ln2/2, the degree-13 Taylor polynomial by Horner's rule, then 2^k applied as two halves so
   * results in the subnormal range need no special case; within 2 ulp of Math.exp (VectorExpTest).
   */
  static DoubleVector exp(DoubleVector x) {
    DoubleVector kd = x.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
    DoubleVector r = kd.fma(DoubleVector.broadcast(S, -LN2_HI), x);
    r = kd.fma(DoubleVector.broadcast(S, -LN2_LO), r);
    DoubleVector p = DoubleVector.broadcast(S, INV_FACTORIAL[13]);
    for (int n = 12; n >= 0; n--) {
      p = p.fma(r, DoubleVector.broadcast(S, INV_FACTORIAL[n]));
    }
    // Clamped so that the integer part stays in range where the result is 0 or infinite anyway. The
    // integer is read from the bits of kd + 1.5 * 2^52 (exact: kd is an integer below 2^51), whose low
    // bits hold it in two's complement: convert(D2L) is not compiled to vector code by JDK 17's C2
    // (it falls back to one boxed lane at a time, several times slower than the whole exp).
    LongVector k = kd.max(-1100.0).min(1100.0).add(ROUNDER).reinterpretAsLongs().sub(ROUNDER_BITS);
    LongVector k1 = k.lanewise(VectorOperators.ASHR, 1);
    LongVector k2 = k.sub(k1);
    DoubleVector s1 = k1.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    DoubleVector s2 = k2.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    DoubleVector e = p.mul(s1).mul(s2);
    return e.blend(0.0, x.compare(VectorOperators.LT, EXP_UNDERFLOW));
  }

  /**
   * ln x on every lane for positive normal x (the posteriors' sums lie in [1, k]), from exact lane
   * operations only, for the reason {@link #exp(DoubleVector)} gives: {@code lanewise(LOG)} is SVML's log
   * once C2 has compiled it and Math.log per lane before, and the two differ in the last bit for about
   * one argument in 200 (VectorLogTest). x = 2^e m with m in [sqrt(1/2), sqrt(2)) from the bits, and
   * ln m = 2 atanh(t) = 2 (t + t^3/3 + t^5/5 + ...) with t = (m - 1) / (m + 1), |t| < 0.172: the series to
   * t^21 (truncation below 2^-60), arranged so that the exact m - 1 leads; within 2 ulp of Math.log. e is read back as a double from the rounder's bits (no vector long-to-double conversion).
   */
  static DoubleVector log(DoubleVector x) {
    LongVector bits = x.reinterpretAsLongs();
    LongVector biased = bits.lanewise(VectorOperators.LSHR, 52);
    DoubleVector e = biased.add(ROUNDER_BITS - 1023L).reinterpretAsDoubles().sub(ROUNDER);
    DoubleVector m = bits.and(MANTISSA).or(ONE_BITS).reinterpretAsDoubles();
    VectorMask<Double> high = m.compare(VectorOperators.GT, SQRT2);
    m = m.blend(m.mul(0.5), high);
    e = e.add(DoubleVector.zero(S).blend(1.0, high));
    DoubleVector f = m.sub(1.0);
    DoubleVector t = f.div(f.add(2.0));
    DoubleVector z = t.mul(t);
    DoubleVector q = DoubleVector.broadcast(S, TWO_OVER_ODD[TWO_OVER_ODD.length - 1]);
    for (int n = TWO_OVER_ODD.length - 2; n >= 0; n--) {
      q = q.fma(z, DoubleVector.broadcast(S, TWO_OVER_ODD[n]));
    }
    DoubleVector rest = z.mul(q);
    DoubleVector halfSquare = f.mul(f).mul(0.5);
    // ln m = 2t + 2t (z/3 + z^2/5 + ...) = f - (f^2/2 - t (f^2/2 + rest)), since 2t = f - t f and
    // t f = (1 - t) f^2/2: the exact f leads, the roundings fall on a term below f/5 of it.
    DoubleVector lo = t.fma(halfSquare.add(rest), e.mul(LN2_LO));
    return e.fma(DoubleVector.broadcast(S, LN2_HI), f.sub(halfSquare.sub(lo)));
  }

  /** {@link #log(DoubleVector)} over an array whose length is a multiple of the lane count (tests). */
  static void log(double[] x, double[] out) {
    for (int r = 0; r < x.length; r += L) {
      log(DoubleVector.fromArray(S, x, r)).intoArray(out, r);
    }
  }

  /** {@link #exp(DoubleVector)} over an array whose length is a multiple of the lane count (tests). */
  static void exp(double[] x, double[] out) {
    for (int r = 0; r < x.length; r += L) {
      exp(DoubleVector.fromArray(S, x, r)).intoArray(out, r);
    }
  }

  @Override
  public void nearestByProducts(double[] xt, int stride, int n, int d, double[] shift, double[] diff,
      double[] c, double[] cc, int k, int[] best, double[] gap, double[] xx, double[] work) {
    // By four centres at a time from the shifted copy.
    centre(xt, stride, n, d, shift, diff);
    nearestByFours(diff, stride, n, d, c, cc, k, best, gap, xx, work);
  }

  /** {@link #nearestByProducts} on the shifted columns {@code xt}, four centres at a time. */
  private static void nearestByFours(double[] xt, int stride, int n, int d, double[] c, double[] cc, int k,
      int[] best, double[] gap, double[] xx, double[] work) {
    // Two vectors of rows against four centres at a time: eight independent chains of fused
    // multiply-adds, each column of the tile loaded once for four centres. Each chain starts at
    // -cc_j / 2 (exact), so it ends at
    // h_j = x.c_j - cc_j / 2 = -e_j / 2 with no further operation; the largest and second largest h and
    // the index of the largest (a double lane, exact for any k) stay in registers.
    int r = 0;
    for (; r + 2 * L <= n; r += 2 * L) {
      DoubleVector xa = DoubleVector.zero(S);
      DoubleVector xb = xa;
      for (int i = 0; i < d; i++) {
        DoubleVector u = DoubleVector.fromArray(S, xt, i * stride + r);
        DoubleVector v = DoubleVector.fromArray(S, xt, i * stride + r + L);
        xa = u.fma(u, xa);
        xb = v.fma(v, xb);
      }
      DoubleVector low = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
      DoubleVector a1 = low;
      DoubleVector a2 = low;
      DoubleVector b1 = low;
      DoubleVector b2 = low;
      DoubleVector ia = DoubleVector.zero(S);
      DoubleVector ib = ia;
      int j = 0;
      for (; j + 4 <= k; j += 4) {
        DoubleVector p0 = DoubleVector.broadcast(S, -0.5 * cc[j]);
        DoubleVector p1 = DoubleVector.broadcast(S, -0.5 * cc[j + 1]);
        DoubleVector p2 = DoubleVector.broadcast(S, -0.5 * cc[j + 2]);
        DoubleVector p3 = DoubleVector.broadcast(S, -0.5 * cc[j + 3]);
        DoubleVector q0 = p0;
        DoubleVector q1 = p1;
        DoubleVector q2 = p2;
        DoubleVector q3 = p3;
        int c0 = j * d;
        for (int i = 0; i < d; i++) {
          DoubleVector u = DoubleVector.fromArray(S, xt, i * stride + r);
          DoubleVector v = DoubleVector.fromArray(S, xt, i * stride + r + L);
          DoubleVector g0 = DoubleVector.broadcast(S, c[c0 + i]);
          DoubleVector g1 = DoubleVector.broadcast(S, c[c0 + d + i]);
          DoubleVector g2 = DoubleVector.broadcast(S, c[c0 + 2 * d + i]);
          DoubleVector g3 = DoubleVector.broadcast(S, c[c0 + 3 * d + i]);
          p0 = u.fma(g0, p0);
          p1 = u.fma(g1, p1);
          p2 = u.fma(g2, p2);
          p3 = u.fma(g3, p3);
          q0 = v.fma(g0, q0);
          q1 = v.fma(g1, q1);
          q2 = v.fma(g2, q2);
          q3 = v.fma(g3, q3);
        }
        // In index order, so that the first of equal h keeps the place (strict comparisons).
        VectorMask<Double> la0 = p0.compare(VectorOperators.GT, a1);
        a2 = a2.max(p0).blend(a1, la0);
        a1 = a1.blend(p0, la0);
        ia = ia.blend(j, la0);
        VectorMask<Double> lb0 = q0.compare(VectorOperators.GT, b1);
        b2 = b2.max(q0).blend(b1, lb0);
        b1 = b1.blend(q0, lb0);
        ib = ib.blend(j, lb0);
        VectorMask<Double> la1 = p1.compare(VectorOperators.GT, a1);
        a2 = a2.max(p1).blend(a1, la1);
        a1 = a1.blend(p1, la1);
        ia = ia.blend(j + 1, la1);
        VectorMask<Double> lb1 = q1.compare(VectorOperators.GT, b1);
        b2 = b2.max(q1).blend(b1, lb1);
        b1 = b1.blend(q1, lb1);
        ib = ib.blend(j + 1, lb1);
        VectorMask<Double> la2 = p2.compare(VectorOperators.GT, a1);
        a2 = a2.max(p2).blend(a1, la2);
        a1 = a1.blend(p2, la2);
        ia = ia.blend(j + 2, la2);
        VectorMask<Double> lb2 = q2.compare(VectorOperators.GT, b1);
        b2 = b2.max(q2).blend(b1, lb2);
        b1 = b1.blend(q2, lb2);
        ib = ib.blend(j + 2, lb2);
        VectorMask<Double> la3 = p3.compare(VectorOperators.GT, a1);
        a2 = a2.max(p3).blend(a1, la3);
        a1 = a1.blend(p3, la3);
        ia = ia.blend(j + 3, la3);
        VectorMask<Double> lb3 = q3.compare(VectorOperators.GT, b1);
        b2 = b2.max(q3).blend(b1, lb3);
        b1 = b1.blend(q3, lb3);
        ib = ib.blend(j + 3, lb3);
      }
      for (; j < k; j++) {
        DoubleVector p = DoubleVector.broadcast(S, -0.5 * cc[j]);
        DoubleVector q = p;
        for (int i = 0; i < d; i++) {
          DoubleVector g = DoubleVector.broadcast(S, c[j * d + i]);
          p = DoubleVector.fromArray(S, xt, i * stride + r).fma(g, p);
          q = DoubleVector.fromArray(S, xt, i * stride + r + L).fma(g, q);
        }
        VectorMask<Double> la = p.compare(VectorOperators.GT, a1);
        a2 = a2.max(p).blend(a1, la);
        a1 = a1.blend(p, la);
        ia = ia.blend(j, la);
        VectorMask<Double> lb = q.compare(VectorOperators.GT, b1);
        b2 = b2.max(q).blend(b1, lb);
        b1 = b1.blend(q, lb);
        ib = ib.blend(j, lb);
      }
      xa.intoArray(xx, r);
      xb.intoArray(xx, r + L);
      // e_2 - e_1 = 2 (h_1 - h_2), the doubling exact.
      a1.sub(a2).mul(2.0).intoArray(gap, r);
      b1.sub(b2).mul(2.0).intoArray(gap, r + L);
      ia.intoArray(work, r);
      ib.intoArray(work, r + L);
    }
    for (; r < n; r += L) {
      DoubleVector xa = DoubleVector.zero(S);
      for (int i = 0; i < d; i++) {
        DoubleVector u = DoubleVector.fromArray(S, xt, i * stride + r);
        xa = u.fma(u, xa);
      }
      DoubleVector a1 = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
      DoubleVector a2 = a1;
      DoubleVector ia = DoubleVector.zero(S);
      for (int j = 0; j < k; j++) {
        DoubleVector p = DoubleVector.broadcast(S, -0.5 * cc[j]);
        for (int i = 0; i < d; i++) {
          DoubleVector u = DoubleVector.fromArray(S, xt, i * stride + r);
          p = u.fma(DoubleVector.broadcast(S, c[j * d + i]), p);
        }
        VectorMask<Double> la = p.compare(VectorOperators.GT, a1);
        a2 = a2.max(p).blend(a1, la);
        a1 = a1.blend(p, la);
        ia = ia.blend(j, la);
      }
      xa.intoArray(xx, r);
      a1.sub(a2).mul(2.0).intoArray(gap, r);
      ia.intoArray(work, r);
    }
    for (int t = 0; t < n; t++) {
      best[t] = (int) work[t];
    }
  }

  @Override
  public void bestDistances(double[] xt, int stride, int n, int d, double[] c, int[] best, int[] offsets,
      double[] dist) {
    // Each lane gathers its own row's centre; per row the operations and their order are the row path's.
    for (int r = 0; r < n; r++) {
      offsets[r] = best[r] * d;
    }
    for (int r = 0; r < n; r += L) {
      DoubleVector m = DoubleVector.zero(S);
      for (int i = 0; i < d; i++) {
        DoubleVector t = DoubleVector.fromArray(S, xt, i * stride + r).sub(DoubleVector.fromArray(S, c, i, offsets, r));
        m = m.add(t.mul(t));
      }
      m.intoArray(dist, r);
    }
  }

  @Override
  public int fewCentres() {
    return Math.min(L, PAD);
  }

  /**
   * One lane per centre, four rows at a time: each coordinate of the centres is one vector, loaded once
   * for the four rows, and each row's coordinate is broadcast against it, so a row's k distances are
   * k lanes of the same operations as the row path's (a difference, its square, a sum, in coordinate
   * order). No transposed tile and no matrix product: the labels need no error bound.
   */
  @Override
  public void nearestOfFew(double[] x, int row0, int n, int d, double[] byCoordinate, int k, double logNorm,
      int[] best, double[] dist, double[] work) {
    if (k > fewCentres()) {
      throw new IllegalArgumentException(k + " centres do not fit in " + fewCentres() + " lanes");
    }
    VectorMask<Double> missing = VectorMask.fromLong(S, -1L << k);
    DoubleVector norm = DoubleVector.broadcast(S, logNorm);
    int r = 0;
    for (; r + 4 <= n; r += 4) {
      int o = (row0 + r) * d;
      DoubleVector a0 = DoubleVector.zero(S);
      DoubleVector a1 = a0;
      DoubleVector a2 = a0;
      DoubleVector a3 = a0;
      for (int i = 0; i < d; i++) {
        DoubleVector c = DoubleVector.fromArray(S, byCoordinate, i * PAD);
        DoubleVector t0 = DoubleVector.broadcast(S, x[o + i]).sub(c);
        DoubleVector t1 = DoubleVector.broadcast(S, x[o + d + i]).sub(c);
        DoubleVector t2 = DoubleVector.broadcast(S, x[o + 2 * d + i]).sub(c);
        DoubleVector t3 = DoubleVector.broadcast(S, x[o + 3 * d + i]).sub(c);
        a0 = a0.add(t0.mul(t0));
        a1 = a1.add(t1.mul(t1));
        a2 = a2.add(t2.mul(t2));
        a3 = a3.add(t3.mul(t3));
      }
      label(a0, norm, missing, r, best, dist, work);
      label(a1, norm, missing, r + 1, best, dist, work);
      label(a2, norm, missing, r + 2, best, dist, work);
      label(a3, norm, missing, r + 3, best, dist, work);
    }
    for (; r < n; r++) {
      int o = (row0 + r) * d;
      DoubleVector a = DoubleVector.zero(S);
      for (int i = 0; i < d; i++) {
        DoubleVector t = DoubleVector.broadcast(S, x[o + i]).sub(DoubleVector.fromArray(S, byCoordinate, i * PAD));
        a = a.add(t.mul(t));
      }
      label(a, norm, missing, r, best, dist, work);
    }
  }

  /**
   * Row r's label from its squared distances (one per lane): the row path's logits logNorm - dist / 2, the
   * first lane of the largest (missing centres at -infinity), and that lane's distance. A NaN logit (never
   * from finite rows and centres) matches no lane: then the row path's argmax of the k lanes decides.
   */
  private static void label(DoubleVector dist2, DoubleVector norm, VectorMask<Double> missing, int r, int[] best,
      double[] dist, double[] work) {
    DoubleVector logit = norm.sub(dist2.mul(0.5)).blend(Double.NEGATIVE_INFINITY, missing);
    int j = logit.compare(VectorOperators.EQ, logit.reduceLanes(VectorOperators.MAX)).firstTrue();
    int w = (r & 3) * L;
    dist2.intoArray(work, w);
    if (j == L) {
      j = firstLargest(logit);
    }
    best[r] = j;
    dist[r] = work[w + j];
  }

  /** The row path's argmax over the lanes (the first strictly larger wins; missing lanes never do). */
  private static int firstLargest(DoubleVector logit) {
    double[] lanes = new double[L];
    logit.intoArray(lanes, 0);
    return LogSumExp.argmax(lanes, L);
  }

  @Override
  public void addToLabels(double[] x, int row0, int n, int d, double[] w, int[] label, double[] shift,
      double[] sum) {
    if (w == null) {
      addToLabelsUnweighted(x, row0, n, d, label, shift, sum);
      return;
    }
    // One vector spans L coordinates of a row: each coordinate still adds the rows in order.
    for (int r = 0; r < n; r++) {
      double wr = w[r];
      if (wr == 0.0) {
        continue;
      }
      int o = (row0 + r) * d;
      int q = label[r] * d;
      int i = 0;
      for (; i + L <= d; i += L) {
        DoubleVector t = DoubleVector.fromArray(S, x, o + i).sub(DoubleVector.fromArray(S, shift, q + i)).mul(wr);
        DoubleVector.fromArray(S, sum, q + i).add(t).intoArray(sum, q + i);
      }
      for (; i < d; i++) {
        sum[q + i] += wr * (x[o + i] - shift[q + i]);
      }
    }
  }

  /** {@link #addToLabels} with every weight 1, where 1 (x - shift) is x - shift exactly: no multiply. */
  private static void addToLabelsUnweighted(double[] x, int row0, int n, int d, int[] label, double[] shift,
      double[] sum) {
    for (int r = 0; r < n; r++) {
      int o = (row0 + r) * d;
      int q = label[r] * d;
      int i = 0;
      for (; i + L <= d; i += L) {
        DoubleVector t = DoubleVector.fromArray(S, x, o + i).sub(DoubleVector.fromArray(S, shift, q + i));
        DoubleVector.fromArray(S, sum, q + i).add(t).intoArray(sum, q + i);
      }
      for (; i < d; i++) {
        sum[q + i] += x[o + i] - shift[q + i];
      }
    }
  }

}
