package dev.latent.math;

import java.util.Arrays;

/**
 * Minimum-cost assignment (the Hungarian method, Kuhn 1955 and Munkres 1957) in the shortest augmenting
 * path form with row and column potentials, O(n^2 m) for an n x m cost matrix with n <= m.
 *
 * <p>Rows are added one at a time; each addition grows a tree of tight edges (reduced cost zero) from the
 * new row by Dijkstra's rule on reduced costs, shifts the potentials by the smallest slack so that
 * reduced costs stay non-negative, and flips the matching along the path found. The potentials are a
 * feasible dual throughout, so the final matching is optimal (complementary slackness).
 */
public final class Hungarian {
  private Hungarian() {}

  /**
   * For cost[n][m], the column given to each row: a minimum total cost assignment of distinct columns
   * when n <= m, and of distinct rows to the columns when n > m (then some rows get -1).
   */
  public static int[] assign(double[][] cost) {
    int n = cost.length;
    if (n == 0) {
      return new int[0];
    }
    int m = cost[0].length;
    for (double[] row : cost) {
      if (row.length != m) {
        throw new IllegalArgumentException("the cost matrix is ragged");
      }
      for (double c : row) {
        if (!Double.isFinite(c)) {
          throw new IllegalArgumentException("costs must be finite, got " + c);
        }
      }
    }
    if (n <= m) {
      return assignRows(cost, n, m);
    }
    // More rows than columns: solve the transposed problem and invert it.
    double[][] t = new double[m][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        t[j][i] = cost[i][j];
      }
    }
    int[] colToRow = assignRows(t, m, n);
    int[] out = new int[n];
    Arrays.fill(out, -1);
    for (int j = 0; j < m; j++) {
      out[colToRow[j]] = j;
    }
    return out;
  }

  /** Total cost of an assignment from {@link #assign} (rows given -1 add nothing). */
  public static double total(double[][] cost, int[] assignment) {
    double s = 0.0;
    for (int i = 0; i < assignment.length; i++) {
      if (assignment[i] >= 0) {
        s += cost[i][assignment[i]];
      }
    }
    return s;
  }

  /** n <= m. Column index m is a virtual column that holds the row being added. */
  private static int[] assignRows(double[][] cost, int n, int m) {
    double[] rowPot = new double[n];
    double[] colPot = new double[m + 1];
    int[] owner = new int[m + 1];      // row matched to column j, or -1
    int[] parent = new int[m + 1];     // previous column on the shortest path tree
    double[] slack = new double[m + 1];
    boolean[] inTree = new boolean[m + 1];
    Arrays.fill(owner, -1);
    int root = m;
    for (int row = 0; row < n; row++) {
      owner[root] = row;
      Arrays.fill(slack, Double.POSITIVE_INFINITY);
      Arrays.fill(inTree, false);
      int col = root;
      do {
        inTree[col] = true;
        int i = owner[col];
        double delta = Double.POSITIVE_INFINITY;
        int nextCol = -1;
        for (int j = 0; j < m; j++) {
          if (inTree[j]) {
            continue;
          }
          double reduced = cost[i][j] - rowPot[i] - colPot[j];
          if (reduced < slack[j]) {
            slack[j] = reduced;
            parent[j] = col;
          }
          if (slack[j] < delta) {
            delta = slack[j];
            nextCol = j;
          }
        }
        // Raise the tree's rows and lower its columns by delta: tree edges stay tight, one more becomes tight.
        for (int j = 0; j <= m; j++) {
          if (inTree[j]) {
            rowPot[owner[j]] += delta;
            if (j != root) {
              colPot[j] -= delta;
            }
          } else {
            slack[j] -= delta;
          }
        }
        col = nextCol;
      } while (owner[col] >= 0);
      // Flip the matching along the path from the free column back to the root.
      while (col != root) {
        int prev = parent[col];
        owner[col] = owner[prev];
        col = prev;
      }
      owner[root] = -1;
    }
    int[] out = new int[n];
    for (int j = 0; j < m; j++) {
      if (owner[j] >= 0) {
        out[owner[j]] = j;
      }
    }
    return out;
  }
}
