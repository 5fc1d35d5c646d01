package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeding measures only the centres a block has not seen yet under its seed: the nearest distances, and so
 * every draw, must be bit for bit those of measuring every centre, through growing lists (k-means++ and
 * k-means|| rounds), a list that is not an extension (another run), and a block the memo does not hold.
 */
class SampleTaskTest {
  @Test
  void nearestDistancesAreThoseOfMeasuringEveryCentre() {
    SplittableRandom rnd = new SplittableRandom(5);
    int rows = 1000;
    int d = 7;
    double[] x = new double[rows * d];
    long[] keys = new long[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextGaussian() * 3;
    }
    for (int r = 0; r < rows; r++) {
      keys[r] = DataBlock.positionKey(r);
    }
    DataBlock block = new DataBlock(rows, d, x, keys, null, null);
    double[][] all = new double[40][];
    for (int j = 0; j < all.length; j++) {
      all[j] = Arrays.copyOfRange(x, (j * 13) * d, (j * 13 + 1) * d);
      all[j][0] += 0.25;
    }
    for (int n : new int[] {1, 2, 3, 7, 8, 9, 23, 40}) {
      double[][] c = Arrays.copyOf(all, n);
      SampleTask t = SampleTask.oversample(c, 11, n, 50, 16);
      assertArrayEquals(direct(block, c), t.nearest(block), "growing list of " + n);
      TopRows got = t.accumulate(block, t.zero(d));
      TopRows fresh = t.accumulate(copy(block), t.zero(d));
      assertEquals(fresh.cost, got.cost, "phi of " + n);
      assertArrayEquals(fresh.order(), got.order());
    }
    // The seed's last scan gives the same distances and drops them; the next one measures afresh.
    double[][] c9 = Arrays.copyOf(all, 9);
    assertArrayEquals(direct(block, c9), SampleTask.oversample(c9, 11, 5, 50, 16).lastStep().nearest(block));
    assertArrayEquals(direct(block, all), SampleTask.oversample(all, 11, 6, 50, 16).nearest(block));
    // More seeds than the memo keeps: the later ones are measured in full, with the same values.
    for (long seed = 100; seed < 100 + 2 * SampleTask.MEMO_SEEDS; seed++) {
      for (int n : new int[] {3, 6}) {
        double[][] c = Arrays.copyOf(all, n);
        assertArrayEquals(direct(block, c), new SampleTask(c, seed, n, 1).nearest(block), "seed " + seed);
      }
    }
    // Another list under the same seed (not an extension) and a shorter one: measured afresh.
    double[][] other = {all[5], all[3], all[30]};
    assertArrayEquals(direct(block, other), new SampleTask(other, 11, 1, 3).nearest(block));
    double[][] shorter = Arrays.copyOf(all, 4);
    assertArrayEquals(direct(block, shorter), new SampleTask(shorter, 11, 2, 3).nearest(block));
  }

  private static DataBlock copy(DataBlock b) {
    return new DataBlock(b.rows, b.d, b.x.clone(), b.keys.clone(), null, null);
  }

  /** The distances as seeding measured them before the memo: every centre, one at a time. */
  private static double[] direct(DataBlock b, double[][] centres) {
    double[] out = new double[b.rows];
    for (int r = 0; r < b.rows; r++) {
      double best = Double.POSITIVE_INFINITY;
      for (double[] c : centres) {
        double s = 0.0;
        for (int i = 0; i < b.d; i++) {
          double t = b.x[r * b.d + i] - c[i];
          s += t * t;
        }
        best = Math.min(best, s);
      }
      out[r] = best;
    }
    return out;
  }
}
