package dev.latent.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output folder written atomically: everything goes into a hidden staging folder beside the target,
 * {@code _SUCCESS} is written last, and the staging folder is renamed into place. A failed run leaves no
 * half-written target, and an earlier run's output stays intact until the new one is complete. Use it in
 * try-with-resources: closing an uncommitted folder removes the staging folder, whatever the failure
 * (Spark's SparkException is a checked exception that Scala code throws undeclared, so a
 * {@code catch (RuntimeException)} would miss it).
 *
 * <p>{@code --overwrite} replaces only a folder that Latent wrote itself: one with {@code _SUCCESS}, a
 * summary (or inspect) file of Latent's format, and nothing else at its top level but what Latent wrote
 * there. {@code _SUCCESS} lists those entries, one a line after a first line {@value #MANIFEST}; for
 * outputs of earlier versions, whose {@code _SUCCESS} is empty, the entries they could hold are
 * {@link #EARLIER_ENTRIES}. An empty folder holds nothing to lose and is replaced too. Any other folder (a typo such as {@code --output ~}, a table's folder) is
 * refused and left untouched.
 */
public final class OutputDir implements AutoCloseable {
  public static final String SUCCESS = "_SUCCESS";
  /** The first line of {@code _SUCCESS}; the entries written follow. */
  static final String MANIFEST = "latent output";
  /** What an output of a Latent that wrote an empty {@code _SUCCESS} held at its top level. */
  static final Set<String> EARLIER_ENTRIES = Set.of("model.json", "summary.json", "assignments", "samples");
  /** Summary and inspect files are small; a larger file is not one of ours and is not read. */
  private static final long MAX_SUMMARY_BYTES = 64L << 20;

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private boolean committed;
  /** The top-level entries written, for the manifest in {@code _SUCCESS}. */
  private final Set<String> entries = new LinkedHashSet<>();

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
        throw new OutputException("output " + dir + " exists and is a file, not a folder: --overwrite replaces"
            + " only a folder Latent wrote, so it is left untouched");
      }
      if (fs.exists(target)) {
        refuseUnlessOurs(fs, target, dir);
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
    entries.add(topLevel(name));
    return new Path(staging, name).toString();
  }

  public void writeText(String name, String text) {
    entries.add(topLevel(name));
    try (OutputStream out = unchecked(fs).create(new Path(staging, name), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException | FSError e) {
      // Hadoop's local file system reports a full disk as FSError, an Error.
      throw new OutputException(failed(name, e), e);
    }
  }

  /**
   * Runs a writer (a Spark job) that writes entry {@code name} at the path it is given, and turns a
   * failure to store the bytes (a full disk, a quota) into an {@link OutputException} naming the output.
   */
  public <T> T save(String name, java.util.function.Function<String, T> writer) {
    String path = staged(name);
    try {
      return writer.apply(path);
    } catch (Throwable t) {
      // SparkException is checked but thrown undeclared by Scala code, hence Throwable (rethrown as is).
      if (OutputException.spaceProblem(t) != null) {
        throw new OutputException(failed(name, t), t);
      }
      throw t;
    }
  }

  private String failed(String name, Throwable e) {
    String why = OutputException.spaceProblem(e);
    return "cannot write " + name + " of output " + target() + ": " + (why != null ? why : e.getMessage())
        + "; nothing was left in its place"
        + (overwrite ? " and an earlier output there is untouched" : "");
  }

  /** Writes {@code _SUCCESS} and moves the staging folder to the target (replacing it with --overwrite). */
  public void commit() {
    try {
      StringBuilder manifest = new StringBuilder(MANIFEST).append('\n');
      for (String e : entries) {
        manifest.append(e).append('\n');
      }
      writeText(SUCCESS, manifest.toString());
      Path old = null;
      if (fs.exists(target)) {
        if (!overwrite) {
          committed = true; // the new output stays in the staging folder, as the message says
          throw new OutputException("output " + target + " appeared while the job ran; the new output is left in "
              + staging);
        }
        // Checked again: something may have been put into the folder while the job ran.
        refuseUnlessOurs(fs, target, target());
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

  /**
   * The file system to write small files through: for local disks the raw one, without Hadoop's .crc
   * side files, because its checksummed stream leaves the file open when a close fails for want of
   * space (a full disk would then hold the space until the JVM ends). Local disks and HDFS keep their
   * own integrity checks.
   */
  static FileSystem unchecked(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  private static String topLevel(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? name : name.substring(0, slash);
  }

  /**
   * Throws unless {@code dir} is a folder Latent wrote (see the class comment), naming what says it is
   * not. Hadoop's hidden checksum files ({@code .name.crc}) of the entries are part of them.
   */
  static void refuseUnlessOurs(FileSystem fs, Path dir, String shown) throws IOException {
    String refused = "output " + shown + " is not a folder Latent wrote, so --overwrite leaves it untouched: ";
    if (fs.listStatus(dir).length == 0) {
      return; // an empty folder (made for the output beforehand) holds nothing to lose
    }
    Path success = new Path(dir, SUCCESS);
    if (!fs.isFile(success)) {
      throw new OutputException(refused + "it has no " + SUCCESS + " (choose another --output, or remove it"
          + " yourself)");
    }
    Set<String> allowed = new LinkedHashSet<>(List.of(SUCCESS));
    String manifest = read(fs, success, 1 << 20);
    if (manifest == null || manifest.isBlank()) {
      allowed.addAll(EARLIER_ENTRIES);
    } else if (manifest.startsWith(MANIFEST + "\n")) {
      allowed.addAll(List.of(manifest.substring(MANIFEST.length() + 1).split("\n")));
    } else {
      throw new OutputException(refused + "its " + SUCCESS + " is not Latent's (choose another --output, or"
          + " remove it yourself)");
    }
    List<String> foreign = new ArrayList<>();
    boolean summary = false;
    for (FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName();
      boolean checksum = name.startsWith(".") && name.endsWith(".crc")
          && allowed.contains(name.substring(1, name.length() - 4));
      if (!allowed.contains(name) && !checksum) {
        foreign.add(name);
      } else if (f.isFile() && name.endsWith(".json") && !name.equals("model.json")) {
        summary |= isSummary(fs, f);
      }
    }
    if (!foreign.isEmpty()) {
      throw new OutputException(refused + "it holds " + String.join(", ", foreign.subList(0, Math.min(5,
          foreign.size()))) + (foreign.size() > 5 ? " and " + (foreign.size() - 5) + " more" : "")
          + ", which Latent did not write (choose another --output, or move them away yourself)");
    }
    if (!summary) {
      throw new OutputException(refused + "it has no summary or inspect file of Latent's format (choose another"
          + " --output, or remove it yourself)");
    }
  }

  /** A summary or inspect file: JSON whose "format" is one of Latent's (latent-...), other than a model. */
  private static boolean isSummary(FileSystem fs, FileStatus f) {
    if (f.getLen() > MAX_SUMMARY_BYTES) {
      return false;
    }
    try {
      String text = read(fs, f.getPath(), MAX_SUMMARY_BYTES);
      JsonNode root = text == null ? null : ModelJson.JSON.readTree(text);
      String format = root == null ? "" : root.path("format").asText("");
      return format.startsWith("latent-") && !format.equals(ModelJson.FORMAT);
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(FileSystem fs, Path p, long limit) throws IOException {
    if (fs.getFileStatus(p).getLen() > limit) {
      return null;
    }
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
