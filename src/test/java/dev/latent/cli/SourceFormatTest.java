package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latent.testing.Models;
import dev.latent.testing.Refs;
import dev.latent.testing.Runs;
import dev.latent.testing.SharedSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet, ORC and JSON inputs (written by Spark in 1, 3 and 8 part files) give the model of the CSV of
 * the same rows, to 1e-9, with the default initialisation: row keys are positions in the input.
 */
class SourceFormatTest extends SharedSession {
  static final List<String> PENGUINS = List.of("beak_length_mm", "beak_depth_mm", "flipper_length_mm", "body_mass_g");

  @TempDir
  Path tmp;

  private Path write(String format, int parts) {
    double[][] x = Refs.features("penguins");
    List<String> names = new ArrayList<>(PENGUINS);
    names.add("label");
    double[][] withLabel = new double[x.length][];
    int[] labels = Refs.ints(Refs.ref("kmeans_penguins").get("labels"));
    for (int r = 0; r < x.length; r++) {
      withLabel[r] = java.util.Arrays.copyOf(x[r], 5);
      withLabel[r][4] = labels[r];
    }
    Path p = tmp.resolve(format + parts);
    frame(withLabel, names, parts).write().format(format).save(p.toString());
    return p;
  }

  private Path fit(String name, String input, String... more) {
    Path out = tmp.resolve(name);
    List<String> args = new ArrayList<>(List.of("fit", "--input", input, "--k", "3", "--seed", "3", "--restarts", "2",
        "--features", String.join(",", PENGUINS), "--output", out.toString()));
    args.addAll(List.of(more));
    Runs.ok(jsc, args.toArray(String[]::new));
    return out;
  }

