package dev.paddock.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small positional-I/O helpers shared by the journal and the snapshot store. */
final class FileIo {
  private static final Logger log = LoggerFactory.getLogger(FileIo.class);
  private static final int CHUNK = 1 << 20;
  private static final byte[] ZEROS = new byte[CHUNK];

  private FileIo() {}

  static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
    long pos = position;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, pos);
      if (n < 0) {
        throw new EOFException("unexpected end of file at offset " + pos);
      }
      pos += n;
    }
  }

  static void writeFully(FileChannel channel, ByteBuffer src, long position) throws IOException {
    long pos = position;
    while (src.hasRemaining()) {
      pos += channel.write(src, pos);
    }
  }

  /**
   * Writes real zero bytes over [from, to). Deliberately not {@code setLength}: that creates a
   * sparse file whose blocks are only allocated on first write, which defeats preallocation.
   */
  static void zeroFill(FileChannel channel, long from, long to) throws IOException {
    if (to <= from) {
      return;
    }
    ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(CHUNK, to - from));
    long pos = from;
    while (pos < to) {
      zeros.clear();
      zeros.limit((int) Math.min(zeros.capacity(), to - pos));
      int n = zeros.remaining();
      writeFully(channel, zeros, pos);
      pos += n;
    }
  }

  /** Returns the offset just past the last non-zero byte in [from, to), or {@code from}. */
  static long endOfNonZero(FileChannel channel, long from, long to) throws IOException {
    long end = from;
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(8, to - from)));
    long pos = from;
    while (pos < to) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), to - pos));
      int n = channel.read(buf, pos);
      if (n <= 0) {
        break;
      }
      byte[] a = buf.array();
      // A preallocated segment is mostly zeros after its last record: a vectorized compare
      // passes over a zero chunk at memory speed, where a byte loop over the rest of a 64 MiB
      // segment cost every start tens of milliseconds.
      if (Arrays.mismatch(a, 0, n, ZEROS, 0, n) >= 0) {
        for (int i = n - 1; i >= 0; i--) {
          if (a[i] != 0) {
            end = pos + i + 1;
            break;
          }
        }
      }
      pos += n;
    }
    return end;
  }

  /**
   * Makes a create, rename or delete inside {@code dir} durable. Some platforms (Windows) refuse
   * to open a directory for reading; there the rename is as durable as the OS makes it anyway.
   */
  static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      log.debug("Directory fsync not supported for {}: {}", dir, e.toString());
    }
  }
}
