package dev.latent.io;

/** The output cannot be written where asked (exists without --overwrite, no permission, ...). */
public class OutputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OutputException(String message) {
    super(message);
  }

  public OutputException(String message, Throwable cause) {
    super(message, cause);
  }
}
