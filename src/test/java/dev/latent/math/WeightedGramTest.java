package dev.latent.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TileKernels#centredWeightedGram}: the Vector API's fused blocks (columns centred and weighed
 * inside each block, never stored) give the bits of its unfused kernels, centredWeightedSums then
 * weightedGramUpper, for every d from 1 to 13 (every remainder of d modulo 4, one to three blocks of four),
 * added onto nonzero partial sums over two tiles; and the plain-Java kernels agree to rounding.
 */
class WeightedGramTest {
  private static final int STRIDE = 128;

  @ParameterizedTest(name = "d={0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
  void fusedIsTheUnfusedBitwise(int d) {
    TileKernels vector = Kernels.vector();
    assertNotNull(vector, "the Vector API module is missing: run with --add-modules=jdk.incubator.vector");
    TileKernels java = Kernels.java();
    Random rnd = new Random(41 + d);
    int len = TileKernels.upper(d - 1, d - 1, d) + 1;
    int stats = 1 + d + len;
    double[] fused = new double[stats * TileKernels.PAD];
    double[] unfused = new double[stats * TileKernels.PAD];
    double[] plain = new double[stats * TileKernels.PAD];
    double[] diff = new double[d * STRIDE];
    double[] wd = new double[d * STRIDE];
    for (int tile = 0; tile < 2; tile++) {
      int n = tile == 0 ? STRIDE : 40;
      double[] xt = new double[d * STRIDE];
      double[] shift = new double[d];
      double[] w = new double[STRIDE];
      for (int i = 0; i < d; i++) {
        shift[i] = 50.0 + rnd.nextGaussian();
        for (int r = 0; r < n; r++) {
          xt[i * STRIDE + r] = 50.0 + (1.0 + i) * rnd.nextGaussian();
        }
      }
      for (int r = 0; r < n; r++) {
        w[r] = r % 7 == 0 ? 0.0 : rnd.nextDouble();
      }
      vector.centredWeightedGram(xt, STRIDE, n, d, shift, w, diff, wd, fused, 0);
      vector.centredWeightedSums(xt, STRIDE, n, d, shift, w, diff, wd, unfused, 0);
      vector.weightedGramUpper(wd, diff, STRIDE, n, d, unfused, (1 + d) * TileKernels.PAD);
      java.centredWeightedGram(xt, STRIDE, n, d, shift, w, diff, wd, plain, 0);
    }
    for (int s = 0; s < fused.length; s++) {
      assertEquals(Double.doubleToRawLongBits(unfused[s]), Double.doubleToRawLongBits(fused[s]),
          "d = " + d + ", statistic " + s / TileKernels.PAD + ", lane " + s % TileKernels.PAD);
    }
    // Against plain Java: to 1e-11 of the largest diagonal entry (a bound on every entry's rounding).
    double[] a = lanesSummed(fused, stats);
    double[] b = lanesSummed(plain, stats);
    double largest = 1.0;
    for (int i = 0; i < d; i++) {
      largest = Math.max(largest, b[1 + d + TileKernels.upper(i, i, d)]);
    }
    for (int s = 0; s < stats; s++) {
      assertEquals(b[s], a[s], 1e-11 * largest, "d = " + d + ", statistic " + s + " against plain Java");
    }
  }

  private static double[] lanesSummed(double[] acc, int stats) {
    double[] out = new double[stats];
    for (int s = 0; s < stats; s++) {
      for (int l = 0; l < TileKernels.PAD; l++) {
        out[s] += acc[s * TileKernels.PAD + l];
      }
    }
    return out;
  }
}
