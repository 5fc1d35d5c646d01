package dev.latent.io;

import dev.latent.em.DataBlock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows left out under {@code --on-bad-row skip}: how many, and the messages of the first few. "First" is
 * by row key (input file, then line), not by the order partitions happen to report, so the examples are
 * the same whatever the partitioning. Mergeable, like the statistics that travel with it.
 */
public final class BadRows implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Examples kept: enough to see what is wrong, few enough for a summary file. */
  public static final int EXAMPLES = 5;

  private long count;
  private long[] keys = new long[0];
  private String[] messages = new String[0];

  /** Records the row with key {@code key} (see {@link DataBlock#rowKey}) and why it was left out. */
  public void add(long key, String message) {
    count++;
    keep(key, message);
  }

  public BadRows merge(BadRows o) {
    count += o.count;
    for (int i = 0; i < o.keys.length; i++) {
      keep(o.keys[i], o.messages[i]);
    }
    return this;
  }

  /** Inserts in key order and drops whatever falls beyond {@link #EXAMPLES}. */
  private void keep(long key, String message) {
    int at = 0;
    while (at < keys.length && keys[at] < key) {
      at++;
    }
    if (at >= EXAMPLES || (at < keys.length && keys[at] == key)) {
      return;
    }
    int n = Math.min(EXAMPLES, keys.length + 1);
    long[] k = new long[n];
    String[] m = new String[n];
    System.arraycopy(keys, 0, k, 0, at);
    System.arraycopy(messages, 0, m, 0, at);
    k[at] = key;
    m[at] = message;
    System.arraycopy(keys, at, k, at + 1, n - at - 1);
    System.arraycopy(messages, at, m, at + 1, n - at - 1);
    keys = k;
    messages = m;
  }

  public long count() {
    return count;
  }

  /** These examples, with {@code total} rows left out in all (at least the examples' own rows). */
  public BadRows counting(long total) {
    if (total < keys.length) {
      throw new IllegalArgumentException(total + " rows left out but " + keys.length + " examples");
    }
    BadRows b = new BadRows();
    b.merge(this);
    b.count = total;
    return b;
  }

  /** The messages of the first rows left out ({@code file:line:column: what is wrong}), in input order. */
  public List<String> examples() {
    return new ArrayList<>(Arrays.asList(messages));
  }
}
