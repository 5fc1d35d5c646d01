package dev.latent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.mixture.CovarianceType;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Save/load round trips for every covariance shape, and the messages of invalid model files. */
class ModelJsonTest {

  static MixtureModel model(CovarianceType t) {
    double[][] cov = switch (t) {
      case FULL -> new double[][] {{2, 0.5, 0.5, 1}, {1, -0.25, -0.25, 3}};
      case TIED -> new double[][] {{2, 0.5, 0.5, 1}};
      case DIAG -> new double[][] {{2, 1}, {0.5, 3}};
      case SPHERICAL -> new double[][] {{2}, {0.1}};
    };
    return new MixtureModel(ModelKind.GMM, t, List.of("x", "y"), new double[] {0.25, 0.75},
        new double[][] {{0.1, 1e-300}, {-3.5, 1e10}}, cov, Map.of("seed", 3));
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void roundTripIsExact(CovarianceType t) {
    MixtureModel m = model(t);
    MixtureModel back = ModelJson.read(ModelJson.write(m), "m.json");
    assertEquals(m.kind(), back.kind());
    assertEquals(t, back.covariance());
    assertEquals(m.features(), back.features());
    assertArrayEquals(m.weights(), back.weights(), 0.0);
    for (int j = 0; j < m.k(); j++) {
      assertArrayEquals(m.means()[j], back.means()[j], 0.0);
    }
    for (int j = 0; j < m.covariances().length; j++) {
      assertArrayEquals(m.covariances()[j], back.covariances()[j], 0.0);
    }
    assertEquals(3, ((Number) back.provenance().get("seed")).intValue());
  }

  @Test
  void kmeansHasNoCovariances() {
    MixtureModel m = new MixtureModel(ModelKind.KMEANS, null, List.of("a"), new double[] {0.5, 0.5},
        new double[][] {{1}, {2}}, null, Map.of());
    String text = ModelJson.write(m);
    assertTrue(!text.contains("covariance"), text);
    MixtureModel back = ModelJson.read(text, "k.json");
    assertEquals(ModelKind.KMEANS, back.kind());
    assertNull(back.covariances());
  }

  @Test
  void unknownFieldsAreIgnored() {
    String text = ModelJson.write(model(CovarianceType.DIAG)).replaceFirst("\\{", "{\"extra\": [1, 2],");
    assertEquals(2, ModelJson.read(text, "m.json").k());
  }

  private static String message(String text) {
    return assertThrows(InputException.class, () -> ModelJson.read(text, "bad.json")).getMessage();
  }

  @Test
  void invalidFilesAreNamedAndExplained() {
    String good = ModelJson.write(model(CovarianceType.FULL));
    assertTrue(message("{\"format\": ").startsWith("bad.json: not a valid JSON model file"));
    assertTrue(message("[1]").contains("expected a JSON object"));
    assertTrue(message(good.replace("latent-model", "other")).contains("\"format\" is 'other'"));
    // Version 2 (cosine K-means) is read since the distance option; 3 is from the future.
    assertTrue(message(good.replace("\"version\" : 1", "\"version\" : 3"))
        .contains("version 3 was written by a newer Latent"));
    assertTrue(message(good.replace("\"full\"", "\"banana\"")).contains("unknown covariance type 'banana'"));
    assertTrue(message(good.replace("[ 0.25, 0.75 ]", "[ 0.25 ]")).contains("\"means\" has 2 rows but there are 1 weights"));
    assertTrue(message(good.replace("[ -3.5, 1.0E10 ]", "[ -3.5 ]")).contains("means[1] has 1 entries, expected 2"));
    assertTrue(message(good.replace("0.5, 1.0 ]", "0.4, 1.0 ]")).contains("not symmetric"));
    assertTrue(message(good.replace("[ 0.25, 0.75 ]", "[ -0.25, 0.75 ]")).contains("is negative"));
  }

  /** A "JSON bomb" of 200,000 nested brackets is refused by the parser at depth 65, quickly. */
  @Test
  void deepNestingIsRefusedQuickly() {
    String bomb = "[".repeat(200_000);
    long t0 = System.nanoTime();
    String m = message(bomb);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(m.startsWith("bad.json: not a valid JSON model file (nested deeper than 64 levels"), m);
    assertTrue(seconds < 1, seconds + " s");
    // 64 levels are still read: the limit refuses bombs, not files.
    String deep = ModelJson.write(model(CovarianceType.DIAG))
        .replaceFirst("\\{", "{\"extra\": " + "[".repeat(63) + "]".repeat(63) + ",");
    assertEquals(2, ModelJson.read(deep, "m.json").k());
  }
}
