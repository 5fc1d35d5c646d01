package dev.latent.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * Local files under the scheme {@code full:}, on a disk that holds only {@value #CAPACITY} bytes per file
 * written: any write beyond fails as a full disk does ({@code IOException: No space left on device}). For
 * the full-disk tests where no small file system can be mounted. Register with
 * {@link #register(Configuration)}.
 */
public final class FullFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "full";
  public static final long CAPACITY = 4096;

  /** Makes {@code full:///path} a full disk for {@code conf}'s users (the driver and local executors). */
  public static void register(Configuration conf) {
    conf.set("fs." + SCHEME + ".impl", FullFileSystem.class.getName());
    conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public void initialize(URI uri, Configuration conf) throws IOException {
    super.initialize(uri, conf);
    setConf(conf);
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    return limited(super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    return limited(super.create(f, overwrite, bufferSize, replication, blockSize, progress));
  }

  private FSDataOutputStream limited(FSDataOutputStream out) throws IOException {
    return new FSDataOutputStream(new FilterOutputStream(out) {
      private long written;

      @Override
      public void write(int b) throws IOException {
        check(1);
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        check(len);
        out.write(b, off, len);
      }

      private void check(int n) throws IOException {
        written += n;
        if (written > CAPACITY) {
          throw new IOException("No space left on device");
        }
      }
    }, null);
  }
}
