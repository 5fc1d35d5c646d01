package dev.latent.io;

import dev.latent.model.MixtureModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads model files from any Hadoop file system (local paths included). */
public final class ModelStore {
  /** Model files are small; a larger file is not a model and is refused before it fills memory. */
  private static final long MAX_BYTES = 256L << 20;

  private ModelStore() {}

  public static MixtureModel read(Configuration conf, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new InputException(path + ": no such model file");
      }
      if (fs.getFileStatus(p).isDirectory()) {
        Path inner = new Path(p, "model.json");
        if (!fs.exists(inner)) {
          throw new InputException(path + ": is a folder without model.json");
        }
        p = inner;
      }
      long len = fs.getFileStatus(p).getLen();
      if (len > MAX_BYTES) {
        throw new InputException(path + ": " + len + " bytes is too large for a model file");
      }
      try (InputStream in = fs.open(p)) {
        return ModelJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), p.toString());
      }
    } catch (IOException e) {
      throw new InputException(path + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }
}
