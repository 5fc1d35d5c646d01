package dev.latent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latent.em.DataBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad-row reports merge to the same count and the same first examples in any order. */
class BadRowsTest {
  @Test
  void keepsTheFirstRowsByFileAndLineWhateverTheMergeOrder() {
    BadRows a = new BadRows();
    BadRows b = new BadRows();
    BadRows c = new BadRows();
    for (int line = 40; line > 2; line -= 3) {
      a.add(DataBlock.rowKey(1, line), "f1:" + line);
    }
    b.add(DataBlock.rowKey(0, 900), "f0:900");
    c.add(DataBlock.rowKey(0, 7), "f0:7");
    c.add(DataBlock.rowKey(2, 1), "f2:1");

    BadRows left = new BadRows().merge(a).merge(b).merge(c);
    BadRows right = new BadRows().merge(c).merge(new BadRows().merge(b).merge(a));
    List<String> expected = List.of("f0:7", "f0:900", "f1:4", "f1:7", "f1:10");
    assertEquals(expected, left.examples());
    assertEquals(expected, right.examples());
    assertEquals(16, left.count());
    assertEquals(16, right.count());
  }

  @Test
  void countingKeepsTheExamplesAndSetsTheTotal() {
    BadRows a = new BadRows();
    a.add(DataBlock.rowKey(0, 5), "f0:5");
    a.add(DataBlock.rowKey(0, 3), "f0:3");
    BadRows all = a.counting(40);
    assertEquals(List.of("f0:3", "f0:5"), all.examples());
    assertEquals(40, all.count());
    assertEquals(2, a.count(), "the original is left as it was");
    assertThrows(IllegalArgumentException.class, () -> a.counting(1));
  }
}
