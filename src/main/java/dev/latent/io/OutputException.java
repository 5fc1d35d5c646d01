package dev.latent.io;

import org.apache.hadoop.fs.FSError;

/** The output cannot be written where asked (exists without --overwrite, no permission, ...). */
public class OutputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OutputException(String message) {
    super(message);
  }

  public OutputException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Why a write failed when the file system refused the bytes (a full disk, a quota; Hadoop's local file
   * system reports these as {@code FSError}), found in {@code t}'s causes or, for a task that failed on
   * another JVM, in their text; null for any other failure.
   */
  public static String spaceProblem(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = String.valueOf(c.getMessage());
      for (String sign : new String[] {"No space left on device", "Disk quota exceeded", "quota"}) {
        int i = m.indexOf(sign);
        if (i >= 0 && (!sign.equals("quota") || m.contains("QuotaExceeded"))) {
          return sign.equals("quota") ? "a quota of the file system is exceeded" : sign;
        }
      }
      if (c instanceof FSError) {
        return c.getMessage();
      }
    }
    return null;
  }
}
