package dev.latent.math;

/**
 * The E-step's kernels on a tile of rows stored column by column: column i of an {@code n}-row tile is
 * {@code a[i * stride .. i * stride + n)}, so every loop runs over rows with unit stride. Callers pad n
 * to a multiple of {@link #PAD} (padding rows have weight 0), so vector code needs no scalar tail.
 *
 * <p>Two implementations: {@link JavaTileKernels}, plain loops that C2 partly vectorises, and
 * {@link VectorTileKernels}, the JDK Vector API, which also vectorises the sums over rows and the
 * exponentials. {@link Kernels#get()} picks the second when the JVM runs with
 * {@code --add-modules=jdk.incubator.vector} (conf/jvm-flags does), and the first otherwise.
 *
 * <p>The squared-norm kernels perform, for each row, exactly the operations of the row-at-a-time path
 * ({@code Mixture.logits}) in the same order, separately rounded (Java never fuses a * b + c), so their
 * results are bitwise the same and hard assignments cannot change; {@link #centredTriangularNorms}, for
 * soft assignment only, is free to fuse and reorder. Sums over rows are reordered.
 */
public interface TileKernels {
  /** Rows are padded to a multiple of this (at least any double vector's lane count). */
  int PAD = 8;

  /** A short name for logs and benchmark reports. */
  String name();

  /** {@code out} column i = {@code xt} column i - mu[i], for the first n rows. */
  void centre(double[] xt, int stride, int n, int d, double[] mu, double[] out);

  /**
   * m2[r] = |F diff_r|^2 for a lower-triangular row-major factor F (d x d): the squared Mahalanobis
   * distance when F = L^-1 (see {@link Cholesky}). Row i of F meets columns 0..i of diff, summed from
   * column 0 upward as the row path does; {@code y} is scratch of at least n.
   */
  void triangularNorms(double[] f, int d, double[] diff, int stride, int n, double[] y, double[] m2);

  /**
   * m2[r] = |F (x_r - mu)|^2 as {@link #centre} then {@link #triangularNorms} compute it, for soft
   * assignment, whose responsibilities need no exact ties: the Vector API kernels centre on the fly and
   * use fused multiply-adds in blocks of factor rows, so their results differ from the row path's in the
   * last bits. {@code diff} (d columns) and {@code y} (n) are scratch.
   */
  void centredTriangularNorms(double[] xt, int stride, int n, int d, double[] mu, double[] f, double[] diff,
      double[] y, double[] m2);

  /** m2[r] = sum_i ((x_ri - mu_i) f_i)^2: the diagonal model's squared distance. */
  void diagonalNorms(double[] xt, int stride, int n, int d, double[] mu, double[] f, double[] m2);

  /** m2[r] = (sum_i (x_ri - mu_i)^2) f f: the spherical model's squared distance (K-means: f = 1). */
  void sphericalNorms(double[] xt, int stride, int n, int d, double[] mu, double f, double[] m2);

  /**
   * Each row's most likely component: best[r] = the first j with the largest logit[j][r] (a later j must
   * be strictly larger, as the row path's argmax), max[r] = that logit and bestMaha[r] = maha[best][r].
   */
  void argmax(double[][] logit, double[][] maha, int k, int n, int[] best, double[] max, double[] bestMaha);

  /**
   * Posteriors of n rows from their logits (component j's in {@code logit[j]}) and their maxima (from
   * {@link #argmax}): lse[r] = log sum_j exp(logit_j), resp[j][r] = w[r] exp(logit_j - lse). A row whose
   * maximum is not finite gets resp 0 and lse = its maximum; every row of weight 0 gets resp 0.
   */
  void posteriors(double[][] logit, int k, int n, double[] w, double[] max, double[][] resp, double[] lse);

  /**
   * Centred and weighted columns with their sums: {@code diff} column i = xt column i - shift[i],
   * {@code wd} column i = w * diff column i; the total of w and of every wd column are added to the
   * partial sums at {@code acc[a0]} (statistic 0) and statistic 1 + i (see {@link #addPartials}).
   */
  void centredWeightedSums(double[] xt, int stride, int n, int d, double[] shift, double[] w, double[] diff,
      double[] wd, double[] acc, int a0);

  /** Statistic i of the partial sums from {@code a0} += sum_r wd_ri diff_ri: the diagonal of the weighted scatter. */
  void weightedSquares(double[] wd, double[] diff, int stride, int n, int d, double[] acc, int a0);

  /**
   * The weighted Gram matrix wd^T diff (wd = diag(w) diff), its upper triangle row by row as d(d+1)/2
   * statistics of the partial sums from {@code a0} (entry (i, p), i <= p, is statistic {@link #upper}).
   */
  void weightedGramUpper(double[] wd, double[] diff, int stride, int n, int d, double[] acc, int a0);

