package dev.latent.spark;

import dev.latent.em.DataBlock;
import dev.latent.em.DataPass;
import dev.latent.em.EStepTask;
import dev.latent.em.OrderedMerge;
import dev.latent.em.SampleTask;
import dev.latent.em.SharedScan;
import dev.latent.em.SuffStats;
import dev.latent.em.Sweep;
import dev.latent.em.TopRows;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;

/**
 * The barrier engine: no Spark job per scan. One barrier stage is a round of up to {@code roundScans}
 * scans (or until a scan ends past {@code roundSeconds}): its tasks, one per cached partition and all
 * running at once (a barrier stage starts all its tasks together or none), stay alive and connect back to
 * the driver; per scan the driver sends every task the E-step tasks, each task scans its partition and
 * sends its statistics, and the driver merges them in partition order ({@link OrderedMerge}, the aggregate
 * engine's order, so both engines give the same bits on the same partitions) and runs the M-steps. Tasks in
 * one JVM share their scans ({@link RoundNeighbours}): one that has claimed all its own chunks computes the
 * others' unclaimed ones, so a scan ends when the executor's work is done rather than its slowest task's.
 *
 * <p>Why not {@link BarrierTaskContext#allGather}: in Spark 4.1.0 a task waits for the exchange in steps
 * of {@code Thread.sleep(1000)}, so every scan would cost up to a second. Why the driver steps: the
 * state is then on the driver after every scan (log lines as they happen, a checkpoint per scan), no
 * task can diverge from another, and the exchange moves P S bytes each way instead of allGather's P^2 S.
 *
 * <p>Failures: a task that fails (a lost executor) fails the whole barrier stage; the driver sees its
 * connection close or the job fail, abandons the round (its state only changes once every partition's
 * statistics are in) and runs the same scan again in a new round with a new token, up to
 * {@link #ATTEMPTS} times in a row. The channel is plain TCP on the driver's address, authenticated by a
 * random token per round that travels in the task closure; see {@link Engines} for when auto avoids it.
 */