  private Path csvFit;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"parquet", "orc", "json"})
  void sameModelAsTheCsvOfTheSameRows(String format) {
    if (csvFit == null || !java.nio.file.Files.exists(csvFit.resolve("model.json"))) {
      // The CSV baseline, fitted once while the temporary folder lives.
      csvFit = fit("csv", Refs.dataFile("penguins").toString());
    }
    Path csv = csvFit;
    JsonNode s = Runs.json(csv.resolve("summary.json"));
    for (int parts : new int[] {1, 3, 8}) {
      Path out = fit(format + "-fit" + parts, write(format, parts).toString());
      Models.assertSameModel(csv.resolve("model.json"), out.resolve("model.json"), 1e-9);
      JsonNode t = Runs.json(out.resolve("summary.json"));
      assertEquals(s.get("iterations").asInt(), t.get("iterations").asInt(), parts + " parts");
      assertEquals("kmeans++", t.get("init").asText());
    }
  }

  @Test
  void kmeansParallelAndKMeansAndParquetAssignments() {
    Path parquet = write("parquet", 3);
    for (String[] extra : new String[][] {{"--init", "kmeans||"}, {"--model", "kmeans"}}) {
      String tag = extra[1].replace("|", "p");
      Path csv = fit("csv-" + tag, Refs.dataFile("penguins").toString(), extra);
      Path pq = fit("pq-" + tag, parquet.toString(), extra[0], extra[1], "--output-format", "parquet",
          "--partitions", "4");
      Models.assertSameModel(csv.resolve("model.json"), pq.resolve("model.json"), 1e-9);
      List<Row> rows = inOrder(pq.resolve("assignments")).select("cluster").collectAsList();
      List<String[]> expected = Runs.assignments(csv);
      int cluster = List.of(Runs.assignmentsHeader(csv).split(",")).indexOf("cluster");
      assertEquals(expected.size(), rows.size());
      for (int r = 0; r < rows.size(); r++) {
        assertEquals(Integer.parseInt(expected.get(r)[cluster]), rows.get(r).getInt(0), "row " + r);
      }
    }
    // predict on Parquet with the CSV fit's model: the same clusters, as CSV part files in the input's order.
    Path csvKm = tmp.resolve("csv-kmeans");
    Path pred = tmp.resolve("predict-pq");
    Runs.ok(jsc, "predict", "--model", csvKm.toString(), "--input", parquet.toString(), "--output", pred.toString());
    List<String[]> fitted = Runs.assignments(csvKm);
    List<String[]> predicted = Runs.assignments(pred);
    assertEquals(fitted.size(), predicted.size());
    for (int r = 0; r < fitted.size(); r++) {
      assertEquals(fitted.get(r)[fitted.get(r).length - 1], predicted.get(r)[predicted.get(r).length - 1], "row " + r);
    }
    // CSV in, Parquet assignments out: features as doubles, in the input's order.
    Path out = fit("csv-pq", Refs.dataFile("penguins").toString(), "--output-format", "parquet");
    var df = inOrder(out.resolve("assignments"));
    assertEquals(DataTypes.DoubleType, df.schema().apply("beak_length_mm").dataType());
    assertEquals(342, df.count());
    assertEquals(39.1, df.first().getDouble(0));
  }

  @Test
  void predictFlagsTheSameOutliersInParquetAsInCsv() throws java.io.IOException {
    Path model = fit("csv-gmm", Refs.dataFile("penguins").toString());
    Path fromCsv = tmp.resolve("outliers-csv");
    Path fromParquet = tmp.resolve("outliers-parquet");
    Runs.ok(jsc, "predict", "--model", model.toString(), "--input", Refs.dataFile("penguins").toString(),
        "--outlier-quantile", "0.05", "--output", fromCsv.toString());
    Runs.ok(jsc, "predict", "--model", model.toString(), "--input", write("parquet", 3).toString(),
        "--outlier-quantile", "0.05", "--output", fromParquet.toString());
    JsonNode a = Runs.json(fromCsv.resolve("summary.json")).path("outliers");
    JsonNode b = Runs.json(fromParquet.resolve("summary.json")).path("outliers");
    assertEquals(17, a.path("rank").asInt(), a.toString()); // floor(0.05 * 342)
    assertEquals(a, b);
    int csvCol = List.of(Runs.assignmentsHeader(fromCsv).split(",")).indexOf("outlier");
    String firstPart;
    try (var files = java.nio.file.Files.list(fromParquet.resolve("assignments"))) {
      firstPart = files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().findFirst()
          .map(f -> {
            try {
              return java.nio.file.Files.readAllLines(f).get(0);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).orElseThrow();
    }
    int pqCol = List.of(firstPart.split(",")).indexOf("outlier");
    List<String[]> x = Runs.assignments(fromCsv);
    List<String[]> y = Runs.assignments(fromParquet);
    assertEquals(x.size(), y.size());
    int flagged = 0;
    for (int r = 0; r < x.size(); r++) {
      assertEquals(x.get(r)[csvCol], y.get(r)[pqCol], "row " + r);
      flagged += y.get(r)[pqCol].equals("1") ? 1 : 0;
    }
    assertEquals(a.path("flagged").asInt(), flagged);
  }

  /** A Parquet folder's part files in name order (reading the folder at once orders splits by size). */
  private org.apache.spark.sql.Dataset<Row> inOrder(Path dir) {
    try (var files = java.nio.file.Files.list(dir)) {
      return files.map(Path::toString).filter(f -> f.endsWith(".parquet")).sorted()
          .map(f -> spark.read().parquet(f)).reduce(org.apache.spark.sql.Dataset::union).orElseThrow();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void badValuesNameFileRowAndColumn() {
    StructType schema = new StructType().add("a", DataTypes.DoubleType, true).add("b", DataTypes.DoubleType, true)
        .add("name", DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(RowFactory.create((double) i, i == 13 ? null : (double) (i % 5), "r" + i));
    }
    Path p = tmp.resolve("bad.parquet");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(p.toString());
    Runs.Result r = Runs.main(jsc, "fit", "--input", p.toString(), "--k", "2", "--exclude", "name", "--output",
        tmp.resolve("o1").toString());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("row 14") && r.err().contains("column 'b'") && r.err().contains(".parquet"), r.err());
    Runs.Result s = Runs.main(jsc, "fit", "--input", p.toString(), "--k", "2", "--output",
        tmp.resolve("o2").toString());
    assertEquals(3, s.code(), s.err());
    assertTrue(s.err().contains("column 'name'"), s.err());
    Path skipped = tmp.resolve("o3");
    Runs.ok(jsc, "fit", "--input", p.toString(), "--k", "2", "--exclude", "name", "--on-bad-row", "skip",
        "--output", skipped.toString());
    assertEquals(1, Runs.json(skipped.resolve("summary.json")).get("badRows").get("skipped").asInt());
  }
}
