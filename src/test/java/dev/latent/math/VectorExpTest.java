package dev.latent.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels' own exp: close to Math.exp, and the same bits before and after the JIT has
 * compiled it (the reason it exists: lanewise(EXP) differs between the two in the last bit).
 */
class VectorExpTest {
  private static final int N = 1 << 14;

  @Test
  void withinTwoUlpOfMathExpDownToUnderflow() {
    Assumptions.assumeTrue(Kernels.vector() != null, "the JVM lacks --add-modules=jdk.incubator.vector");
    Random rnd = new Random(7);
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      // The E-step's arguments: logit minus the row's maximum, so <= 0, spread over every magnitude.
      x[i] = i % 4 == 0 ? -rnd.nextDouble() : -Math.exp(rnd.nextDouble() * Math.log(760.0));
    }
    x[0] = 0.0;
    x[1] = -0.0;
    x[2] = Double.NEGATIVE_INFINITY;
    x[3] = -745.3;
    x[5] = 1.0;
    x[6] = 700.0;
    double[] e = new double[N];
    VectorTileKernels.exp(x, e);
    assertEquals(1.0, e[0], 0.0);
    assertEquals(1.0, e[1], 0.0);
    assertEquals(0.0, e[2], 0.0);
    assertEquals(0.0, e[3], 0.0);
    long worst = 0;
    for (int i = 0; i < N; i++) {
      double want = Math.exp(x[i]);
      if (want >= Double.MIN_NORMAL) {
        long ulps = Math.abs(Double.doubleToLongBits(e[i]) - Double.doubleToLongBits(want));
        worst = Math.max(worst, ulps);
      } else {
        // Subnormal results: the last scaling rounds once more; absolutely they are all but zero.
        assertEquals(want, e[i], 2 * Double.MIN_VALUE * Math.max(1.0, want / Double.MIN_NORMAL * (1L << 52)));
      }
    }
    assertTrue(worst <= 2, "worst error " + worst + " ulp");
  }

  @Test
  void sameBitsColdAndCompiled() {
    Assumptions.assumeTrue(Kernels.vector() != null, "the JVM lacks --add-modules=jdk.incubator.vector");
    Random rnd = new Random(11);
    double[] x = new double[4096];
    for (int i = 0; i < x.length; i++) {
      x[i] = -rnd.nextDouble() * 40.0;
    }
    double[] cold = new double[x.length];
    VectorTileKernels.exp(x, cold);
    double[] hot = new double[x.length];
    for (int it = 0; it < 20_000; it++) {
      VectorTileKernels.exp(x, hot);
    }
    for (int i = 0; i < x.length; i++) {
      assertEquals(Double.doubleToLongBits(cold[i]), Double.doubleToLongBits(hot[i]), "x = " + x[i]);
    }
  }
}
