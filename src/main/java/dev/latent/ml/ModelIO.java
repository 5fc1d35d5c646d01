package dev.latent.ml;

import dev.latent.io.ModelJson;
import dev.latent.io.ModelStore;
import dev.latent.model.MixtureModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * A model folder: Spark's metadata (class, uid, params: what {@code PipelineModel.load} reads) and
 * {@code model.json}, Latent's versioned model file, which {@code latent fit --init/--align-to} and
 * {@code latent predict --model} read from the folder.
 */
final class ModelIO {
  private ModelIO() {}

  static final class Writer extends MLWriter {
    private final Params stage;
    private final MixtureModel model;

    Writer(Params stage, MixtureModel model) {
      this.stage = stage;
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(stage, path, sparkSession());
      Path file = new Path(path, "model.json");
      try {
        FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
        try (OutputStream out = fs.create(file, true)) {
          out.write(ModelJson.write(model).getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }

  static final class Reader<M extends Params> extends MLReader<M> {
    private final Class<M> type;
    private final BiFunction<String, MixtureModel, M> make;

    Reader(Class<M> type, BiFunction<String, MixtureModel, M> make) {
      this.type = type;
      this.make = make;
    }

    @Override
    public M load(String path) {
      DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(), type.getName());
      M m = make.apply(meta.uid(), ModelStore.read(sc().hadoopConfiguration(), path));
      meta.getAndSetParams(m, Option.empty());
      return m;
    }
  }
}