  /**
   * {@link #centredWeightedSums} then {@link #weightedGramUpper} into the partial sums from {@code a0}: the
   * total of w, the sums of the weighted centred columns (statistics 1 .. d) and the upper triangle of
   * their Gram matrix (from statistic 1 + d). The Vector API kernels centre and weigh the columns inside
   * each register block of the Gram matrix and never store them (the same operations on every entry, so
   * the same bits); {@code diff} and {@code wd} (d columns each) are scratch for the others.
   */
  default void centredWeightedGram(double[] xt, int stride, int n, int d, double[] shift, double[] w,
      double[] diff, double[] wd, double[] acc, int a0) {
    centredWeightedSums(xt, stride, n, d, shift, w, diff, wd, acc, a0);
    weightedGramUpper(wd, diff, stride, n, d, acc, a0 + (1 + d) * PAD);
  }

  /** Index of entry (i, p), i <= p, of a d x d upper triangle stored row by row. */
  static int upper(int i, int p, int d) {
    return i * d - i * (i - 1) / 2 + (p - i);
  }

  /**
   * The soft statistics are sums over all rows of a block; kernels add each tile's share to {@link #PAD}
   * partial sums per statistic (statistic s at {@code acc[a0 + s * PAD ..]}; a vector kernel keeps one per
   * lane), so a tile costs no reduction across lanes. This adds statistic s's partial sums, in slot order,
   * to {@code out[o0 + s]} for the first {@code count} statistics, and zeroes them for the next block.
   */
  static void addPartials(double[] acc, int a0, int count, double[] out, int o0) {
    for (int s = 0; s < count; s++) {
      int a = a0 + s * PAD;
      double t = 0.0;
      for (int l = 0; l < PAD; l++) {
        t += acc[a + l];
        acc[a + l] = 0.0;
      }
      out[o0 + s] += t;
    }
  }

  /**
   * K-means' nearest centre of every row of the tile by the expanded form of the squared distance,
   * ||u - c||^2 = ||u||^2 - 2 u.c + ||c||^2, as one small matrix product of the tile (n x d) with the
   * centres (k x d, row-major in {@code c}, {@code cc[j]} = ||c_j||^2), u being the tile's row less
   * {@code shift} (u_ri = xt_ri - shift[i], rounded). For every row: best[r] = the j with the smallest
   * e_j = cc[j] - 2 u_r.c_j (the first on ties), gap[r] = the second smallest e minus the smallest
   * (infinity when k = 1), and xx[r] = ||u_r||^2. The expanded form cancels, so the caller recomputes
   * exactly the rows whose gap is within the rounding error (see EStep). EStep uses it only for more
   * centres than {@link #fewCentres} ({@link #nearestOfFew} takes fewer, faster and exactly). {@code diff}
   * (d columns) and {@code work} (at least 2n) are scratch.
   */
  void nearestByProducts(double[] xt, int stride, int n, int d, double[] shift, double[] diff, double[] c,
      double[] cc, int k, int[] best, double[] gap, double[] xx, double[] work);

  /**
   * dist[r] = sum_i (xt_ri - c_best[r],i)^2 for the centres c (k x d, row-major), the terms added from i = 0
   * upward and separately rounded, as the row path does, so bitwise its squared distance to that centre.
   * {@code offsets} is scratch of at least n.
   */
  void bestDistances(double[] xt, int stride, int n, int d, double[] c, int[] best, int[] offsets, double[] dist);

  /** The most centres {@link #nearestOfFew} takes (a vector's lanes), at most {@link #PAD}. */
  int fewCentres();

  /**
   * K-means' labels for k <= {@link #fewCentres} centres, by the row path's own operations: for rows
   * {@code row0 .. row0 + n) of the row-major {@code x}, each centre's squared distance sum_i (x_i - c_i)^2
   * (terms from i = 0 upward, separately rounded) and logit logNorm - dist / 2, best[r] = the first centre of
   * the largest logit and dist[r] its distance: the row path's label and distance, bit for bit, with no
   * error bound and no transposed tile. {@code byCoordinate[i * PAD + j]} is centre j's coordinate i;
   * {@code work} is scratch of at least 4 PAD.
   */
  void nearestOfFew(double[] x, int row0, int n, int d, double[] byCoordinate, int k, double logNorm, int[] best,
      double[] dist, double[] work);

  /**
   * K-means' sums: for every row r of nonzero weight, rows in order, sum[q + i] += w[r] (x_ri - shift[q + i])
   * with q = label[r] d, each product and sum separately rounded: the row path's additions to its sums,
   * bitwise. The rows are row-major in {@code x} from row {@code row0}; {@code shift} is k x d row-major.
   * {@code w} null means every row weighs 1 (then w (x - shift) is x - shift exactly).
   */
  void addToLabels(double[] x, int row0, int n, int d, double[] w, int[] label, double[] shift, double[] sum);

  /** Columns of rows {@code row0 .. row0 + n) of the row-major {@code x} (d per row) into {@code xt}. */
  static void toColumns(double[] x, int row0, int n, int d, double[] xt, int stride) {
    // Column by column: contiguous stores and a long inner loop (2-3 ns per row faster at d = 10 than
    // row by row, whose inner loop is only d long).
    for (int i = 0; i < d; i++) {
      int o = i * stride;
      int src = row0 * d + i;
      for (int r = 0; r < n; r++) {
        xt[o + r] = x[src + r * d];
      }
    }
  }
}
