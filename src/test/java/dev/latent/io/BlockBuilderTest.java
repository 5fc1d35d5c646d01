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
    return rows(bytes, skip, weighted, ',', String.join(",", HEADER), List.of(LINES));
  }

  private static List<Object> rows(boolean bytes, boolean skip, boolean weighted, char sep, String header,
      List<String> data) {
    List<String> exclude = List.of("city");
    String[] names = header.replace("\r", "").split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
    InputSchema schema = InputSchema.resolve("t.csv", names, null, exclude, weighted ? "c" : null, null, sep);
    BlockBuilder b = new BlockBuilder(schema, "t.csv", 0, 0, false, skip);
    List<Object> out = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    lines.add(header);
    lines.addAll(data);
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
        same(rows(false, skip, weighted), rows(true, skip, weighted), "skip " + skip + ", weighted " + weighted);
      }
    }
    // The skipping run keeps the good rows (blank lines are no rows) and names the bad ones.
    List<Object> s = rows(true, true, false);
    DataBlock block = (DataBlock) s.get(0);
    assertEquals(7, block.rows, s.toString());
    assertEquals("skipped 5", s.get(1).toString().substring(0, 9), s.toString());
  }

  /**
   * Delimiters a number can hold: the byte path must not read "1.5.7" as two numbers where splitting
   * finds three fields. And a header ending in two carriage returns keeps the second, as a String does.
   */
  @Test
  void delimitersInsideNumbersAndCarriageReturnsAsStrings() {
    for (char sep : new char[] {'.', '-', 'e', '+', '5', ';'}) {
      String header = String.join(String.valueOf(sep), "a", "city", "b", "c");
      List<String> data = List.of(String.join(String.valueOf(sep), "1", "x", "2", "3"),
          "1.5.7.8", "-1-2-3-4", "1e5e3e4", "1+2+3+4", "15253545", "1;x;2;3;4", "1;x;2");
      for (boolean skip : new boolean[] {true, false}) {
        same(rows(false, skip, false, sep, header, data), rows(true, skip, false, sep, header, data),
            "delimiter " + sep + ", skip " + skip);
      }
    }
    List<String> one = List.of("1,x,2,3");
    same(rows(false, true, false, ',', "a,city,b,c\r\r", one), rows(true, true, false, ',', "a,city,b,c\r\r", one),
        "header with two carriage returns");
  }

  private static void same(List<Object> s, List<Object> u, String where) {
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
