package dev.latent.bench;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Two builds' {@link EStepKernelBench} in one JVM, each in its own class loader, timed round by round in
 * turn (A, B, A, B, ...), so that a loaded machine disturbs both alike: the fastest and the median of the
 * rounds after a warm-up quarter, per build, in ns per row, and a hash of each build's statistics' bits. A build
 * is a folder holding its {@code classes} and {@code test-classes}; the other jars come from this JVM's
 * class path (the same for both).
 *
 * <p>Usage: {@code java [conf/jvm-flags] -cp target/classes:target/test-classes:DEPS
 * dev.latent.bench.KernelAB BUILD_A BUILD_B [MODEL, default gmm] [K, default 8] [ROUNDS, default 60]
 * [THREADS, default 1]}; {@code -Dlatent.bench.rows=N} sets the rows per E-step (default 100k, in this
 * machine's L3 cache; 500k is a barrier task's share of the benchmark's 1M), {@code -Dlatent.bench.d=D}
 * the dimension (default 10). With several threads each has its own copy of the data, they start every round
 * together, and the round's time is the slowest thread's, as a Spark stage's is: the two builds are then
 * compared with every core busy, where a kernel that keeps more execution units busy can lose its lead.
 */
public final class KernelAB {
  private KernelAB() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.out.println("usage: KernelAB BUILD_A BUILD_B [MODEL, default gmm] [K, default 8] [ROUNDS, default 60]"
          + " [THREADS, default 1]");
      return;
    }
    String model = args.length > 2 ? args[2] : "gmm";
    int k = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
    int threads = args.length > 5 ? Integer.parseInt(args[5]) : 1;
    String[] builds = {args[0], args[1]};
    Object[][] bench = new Object[2][threads];
    Method[] estep = new Method[2];
    for (int b = 0; b < 2; b++) {
      ClassLoader loader = loader(builds[b]);
      Class<?> c = Class.forName("dev.latent.bench.EStepKernelBench", true, loader);
      for (int t = 0; t < threads; t++) {
        Object o = c.getDeclaredConstructor().newInstance();
        set(c, o, "path", "vector");
        set(c, o, "model", model);
        set(c, o, "d", Integer.getInteger("latent.bench.d", 10));
        set(c, o, "k", k);
        c.getMethod("setUp").invoke(o);
        bench[b][t] = o;
      }
      estep[b] = c.getMethod("estep");
    }
    int n = EStepKernelBench.N;
    List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>());
    Object[] last = new Object[2];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        for (int b = 0; b < 2; b++) {
          CyclicBarrier start = new CyclicBarrier(threads);
          List<Future<Object[]>> runs = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            Object o = bench[b][t];
            Method m = estep[b];
            runs.add(pool.submit(() -> {
              start.await();
              long t0 = System.nanoTime();
              Object stats = m.invoke(o);
              return new Object[] {System.nanoTime() - t0, stats};
            }));
          }
          long slowest = 0;
          for (Future<Object[]> f : runs) {
            Object[] r = f.get();
            slowest = Math.max(slowest, (Long) r[0]);
            last[b] = r[1];
          }
          if (round >= rounds / 4) {
            times.get(b).add(slowest / (double) n);
          }
        }
      }
    } finally {
      pool.shutdown();
    }
    for (int b = 0; b < 2; b++) {
      double[] t = times.get(b).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.println(String.format(Locale.ROOT, "%s  %s K=%d: fastest %.1f ns per row, median %.1f (%d rounds)"
          + "  statistics' bits %016x", b == 0 ? "A" : "B", model, k, t[0], t[t.length / 2], t.length, bits(last[b], k)));
    }
  }

  /** A hash of the bits of the log-likelihood and of every component's weight, sums and scatter. */
  private static long bits(Object stats, int k) throws ReflectiveOperationException {
    Class<?> c = stats.getClass();
    long h = Double.doubleToRawLongBits(c.getField("logLik").getDouble(stats));
    for (int j = 0; j < k; j++) {
      h = h * 31 + Double.doubleToRawLongBits((double) c.getMethod("resp", int.class).invoke(stats, j));
      for (String m : new String[] {"sumOf", "scatterOf"}) {
        for (double v : (double[]) c.getMethod(m, int.class).invoke(stats, j)) {
          h = h * 31 + Double.doubleToRawLongBits(v);
        }
      }
    }
    return h;
  }

  private static void set(Class<?> c, Object o, String name, Object value) throws ReflectiveOperationException {
    Field f = c.getField(name);
    f.set(o, value);
  }

  /** The build's classes first, then every entry of this JVM's class path except its own classes. */
  private static ClassLoader loader(String build) throws Exception {
    List<URL> urls = new ArrayList<>();
    urls.add(new File(build, "classes").toURI().toURL());
    urls.add(new File(build, "test-classes").toURI().toURL());
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.endsWith("classes") && !e.endsWith("classes/")) {
        urls.add(new File(e).toURI().toURL());
      }
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }
}
