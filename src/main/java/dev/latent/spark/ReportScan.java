package dev.latent.spark;

import dev.latent.em.AssignmentProfile;
import dev.latent.em.ColumnStats;
import dev.latent.em.DataBlock;
import dev.latent.em.RowRandom;
import dev.latent.em.SampleTask;
import dev.latent.em.TopRows;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.mixture.Posterior;
import dev.latent.model.MixtureModel;
import dev.latent.report.ReportData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The report's one extra scan over the cached blocks under the final model: a sample of at most
 * {@link ReportData#SAMPLE_ROWS} rows and the uncertainty histogram over all rows, merged by
 * treeAggregate, so the driver receives O(sample d + bins) numbers whatever n is. The sampled rows are
 * then scored on the driver (cluster and largest responsibility), as the executors would.
 */
public final class ReportScan {
  /** The step that separates the report's draw from every seeding draw of the same seed. */
  private static final long STEP = 0x5245504f5254L;

  private ReportScan() {}

  public static ReportData run(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, MixtureModel model, long seed,
      ColumnStats columns, int depth) {
    Mixture mixture;
    try {
      mixture = model.toMixture();
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalStateException("the fitted model cannot score rows: " + e.getMessage(), e);
    }
    boolean soft = model.kind() != ModelKind.KMEANS;
    int d = mixture.d;
    SampleTask draw = new SampleTask(new double[0][], RowRandom.mix(seed ^ STEP), STEP, ReportData.SAMPLE_ROWS);
    Broadcast<Mixture> b = jsc.broadcast(mixture);
    AssignmentProfile p;
    try {
      p = blocks.treeAggregate(new AssignmentProfile(ReportData.SAMPLE_ROWS, d, soft),
          (acc, block) -> acc.add(block, draw, b.value()), AssignmentProfile::merge, depth);
    } finally {
      b.destroy();
    }
    TopRows s = p.sample;
    int[] order = s.order();
    double[][] x = new double[order.length][];
    int[] cluster = new int[order.length];
    double[] maxResp = soft ? new double[order.length] : null;
    Posterior post = new Posterior(mixture);
    for (int i = 0; i < order.length; i++) {
      x[i] = s.row(order[i]);
      cluster[i] = post.score(x[i], 0);
      if (soft) {
        maxResp[i] = post.probabilities()[cluster[i]];
      }
    }
    return new ReportData(seed, columns.rows, columns.mean(), columns.covariance(0), x, cluster, maxResp,
        soft ? AssignmentProfile.edges(mixture.k) : null, p.uncertainty);
  }
}
