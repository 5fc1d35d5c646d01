package dev.latent.spark;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task slots a fit can count on. On a cluster the executors register after the context is up, often
 * seconds later; a fit that counted the slots before they came would read its input into the wrong number
 * of partitions, and the barrier engine would then move every cached block once (a shuffle of the whole
 * data). So before reading, a fit waits for the slots it was given, as Spark's own scheduler waits for
 * resources before the first job (spark.scheduler.maxRegisteredResourcesWaitingTime, 30 s by default).
 */
final class TaskSlots {
  private static final Logger LOG = LoggerFactory.getLogger(TaskSlots.class);
  private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,.*\\]");
  /** With no number to expect, the count is taken once it has not changed for this long. */
  static final long STEADY_MS = 1000;
  private static final long POLL_MS = 50;

  private TaskSlots() {}

  /** Task slots registered now (0 while no executor has come). */
  static int now(SparkContext sc) {
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
  }

  /**
   * The slots the configuration asks for, or 0 if it names no number: local-cluster[N, C, M] gives N C
   * cores, else spark.executor.instances times spark.executor.cores, else spark.cores.max (standalone);
   * divided by spark.task.cpus. Local mode has its slots from the start and needs no number.
   */
  static int expected(SparkConf conf) {
    String master = conf.get("spark.master", "");
    long cpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
    Matcher m = LOCAL_CLUSTER.matcher(master);
    long cores = 0;
    if (m.matches()) {
      cores = Long.parseLong(m.group(1)) * Long.parseLong(m.group(2));
    } else if (conf.contains("spark.executor.instances") && conf.contains("spark.executor.cores")) {
      cores = (long) conf.getInt("spark.executor.instances", 0) * conf.getInt("spark.executor.cores", 0);
    } else if (conf.contains("spark.cores.max")) {
      cores = conf.getInt("spark.cores.max", 0);
    }
    return (int) Math.min(Integer.MAX_VALUE, cores / cpus);
  }

  /**
   * The slots once the expected ones have registered ({@link #expected}), or, expecting no number, once
   * the count has been above 0 and steady for {@link #STEADY_MS}; at most {@code maxWaitMs}, then what is
   * there (logged). Local mode returns at once.
   */
  static int await(JavaSparkContext jsc, long maxWaitMs) {
    SparkContext sc = jsc.sc();
    String master = sc.master();
    int slots = now(sc);
    if (master.startsWith("local") && !master.startsWith("local-cluster")) {
      return slots;
    }
    int want = expected(jsc.getConf());
    long t0 = System.nanoTime();
    long steadySince = t0;
    while (!(want > 0 ? slots >= want : slots > 0 && System.nanoTime() - steadySince >= STEADY_MS * 1_000_000L)) {
      long waited = (System.nanoTime() - t0) / 1_000_000L;
      if (waited >= maxWaitMs) {
        LOG.warn(String.format(Locale.ROOT, "%d task slots after %.1f s of waiting for %s: the input is read for"
            + " these; slots that come later are used after the cached blocks are moved", slots, waited / 1e3,
            want > 0 ? want + " (the executors asked for)" : "the executors to register"));
        return slots;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return slots;
      }
      int n = now(sc);
      if (n != slots) {
        slots = n;
        steadySince = System.nanoTime();
      }
    }
    double waited = (System.nanoTime() - t0) / 1e9;
    if (waited >= 0.1) {
      LOG.info(String.format(Locale.ROOT, "%d task slots registered after %.1f s: the input is read into one"
          + " partition per slot", slots, waited));
    }
    return slots;
  }
}
