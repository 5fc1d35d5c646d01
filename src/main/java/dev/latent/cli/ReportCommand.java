package dev.latent.cli;

import dev.latent.io.InputException;
import dev.latent.io.ModelJson;
import dev.latent.io.OutputException;
import dev.latent.model.MixtureModel;
import dev.latent.report.ReportData;
import dev.latent.report.ReportDataJson;
import dev.latent.report.Reports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code latent report --run DIR [--output FILE]}: the report of a finished fit drawn again from the files
 * of its folder (any Hadoop file system), written under a temporary name and moved into place.
 */
final class ReportCommand {
  /** The files read are small; a larger one is not ours and is refused before it fills memory. */
  private static final long MAX_BYTES = 256L << 20;

  private ReportCommand() {}

  /** Renders the report of the finished folder {@code dir} into {@code output} (default DIR/report.html). */
  static String rerender(Configuration conf, String dir, String output) {
    Path run = new Path(dir);
    String summaryText = read(conf, new Path(run, "summary.json"), true);
    String modelText = read(conf, new Path(run, "model.json"), true);
    String dataText = read(conf, new Path(run, ReportDataJson.FILE), false);
    MixtureModel model = ModelJson.read(modelText, new Path(run, "model.json").toString());
    ReportData data = dataText == null ? null : ReportDataJson.read(dataText, new Path(run, ReportDataJson.FILE)
        .toString());
    String html = Reports.html(summaryText, model, data);
    Path target = output == null ? new Path(run, Reports.HTML) : new Path(output);
    replace(conf, target, html);
    return target.toString();
  }

  private static String read(Configuration conf, Path p, boolean required) {
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        if (required) {
          throw new InputException(p.getParent() + ": no " + p.getName() + " (is it the output folder of latent fit?)");
        }
        return null;
      }
      if (fs.getFileStatus(p).getLen() > MAX_BYTES) {
        throw new InputException(p + ": too large for a " + p.getName());
      }
      try (InputStream in = fs.open(p)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new InputException(p + ": cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Writes {@code text} under a hidden temporary name beside {@code target}, then moves it into place: an
   * atomic replace on local disks; elsewhere (HDFS renames do not replace) the old file is removed first.
   */
  static void replace(Configuration conf, Path target, String text) {
    try {
      FileSystem fs = target.getFileSystem(conf);
      Path parent = target.getParent();
      if (parent != null && !fs.exists(parent)) {
        throw new OutputException("cannot write " + target + ": the folder " + parent + " does not exist");
      }
      Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
      if (fs instanceof LocalFileSystem local) {
        java.nio.file.Path to = local.pathToFile(target).toPath();
        java.nio.file.Path from = local.pathToFile(tmp).toPath();
        try {
          Files.writeString(from, text, StandardCharsets.UTF_8);
          Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(from);
        }
        // fit wrote the old file through Hadoop's checksummed local file system: its checksum is stale now.
        Files.deleteIfExists(to.resolveSibling("." + to.getFileName() + ".crc"));
        return;
      }
      try {
        try (OutputStream out = fs.create(tmp, false)) {
          out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        if (fs.exists(target)) {
          fs.delete(target, false);
        }
        if (!fs.rename(tmp, target)) {
          throw new OutputException("cannot rename " + tmp + " to " + target);
        }
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, false);
        }
      }
    } catch (IOException e) {
      throw new OutputException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
