package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.math.Hungarian;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * k-means|| seeding, empty-cluster relocation and spherical (cosine) K-means, without Spark.
 * Partition independence is checked to 1e-12 (sums merge in another order; the choices are identical).
 */
class KMeansInitTest {
  private static final int BLOBS = 10;
  private static final int D = 3;

  /** 10 well separated unit-variance blobs of 300 rows on a 3-D grid with spacing 20. */
  private static double[][] blobs(double[][] truth) {
    SplittableRandom rnd = new SplittableRandom(11);
    double[][] x = new double[BLOBS * 300][D];
    for (int b = 0; b < BLOBS; b++) {
      truth[b] = new double[] {20.0 * (b % 3), 20.0 * ((b / 3) % 3), 20.0 * (b / 9)};
      for (int r = 0; r < 300; r++) {
        for (int i = 0; i < D; i++) {
          x[b * 300 + r][i] = truth[b][i] + gaussian(rnd);
        }
      }
    }
    return x;
  }

  /** The same rows (same keys) cut into blocks of the given size. */
  private static LocalData blocks(double[][] x, int size) {
    List<DataBlock> out = new ArrayList<>();
    for (int start = 0; start < x.length; start += size) {
      int rows = Math.min(size, x.length - start);
      double[] flat = new double[rows * D];
      long[] keys = new long[rows];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(x[start + r], 0, flat, r * D, D);
        keys[r] = DataBlock.rowKey(0, start + r + 1);
      }
      out.add(new DataBlock(rows, D, flat, keys, null, null));
    }
    return new LocalData(out);
  }

  @Test
  void kmeansParallelFindsEveryBlobInSevenScansWhateverThePartitioning() {
    double[][] truth = new double[BLOBS][];
    double[][] x = blobs(truth);
    double[][] first = null;
    for (int size : new int[] {x.length, 1000, 77}) {
      LocalData data = blocks(x, size);
      SweepTest.CountingPass counting = new SweepTest.CountingPass(data);
      FitSpec spec = new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, BLOBS, 100, 0.0, 0.0, 5,
          InitMethod.KMEANS_PARALLEL, null, 1);
      FitResult r = EmLoop.fit(counting, spec, data.columns());
      assertEquals(InitMethod.KMEANS_PARALLEL, r.init());
      // Seeding scans: 1 + ROUNDS + 1; the rest are K-means passes and the final scoring pass.
      assertEquals(KMeansParallel.SCANS + r.iterations() + 1, counting.scans, "scans");
      if (first == null) {
        first = r.means();
        int[] match = Hungarian.assign(distances(r.means(), truth));
        for (int j = 0; j < BLOBS; j++) {
          assertTrue(Math.sqrt(squared(r.means()[j], truth[match[j]])) < 0.3, "centre " + j + " found a blob");
        }
      } else {
        for (int j = 0; j < BLOBS; j++) {
          assertArrayEquals(first[j], r.means()[j], 1e-12, "block size " + size + ", centre " + j);
        }
      }
    }
  }

  @Test
  void autoPicksKmeansParallelOnlyForLargeInputsAndManyComponents() {
    assertEquals(InitMethod.KMEANS_PP, InitMethod.AUTO.resolve(99_999, 50));
    assertEquals(InitMethod.KMEANS_PP, InitMethod.AUTO.resolve(1_000_000, KMeansParallel.SCANS));
    assertEquals(InitMethod.KMEANS_PARALLEL, InitMethod.AUTO.resolve(100_000, KMeansParallel.SCANS + 1));
    assertEquals(InitMethod.RANDOM, InitMethod.RANDOM.resolve(1_000_000, 50));
  }

  @Test
  void reclusterDrawsPartitionFreeWeightedCentres() {
    // Two heavy candidates and a light one: k = 2 must pick the heavy ones after Lloyd.
    KMeansParallel.Sketch s = new KMeansParallel.Sketch(new double[][] {{0, 0}, {10, 0}, {0.5, 0}, {10, 0}},
        new double[] {100, 100, 1, 0});
    double[][] c = KMeansParallel.recluster(s, 2, 3, false);
    double[] xs = {c[0][0], c[1][0]};
    Arrays.sort(xs);
    assertEquals(0.5 / 101, xs[0], 1e-15);
    assertEquals(10.0, xs[1], 0.0);
  }

  @Test
  void emptyClustersMoveToTheFarthestRows() {
    // Rows near 0 and near 10; the third centre (at 1000) and the fourth (at -1000) win no row.
    double[][] x = {{0}, {1}, {0.5}, {10}, {11}, {14}, {9.5}};
    double[] w = {1, 1, 1, 1, 1, 1, 5};
    LocalData data = LocalData.of(x, w, null);
    double[][] centres = {{0.5}, {10}, {1000}, {-1000}};
    EStepTask task = EStepTask.nearest(centres, EStepTask.Scatter.NONE);
    SuffStats s = data.estep(new EStepTask[] {task})[0];
    MStep.Update u = MStep.kmeans(s, centres);
    // Farthest from their own centres: 14 (distance 4), then 11 and 0/1 (distance 1, 0.5); weights do not count.
    assertEquals(14.0, u.means()[2][0], 0.0);
    assertEquals(11.0, u.means()[3][0], 0.0);
    assertEquals(0.5, u.means()[0][0], 0.0);
    assertEquals((10 + 11 + 14 + 5 * 9.5) / 8, u.means()[1][0], 1e-12);
    assertTrue(u.warnings().stream().anyMatch(m -> m.contains("cluster 2 is empty")), u.warnings().toString());
    assertTrue(u.warnings().stream().anyMatch(m -> m.contains("cluster 3 is empty")), u.warnings().toString());

    // The whole fit then ends with four non-empty clusters and says what it did.
    StartParams sp = new StartParams(ModelKind.KMEANS, null, new double[4], centres, null);
    FitResult r = EmLoop.fit(data, new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, 4, 100, 0.0, 0.0, 0,
        InitMethod.MODEL, sp, 1), data.columns());
    for (double size : r.clusterWeights()) {
      assertTrue(size > 0, "every cluster holds rows");
    }
    assertTrue(r.warnings().stream().anyMatch(m -> m.contains("moved to the farthest row")), r.warnings().toString());
  }

  @Test
  void cosineKmeansClustersByDirection() {
    // Two directions (about 10 and 80 degrees) at lengths from 0.1 to 100: by angle there are two groups,
    // by Euclidean distance the long rows would dominate.
    SplittableRandom rnd = new SplittableRandom(5);
    double[][] x = new double[400][];
    int[] truth = new int[400];
    for (int r = 0; r < 400; r++) {
      truth[r] = r % 2;
      double angle = Math.toRadians((truth[r] == 0 ? 10 : 80) + 3 * gaussian(rnd));
      double len = Math.pow(10, -1 + 3 * rnd.nextDouble());
      x[r] = new double[] {len * Math.cos(angle), len * Math.sin(angle)};
      assertTrue(Distance.normalise(x[r], 0, 2));
    }
    LocalData data = LocalData.of(x, null, null);
    FitSpec spec = new FitSpec(ModelKind.KMEANS, CovarianceType.FULL, 2, 100, 0.0, 0.0, 1, InitMethod.KMEANS_PP,
        null, 1, Distance.COSINE);
    FitResult r = EmLoop.fit(data, spec, data.columns());
    assertTrue(r.converged());
    assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    double[] angles = new double[2];
    for (int j = 0; j < 2; j++) {
      double[] c = r.means()[j];
      assertEquals(1.0, Math.hypot(c[0], c[1]), 1e-12, "unit centre");
      angles[j] = Math.toDegrees(Math.atan2(c[1], c[0]));
    }
    Arrays.sort(angles);
    assertEquals(10.0, angles[0], 1.0);
    assertEquals(80.0, angles[1], 1.0);
    assertArrayEquals(new double[] {200, 200}, r.clusterWeights(), 0.0);
  }

  private static double[][] distances(double[][] a, double[][] b) {
    double[][] c = new double[a.length][b.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        c[i][j] = Math.sqrt(squared(a[i], b[j]));
      }
    }
    return c;
  }

  private static double squared(double[] a, double[] b) {
    double s = 0.0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s;
  }

  private static double gaussian(SplittableRandom rnd) {
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }
}
