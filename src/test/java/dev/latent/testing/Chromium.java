package dev.latent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket, JDK client): opens a page, collects
 * console errors and uncaught exceptions, measures elements, takes a screenshot. No dependency: a few
 * protocol commands are all the report's browser test needs.
 */
public final class Chromium implements AutoCloseable {
  /** Debian's chromium, which .ci/run installs. */
  public static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private String session;

  /** What a loaded page showed: problems reported by the page, the result of a script, a PNG. */
  public record Page(List<String> errors, JsonNode measured, byte[] png) {}

  private Chromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  public static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /** Starts the browser with a fresh profile in {@code profile} and connects to it. */
  public static Chromium start(Path profile) throws IOException, InterruptedException {
    Files.createDirectories(profile);
    List<String> cmd = List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0", "about:blank");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log")
        .toFile()).start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> lines = List.of();
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IOException("chromium exited with code " + p.exitValue() + ":\n"
              + Files.readString(profile.resolve("chromium.log")));
        }
        if (Files.exists(portFile)) {
          lines = Files.readAllLines(portFile);
          if (lines.size() >= 2) {
            break;
          }
        }
        Thread.sleep(100);
      }
      if (lines.size() < 2) {
        throw new IOException("chromium did not open its DevTools port in " + WAIT.toSeconds() + " s");
      }
      URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
      Chromium[] self = new Chromium[1];
      StringBuilder partial = new StringBuilder();
      WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
          .buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
              partial.append(data);
              if (last) {
                String text = partial.toString();
                partial.setLength(0);
                self[0].receive(text);
              }
              w.request(1);
              return null;
            }
          }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      self[0] = new Chromium(p, ws);
      return self[0];
    } catch (Exception e) {
      stop(p);
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("cannot connect to chromium: " + e, e);
    }
  }

  private void receive(String text) {
    try {
      JsonNode m = JSON.readTree(text);
      if (m.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
        if (f != null) {
          f.complete(m);
        }
      } else {
        events.add(m);
      }
    } catch (IOException e) {
      events.add(JSON.createObjectNode().put("method", "unreadable").put("text", text));
    }
  }

  private JsonNode call(String method, ObjectNode params, boolean inPage) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", params == null ? JSON.createObjectNode() : params);
    if (inPage) {
      msg.put("sessionId", session);
    }
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    socket.sendText(JSON.writeValueAsString(msg), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    JsonNode r = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IOException(method + ": " + r.get("error"));
    }
    return r.path("result");
  }

  private static ObjectNode params() {
    return JSON.createObjectNode();
  }

  /**
   * Loads {@code file} in a page {@code width} pixels wide, then evaluates {@code script} (an expression
   * giving a JSON string) and takes a screenshot of the whole page.
   */
  public Page open(Path file, int width, String script) throws Exception {
    String target = call("Target.createTarget", params().put("url", "about:blank"), false).get("targetId").asText();
    session = call("Target.attachToTarget", params().put("targetId", target).put("flatten", true), false)
        .get("sessionId").asText();
    call("Runtime.enable", null, true);
    call("Log.enable", null, true);
    call("Page.enable", null, true);
    call("Emulation.setDeviceMetricsOverride", params().put("width", width).put("height", 900)
        .put("deviceScaleFactor", 1).put("mobile", false), true);
    int seen = events.size();
    call("Page.navigate", params().put("url", file.toUri().toString()), true);
    long deadline = System.nanoTime() + WAIT.toNanos();
    boolean loaded = false;
    while (!loaded && System.nanoTime() < deadline) {
      for (int i = seen; i < events.size(); i++) {
        loaded |= "Page.loadEventFired".equals(events.get(i).path("method").asText());
      }
      Thread.sleep(50);
    }
    if (!loaded) {
      throw new IOException("the page did not load in " + WAIT.toSeconds() + " s");
    }
    JsonNode value = call("Runtime.evaluate", params().put("expression", script).put("returnByValue", true), true)
        .path("result");
    JsonNode measured = JSON.readTree(value.path("value").asText("null"));
    int height = call("Runtime.evaluate", params().put("expression",
        "Math.ceil(document.documentElement.scrollHeight)").put("returnByValue", true), true).path("result")
        .path("value").asInt(900);
    call("Emulation.setDeviceMetricsOverride", params().put("width", width).put("height", height)
        .put("deviceScaleFactor", 1).put("mobile", false), true);
    byte[] png = Base64.getDecoder().decode(call("Page.captureScreenshot", params().put("format", "png"), true)
        .get("data").asText());
    List<String> errors = new ArrayList<>();
    for (JsonNode e : events) {
      String m = e.path("method").asText();
      JsonNode p = e.path("params");
      if (m.equals("Runtime.exceptionThrown")) {
        errors.add("exception: " + p.path("exceptionDetails").path("text").asText() + " "
            + p.path("exceptionDetails").path("exception").path("description").asText());
      } else if (m.equals("Runtime.consoleAPICalled") && List.of("error", "assert").contains(p.path("type").asText())) {
        errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
      } else if (m.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) {
        errors.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
      } else if (m.equals("unreadable")) {
        errors.add("unreadable DevTools message: " + e.path("text").asText());
      }
    }
    return new Page(errors, measured, png);
  }

  @Override
  public void close() {
    try {
      call("Browser.close", null, false);
    } catch (Exception e) {
      // Stopped below in any case.
    }
    socket.abort();
    stop(process);
  }

  /** Stops the browser and every process it started, by process id. */
  private static void stop(Process p) {
    List<ProcessHandle> children = p.descendants().toList();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    p.destroy();
    for (ProcessHandle h : children) {
      h.destroy();
    }
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle h : children) {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
  }
}
