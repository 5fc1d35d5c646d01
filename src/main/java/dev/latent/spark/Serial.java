package dev.latent.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Base64;

/** Java serialization to bytes and to Base64 text (barrier tasks exchange strings only). */
final class Serial {
  private Serial() {}

  static byte[] bytes(Serializable o) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  @SuppressWarnings("unchecked")
  static <T> T read(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (T) in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(Serializable o) {
    return Base64.getEncoder().encodeToString(bytes(o));
  }

  static <T> T fromText(String s) {
    return read(Base64.getDecoder().decode(s));
  }
}
