package dev.latent.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TopRows keeps the m highest (score, smaller key) rows whatever the order of offers and however the
 * rows are split between partial sets before merging. Comparisons are exact: no arithmetic is involved.
 */
class TopRowsTest {
  private static final int D = 2;

  /** One offered row; its features are derived from the key so a mixed-up row is detected. */
  private record Offer(double score, long key) {
    double[] row() {
      return new double[] {key, -0.5 * key};
    }
  }

  // Best first: higher score, then the smaller key.
  private static final Comparator<Offer> BEST_FIRST =
      Comparator.comparingDouble(Offer::score).reversed().thenComparingLong(Offer::key);

  @Test
  void keepsTheHighestScores() {
    TopRows t = new TopRows(3, D);
    double[] scores = {0.1, 5.0, -2.0, 3.0, 4.0, 0.7};
    for (int i = 0; i < scores.length; i++) {
      offer(t, new Offer(scores[i], 100 + i));
    }
    assertEquals(List.of(new Offer(5.0, 101), new Offer(4.0, 104), new Offer(3.0, 103)), contents(t));
  }

  @Test
  void tiesGoToTheSmallerKey() {
    TopRows t = new TopRows(2, D);
    offer(t, new Offer(1.0, 30));
    offer(t, new Offer(1.0, 10));
    offer(t, new Offer(1.0, 20));
    offer(t, new Offer(1.0, 5));
    assertEquals(List.of(new Offer(1.0, 5), new Offer(1.0, 10)), contents(t));
    assertFalse(t.accepts(1.0, 11), "a tie with a larger key than the worst kept must be refused");
    assertTrue(t.accepts(1.0, 9));
  }

  @Test
  void independentOfOrderAndOfSplitting() {
    Random rnd = new Random(7);
    List<Offer> offers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // Few distinct scores, so ties are common and the key rule decides; keys are distinct and unordered.
      offers.add(new Offer(rnd.nextInt(12), 1000 + (i * 7919L) % 100003));
    }
    for (int m : new int[] {1, 5, 17}) {
      List<Offer> expected = new ArrayList<>(offers);
      expected.sort(BEST_FIRST);
      expected = expected.subList(0, m);
      for (int trial = 0; trial < 20; trial++) {
        List<Offer> shuffled = new ArrayList<>(offers);
        Collections.shuffle(shuffled, rnd);
        TopRows whole = new TopRows(m, D);
        shuffled.forEach(o -> offer(whole, o));
        assertEquals(expected, contents(whole), "m=" + m + " trial " + trial);

        int cut = rnd.nextInt(shuffled.size() + 1);
        TopRows a = new TopRows(m, D);
        TopRows b = new TopRows(m, D);
        shuffled.subList(0, cut).forEach(o -> offer(a, o));
        shuffled.subList(cut, shuffled.size()).forEach(o -> offer(b, o));
        TopRows ab = new TopRows(m, D).merge(a).merge(b);
        TopRows ba = b.merge(a);
        assertEquals(expected, contents(ab), "merge a+b, cut " + cut);
        assertEquals(expected, contents(ba), "merge b+a, cut " + cut);
      }
    }
  }

  @Test
  void rowsTravelWithTheirKeys() {
    TopRows t = new TopRows(2, D);
    double[] block = {9, 9, 1, 2, 3, 4};
    t.offer(0.5, 7, block, 2);
    t.offer(0.9, 8, block, 4);
    t.offer(0.1, 9, block, 0);
    int[] order = t.order();
    assertEquals(8, t.key(order[0]));
    assertArrayEquals(new double[] {3, 4}, t.row(order[0]), 0.0);
    assertEquals(7, t.key(order[1]));
    assertArrayEquals(new double[] {1, 2}, t.row(order[1]), 0.0);
  }

  @Test
  void emptyCapacityAndNanAreRefused() {
    TopRows none = new TopRows(0, D);
    assertFalse(none.accepts(1.0, 1));
    offer(none, new Offer(1.0, 1));
    assertEquals(0, none.size());
    TopRows t = new TopRows(2, D);
    assertFalse(t.accepts(Double.NaN, 1));
    t.offer(Double.NaN, 1, new double[] {0, 0}, 0);
    assertEquals(0, t.size());
  }

  private static void offer(TopRows t, Offer o) {
    t.offer(o.score(), o.key(), o.row(), 0);
  }

  /** The kept rows best first, checking each row's features still belong to its key. */
  private static List<Offer> contents(TopRows t) {
    List<Offer> out = new ArrayList<>();
    for (int i : t.order()) {
      Offer o = new Offer(t.score(i), t.key(i));
      assertArrayEquals(o.row(), t.row(i), 0.0, "features of key " + o.key());
      out.add(o);
    }
    return out;
  }
}
