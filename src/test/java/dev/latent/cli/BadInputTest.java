package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.testing.Project;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue in testdata/bad/ (see its README): each bad input gives its exit code and one line
 * naming the file, and the line and column where there is one, with what is wrong. Never a stack trace.
 */
class BadInputTest extends SharedSpark {
  @TempDir
  Path tmp;

  private static final String DEEP = "model-deep.json: not a valid JSON model file (nested deeper than 64 levels";

  static Stream<Arguments> catalogue() {
    return Stream.of(
        // Data files: exit 3 and file:line:column.
        fit("non-numeric.csv", 3, "non-numeric.csv:4:2: 'abc' in column 'y' is not a number"),
        fit("ragged.csv", 3, "ragged.csv:3:3: expected 3 fields as in the header, found 2 (column 'z' is missing)"),
        fit("no-header.csv", 3, "no-header.csv:1:1: the first line is numbers, not column names"),
        fit("empty.csv", 3, "empty.csv:1: the file is empty: a header row is expected"),
        fit("header-only.csv", 3, "header-only.csv: no data rows after the header"),
        fit("nan.csv", 3, "nan.csv:3:1: 'NaN' in column 'x' is not a finite number"),
        fit("infinity.csv", 3, "infinity.csv:5:3: 'Infinity' in column 'z' is not a finite number"),
        fit("fewer-rows-than-k.csv", 3, "fewer-rows-than-k.csv: 2 data rows, fewer than k = 3", "--k", "3"),
        fit("does-not-exist.csv", 3, "does-not-exist.csv: no such file or folder"),
        fit("tab-separated.csv", 3, "tab-separated.csv:1: the header 'a\\tb' holds no commas but tabs: the file"
            + " looks tab-separated; use --delimiter tab"),
        fit("semicolon-separated.csv", 3, "semicolon-separated.csv:1: the header 'a;b' holds no commas but"
            + " semicolons: the file looks semicolon-separated; use --delimiter ';'"),
        fit("good.csv", 3, "good.csv:1: the header 'x,y,z' holds no tabs but commas: the file looks"
            + " comma-separated; use --delimiter ','", "--delimiter", "tab"),
        fit("extreme-values.csv", 3, "extreme-values.csv: column 'a' has values as large as |x| = 1.0E300: the"
            + " covariance of component 1 (K = 2) would not be a finite number in the units of the data"),
        fit("extreme-values.csv", 3, "extreme-values.csv: column 'a' has values as large as |x| = 1.0E300: the"
            + " inertia (K = 2) would not be a finite number", "--model", "kmeans"),
        fit("bad-lines.csv", 3, "bad-lines.csv:6:2: 'x' in column 'y' is not a number", "--partitions", "3"),
        // Model files against good.csv (features x, y, z): exit 3 naming the model file.
        fit("good.csv", 3, "model-two-features.json: the model's features [x, y] do not match the input's [x, y, z]",
            "--init", bad("model-two-features.json")),
        fit("good.csv", 3, "model-wrong-names.json: the model's features [x, y, w] do not match",
            "--init", bad("model-wrong-names.json")),
        predict("model-wrong-names.json", 3, "model-wrong-names.json: the model's feature 'w' is not a column of "),
        predict("model-short-means.json", 3, "model-short-means.json: means[0] has 2 entries, expected 3"),
        predict("model-corrupt.json", 3, "model-corrupt.json: not a valid JSON model file ("),
        predict("model-future-version.json", 3,
            "model-future-version.json: model format version 99 was written by a newer Latent"),
        // A "JSON bomb" (10,000 nested brackets) in every reader of model files.
        predict("model-deep.json", 3, DEEP),
        fit("good.csv", 3, DEEP, "--init", bad("model-deep.json")),
        fit("good.csv", 3, DEEP, "--align-to", bad("model-deep.json")),
        Arguments.of("sample model-deep.json", List.of("sample", "--model", bad("model-deep.json"), "--n", "5"), 3,
            DEEP),
        // Usage: exit 2, naming the option and the value.
        fit("good.csv", 2, "--k must be at least 1, got 0", "--k", "0"),
        fit("good.csv", 2, "unknown option --colour", "--colour", "red"),
        fit("good.csv", 2, "--on-bad-row is fail or skip, got 'ignore'", "--on-bad-row", "ignore"),
        fit("good.csv", 2, "--resume needs --checkpoint DIR", "--resume"),
        fit("good.csv", 2, "--delimiter is one character (such as ';' or '|') or 'tab', got 'ab'",
            "--delimiter", "ab"),
        Arguments.of("predict --on-bad-row ignore", List.of("predict", "--model", bad("model-good.json"), "--input",
            bad("good.csv"), "--on-bad-row", "ignore"), 2, "--on-bad-row is fail or skip, got 'ignore'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void badInputGivesItsExitCodeAndAClearMessage(String name, List<String> args, int code, String message) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--output", tmp.resolve("out").toString()));
    Runs.Result r = Runs.main(jsc, all.toArray(new String[0]));
    assertEquals(code, r.code(), r.toString());
    assertTrue(r.err().contains(message), "expected '" + message + "' in:\n" + r);
    assertFalse(r.err().contains("\tat "), "no stack trace for bad input:\n" + r);
    assertFalse(Files.exists(tmp.resolve("out")), "nothing is written");
  }

  @Test
  void aCorruptModelFileNamesTheLineAndColumnOfTheDamage() {
    Runs.Result r = Runs.main(jsc, "predict", "--model", bad("model-corrupt.json"), "--input", bad("good.csv"),
        "--output", tmp.resolve("out").toString());
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().matches("(?s).*at line \\d+, column \\d+\\).*"), r.toString());
  }

  /** The control: the good model and data of the catalogue work, so each failure above is its defect's. */
  @Test
  void theCataloguesGoodFilesWork() {
    Runs.Result p = Runs.main(jsc, "predict", "--model", bad("model-good.json"), "--input", bad("good.csv"),
        "--output", tmp.resolve("p").toString());
    assertEquals(0, p.code(), p.toString());
    Runs.Result f = Runs.main(jsc, "fit", "--input", bad("good.csv"), "--k", "2", "--init", bad("model-good.json"),
        "--output", tmp.resolve("f").toString());
    assertEquals(0, f.code(), f.toString());
  }

  private static Arguments fit(String file, int code, String message, String... extra) {
    List<String> args = new ArrayList<>(List.of("fit", "--input", bad(file), "--k", "2"));
    // A later --k replaces the default one: Settings keeps the last value.
    args.addAll(List.of(extra));
    return Arguments.of("fit " + file + " " + String.join(" ", extra), args, code, message);
  }

  private static Arguments predict(String model, int code, String message) {
    return Arguments.of("predict " + model,
        List.of("predict", "--model", bad(model), "--input", bad("good.csv")), code, message);
  }

  static String bad(String name) {
    return Project.testdata("bad").resolve(name).toString();
  }
}
