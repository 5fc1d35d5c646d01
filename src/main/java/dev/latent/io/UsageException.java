package dev.latent.io;

/** A bad command line or configuration value: the message names the key and the value. */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
