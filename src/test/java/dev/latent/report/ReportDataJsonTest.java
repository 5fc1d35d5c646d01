package dev.latent.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latent.em.AssignmentProfile;
import dev.latent.io.InputException;
import org.junit.jupiter.api.Test;

class ReportDataJsonTest {
  @Test
  void roundTripsExactly() {
    ReportData d = ReportFixtures.data(ReportFixtures.gmm(), 25, true);
    ReportData back = ReportDataJson.read(ReportDataJson.write(d), "r.json");
    assertEquals(d.seed(), back.seed());
    assertEquals(d.rows(), back.rows());
    assertArrayEquals(d.dataMean(), back.dataMean(), 0.0);
    assertArrayEquals(d.dataCovariance(), back.dataCovariance(), 0.0);
    for (int i = 0; i < 25; i++) {
      assertArrayEquals(d.sample()[i], back.sample()[i], 0.0);
    }
    assertArrayEquals(d.cluster(), back.cluster());
    assertArrayEquals(d.maxResponsibility(), back.maxResponsibility(), 0.0);
    assertArrayEquals(d.uncertaintyEdges(), back.uncertaintyEdges(), 0.0);
    assertArrayEquals(d.uncertaintyWeights(), back.uncertaintyWeights(), 0.0);

    ReportData hard = ReportDataJson.read(ReportDataJson.write(ReportFixtures.data(ReportFixtures.kmeans(), 5, false)),
        "r.json");
    assertNull(hard.uncertaintyWeights());
    assertNull(hard.maxResponsibility());
  }

  @Test
  void badFilesAreNamedWithWhatIsWrong() {
    String good = ReportDataJson.write(ReportFixtures.data(ReportFixtures.gmm(), 3, true));
    assertEquals("r.json: not a latent-report-data file", message("{\"format\": \"latent-model\"}"));
    assertEquals("r.json: version 2 is not one this Latent reads (1)",
        message(good.replace("\"version\":1", "\"version\":2")));
    assertEquals("r.json: sample.rows[0] must be an array of 3 numbers",
        message(good.replaceFirst("\"rows\":\\[\\[[^,]*,", "\"rows\":[[")));
    assertEquals("r.json: sample.cluster[1] is not a component number",
        message(good.replaceFirst("\"cluster\":\\[0,1", "\"cluster\":[0,-1")));
    assertEquals("r.json: uncertainty.weights must be an array of 20 numbers",
        message(good.replaceFirst("\"weights\":\\[700.0,", "\"weights\":[")));
    assertEquals("r.json: data.mean[0] is not a finite number", message(good.replace("\"mean\":[2.0",
        "\"mean\":[\"x\"")));
    String notJson = message("{");
    assertEquals(true, notJson.startsWith("r.json: not valid JSON (Unexpected end-of-input"), notJson);
  }

  private static String message(String text) {
    return assertThrows(InputException.class, () -> ReportDataJson.read(text, "r.json")).getMessage();
  }

  @Test
  void uncertaintyBinsCoverZeroToOneMinusOneOverK() {
    double[] e = AssignmentProfile.edges(4);
    assertEquals(AssignmentProfile.BINS + 1, e.length);
    assertEquals(0.0, e[0], 0.0);
    assertEquals(0.75, e[AssignmentProfile.BINS], 1e-15);
    assertEquals(0, AssignmentProfile.bin(0.0, 4));
    assertEquals(AssignmentProfile.BINS - 1, AssignmentProfile.bin(0.75, 4), "the top edge is in the last bin");
    assertEquals(AssignmentProfile.BINS - 1, AssignmentProfile.bin(0.75 + 1e-16, 4), "rounding past it too");
    assertEquals(1, AssignmentProfile.bin(0.75 / AssignmentProfile.BINS, 4), "a bin's lower edge is inside it");
    assertEquals(0, AssignmentProfile.bin(0.0, 1), "K = 1: always certain");
  }
}
