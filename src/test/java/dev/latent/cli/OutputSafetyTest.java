package dev.latent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.testing.FullFileSystem;
import dev.latent.testing.Project;
import dev.latent.testing.Runs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * --overwrite replaces only Latent's own output folders, and a full disk ends with exit 4 naming the
 * output, nothing in its place and an earlier output intact (on a real 1 MB tmpfs mounted for the test,
 * and on a Hadoop file system that injects the same error).
 */
class OutputSafetyTest extends CliTestBase {
  private static final String IRIS = Project.testdata("iris.csv").toString();
  private static final String GOOD = BadInputTest.bad("good.csv");
  private static final String MODEL = BadInputTest.bad("model-good.json");

  @BeforeAll
  void fullDisks() {
    FullFileSystem.register(jsc.hadoopConfiguration());
  }

  @Test
  void aFolderLatentDidNotWriteIsRefusedAndLeftUntouched() throws IOException {
    Path thesis = Files.createDirectories(tmp.resolve("thesis"));
    Files.writeString(thesis.resolve("thesis.txt"), "four years of work");
    for (String[] cmd : commands(thesis)) {
      Runs.Result r = run(cmd);
      assertEquals(4, r.code(), r.toString());
      assertTrue(r.err().contains("output " + thesis + " is not a folder Latent wrote, so --overwrite leaves it"
          + " untouched: it has no _SUCCESS"), r.toString());
    }
    assertEquals("four years of work", Files.readString(thesis.resolve("thesis.txt")));
    assertEquals(List.of("thesis.txt"), names(thesis));
    assertEquals(List.of("thesis"), names(tmp), "no staging folder is left beside it");

    // Latent's output with a file of the user's added at its top level is not Latent's alone.
    Path out = tmp.resolve("out");
    Runs.ok(jsc, "fit", "--input", GOOD, "--k", "2", "--output", out.toString());
    Files.writeString(out.resolve("notes.txt"), "mine");
    Runs.Result r = run("fit", "--input", GOOD, "--k", "2", "--output", out.toString(), "--overwrite");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().contains("it holds notes.txt, which Latent did not write"), r.toString());
    assertEquals("mine", Files.readString(out.resolve("notes.txt")));

