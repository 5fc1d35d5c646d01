package dev.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Spark-free packages (math, mixture, em, vb, diagnostics) stay free of Spark and Hadoop, so the
 * algorithm is testable without them; of org.apache only commons-math3 (special functions) is allowed.
 */
class LayeringTest {
  @Test
  void mathAndEmDoNotImportSpark() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (String pkg : List.of("math", "mixture", "em", "vb", "diagnostics")) {
      Path dir = Path.of("src/main/java/dev/latent", pkg);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          for (String line : Files.readAllLines(f)) {
            boolean apache = line.startsWith("import org.apache.")
                && !line.startsWith("import org.apache.commons.math3.");
            if (apache || line.startsWith("import scala.")
                || line.startsWith("import dev.latent.spark") || line.startsWith("import dev.latent.io")
                || line.startsWith("import dev.latent.cli") || line.startsWith("import dev.latent.config")) {
              offenders.add(f + ": " + line);
            }
          }
        }
      }
    }
    assertEquals(List.of(), offenders);
  }

  /** The mixture and what it says of a row sit on the kernels alone: em and the rest use them, not the reverse. */
  @Test
  void mixtureImportsOnlyMath() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/latent/mixture"))) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("import dev.latent.") && !line.startsWith("import dev.latent.math.")) {
            offenders.add(f + ": " + line);
          }
        }
      }
    }
    assertEquals(List.of(), offenders);
  }

  /** The report is drawn from values and text alone: no Spark, no Hadoop, nothing from the job layers. */
  @Test
  void reportIsPure() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/latent/report"))) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("import org.apache.") || line.startsWith("import scala.")
              || line.startsWith("import dev.latent.spark") || line.startsWith("import dev.latent.cli")) {
            offenders.add(f + ": " + line);
          }
        }
      }
    }
    assertEquals(List.of(), offenders);
  }
}
