package dev.paddock.zab;

import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeSnapshotCodec;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a learner keeps the SNAP it is receiving: chunks go to a file as they arrive, so the
 * tree's encoding is never whole in memory, and the tree is decoded from the file at the end.
 * Nothing here needs to survive a crash: a learner that restarts is synced again.
 */
final class SnapSpool {
  private static final long PROGRESS_EVERY = 64L << 20;

  private final Path file;
  private FileChannel channel;
  private long written;
  private long reported;

  SnapSpool(Path file) {
    this.file = file;
  }

  /** Appends a chunk (the first starts a fresh file); returns bytes so far when worth logging. */
  long append(int index, byte[] bytes) {
    try {
      if (index == 0 || channel == null) {
        close();
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        written = 0;
        reported = 0;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        channel.write(b);
      }
      written += bytes.length;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spool the leader's snapshot to " + file, e);
    }
    if (written - reported >= PROGRESS_EVERY) {
      reported = written;
      return written;
    }
    return -1;
  }

  long written() {
    return written;
  }

  /** Decodes what was spooled and removes the file. */
  TreeSnapshot decode() throws IOException {
    close();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file), 1 << 16))) {
      return TreeSnapshotCodec.read(in);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // The file is rewritten from the start by the next SNAP anyway.
      }
      channel = null;
    }
  }
}
