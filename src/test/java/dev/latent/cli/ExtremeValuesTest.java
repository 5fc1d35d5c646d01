package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.testing.Runs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values whose squares overflow or underflow: fitted in exactly scaled units (a power of two) and
 * reported in the data's units, or refused with exit 3 naming the column where the model would not be
 * finite. Never a stack trace, never NaN or infinity in the output.
 */
class ExtremeValuesTest extends CliTestBase {

  @ParameterizedTest(name = "--model {0}")
  @ValueSource(strings = {"gmm", "kmeans"})
  void valuesWhoseModelWouldOverflowAreRefusedNamingTheColumn(String model) {
    Runs.Result r = run("fit", "--input", BadInputTest.bad("extreme-values.csv"), "--k", "2", "--model", model,
        "--output", tmp.resolve("out").toString());
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().matches("(?s).*extreme-values.csv: column '[ab]' has values as large as \\|x\\| = 1.0E300: "
        + ".* would not be a finite number in the units of the data.*"), r.toString());
    assertFalse(r.err().contains("\tat "), r.toString());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  /** Data times 2^500 (|x| up to ~1e152) give the fit of the data, times 2^500, with reg-covar times 2^1000. */
  @ParameterizedTest(name = "--model {0}")
  @ValueSource(strings = {"gmm", "kmeans"})
  void hugeValuesFitAsTheirScaledDownCopy(String model) throws IOException {
    assertScaledFitsAgree(model, 500, "1e-6");
  }

  /** Data times 2^-520 (ranges ~1e-156): the same, with reg-covar 0 (1e-6 times 2^-1040 is no normal double). */
  @ParameterizedTest(name = "--model {0}")
  @ValueSource(strings = {"gmm", "kmeans"})
  void tinyValuesFitAsTheirScaledUpCopy(String model) throws IOException {
    assertScaledFitsAgree(model, -520, "0");
  }

  private void assertScaledFitsAgree(String model, int e, String reg) throws IOException {
    double[][] x = blobs(300, 11);
    double[][] big = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      big[i] = new double[] {Math.scalb(x[i][0], e), Math.scalb(x[i][1], e)};
    }
    Path plain = writeCsv(tmp.resolve("plain.csv"), x, null, null);
    Path scaled = writeCsv(tmp.resolve("scaled.csv"), big, null, null);
    double r = Double.parseDouble(reg);
    Runs.ok(jsc, "fit", "--input", plain.toString(), "--k", "3", "--model", model, "--reg-covar", reg, "--output",
        tmp.resolve("p").toString());
    Runs.ok(jsc, "fit", "--input", scaled.toString(), "--k", "3", "--model", model, "--reg-covar",
        String.valueOf(Math.scalb(r, 2 * e)), "--output", tmp.resolve("s").toString());
    JsonNode mp = json(tmp.resolve("p/model.json"));
    JsonNode ms = json(tmp.resolve("s/model.json"));
    assertClose(flatten(mp.get("weights")), flatten(ms.get("weights")), 0);
    assertClose(flatten(mp.get("means")), flatten(ms.get("means")), e);
    assertClose(flatten(mp.get("covariances")), flatten(ms.get("covariances")), 2 * e);
    JsonNode sp = json(tmp.resolve("p/summary.json"));
    JsonNode ss = json(tmp.resolve("s/summary.json"));
    assertEquals(sp.get("iterations"), ss.get("iterations"));
    if (model.equals("gmm")) {
      // log p(x c) = log p(x) - d log c per row.
      double shift = -2 * e * Math.log(2);
      assertEquals(sp.get("meanLogLikelihood").asDouble() + shift, ss.get("meanLogLikelihood").asDouble(),
          1e-9 * Math.abs(shift));
    } else {
      assertEquals(sp.get("inertia").asDouble(), Math.scalb(ss.get("inertia").asDouble(), -2 * e),
          1e-9 * sp.get("inertia").asDouble());
    }
    List<String[]> a = assignments(tmp.resolve("p/assignments"));
    List<String[]> b = assignments(tmp.resolve("s/assignments"));
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i)[2], b.get(i)[2], "cluster of row " + i);
    }
    String text = Files.readString(tmp.resolve("s/model.json")) + Files.readString(tmp.resolve("s/summary.json"));
    assertFalse(text.contains("Infinity") || text.contains("NaN"), text);
  }

  /** b equals a times 2^e, to 1e-9 relative. */
  private static void assertClose(double[] a, double[] b, int e) {
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      double back = Math.scalb(b[i], -e);
      assertEquals(a[i], back, 1e-9 * Math.max(Math.abs(a[i]), 1e-300), "entry " + i);
    }
  }

  /** Values near 1e-300 (squared distances underflow to 0 unscaled) fit, with a finite model. */
  @ParameterizedTest(name = "--model {0}")
  @ValueSource(strings = {"gmm", "kmeans"})
  void valuesNear1eMinus300Fit(String model) throws IOException {
    Path f = Files.writeString(tmp.resolve("tiny.csv"), "a,b\n1e-300,2e-300\n3e-300,1e-300\n5e-300,6e-300\n"
        + "2e-300,2e-300\n9e-300,8e-300\n8e-300,9e-300\n");
    Runs.ok(jsc, "fit", "--input", f.toString(), "--k", "2", "--model", model, "--output", tmp.resolve("o").toString());
    String text = Files.readString(tmp.resolve("o/model.json")) + Files.readString(tmp.resolve("o/summary.json"));
    assertFalse(text.contains("Infinity") || text.contains("NaN"), text);
    JsonNode m = json(tmp.resolve("o/model.json"));
    double[] means = flatten(m.get("means"));
    for (double v : means) {
      assertTrue(v >= 1e-300 && v <= 9e-300, "mean " + v + " in the data's units");
    }
    if (model.equals("kmeans")) {
      // The two groups of rows are told apart (unscaled, every squared distance is 0). A GMM's
      // reg-covar 1e-6, in the data's units, dwarfs their spread: one blob is its right answer.
      List<String[]> a = assignments(tmp.resolve("o/assignments"));
      assertEquals(a.get(0)[2], a.get(1)[2]);
      assertFalse(a.get(0)[2].equals(a.get(4)[2]));
    }
  }

  @Test
  void ordinaryDataAreNotScaled() {
    // The reference tests (CliReferenceTest, ReferenceFitTest) hold to the bit; here the rule itself.
    dev.latent.em.ColumnStats c = new dev.latent.em.ColumnStats(1);
    c.add(new dev.latent.em.DataBlock(2, 1, new double[] {-1e150, 1e150}, new long[] {1, 2}, null, null));
    assertFalse(dev.latent.em.Scaling.choose(c, 1e-6).active());
    c.add(new dev.latent.em.DataBlock(1, 1, new double[] {2e150}, new long[] {3}, null, null));
    assertTrue(dev.latent.em.Scaling.choose(c, 1e-6).active());
  }
}
