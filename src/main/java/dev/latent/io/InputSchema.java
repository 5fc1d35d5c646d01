package dev.latent.io;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which columns of a CSV header are features, which holds row weights and which initial labels. Built on
 * the driver from the header and the options, then shipped to executors to parse rows.
 */
public final class InputSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String[] header;
  public final int[] featureColumns;
  public final String[] featureNames;
  /** Column of row weights, or -1. */
  public final int weightColumn;
  /** Column of initial labels 0..k-1, or -1. */
  public final int labelColumn;
  /** The field separator of the CSV lines (--delimiter). */
  public final char delimiter;

  private InputSchema(String[] header, int[] featureColumns, int weightColumn, int labelColumn, char delimiter) {
    this.header = header;
    this.featureColumns = featureColumns;
    this.featureNames = new String[featureColumns.length];
    for (int i = 0; i < featureColumns.length; i++) {
      featureNames[i] = header[featureColumns[i]];
    }
    this.weightColumn = weightColumn;
    this.labelColumn = labelColumn;
    this.delimiter = delimiter;
  }

  /**
   * Resolves column names against {@code header} (from {@code file}). {@code features} (may be null)
   * names the features in the order they are to be used; otherwise every column that is not excluded, not
   * the weight column and not the label column is a feature, in header order.
   */
  public static InputSchema resolve(String file, String[] header, List<String> features, List<String> exclude,
      String weightColumn, String labelColumn) {
    return resolve(file, header, features, exclude, weightColumn, labelColumn, ',');
  }

  /** As above, for CSV lines whose fields are separated by {@code delimiter}. */
  public static InputSchema resolve(String file, String[] header, List<String> features, List<String> exclude,
      String weightColumn, String labelColumn, char delimiter) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      String name = header[i].trim();
      if (name.isEmpty()) {
        throw InputException.at(file, 1, i + 1, "the header has an empty column name");
      }
      if (index.put(name, i) != null) {
        throw InputException.at(file, 1, i + 1, "the header names column '" + name + "' twice");
      }
    }
    int w = weightColumn == null ? -1 : column(index, weightColumn, "--weight-col", file, header);
    int l = labelColumn == null ? -1 : column(index, labelColumn, "--init-labels", file, header);
    List<Integer> cols = new ArrayList<>();
    if (features != null && !features.isEmpty()) {
      for (String f : features) {
        int c = column(index, f, "--features", file, header);
        if (cols.contains(c)) {
          throw new UsageException("--features names column '" + f + "' twice");
        }
        if (c == w || c == l) {
          throw new UsageException("column '" + f + "' cannot be both a feature and the "
              + (c == w ? "weight" : "label") + " column");
        }
        cols.add(c);
      }
    } else {
      List<Integer> skip = new ArrayList<>();
      for (String e : exclude) {
        skip.add(column(index, e, "--exclude", file, header));
      }
      for (int i = 0; i < header.length; i++) {
        if (!skip.contains(i) && i != w && i != l) {
          cols.add(i);
        }
      }
    }
    if (cols.isEmpty()) {
      throw new UsageException("no feature columns are left in " + file + " (header: " + String.join(",", header) + ")");
    }
    return new InputSchema(header.clone(), cols.stream().mapToInt(Integer::intValue).toArray(), w, l,
        delimiter);
  }

  private static int column(Map<String, Integer> index, String name, String flag, String file, String[] header) {
    Integer c = index.get(name.trim());
    if (c == null) {
      throw new UsageException(flag + " names column '" + name + "', which " + file + " does not have (columns: "
          + String.join(",", header) + ")");
    }
    return c;
  }

  public int dimension() {
    return featureColumns.length;
  }
}
