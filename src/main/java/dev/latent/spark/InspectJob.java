package dev.latent.spark;

import dev.latent.config.InspectOptions;
import dev.latent.diagnostics.Inspection;
import dev.latent.diagnostics.MixtureDivergence;
import dev.latent.diagnostics.Moments;
import dev.latent.diagnostics.MonteCarloKl;
import dev.latent.io.InputException;
import dev.latent.io.InspectJson;
import dev.latent.io.ModelStore;
import dev.latent.io.OutputDir;
import dev.latent.mixture.Mixture;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@code latent inspect}: the KL divergences and Bhattacharyya overlaps between a model's components,
 * and with {@code --against} the divergence between two models, written to {@code DIR/inspect.json}
 * atomically. The Monte Carlo rows are drawn on the executors, row i from (seed, i) as
 * {@code latent sample} draws it; each partition returns the moments of its log-ratios only.
 */
public final class InspectJob {
  private InspectJob() {}

  /** Where the file went, what it says, and the same as a table for the terminal. */
  public record Outcome(String output, Inspection inspection, String table) {}

  public static Outcome run(JavaSparkContext jsc, InspectOptions o) {
    Configuration conf = jsc.hadoopConfiguration();
    MixtureModel a = densityModel(conf, o.model());
    MixtureModel b = null;
    if (o.against() != null) {
      b = densityModel(conf, o.against());
      if (!a.features().equals(b.features())) {
        throw new InputException(o.against() + ": the model's features " + b.features() + " differ from "
            + o.model() + "'s " + a.features() + ": their densities are not on the same space");
      }
    }
    OutputDir out = OutputDir.prepare(conf, o.output(), o.overwrite());
    try (out) {
      Mixture ma = mixture(a, o.model());
      Inspection.Against against = null;
      if (b != null) {
        Mixture mb = mixture(b, o.against());
        Inspection.Against reverse = Inspection.between(mb.weights(), mb.means(), full(mb), ma.weights(),
            ma.means(), full(ma), monteCarlo(jsc, mb, ma, o, o.against()), null);
        against = Inspection.between(ma.weights(), ma.means(), full(ma), mb.weights(), mb.means(), full(mb),
            monteCarlo(jsc, ma, mb, o, o.model()), reverse);
      }
      Inspection i = Inspection.of(ma.weights(), ma.means(), full(ma), against);
      out.writeText("inspect.json", InspectJson.write(i, o.model(), o.against()));
      out.commit();
      return new Outcome(out.target(), i, table(i, o, a));
    }
  }

  /** Reads a model with densities: a Gaussian mixture of any covariance type (or any model read as one). */
  private static MixtureModel densityModel(Configuration conf, String path) {
    MixtureModel m = ModelStore.read(conf, path);
    if (m.kind() == ModelKind.KMEANS) {
      throw new InputException(path + ": a K-means model has no densities (no covariances), so it has no KL"
          + " divergence; inspect needs a Gaussian mixture");
    }
    return m;
  }

  /**
   * The model's density as its weights, means and covariances say (for a vbgmm: scikit-learn's
   * weights_, means_ and covariances_, not the variational scoring mixture).
   */
  private static Mixture mixture(MixtureModel m, String path) {
    try {
      return Mixture.of(m.covariance(), m.weights(), m.means(), m.covariances());
    } catch (Mixture.DegenerateComponentException e) {
      throw new InputException(path + ": " + e.getMessage());
    }
  }

  private static double[][] full(Mixture m) {
    return MixtureDivergence.fullCovariances(m);
  }

  /** KL(P || Q) by Monte Carlo: N rows drawn from P on the executors, in fixed ranges of row indices. */
  private static Inspection.MonteCarlo monteCarlo(JavaSparkContext jsc, Mixture p, Mixture q, InspectOptions o,
      String pPath) {
    MonteCarloKl mc;
    try {
      mc = new MonteCarloKl(p, q);
    } catch (Mixture.DegenerateComponentException e) {
      throw new InputException(pPath + ": " + e.getMessage());
    }
    long n = o.samples();
    int parts = (int) Math.max(1, Math.min(n, o.partitions() > 0 ? o.partitions() : jsc.defaultParallelism()));
    List<long[]> ranges = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      ranges.add(new long[] {n * i / parts, n * (i + 1) / parts});
    }
    long seed = o.seed();
    Broadcast<MonteCarloKl> b = jsc.broadcast(mc);
    try {
      // One Moments (three numbers) per partition, merged in partition order on the driver.
      List<Moments> byPartition = jsc.parallelize(ranges, parts).map(r -> b.value().rows(seed, r[0], r[1])).collect();
      Moments all = new Moments();
      for (Moments m : byPartition) {
        all.merge(m);
      }
      return Inspection.MonteCarlo.of(all, seed);
    } finally {
      b.destroy();
    }
  }

  /** The matrices and the divergences as text. */
  static String table(Inspection i, InspectOptions o, MixtureModel a) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%s: %d components, %d features%n", o.model(), i.k(), a.d()));
    matrix(s, "KL(N_i || N_j), row i, column j", i.kl());
    matrix(s, "symmetric KL", i.symmetricKl());
    matrix(s, "Bhattacharyya distance D_B", i.bhattacharyya());
    matrix(s, "overlap bound sqrt(w_i w_j) exp(-D_B) on the Bayes error between i and j", i.overlapBound());
    if (i.against() != null) {
      s.append(String.format(Locale.ROOT, "%nagainst %s:%n", o.against()));
      divergences(s, "KL(A || B)", i.against());
      divergences(s, "KL(B || A)", i.against().reverse());
    }
    return s.toString();
  }

  private static void divergences(StringBuilder s, String what, Inspection.Against a) {
    Inspection.MonteCarlo mc = a.monteCarlo();
    s.append(String.format(Locale.ROOT,
        "  %s  variational %.6g  matched bound %.6g  Monte Carlo %.6g +- %.2g (%d samples, seed %d)%n", what,
        a.klVariational(), a.klMatchedBound(), mc.estimate(), mc.standardError(), mc.samples(), mc.seed()));
  }

  private static void matrix(StringBuilder s, String title, double[][] m) {
    s.append(String.format(Locale.ROOT, "%n%s%n%6s", title, ""));
    for (int j = 0; j < m.length; j++) {
      s.append(String.format(Locale.ROOT, " %11d", j));
    }
    s.append(System.lineSeparator());
    for (int r = 0; r < m.length; r++) {
      s.append(String.format(Locale.ROOT, "%6d", r));
      for (double v : m[r]) {
        s.append(String.format(Locale.ROOT, " %11.5g", v));
      }
      s.append(System.lineSeparator());
    }
  }
}
