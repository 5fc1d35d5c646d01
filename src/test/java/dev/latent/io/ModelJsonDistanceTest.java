package dev.latent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.em.Distance;
import dev.latent.mixture.ModelKind;
import dev.latent.model.MixtureModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model files and the distance: version 2 only for cosine K-means, which older readers then refuse. */
class ModelJsonDistanceTest {
  private static final MixtureModel COSINE = new MixtureModel(ModelKind.KMEANS, null, List.of("a", "b"),
      new double[] {0.5, 0.5}, new double[][] {{1, 0}, {0, 1}}, null, Map.of(), Distance.COSINE);

  @Test
  void cosineModelsRoundTripAsVersionTwo() {
    String text = ModelJson.write(COSINE);
    assertTrue(text.contains("\"version\" : 2"), text);
    assertTrue(text.contains("\"distance\" : \"cosine\""), text);
    MixtureModel back = ModelJson.read(text, "m.json");
    assertEquals(Distance.COSINE, back.distance());
    assertArrayEquals(new double[] {0, 1}, back.means()[1], 0.0);
  }

  @Test
  void euclideanModelsStayVersionOne() {
    MixtureModel m = new MixtureModel(ModelKind.KMEANS, null, List.of("a", "b"), new double[] {0.5, 0.5},
        new double[][] {{1, 0}, {0, 1}}, null, Map.of());
    String text = ModelJson.write(m);
    assertTrue(text.contains("\"version\" : 1"), text);
    assertTrue(!text.contains("distance"), text);
    assertEquals(Distance.EUCLIDEAN, ModelJson.read(text, "m.json").distance());
  }

  @Test
  void badDistancesAreNamed() {
    String text = ModelJson.write(COSINE);
    InputException e = assertThrows(InputException.class,
        () -> ModelJson.read(text.replace("\"cosine\"", "\"cityblock\""), "m.json"));
    assertTrue(e.getMessage().startsWith("m.json: \"distance\": unknown distance 'cityblock'"), e.getMessage());
    InputException newer = assertThrows(InputException.class,
        () -> ModelJson.read(text.replace("\"version\" : 2", "\"version\" : 3"), "m.json"));
    assertTrue(newer.getMessage().contains("this build reads versions up to 2"), newer.getMessage());
  }
}
