package dev.latent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Child processes of a test (Spark daemons, drivers), each logging to its own file. {@link #close} stops
 * every one by its process id, its descendants (executors) first, and a JVM shutdown hook does the same
 * if the test JVM itself is stopped, so nothing outlives the test run.
 */
public final class Processes implements AutoCloseable {
  /** How long a process gets to stop after SIGTERM before it is killed. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final List<Child> children = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "stop-test-processes");

  public Processes() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** A started process and the file its stdout and stderr go to. */
  public record Child(String name, Process process, Path log) {
    public long pid() {
      return process.pid();
    }

    public String logText() {
      try {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Waits until the log has a line matching {@code regex} and returns the match (group 1 if the pattern has
     * a group). Fails when the process exits first or the time runs out, showing the end of the log.
     */
    public String awaitLine(String regex, Duration timeout) throws InterruptedException {
      Pattern p = Pattern.compile(regex);
      long end = System.nanoTime() + timeout.toNanos();
      while (true) {
        Matcher m = p.matcher(logText());
        if (m.find()) {
          return m.groupCount() > 0 ? m.group(1) : m.group();
        }
        if (!process.isAlive()) {
          throw new AssertionError(name + " exited with " + process.exitValue() + " before logging /" + regex
              + "/:\n" + tail(logText()));
        }
        if (System.nanoTime() > end) {
          throw new AssertionError(name + " did not log /" + regex + "/ within " + timeout + ":\n" + tail(logText()));
        }
        Thread.sleep(100);
      }
    }

    /** Waits for the process to exit and returns its exit code; kills it and fails after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(process.toHandle());
        throw new AssertionError(name + " did not finish within " + timeout + ":\n" + tail(logText()));
      }
      return process.exitValue();
    }
  }

  /** Starts {@code command} in {@code dir} with extra environment variables, logging into {@code log}. */
  public synchronized Child start(String name, List<String> command, Path dir, Map<String, String> env, Path log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Child c = new Child(name, pb.start(), log);
    children.add(c);
    return c;
  }

  /** The descendants of {@code root} whose command line names {@code mainClass}. */
  public static List<ProcessHandle> descendantsRunning(ProcessHandle root, String mainClass) {
    List<ProcessHandle> out = new ArrayList<>();
    root.descendants().forEach(h -> {
      String cmd = h.info().commandLine().orElse("");
      if (cmd.contains(mainClass)) {
        out.add(h);
      }
    });
    return out;
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and the hook is running or has run.
    }
  }

  /** Stops every child, the last started first (a Worker before its Master). */
  private synchronized void stopAll() {
    for (int i = children.size() - 1; i >= 0; i--) {
      stop(children.get(i).process().toHandle());
    }
    children.clear();
  }

  /** SIGTERM to the descendants and the process, then SIGKILL to whatever is still alive after the grace time. */
  public static void stop(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
    all.add(root);
    all.forEach(ProcessHandle::destroy);
    long end = System.nanoTime() + GRACE.toNanos();
    for (ProcessHandle h : all) {
      long left = Math.max(0, end - System.nanoTime());
      try {
        h.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  /** The last lines of a log, for failure messages. */
  public static String tail(String text) {
    String[] lines = text.split("\n");
    int from = Math.max(0, lines.length - 40);
    return String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
  }
}
