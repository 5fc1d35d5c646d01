package dev.latent.config;

import dev.latent.io.UsageException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Key-value settings from a properties file and the command line (which wins), with typed getters whose
 * errors name the key and the bad value. Keys are the flag names without dashes: {@code --max-iter 50}
 * and {@code max-iter=50} in a file mean the same.
 */
public final class Settings {
  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code --key value} pairs ({@code --key=value} too) and bare {@code --flag}s from {@code flags}.
   * {@code --config FILE} loads a properties file under the command line. Unknown keys are an error.
   */
  public static Settings parse(String[] args, Set<String> keys, Set<String> flags) {
    Map<String, String> cli = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new UsageException("unexpected argument '" + a + "' (options start with --)");
      }
      String key = a.substring(2);
      String value = null;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      }
      if (flags.contains(key)) {
        cli.put(key, value == null ? "true" : value);
        continue;
      }
      if (!keys.contains(key) && !key.equals("config")) {
        throw new UsageException("unknown option --" + key);
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException("option --" + key + " needs a value");
        }
        value = args[++i];
      }
      cli.put(key, value);
    }
    Map<String, String> merged = new LinkedHashMap<>();
    String file = cli.remove("config");
    if (file != null) {
      merged.putAll(load(Path.of(file), keys, flags));
    }
    merged.putAll(cli);
    return new Settings(merged);
  }

  private static Map<String, String> load(Path file, Set<String> keys, Set<String> flags) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UsageException("cannot read the settings file " + file + ": " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      if (!keys.contains(key) && !flags.contains(key)) {
        throw new UsageException(file + ": unknown key '" + key + "'");
      }
      out.put(key, p.getProperty(key).trim());
    }
    return out;
  }

  public static Settings of(Map<String, String> values) {
    return new Settings(new LinkedHashMap<>(values));
  }

  public String string(String key, String dflt) {
    String v = values.get(key);
    return v == null || v.isBlank() ? dflt : v.trim();
  }

  public String required(String key) {
    String v = string(key, null);
    if (v == null) {
      throw new UsageException("--" + key + " is required");
    }
    return v;
  }

  public int integer(String key, int dflt, int min) {
    String v = string(key, null);
    if (v == null) {
      return dflt;
    }
    int x;
    try {
      x = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + key + " must be an integer, got '" + v + "'");
    }
    if (x < min) {
      throw new UsageException("--" + key + " must be at least " + min + ", got " + x);
    }
    return x;
  }

  public long longValue(String key, long dflt) {
    String v = string(key, null);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + key + " must be an integer, got '" + v + "'");
    }
  }

  /** A finite number not below {@code min}. */
  public double number(String key, double dflt, double min) {
    String v = string(key, null);
    if (v == null) {
      return dflt;
    }
    double x;
    try {
      x = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + key + " must be a number, got '" + v + "'");
    }
    if (!Double.isFinite(x) || x < min) {
      throw new UsageException("--" + key + " must be a finite number of at least " + min + ", got " + v);
    }
    return x;
  }

  public boolean flag(String key) {
    String v = string(key, "false");
    if (v.equals("true") || v.equals("false")) {
      return v.equals("true");
    }
    throw new UsageException("--" + key + " is true or false, got '" + v + "'");
  }

  /** A comma-separated list; empty when not set. */
  public List<String> list(String key) {
    List<String> out = new ArrayList<>();
    String v = string(key, null);
    if (v != null) {
      for (String s : v.split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  public Map<String, String> asMap() {
    return new LinkedHashMap<>(values);
  }
}
