package dev.latent.spark;

import dev.latent.em.EStepTask;
import dev.latent.em.SharedScan;
import dev.latent.em.SuffStats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The partitions of one barrier round whose tasks run in this JVM (an executor with several cores, or local
 * mode): a task that has claimed all of its own partition's chunks helps with the others' instead of
 * waiting for the slowest, so a scan ends when the executor's work is done, not its slowest task's share.
 * The bits do not change ({@link SharedScan}); tasks in other JVMs cannot help (the blocks are not there).
 */
final class RoundNeighbours {
  private record Key(long token, int stageAttempt) {}

  private static final Map<Key, ConcurrentSkipListMap<Integer, SharedScan>> ROUNDS = new ConcurrentHashMap<>();

  private final Key key;
  private final int partition;
  private final SharedScan mine;
  private final ConcurrentSkipListMap<Integer, SharedScan> round;

  private RoundNeighbours(Key key, int partition, SharedScan mine, ConcurrentSkipListMap<Integer, SharedScan> round) {
    this.key = key;
    this.partition = partition;
    this.mine = mine;
    this.round = round;
  }

  /** Registers this task's partition for the round (a stage attempt of it) and returns its neighbours. */
  static RoundNeighbours join(long token, int stageAttempt, int partition, SharedScan mine) {
    Key key = new Key(token, stageAttempt);
    ConcurrentSkipListMap<Integer, SharedScan> round = ROUNDS.compute(key, (k, m) -> {
      ConcurrentSkipListMap<Integer, SharedScan> r = m == null ? new ConcurrentSkipListMap<>() : m;
      r.put(partition, mine);
      return r;
    });
    return new RoundNeighbours(key, partition, mine, round);
  }

  /**
   * Computes unclaimed chunks of scan {@code scan} of the other partitions here, in partition order;
   * returns how many.
   */
  int helpOthers(long scan, EStepTask[] tasks, SuffStats[] pad) {
    int helped = 0;
    for (Map.Entry<Integer, SharedScan> e : round.entrySet()) {
      if (e.getKey() != partition) {
        helped += e.getValue().help(scan, tasks, pad);
      }
    }
    return helped;
  }

  /** Leaves the round (the task's end, whatever the cause); the last to leave removes it. */
  void leave() {
    ROUNDS.computeIfPresent(key, (k, m) -> {
      m.remove(partition, mine);
      return m.isEmpty() ? null : m;
    });
  }

  /** Rounds with a partition registered in this JVM (tests: none is left behind). */
  static int open() {
    return ROUNDS.size();
  }
}
