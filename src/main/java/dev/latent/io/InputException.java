package dev.latent.io;

/**
 * Bad input data or a bad model file. The message names the file and, where there is one, the line and
 * column ({@code file:line:column: what is wrong}). Serializable, so it survives the trip from an
 * executor to the driver inside Spark's task failure.
 */
public class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code file:line:column: message}; line or column below 1 is left out. */
  public static InputException at(String file, long line, int column, String message) {
    StringBuilder b = new StringBuilder(file);
    if (line > 0) {
      b.append(':').append(line);
      if (column > 0) {
        b.append(':').append(column);
      }
    }
    return new InputException(b.append(": ").append(message).toString());
  }
}
