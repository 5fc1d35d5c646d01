package dev.latent.spark;

import dev.latent.config.Delimiter;
import dev.latent.io.CsvLine;
import dev.latent.io.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The files behind an input path (a file, a folder of part files, or a glob) and their common header.
 * Files compressed with any codec Hadoop knows by its extension ({@code .gz}, {@code .bz2}, ...) are read
 * decompressed, here as by Spark's text input, so line numbers count decompressed lines.
 */
public record InputFiles(List<String> files, String[] header, String headerLine) {

  public static InputFiles resolve(Configuration conf, String input) {
    return resolve(conf, input, Delimiter.DEFAULT);
  }

  /** As above, for fields separated by {@code delimiter}. */
  public static InputFiles resolve(Configuration conf, String input, char delimiter) {
    try {
      List<String> files = list(conf, input);
      if (files.size() >= (1 << 23)) {
        throw new InputException(input + ": too many files (" + files.size() + ")");
      }
      String name = display(files.get(0));
      FileSystem fs = new Path(input).getFileSystem(conf);
      String first = firstLine(conf, fs, new Path(files.get(0)));
      if (first == null || first.isBlank()) {
        throw InputException.at(name, 1, 0, "the file is empty: a header row is expected");
      }
      Character other = CsvLine.otherDelimiter(first, delimiter);
      if (other != null) {
        throw InputException.at(name, 1, 0, "the header '" + first.replace("\t", "\\t") + "' holds no " + plural(delimiter) + " but "
            + plural(other) + ": the file looks " + adjective(other) + "-separated; use --delimiter "
            + (other == '\t' ? "tab" : "'" + other + "'"));
      }
      String[] header = CsvLine.split(first, delimiter);
      if (looksLikeData(header)) {
        throw InputException.at(name, 1, 1, "the first line is numbers, not column names: a header row is"
            + " expected (" + first + ")");
      }
      return new InputFiles(List.copyOf(files), header, first);
    } catch (IOException e) {
      throw new InputException(input + ": cannot be read (" + e.getMessage() + ")", e);
    } catch (IllegalArgumentException e) {
      throw new InputException(input + ": " + e.getMessage(), e);
    }
  }

  /** A file, a folder's data files (skipping {@code _*} and {@code .*}) or a glob's matches, sorted by path. */
  static List<String> list(Configuration conf, String input) {
    List<String> files = new ArrayList<>();
    try {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matched = fs.globStatus(p);
      if (matched == null || matched.length == 0) {
        throw new InputException(input + ": no such file or folder");
      }
      Arrays.sort(matched, Comparator.comparing(s -> s.getPath().toString()));
      for (FileStatus s : matched) {
        if (s.isDirectory()) {
          FileStatus[] inner = fs.listStatus(s.getPath());
          Arrays.sort(inner, Comparator.comparing(x -> x.getPath().toString()));
          for (FileStatus f : inner) {
            String name = f.getPath().getName();
            if (f.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
              files.add(f.getPath().toString());
            }
          }
        } else {
          files.add(s.getPath().toString());
        }
      }
    } catch (IOException e) {
      throw new InputException(input + ": cannot be read (" + e.getMessage() + ")", e);
    }
    if (files.isEmpty()) {
      throw new InputException(input + ": the folder holds no data files");
    }
    return files;
  }

  /** File i as messages name it. */
  public String name(int i) {
    return display(files.get(i));
  }

  /** A plain path for local files (as the user typed it), the full URI for any other file system. */
  static String display(String file) {
    return file.startsWith("file:") ? new Path(file).toUri().getPath() : file;
  }

  /** A header whose every field is a number is the first data row of a file without a header. */
  private static boolean looksLikeData(String[] header) {
    for (String f : header) {
      try {
        Double.parseDouble(f.trim());
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  private static String plural(char c) {
    return adjective(c) + "s";
  }

  private static String adjective(char c) {
    return switch (c) {
      case '\t' -> "tab";
      case ';' -> "semicolon";
      case ',' -> "comma";
      default -> "'" + Delimiter.name(c) + "'";
    };
  }

  /** The first line, decompressed when the file's extension names a codec (as Spark's textFile reads it). */
  private static String firstLine(Configuration conf, FileSystem fs, Path file) throws IOException {
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
    InputStream raw = fs.open(file);
    InputStream in = codec == null ? raw : codec.createInputStream(raw);
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line = r.readLine();
      return line == null ? null : CsvLine.clean(line);
    }
  }
}
