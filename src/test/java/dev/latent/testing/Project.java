package dev.latent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The checkout the tests run in: its scripts, configuration and build output. */
public final class Project {
  private Project() {}

  /** The project folder (surefire runs tests there). */
  public static Path home() {
    Path p = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    if (!Files.isRegularFile(p.resolve("pom.xml"))) {
      throw new IllegalStateException("not the project folder: " + p);
    }
    return p;
  }

  public static Path script(String name) {
    return home().resolve("submit").resolve(name);
  }

  public static Path testdata(String name) {
    return home().resolve("testdata").resolve(name);
  }

  /** The java launcher of the running JVM, so children use the same JDK. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** conf/jvm-flags: the module opens every Spark JVM needs on JDK 17. */
  public static List<String> jvmFlags() {
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(home().resolve("conf").resolve("jvm-flags"))) {
        String s = line.trim();
        if (!s.isEmpty() && !s.startsWith("#")) {
          out.add(s);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
