package dev.latent.spark;

import dev.latent.config.SampleOptions;
import dev.latent.em.MixtureSampler;
import dev.latent.io.InputException;
import dev.latent.io.ModelStore;
import dev.latent.io.OutputDir;
import dev.latent.io.SummaryJson;
import dev.latent.io.UsageException;
import dev.latent.mixture.Mixture;
import dev.latent.model.MixtureModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@code latent sample}: draws n rows from a fitted Gaussian mixture on the executors. Row i is drawn from
 * (seed, i) alone (see {@link MixtureSampler}), so the rows do not depend on how many partitions draw
 * them; part files keep the row order, each with the header (the features, then the component).
 */
public final class SampleJob {
  private SampleJob() {}

  /** Name of the column that holds each row's component (suffixed with _ if a feature has that name). */
  static String componentColumn(List<String> features) {
    String name = "component";
    while (features.contains(name)) {
      name += "_";
    }
    return name;
  }

  public static String run(JavaSparkContext jsc, SampleOptions o) {
    Configuration conf = jsc.hadoopConfiguration();
    MixtureModel model = ModelStore.read(conf, o.model());
    // A vbgmm draws from its weights_, means_ and covariances_, as scikit-learn's sample() does.
    if (!model.kind().gaussian()) {
      throw new UsageException("sample needs a Gaussian mixture: " + o.model()
          + " is a K-means model, which has no covariances to draw from");
    }
    MixtureSampler sampler;
    try {
      sampler = MixtureSampler.of(model.toMixture());
    } catch (Mixture.DegenerateComponentException e) {
      throw new InputException(o.model() + ": " + e.getMessage());
    }
    OutputDir out = OutputDir.prepare(conf, o.output(), o.overwrite());
    // try-with-resources removes the staging folder on any failure, SparkException included.
    try (out) {
      int parts = (int) Math.max(1, Math.min(o.n(), o.partitions() > 0 ? o.partitions() : jsc.defaultParallelism()));
      List<long[]> ranges = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        ranges.add(new long[] {o.n() * p / parts, o.n() * (p + 1) / parts});
      }
      String header = String.join(",", model.features()) + "," + componentColumn(model.features());
      long seed = o.seed();
      Broadcast<MixtureSampler> b = jsc.broadcast(sampler);
      try {
        out.save("samples", path -> {
          jsc.parallelize(ranges, parts)
              .mapPartitions(it -> new Rows(header, it, b.value(), seed))
              .saveAsTextFile(path);
          return path;
        });
      } finally {
        b.destroy();
      }
      List<String> columns = new ArrayList<>(model.features());
      columns.add(componentColumn(model.features()));
      out.writeText("summary.json", SummaryJson.sample(o.model(), o.n(), seed, parts, columns));
      out.commit();
      return out.target();
    }
  }

  /** The header, then rows start..end-1 of each range, drawn lazily. */
  private static final class Rows implements Iterator<String> {
    private final Iterator<long[]> ranges;
    private final MixtureSampler sampler;
    private final long seed;
    private final double[] z;
    private final double[] x;
    private String header;
    private long next;
    private long end;

    Rows(String header, Iterator<long[]> ranges, MixtureSampler sampler, long seed) {
      this.header = header;
      this.ranges = ranges;
      this.sampler = sampler;
      this.seed = seed;
      this.z = new double[sampler.dimension() + 1];
      this.x = new double[sampler.dimension()];
    }

    @Override
    public boolean hasNext() {
      while (header == null && next >= end && ranges.hasNext()) {
        long[] r = ranges.next();
        next = r[0];
        end = r[1];
      }
      return header != null || next < end;
    }

    @Override
    public String next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (header != null) {
        String h = header;
        header = null;
        return h;
      }
      int j = sampler.draw(seed, next++, z, x);
      StringBuilder s = new StringBuilder(24 * (x.length + 1));
      for (double v : x) {
        s.append(v).append(',');
      }
      return s.append(j).toString();
    }
  }
}
