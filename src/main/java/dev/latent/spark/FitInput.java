package dev.latent.spark;

import dev.latent.config.FitOptions;
import dev.latent.em.Distance;
import dev.latent.em.Scaling;
import dev.latent.io.InputSchema;
import dev.latent.io.OutputDir;
import dev.latent.mixture.Mixture;
import dev.latent.model.MixtureModel;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The input of {@code latent fit}: CSV through Latent's own reader (line numbers in every message), or
 * Parquet, ORC and JSON lines through Spark's data sources ({@code --format}, auto by extension). Either
 * becomes the same cached blocks, with row keys by position in the input, so the same rows in the same
 * order give the same fit in every format.
 */
abstract class FitInput implements AutoCloseable {
  /** The feature columns, in the order of the model's coordinates. */
  abstract List<String> features();

  /** The input files, as the model's provenance and checkpoints record them. */
  abstract List<String> files();

  /**
   * Reads, checks and caches the rows (once); {@code slots} above 0 asks for that many partitions (the
   * barrier engine's task slots) when the user did not set --partitions, 0 for the input's own split.
   */
  abstract MixtureFit.Data load(FitOptions o, int slots);

  /**
   * Every input row with its cluster (GMMs: and p0..p{K-1}) into {@code out}'s assignments folder, scored by
   * {@code model}; {@code scaling} is the units the fit ran in (a fit of extreme values scores its rows in
   * them, see em/Scaling).
   */
  abstract void writeAssignments(JavaSparkContext jsc, FitOptions o, MixtureModel model, Scaling scaling,
      boolean soft, OutputDir out);

  /** The mixture that scores rows in {@code scaling}'s units. */
  static Mixture scoring(MixtureModel model, Scaling scaling) {
    try {
      return FitUnits.scoring(model, scaling);
    } catch (Mixture.DegenerateComponentException e) {
      throw new IllegalStateException("the fitted model cannot score rows: " + e.getMessage(), e);
    }
  }

  static FitInput open(JavaSparkContext jsc, FitOptions o) {
    String format = SourceInput.formatOf(jsc.hadoopConfiguration(), o.input(), o.format());
    return format.equals("csv") ? new Csv(jsc, o) : new Source(jsc, o, format);
  }

  @Override
  public abstract void close();

  /** CSV through io/ and InputData. */
  static final class Csv extends FitInput {
    private final JavaSparkContext jsc;
    private final InputFiles files;
    private final InputSchema schema;
    private InputData data;

    Csv(JavaSparkContext jsc, FitOptions o) {
      this.jsc = jsc;
      this.files = InputFiles.resolve(jsc.hadoopConfiguration(), o.input(), o.delimiter());
      this.schema = InputSchema.resolve(files.name(0), files.header(), o.features(), o.exclude(), o.weightCol(),
          o.initLabels(), o.delimiter());
    }

    @Override
    List<String> features() {
      return List.of(schema.featureNames);
    }

    @Override
    List<String> files() {
      return files.files();
    }

    @Override
    MixtureFit.Data load(FitOptions o, int slots) {
      data = InputData.load(jsc, files, schema, o.k(), o.partitions(), o.aggregationDepth(),
          o.distance() == Distance.COSINE, o.skipBadRows(), o.partitions() > 0 ? 0 : slots);
      return new MixtureFit.Data(data.blocks, schema.dimension(), data.columns, data.skipped);
    }

    @Override
    void writeAssignments(JavaSparkContext jsc, FitOptions o, MixtureModel model, Scaling scaling, boolean soft,
        OutputDir out) {
      Mixture mixture = scoring(model, scaling);
      Assignments.Scoring scoring = Assignments.Scoring.forFit(soft, o.distance() == Distance.COSINE)
          .skippingBadRows(o.skipBadRows()).scaledBy(scaling.factor());
      if (o.outputFormat().equals("parquet")) {
        String csv = out.save(".assignments-csv", path -> {
          writeCsv(jsc, mixture, scoring, o, path);
          return path;
        });
        out.save("assignments", path -> {
          SourceInput.csvToParquet(jsc, csv, features(), path);
          return path;
        });
      } else {
        out.save("assignments", path -> {
          writeCsv(jsc, mixture, scoring, o, path);
          return path;
        });
      }
    }

    /** Beside the cached rows of the load (no line parsed twice), else reading the input anew. */
    private void writeCsv(JavaSparkContext jsc, Mixture mixture, Assignments.Scoring scoring, FitOptions o,
        String path) {
      if (data != null) {
        Assignments.write(jsc, data, mixture, scoring, path);
      } else {
        Assignments.write(jsc, files, schema, mixture, scoring, o.partitions(), path);
      }
    }

    @Override
    public void close() {
      if (data != null) {
        data.close();
      }
    }
  }

  /** Parquet, ORC or JSON through SourceInput and FrameInput. */
  static final class Source extends FitInput {
    private final SourceInput source;
    private final List<String> features;
    private final String weight;
    private final String label;
    private FrameInput data;

    Source(JavaSparkContext jsc, FitOptions o, String format) {
      this.source = SourceInput.open(jsc, o.input(), format);
      this.weight = o.weightCol();
      this.label = o.initLabels();
      this.features = source.features(o.features(), o.exclude(), weight, label);
    }

    @Override
    List<String> features() {
      return features;
    }

    @Override
    List<String> files() {
      return source.files;
    }

    @Override
    MixtureFit.Data load(FitOptions o, int slots) {
      data = source.load(features, weight, label, o.k(), o.distance() == Distance.COSINE, o.skipBadRows(),
          o.partitions(), o.aggregationDepth());
      return new MixtureFit.Data(data.blocks, data.d, data.columns, data.skipped);
    }

    @Override
    void writeAssignments(JavaSparkContext jsc, FitOptions o, MixtureModel model, Scaling scaling, boolean soft,
        OutputDir out) {
      // Rows from a data source are scored in the data's units (extreme-value scaling is CSV's for now).
      Mixture mixture = scoring(model, Scaling.NONE);
      out.save("assignments", path -> {
        source.writeAssignments(mixture, features, new SourceInput.Scoring(soft, false,
            o.distance() == Distance.COSINE, o.skipBadRows()), null, o.outputFormat(), path);
        return path;
      });
    }

    @Override
    public void close() {
      if (data != null) {
        data.close();
      }
    }
  }
}
