package dev.latent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.io.UsageException;
import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags and properties files: defaults, precedence, and messages that name the key and the value. */
class SettingsTest {
  @TempDir
  Path tmp;

  private static FitOptions fit(String... args) {
    return FitOptions.from(Settings.parse(args, FitOptions.KEYS, FitOptions.FLAGS));
  }

  private static String error(String... args) {
    return assertThrows(UsageException.class, () -> fit(args)).getMessage();
  }

  @Test
  void defaultsAreScikitLearns() {
    FitOptions o = fit("--input", "a.csv", "--output", "out", "--k", "3");
    assertEquals(ModelKind.GMM, o.model());
    assertEquals(CovarianceType.FULL, o.covariance());
    assertEquals(1e-3, o.tol());
    assertEquals(100, o.maxIter());
    assertEquals(1e-6, o.regCovar());
    assertEquals(0L, o.seed());
    // k-means++ below 100000 rows or for K <= 7; k-means|| above (see InitMethod.resolve).
    assertEquals("auto", o.init());
    assertEquals(1, o.restarts());
  }

  @Test
  void fileValuesYieldToFlags() throws IOException {
    Path conf = tmp.resolve("job.properties");
    Files.writeString(conf, "# a job\ninput=data.csv\noutput=o\nk=4\ntol=1e-5\nexclude=a, b\noverwrite=true\n");
    FitOptions o = fit("--config", conf.toString(), "--k", "5", "--max-iter=7");
    assertEquals("data.csv", o.input());
    assertEquals(5, o.k());
    assertEquals(1e-5, o.tol());
    assertEquals(7, o.maxIter());
    assertEquals(List.of("a", "b"), o.exclude());
    assertTrue(o.overwrite());
  }

  @Test
  void badValuesNameTheKey() {
    assertEquals("--k is required (the number of components, at least 1)", error("--input", "a", "--output", "o"));
    assertEquals("--k must be at least 1, got 0", error("--input", "a", "--output", "o", "--k", "0"));
    assertEquals("--k must be an integer, got 'three'", error("--input", "a", "--output", "o", "--k", "three"));
    assertEquals("--tol must be a number, got 'x'", error("--input", "a", "--output", "o", "--k", "2", "--tol", "x"));
    assertTrue(error("--input", "a", "--output", "o", "--k", "2", "--reg-covar", "-1")
        .startsWith("--reg-covar must be a finite number of at least 0.0"));
    assertEquals("unknown option --kay", error("--kay", "2"));
    assertEquals("option --k needs a value", error("--k"));
    assertTrue(error("--input", "a", "--output", "o", "--k", "2", "--covariance", "round")
        .contains("unknown covariance type 'round'"));
    assertTrue(error("--input", "a", "--output", "o", "--k", "2", "--model", "dbscan").contains("unknown model"));
    assertEquals("--input is required", error("--output", "o", "--k", "2"));
    assertEquals("--init and --init-labels cannot be used together",
        error("--input", "a", "--output", "o", "--k", "2", "--init", "random", "--init-labels", "c"));
  }

  @Test
  void unknownKeyInFileIsNamed() throws IOException {
    Path conf = tmp.resolve("bad.properties");
    Files.writeString(conf, "kk=3\n");
    assertTrue(error("--config", conf.toString()).endsWith("bad.properties: unknown key 'kk'"));
  }
}
