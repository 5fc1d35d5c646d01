package dev.latent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latent.em.DataBlock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A line given as its UTF-8 bytes makes the rows, keys and errors that its decoded String makes. */
class BlockBuilderTest {
  private static final String[] HEADER = {"a", "city", "b", "c"};
  /** Good, blank and bad lines, with text beyond ASCII inside and outside the features. */
  private static final String[] LINES = {
      "1.5,Zürich,2,3", "4,\u4e2d\u6587,5e-3,-6", "7,plain,8,9\r", "   ", "\u2003\u3000", "\t\r",
      "\uFEFF1,bom,2,3", "1,\"quoted, city\",2,3", "1,é,2é,3", "1,x,,3", "1,x,2", "NaN,x,1,2", "1,x,1e999,2",
      "1,São Paulo,2,3", "-0,x,+0,0.000", ""};

  private static List<Object> rows(boolean bytes, boolean skip, boolean weighted) {
    List<String> exclude = List.of("city");
    InputSchema schema = InputSchema.resolve("t.csv", HEADER, null, exclude, weighted ? "c" : null, null);
    BlockBuilder b = new BlockBuilder(schema, "t.csv", 0, 0, false, skip);
    List<Object> out = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    lines.add(String.join(",", HEADER));
    lines.addAll(List.of(LINES));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      try {
        DataBlock block;
        if (bytes) {
          byte[] u = (line + "junk after the line").getBytes(StandardCharsets.UTF_8);
          block = b.add(u, line.getBytes(StandardCharsets.UTF_8).length, i + 1);
        } else {
          block = b.add(line, i + 1);
        }
        if (block != null) {
          out.add(block);
        }
      } catch (InputException e) {
        out.add("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    DataBlock last = b.flush();
    if (last != null) {
      out.add(last);
    }
    out.add("skipped " + b.skipped().count() + " " + b.skipped().examples());
    return out;
  }

  @Test
  void bytesAndStringsMakeTheSameRowsKeysAndErrors() {
    for (boolean skip : new boolean[] {true, false}) {
      for (boolean weighted : new boolean[] {false, true}) {
        List<Object> s = rows(false, skip, weighted);
        List<Object> u = rows(true, skip, weighted);
        String where = "skip " + skip + ", weighted " + weighted;
        assertEquals(s.size(), u.size(), where + ": " + s + " vs " + u);
        for (int i = 0; i < s.size(); i++) {
          if (s.get(i) instanceof DataBlock a) {
            DataBlock c = (DataBlock) u.get(i);
            assertEquals(a.rows, c.rows, where);
            assertArrayEquals(a.x, c.x, 0.0, where);
            assertArrayEquals(a.keys, c.keys, where);
            assertArrayEquals(a.weights, c.weights, 0.0, where);
          } else {
            assertEquals(s.get(i), u.get(i), where);
          }
        }
      }
    }
    // The skipping run keeps the good rows (blank lines are no rows) and names the bad ones.
    List<Object> s = rows(true, true, false);
    DataBlock block = (DataBlock) s.get(0);
    assertEquals(7, block.rows, s.toString());
    assertEquals("skipped 5", s.get(1).toString().substring(0, 9), s.toString());
  }
}
