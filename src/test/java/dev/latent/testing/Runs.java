package dev.latent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latent.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;

/** Runs the command line in-process and reads what it wrote. */
public final class Runs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Runs() {}

  /** Exit code and what was printed. */
  public record Result(int code, String out, String err) {}

  public static Result main(JavaSparkContext jsc, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), jsc);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs and insists on success, showing stderr otherwise. */
  public static Result ok(JavaSparkContext jsc, String... args) {
    Result r = main(jsc, args);
    assertEquals(0, r.code(), () -> "exit code; stderr:\n" + r.err());
    return r;
  }

  public static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data rows of every assignments part file, in part order, split into fields. */
  public static List<String[]> assignments(Path dir) {
    List<String[]> rows = new ArrayList<>();
    try (Stream<Path> parts = Files.list(dir.resolve("assignments"))) {
      for (Path p : parts.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
        List<String> lines = Files.readAllLines(p);
        for (int i = 1; i < lines.size(); i++) {
          rows.add(lines.get(i).split(","));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** The header line of the first assignments part file. */
  public static String assignmentsHeader(Path dir) {
    try {
      return Files.readAllLines(dir.resolve("assignments").resolve("part-00000")).get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
