package dev.latent.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output folder written atomically: everything goes into a hidden staging folder beside the target,
 * {@code _SUCCESS} is written last, and the staging folder is renamed into place. A failed run leaves no
 * half-written target, and an earlier run's output stays intact until the new one is complete. Use it in
 * try-with-resources: closing an uncommitted folder removes the staging folder, whatever the failure
 * (Spark's SparkException is a checked exception that Scala code throws undeclared, so a
 * {@code catch (RuntimeException)} would miss it).
 */
public final class OutputDir implements AutoCloseable {
  public static final String SUCCESS = "_SUCCESS";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private boolean committed;

  private OutputDir(FileSystem fs, Path target, Path staging, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.overwrite = overwrite;
  }

  /** Checks the target before any work is done, and creates the staging folder. */
  public static OutputDir prepare(Configuration conf, String dir, boolean overwrite) {
    try {
      Path target = new Path(dir);
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      if (fs.exists(target) && !overwrite) {
        throw new OutputException("output " + dir + " already exists (use --overwrite to replace it)");
      }
      if (fs.exists(target) && !fs.getFileStatus(target).isDirectory()) {
        throw new OutputException("output " + dir + " exists and is a file, not a folder");
      }
      Path staging = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
      if (!fs.mkdirs(staging)) {
        throw new OutputException("cannot create " + staging);
      }
      return new OutputDir(fs, target, staging, overwrite);
    } catch (IOException e) {
      throw new OutputException("cannot prepare output " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Path of an entry inside the staging folder (for Spark's writers). */
  public String staged(String name) {
    return new Path(staging, name).toString();
  }

  public void writeText(String name, String text) {
    try (OutputStream out = fs.create(new Path(staging, name), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new OutputException("cannot write " + name + " into " + staging + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code _SUCCESS} and moves the staging folder to the target (replacing it with --overwrite). */
  public void commit() {
    try {
      writeText(SUCCESS, "");
      Path old = null;
      if (fs.exists(target)) {
        if (!overwrite) {
          committed = true; // the new output stays in the staging folder, as the message says
          throw new OutputException("output " + target + " appeared while the job ran; the new output is left in "
              + staging);
        }
        old = new Path(target.getParent(), "." + target.getName() + ".old-" + UUID.randomUUID());
        if (!fs.rename(target, old)) {
          throw new OutputException("cannot move the old output " + target + " aside");
        }
      }
      if (!fs.rename(staging, target)) {
        if (old != null) {
          fs.rename(old, target);
        }
        throw new OutputException("cannot rename " + staging + " to " + target);
      }
      committed = true;
      if (old != null) {
        fs.delete(old, true);
      }
    } catch (IOException e) {
      throw new OutputException("cannot commit output " + target + ": " + e.getMessage(), e);
    }
  }

  /** Removes the staging folder after a failure; the target is untouched. */
  public void abort() {
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      // Nothing more to do: the staging folder is hidden and named as such.
    }
  }

  /** Removes the staging folder unless the output was committed. */
  @Override
  public void close() {
    if (!committed) {
      abort();
    }
  }

  /** The target as a user wrote it: a plain path for local files, the full URI otherwise. */
  public String target() {
    return "file".equals(target.toUri().getScheme()) ? target.toUri().getPath() : target.toString();
  }
}
