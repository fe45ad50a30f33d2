package dev.paddock.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One segment file of the journal. The channel is shared: the writer appends with positional
 * writes while replays read with positional reads, which FileChannel allows concurrently.
 */
final class Segment implements Closeable {
  final long number;
  final Path path;
  final FileChannel channel;

  // Highest event sequence number per persistenceId stored in this segment. Owned by the writer
  // thread (and by recovery before the writer starts); it decides when the file can be deleted.
  private final Map<String, Long> maxSeqNrByPid = new HashMap<>();

  private Segment(long number, Path path, FileChannel channel) {
    this.number = number;
    this.path = path;
    this.channel = channel;
  }

  /**
   * Creates the file for segment {@code number} under a temporary name: header, optional zero
   * fill, force. Only {@link #install} gives it its final name, so a segment with a final name
   * always has a durable header, whatever the moment of a crash.
   */
  static Path prepare(Path dir, long number, long size, boolean preallocate) throws IOException {
    Path tmp = dir.resolve(JournalFormat.segmentFileName(number) + JournalFormat.TEMP_SUFFIX);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      FileIo.writeFully(ch, JournalFormat.segmentHeader(number), 0);
      if (preallocate) {
        FileIo.zeroFill(ch, JournalFormat.SEGMENT_HEADER_SIZE, size);
      }
      ch.force(true);
    }
    return tmp;
  }

  /** Renames a prepared file to its final name durably and opens it. */
  static Segment install(Path prepared, Path dir, long number) throws IOException {
    Path target = dir.resolve(JournalFormat.segmentFileName(number));
    Files.move(prepared, target, StandardCopyOption.ATOMIC_MOVE);
    FileIo.fsyncDirectory(dir);
    return open(number, target);
  }

  static Segment open(long number, Path path) throws IOException {
    return new Segment(
        number, path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  void noteEvents(String persistenceId, long maxSeqNr) {
    maxSeqNrByPid.merge(persistenceId, maxSeqNr, Math::max);
  }

  /** True if every event in this segment is at or below its persistenceId's deletion mark. */
  boolean allEventsDeleted(ToLongFunction<String> deletedTo) {
    for (Map.Entry<String, Long> e : maxSeqNrByPid.entrySet()) {
      if (deletedTo.applyAsLong(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