    // Nor is a folder with _SUCCESS but no summary of Latent's format (a Hadoop job's output, say).
    Path hadoop = Files.createDirectories(tmp.resolve("table"));
    Files.writeString(hadoop.resolve("_SUCCESS"), "");
    Files.writeString(hadoop.resolve("summary.json"), "{\"format\": \"someone-else\"}");
    r = run("predict", "--model", MODEL, "--input", GOOD, "--output", hadoop.toString(), "--overwrite");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().contains("it has no summary or inspect file of Latent's format"), r.toString());

    // Nor a file.
    Path file = Files.writeString(tmp.resolve("data.csv"), "x\n1\n");
    r = run("sample", "--model", MODEL, "--n", "5", "--output", file.toString(), "--overwrite");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().contains("exists and is a file, not a folder"), r.toString());
    assertEquals("x\n1\n", Files.readString(file));
  }

  @Test
  void latentsOwnOutputsAreReplaced() throws IOException {
    Path out = tmp.resolve("out");
    for (String[] cmd : commands(out)) {
      Runs.ok(jsc, cmd);
      assertTrue(Files.readString(out.resolve("_SUCCESS")).startsWith("latent output\n"));
    }
    // An empty folder holds nothing to lose: replaced.
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Runs.ok(jsc, "fit", "--input", GOOD, "--k", "2", "--output", empty.toString(), "--overwrite");
    assertTrue(Files.exists(empty.resolve("model.json")));
    // An output of an earlier Latent (an empty _SUCCESS) is replaced too.
    Path old = tmp.resolve("old");
    // As an earlier version wrote it: no report, and an empty _SUCCESS.
    Runs.ok(jsc, "fit", "--input", GOOD, "--k", "2", "--report", "none", "--output", old.toString());
    Files.writeString(old.resolve("_SUCCESS"), "");
    Files.deleteIfExists(old.resolve("._SUCCESS.crc"));
    Runs.ok(jsc, "fit", "--input", GOOD, "--k", "1", "--output", old.toString(), "--overwrite");
    assertEquals(1, json(old.resolve("model.json")).get("weights").size());
  }

  /** fit, predict and sample, each with --overwrite into {@code out}. */
  private static List<String[]> commands(Path out) {
    return List.of(
        new String[] {"fit", "--input", GOOD, "--k", "2", "--output", out.toString(), "--overwrite"},
        new String[] {"predict", "--model", MODEL, "--input", GOOD, "--output", out.toString(), "--overwrite"},
        new String[] {"sample", "--model", MODEL, "--n", "10", "--output", out.toString(), "--overwrite"});
  }

  /** A file system that refuses bytes beyond 4 KB a file: the same path as a full disk, with no mount. */
  @Test
  void aFullDiskEndsWithExitFourNamingTheOutputOnAnInjectingFileSystem() throws IOException {
    Path out = tmp.resolve("out");
    // No report: its page alone is larger than this file system's 4 KB a file.
    Runs.ok(jsc, "fit", "--input", GOOD, "--k", "2", "--report", "none", "--output", "full://" + out);
    Map<String, byte[]> before = contents(out);
    Runs.Result r = run("fit", "--input", IRIS, "--k", "3", "--exclude", "label", "--report", "none",
        "--output", "full://" + out, "--overwrite");
    assertFullDisk(r, "full:" + out, "assignments");
    assertContentsEqual(before, contents(out));
    assertEquals(List.of("out"), names(tmp));
    r = run("sample", "--model", MODEL, "--n", "1000", "--output", "full://" + tmp.resolve("s"));
    assertFullDisk(r, "full:" + tmp.resolve("s"), "samples");
    // A summary larger than the disk fails on the driver, with the same outcome.
    r = run("fit", "--input", GOOD, "--k", "1..3", "--covariance", "all", "--report", "none",
        "--output", "full://" + tmp.resolve("f"));
    assertFullDisk(r, "full:" + tmp.resolve("f"), "summary.json");
    assertEquals(List.of("out"), names(tmp));
  }

  /** A real 1 MB file system, mounted for the test (as root) and unmounted after it. */
  @Test
  void aFullDiskEndsWithExitFourNamingTheOutputOnASmallMountedFileSystem() throws Exception {
    Path mnt = Files.createDirectories(tmp.resolve("mnt"));
    String why = mount(mnt);
    Assumptions.assumeTrue(why == null, () -> "skipped: cannot mount a 1 MB tmpfs here (" + why + ")");
    try {
      double[][] x = blobs(20_000, 7);
      Path big = writeCsv(tmp.resolve("big.csv"), x, null, null);
      // An earlier output that fits, then a fit whose assignments (about 1.6 MB) do not.
      Path out = mnt.resolve("out");
      Runs.ok(jsc, "fit", "--input", GOOD, "--k", "2", "--output", out.toString());
      Map<String, byte[]> before = contents(out);
      Path ckpt = mnt.resolve("ckpt");
      Runs.Result r = run("fit", "--input", big.toString(), "--k", "2", "--max-iter", "2", "--output",
          out.toString(), "--overwrite", "--checkpoint", ckpt.toString());
      assertFullDisk(r, out.toString(), "assignments");
      assertContentsEqual(before, contents(out));
      // The fit's output was not committed, so its checkpoint is still there for --resume.
      Map<String, byte[]> state = contents(ckpt);
      assertEquals(1, state.keySet().stream().filter(n -> n.matches("state-\\d+\\.json")).count(),
          state.keySet().toString());

      // predict into a new folder: none is left behind.
      Path model = Files.writeString(tmp.resolve("model.json"), Files.readString(Path.of(BadInputTest.bad(
          "model-two-features.json"))).replace("\"x\",", "\"x0\",").replace("\"y\"", "\"x1\""));
      Runs.Result p = run("predict", "--model", model.toString(), "--input", big.toString(), "--output",
          mnt.resolve("p").toString());
      assertFullDisk(p, mnt.resolve("p").toString(), "assignments");
      assertFalse(Files.exists(mnt.resolve("p")));

      // A second small disk (the first may still hold the failed tasks' deleted files until they are
      // collected) with the earlier checkpoint on it, filled to the last byte: a new state cannot be
      // written, and the earlier one stays.
      Path mnt2 = Files.createDirectories(tmp.resolve("mnt2"));
      String why2 = mount(mnt2);
      assertEquals(null, why2);
      try {
        Path ckpt2 = Files.createDirectories(mnt2.resolve("ckpt"));
        for (String name : state.keySet()) {
          Files.write(ckpt2.resolve(name), state.get(name));
        }
        try (OutputStream o = Files.newOutputStream(mnt2.resolve("filler"))) {
          byte[] block = new byte[4096];
          while (true) {
            o.write(block);
          }
        } catch (IOException full) {
          // The disk is full.
        }
        r = run("fit", "--input", big.toString(), "--k", "2", "--seed", "5", "--max-iter", "2", "--output",
            tmp.resolve("elsewhere").toString(), "--checkpoint", ckpt2.toString());
        assertEquals(4, r.code(), r.toString());
        assertTrue(r.err().contains("cannot write the checkpoint " + ckpt2 + "/state-"), r.toString());
        assertTrue(r.err().contains("in --checkpoint " + ckpt2 + ": No space left on device"), r.toString());
        assertFalse(r.err().contains("\tat "), r.toString());
        assertContentsEqual(state, contents(ckpt2));
        assertFalse(Files.exists(tmp.resolve("elsewhere")));
        assertEquals(List.of("ckpt", "filler"), names(mnt2));
      } finally {
        umount(mnt2);
      }
    } finally {
      umount(mnt);
    }
  }

  private static void assertFullDisk(Runs.Result r, String output, String entry) {
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().contains("latent: output: cannot write " + entry + " of output " + output
        + ": No space left on device"), r.toString());
    assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r);
  }

  /** Null when a 1 MB tmpfs is mounted at {@code dir}, else why not. */
  private static String mount(Path dir) {
    try {
      Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "latent-test", dir.toString())
          .redirectErrorStream(true).start();
      String said = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "mount did not finish";
      }
      return p.exitValue() == 0 ? null : "mount exited with " + p.exitValue() + ": " + said;
    } catch (IOException | InterruptedException e) {
      return e.toString();
    }
  }

  /**
   * Unmounts. Hadoop's checksummed writer leaves a task's files open when their close fails for want of
   * space (deleted, so a real run frees them at exit): then the mount is detached lazily, to be freed
   * when the test JVM ends, and only a file of Latent's own left open fails the test.
   */
  private static void umount(Path dir) throws Exception {
    if (umount(dir, false) == 0) {
      return;
    }
    List<String> open = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(dir) && !target.toString().contains("/_temporary/")) {
            open.add(target.toString());
          }
        } catch (IOException gone) {
          // Closed meanwhile.
        }
      }
    }
    assertEquals(0, umount(dir, true), "umount -l " + dir);
    assertEquals(List.of(), open, "files left open on " + dir);
  }

  private static int umount(Path dir, boolean lazy) throws Exception {
    Process p = (lazy ? new ProcessBuilder("umount", "-l", dir.toString()) : new ProcessBuilder("umount",
        dir.toString())).redirectErrorStream(true).inheritIO().start();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** Every file under {@code dir} (hidden ones included) by relative path, with its bytes. */
  private static Map<String, byte[]> contents(Path dir) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(files::add);
    }
    for (Path f : files) {
      m.put(dir.relativize(f).toString(), Files.readAllBytes(f));
    }
    return m;
  }

  private static void assertContentsEqual(Map<String, byte[]> a, Map<String, byte[]> b) {
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), k);
    }
  }
}