public final class BarrierDataPass implements DataPass, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierDataPass.class);
  static final int ATTEMPTS = 4;
  private static final int SCAN = 1;
  private static final int END = 2;
  private static final SecureRandom TOKENS = new SecureRandom();

  private final JavaSparkContext jsc;
  private final JavaRDD<DataBlock> blocks;
  private final SparkDataPass single;
  private final int partitions;
  private final int fanIn;
  private final int roundScans;
  private final long roundNanos;
  private final ServerSocket server;
  private final String host;
  private Round round;
  private Profile profile = Profile.NONE;
  private long lastScanEnd;

  /** {@code blocks}: cached, at most as many partitions as task slots; {@code depth} fixes the merge order. */
  public BarrierDataPass(JavaSparkContext jsc, JavaRDD<DataBlock> blocks, int d, int depth, int roundScans,
      double roundSeconds) {
    this.jsc = jsc;
    this.blocks = blocks;
    this.single = new SparkDataPass(jsc, blocks, d, depth);
    this.partitions = blocks.getNumPartitions();
    this.fanIn = OrderedMerge.fanIn(partitions, depth);
    this.roundScans = roundScans;
    this.roundNanos = (long) Math.min(roundSeconds * 1e9, Long.MAX_VALUE);
    this.host = jsc.getConf().get("spark.driver.host", "127.0.0.1");
    String bind = jsc.getConf().get("spark.driver.bindAddress", host);
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(bind), 0), partitions + 8);
      server.setSoTimeout(1000);
    } catch (IOException e) {
      throw new UncheckedIOException("barrier engine: cannot listen on " + bind, e);
    }
  }

  @Override
  public Sweep advance(Sweep sweep) {
    for (int attempt = 1; ; attempt++) {
      try {
        if (round == null) {
          round = new Round();
        }
        sweep.accept(round.scan(sweep.tasks()));
        round.scans++;
        if (sweep.done() || round.scans >= roundScans || System.nanoTime() - round.started >= roundNanos) {
          round.finish();
          round = null;
        }
        return sweep;
      } catch (IOException | RoundFailed e) {
        if (round != null) {
          round.abandon();
          round = null;
        }
        if (attempt >= ATTEMPTS) {
          throw new IllegalStateException("barrier engine: " + ATTEMPTS + " rounds failed in a row at scan "
              + (sweep.scans() + 1) + "; the last: " + e.getMessage(), e);
        }
        LOG.warn("barrier round lost before scan {} ({}): the scan runs again from the driver's state",
            sweep.scans() + 1, e.toString());
      }
    }
  }

  /** The job of a round failed or ended while the driver still waited for it. */
  private static final class RoundFailed extends Exception {
    private static final long serialVersionUID = 1L;

    RoundFailed(String why, Throwable cause) {
      super(why, cause);
    }
  }

  /**
   * Where the scans' wall time went, summed over the scans since the engine opened or was last reset: the
   * driver's wall time from sending a scan's tasks to having its merged statistics, the slowest and the
   * fastest task's own work in each scan (reading the tasks, scanning its blocks, writing its statistics),
   * and the driver's time between two scans of a round (the M-steps, the log, the next tasks).
   */
  public record Profile(int scans, long wallNanos, long slowestNanos, long fastestNanos, long betweenNanos,
      int betweens, long[] partitionNanos, long helpedChunks) {
    static final Profile NONE = new Profile(0, 0, 0, 0, 0, 0, new long[0], 0);

    Profile plus(long wall, long[] work, long between, long helped) {
      long slowest = 0;
      long fastest = Long.MAX_VALUE;
      long[] sum = Arrays.copyOf(partitionNanos, Math.max(partitionNanos.length, work.length));
      for (int p = 0; p < work.length; p++) {
        slowest = Math.max(slowest, work[p]);
        fastest = Math.min(fastest, work[p]);
        sum[p] += work[p];
      }
      return new Profile(scans + 1, wallNanos + wall, slowestNanos + slowest, fastestNanos + fastest,
          betweenNanos + Math.max(between, 0), betweens + (between >= 0 ? 1 : 0), sum, helpedChunks + helped);
    }

    /** Milliseconds per scan of each partition's task: a partition always slowest is skewed or slow. */
    public double[] partitionMs() {
      double[] ms = new double[partitionNanos.length];
      for (int p = 0; p < ms.length; p++) {
        ms[p] = scans == 0 ? 0.0 : partitionNanos[p] / 1e6 / scans;
      }
      return ms;
    }

    /** Milliseconds per scan from sending the tasks to having the merged statistics. */
    public double wallMs() {
      return scans == 0 ? 0.0 : wallNanos / 1e6 / scans;
    }

    /** Milliseconds per scan of the slowest task's own work. */
    public double slowestMs() {
      return scans == 0 ? 0.0 : slowestNanos / 1e6 / scans;
    }

    /** Milliseconds per scan of the fastest task's own work. */
    public double fastestMs() {
      return scans == 0 ? 0.0 : fastestNanos / 1e6 / scans;
    }

    /** Milliseconds per scan the exchange and merge add to the slowest task's work. */
    public double exchangeMs() {
      return wallMs() - slowestMs();
    }

    /**
     * Chunks per scan that a task computed for another partition whose task runs in the same JVM, having
     * claimed all of its own ({@link RoundNeighbours}).
     */
    public double helpedChunksPerScan() {
      return scans == 0 ? 0.0 : (double) helpedChunks / scans;
    }

    /** Milliseconds the driver spends between two scans of a round. */
    public double betweenMs() {
      return betweens == 0 ? 0.0 : betweenNanos / 1e6 / betweens;
    }

    /**
     * The account per scan in milliseconds (to the microsecond), as {@code summary.json}'s
     * {@code run.barrierScans} holds it: scans, scanMs, slowestTaskMs, fastestTaskMs, partitionMs,
     * helpedChunks (per scan), exchangeMs, driverBetweenScansMs.
     */
    public Map<String, Object> summary() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scans", scans);
      m.put("scanMs", micros(wallMs()));
      m.put("slowestTaskMs", micros(slowestMs()));
      m.put("fastestTaskMs", micros(fastestMs()));
      m.put("partitionMs", Arrays.stream(partitionMs()).map(Profile::micros).toArray());
      m.put("helpedChunks", micros(helpedChunksPerScan()));
      m.put("exchangeMs", micros(exchangeMs()));
      m.put("driverBetweenScansMs", micros(betweenMs()));
      return m;
    }

    private static double micros(double ms) {
      return Math.round(ms * 1e3) / 1e3;
    }

    @Override
    public String toString() {
      if (scans == 0) {
        return "no barrier scans";
      }
      StringBuilder each = new StringBuilder();
      for (double ms : partitionMs()) {
        each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", ms));
      }
      return String.format(Locale.ROOT, "%d barrier scans, per scan %.2f ms: the slowest task works %.2f ms"
          + " (the fastest %.2f; by partition %s; %.1f chunks helped), the exchange and merge add %.2f ms; the"
          + " driver spends %.2f ms between scans", scans, wallMs(), slowestMs(), fastestMs(), each,
          helpedChunksPerScan(), exchangeMs(), betweenMs());
    }
  }

  /** The scans' time so far (see {@link Profile}). */
  public Profile profile() {
    return profile;
  }

  /** Starts the {@link Profile} afresh. */
  public void resetProfile() {
    profile = Profile.NONE;
  }

  /** One barrier stage and its P connections. */
  private final class Round {
    final long token = TOKENS.nextLong();
    final long started = System.nanoTime();
    final JavaFutureAction<List<Integer>> job;
    final Socket[] sockets = new Socket[partitions];
    final DataInputStream[] in = new DataInputStream[partitions];
    final DataOutputStream[] out = new DataOutputStream[partitions];
    int scans;

    Round() throws IOException, RoundFailed {
      String h = host;
      int port = server.getLocalPort();
      long t = token;
      @SuppressWarnings("unchecked")
      Function1<Iterator<DataBlock>, Iterator<Integer>> serve =
          (Function1<Iterator<DataBlock>, Iterator<Integer>> & Serializable) it -> BarrierDataPass.serve(it, h, port, t);
      RDD<Integer> r = blocks.rdd().barrier().mapPartitions(serve, false, ClassTag$.MODULE$.apply(Integer.class));
      job = r.toJavaRDD().collectAsync();
      try {
        int connected = 0;
        while (connected < partitions) {
          Socket s;
          try {
            s = server.accept();
          } catch (SocketTimeoutException e) {
            alive();
            continue;
          }
          s.setTcpNoDelay(true);
          s.setSoTimeout(1000);
          DataInputStream i = new DataInputStream(new BufferedInputStream(s.getInputStream()));
          long tok;
          int p;
          try {
            tok = i.readLong();
            p = i.readInt();
          } catch (IOException e) {
            s.close();
            continue;
          }
          if (tok != token || p < 0 || p >= partitions || sockets[p] != null) {
            // A task of an earlier round or stage attempt: not ours.
            s.close();
            continue;
          }
          sockets[p] = s;
          in[p] = i;
          out[p] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
          connected++;
        }
      } catch (IOException | RoundFailed e) {
        abandon();
        throw e;
      }
    }

    /** One scan: the tasks to every partition, then their statistics merged in partition order. */
    SuffStats[] scan(EStepTask[] tasks) throws IOException, RoundFailed {
      long t0 = System.nanoTime();
      byte[] msg = Serial.bytes(tasks);
      for (DataOutputStream o : out) {
        o.writeInt(SCAN);
        o.writeInt(msg.length);
        o.write(msg);
        o.flush();
      }
      List<SuffStats[]> parts = new ArrayList<>(Arrays.asList(new SuffStats[partitions][]));
      long[] work = new long[partitions];
      long helped = 0;
      for (int p = 0; p < partitions; p++) {
        work[p] = readLong(in[p]);
        helped += in[p].readInt();
        parts.set(p, Serial.read(readBytes(in[p])));
      }
      SuffStats[] merged = OrderedMerge.merge(parts, fanIn);
      long t1 = System.nanoTime();
      profile = profile.plus(t1 - t0, work, scans == 0 ? -1 : t0 - lastScanEnd, helped);
      lastScanEnd = t1;
      return merged;
    }

    /**
     * Reads the first word of a task's reply (its working time), waiting as long as the round's job is
     * alive; the word comes in one write with the rest, so a timeout falls between messages.
     */
    private long readLong(DataInputStream i) throws IOException, RoundFailed {
      while (true) {
        try {
          return i.readLong();
        } catch (SocketTimeoutException e) {
          alive();
        }
      }
    }

    /** Reads one length-prefixed message, waiting as long as the round's job is alive. */
    private byte[] readBytes(DataInputStream i) throws IOException, RoundFailed {
      int n = -1;
      while (n < 0) {
        try {
          n = i.readInt();
        } catch (SocketTimeoutException e) {
          alive();
        }
      }
      byte[] b = new byte[n];
      int got = 0;
      while (got < n) {
        try {
          i.readFully(b, got, n - got);
          got = n;
        } catch (SocketTimeoutException e) {
          // readFully may have read part of the message before timing out; a slow link, not an error
          alive();
          throw new IOException("a task's statistics stalled mid-message", e);
        }
      }
      return b;
    }

    private void alive() throws RoundFailed {
      if (job.isDone()) {
        try {
          job.get();
          throw new RoundFailed("the barrier stage ended before the driver released it", null);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RoundFailed("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new RoundFailed("the barrier stage failed: " + e.getCause(), e.getCause());
        }
      }
    }

    /** Releases the tasks and waits for the stage to end. */
    void finish() throws IOException, RoundFailed {
      for (DataOutputStream o : out) {
        o.writeInt(END);
        o.flush();
      }
      try {
        job.get(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RoundFailed("interrupted", e);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new RoundFailed("the barrier stage did not end cleanly: " + e, e);
      } finally {
        closeSockets();
      }
      LOG.debug(String.format(Locale.ROOT, "barrier round of %d scans in %.3f s; so far %s", scans,
          (System.nanoTime() - started) / 1e9, profile));
    }

    void abandon() {
      job.cancel(true);
      closeSockets();
    }

    private void closeSockets() {
      for (Socket s : sockets) {
        if (s != null) {
          try {
            s.close();
          } catch (IOException ignored) {
            // closing: nothing left to do with it
          }
        }
      }
    }
  }

  /**
   * One barrier task for a whole round: connects to the driver, then per scan reads the E-step tasks,
   * scans its cached partition and sends its statistics, until the driver says the round is over.
   */
  private static Iterator<Integer> serve(Iterator<DataBlock> it, String host, int port, long token) {
    BarrierTaskContext ctx = BarrierTaskContext.get();
    List<DataBlock> mine = new ArrayList<>();
    while (it.hasNext()) {
      mine.add(it.next());
    }
    SharedScan scan = new SharedScan(mine);
    RoundNeighbours near = RoundNeighbours.join(token, ctx.stageAttemptNumber(), ctx.partitionId(), scan);
    int scans = 0;
    try (Socket s = new Socket(host, port)) {
      s.setTcpNoDelay(true);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
      out.writeLong(token);
      out.writeInt(ctx.partitionId());
      out.flush();
      while (in.readInt() == SCAN) {
        byte[] msg = new byte[in.readInt()];
        in.readFully(msg);
        long t0 = System.nanoTime();
        EStepTask[] tasks = Serial.read(msg);
        // Own chunks first, then the unclaimed chunks of the partitions whose tasks share this JVM.
        SuffStats[] pad = new SuffStats[tasks.length];
        scan.help(scans, tasks, pad);
        int helped = near.helpOthers(scans, tasks, pad);
        byte[] stats = Serial.bytes(scan.result(scans, tasks));
        out.writeLong(System.nanoTime() - t0);
        out.writeInt(helped);
        out.writeInt(stats.length);
        out.write(stats);
        out.flush();
        scans++;
      }
    } catch (EOFException e) {
      throw new IllegalStateException("barrier task " + ctx.partitionId() + ": the driver closed the round", e);
    } catch (IOException e) {
      throw new UncheckedIOException("barrier task " + ctx.partitionId() + ": lost the driver", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("barrier task " + ctx.partitionId() + ": interrupted", e);
    } finally {
      near.leave();
    }
    return scala.collection.Iterator$.MODULE$.single(scans);
  }

  @Override
  public SuffStats[] estep(EStepTask[] tasks) {
    return single.estep(tasks);
  }

  @Override
  public TopRows[] sample(SampleTask[] tasks) {
    return single.sample(tasks);
  }

  @Override
  public int dimension() {
    return single.dimension();
  }

  @Override
  public void close() {
    if (round != null) {
      round.abandon();
      round = null;
    }
    try {
      server.close();
    } catch (IOException ignored) {
      // the port is released with the process anyway
    }
  }
}
