package dev.paddock.storage;

import dev.paddock.storage.JournalFormat.DeletionRecord;
import dev.paddock.storage.JournalFormat.EventsRecord;
import dev.paddock.storage.JournalFormat.LogRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the {@link LogState} by scanning every segment in order at plugin start.
 *
 * <p>Damage is judged by where it is and what follows it. The writer forces a segment before it
 * creates the next one, so only the last segment can legitimately end in a torn write, and a
 * torn write is the end of what was written: there, a bad frame with nothing intact after it is
 * dropped (with one WARN line) and zeroed, so later appends cannot resurrect stale bytes. A bad
 * frame followed by an intact one, or a bad frame or stray non-zero bytes past the end of the
 * frames in any other segment, means acknowledged data was damaged; recovery then fails with a
 * {@link StorageCorruptedException} naming the file and offset rather than silently dropping it,
 * and changes nothing on disk. A frame with a valid checksum that cannot be decoded is a format
 * problem and always fails.
 */
final class LogRecovery {
  private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);
  private static final int BUFFER_SIZE = 1 << 20;

  private LogRecovery() {}

  static LogState recover(JournalSettings settings, JournalStats stats) throws IOException {
    Path dir = settings.dir();
    Files.createDirectories(dir);
    TreeMap<Long, Path> files = listSegments(dir);
    LogState state = new LogState();
    boolean done = false;
    try {
      if (files.isEmpty()) {
        Path prepared = Segment.prepare(dir, 1, settings.segmentSize(), settings.preallocate());
        Segment first = Segment.install(prepared, dir, 1);
        state.segments.put(first.number, first);
        state.active = first;
        state.writePosition = JournalFormat.SEGMENT_HEADER_SIZE;
      } else {
        checkContiguous(dir, files);
        long last = files.lastKey();
        for (Map.Entry<Long, Path> e : files.entrySet()) {
          Segment segment = Segment.open(e.getKey(), e.getValue());
          state.segments.put(segment.number, segment);
          boolean isLast = e.getKey() == last;
          long end = new SegmentScan(segment, isLast, settings, stats, state).scan();
          if (isLast) {
            state.active = segment;
            state.writePosition = end;
          }
        }
      }
      done = true;
      return state;
    } finally {
      if (!done) {
        for (Segment s : state.segments.values()) {
          closeQuietly(s);
        }
      }
    }
  }

  private static TreeMap<Long, Path> listSegments(Path dir) throws IOException {
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.startsWith("segment-") && name.endsWith(JournalFormat.TEMP_SUFFIX)) {
          // A segment being prepared when the process stopped; it never held data.
          Files.deleteIfExists(p);
          continue;
        }
        long number = JournalFormat.parseSegmentNumber(name);
        if (number > 0) {
          files.put(number, p);
        }
      }
    }
    return files;
  }

  private static void checkContiguous(Path dir, TreeMap<Long, Path> files)
      throws StorageCorruptedException {
    long previous = -1;
    for (long n : files.keySet()) {
      if (previous >= 0 && n != previous + 1) {
        throw new StorageCorruptedException(
            "Journal directory " + dir + " is missing segment files between "
                + JournalFormat.segmentFileName(previous) + " and "
                + JournalFormat.segmentFileName(n) + "; refusing to start");
      }
      previous = n;
    }
  }

  private static void closeQuietly(Segment s) {
    try {
      s.close();
    } catch (IOException e) {
      log.debug("Failed to close {}", s, e);
    }
  }

  /** Sequential scan of one segment through a read-ahead buffer. */
  private static final class SegmentScan {
    private final Segment segment;
    private final FileChannel channel;
    private final boolean last;
    private final JournalSettings settings;
    private final JournalStats stats;
    private final LogState state;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private long bufferStart = -1;
    private long size;

    SegmentScan(
        Segment segment,
        boolean last,
        JournalSettings settings,
        JournalStats stats,
        LogState state) {
      this.segment = segment;
      this.channel = segment.channel;
      this.last = last;
      this.settings = settings;
      this.stats = stats;
      this.state = state;
    }

    /** Returns the offset at which the next frame would be appended. */
    long scan() throws IOException {
      size = channel.size();
      if (size < JournalFormat.SEGMENT_HEADER_SIZE) {
        throw corrupt(0, "file is shorter than the segment header");
      }
      JournalFormat.verifySegmentHeader(
          read(0, JournalFormat.SEGMENT_HEADER_SIZE), segment.number, segment.path);
      long pos = JournalFormat.SEGMENT_HEADER_SIZE;
      String problem = null;
      while (size - pos >= JournalFormat.FRAME_HEADER_SIZE) {
        ByteBuffer frameHeader = read(pos, JournalFormat.FRAME_HEADER_SIZE);
        int length = frameHeader.getInt();
        int crc = frameHeader.getInt();
        if (length == 0 && crc == 0) {
          break;
        }
        if (length <= 0) {
          problem = "invalid record length " + length;
          break;
        }
        if (length > size - pos - JournalFormat.FRAME_HEADER_SIZE) {
          problem = "record of " + length + " bytes extends past the end of the file";
          break;
        }
        ByteBuffer body = read(pos + JournalFormat.FRAME_HEADER_SIZE, length);
        if (JournalFormat.checksum(body) != crc) {
          problem = "record checksum mismatch";
          break;
        }
        LogRecord record;
        try {
          record = JournalFormat.decode(body, false);
        } catch (StorageCorruptedException e) {
          throw corrupt(pos, "record with a valid checksum cannot be decoded (" + e.getMessage()
              + "); was it written by an incompatible version?");
        }
        apply(record, pos);
        pos += JournalFormat.FRAME_HEADER_SIZE + length;
      }
      long dirtyEnd = FileIo.endOfNonZero(channel, pos, size);
      if (dirtyEnd > pos) {
        String reason = problem != null ? problem : "non-zero bytes after the last record";
        if (!last) {
          throw corrupt(pos, reason + "; newer segments follow, so this is not a torn write"
              + " and acknowledged data could be lost. Refusing to start");
        }
        long intact = FrameSearch.firstIntactFrame(channel, pos, dirtyEnd);
        if (intact >= 0) {
          throw corrupt(pos, reason + "; an intact record follows at offset " + intact
              + ", so this is not a torn write and acknowledged data could be lost. Refusing"
              + " to start");
        }
        dropTornTail(pos, dirtyEnd, reason);
      }
      return pos;
    }

    private void apply(LogRecord record, long offset) {
      String pid = record.persistenceId();
      LogState.PidState pidState = state.pid(pid);
      if (record instanceof EventsRecord events) {
        long[] seqNrs = new long[events.events().size()];
        long max = 0;
        for (int i = 0; i < seqNrs.length; i++) {
          seqNrs[i] = events.events().get(i).seqNr();
          max = Math.max(max, seqNrs[i]);
          pidState.onEvent(seqNrs[i], segment.number);
        }
        segment.noteEvents(pid, max);
        state.index.addEvents(pid, seqNrs, JournalIndex.location(segment.number, offset));
      } else if (record instanceof DeletionRecord marker) {
        pidState.onMarker(marker.deletedTo(), marker.highestSeqNr(), segment.number);
        state.index.markDeleted(pid, marker.deletedTo(), marker.highestSeqNr());
      }
    }

    private void dropTornTail(long from, long dirtyEnd, String reason) throws IOException {
      long dropped = dirtyEnd - from;
      log.warn(
          "Journal segment {}: {} at offset {}; treating it as a torn write and dropping {} bytes",
          segment.path, reason, from, dropped);
      if (settings.preallocate()) {
        FileIo.zeroFill(channel, from, dirtyEnd);
      } else {
        channel.truncate(from);
      }
      channel.force(true);
      stats.tornBytesDropped(dropped);
    }

    private ByteBuffer read(long pos, int length) throws IOException {
      if (bufferStart >= 0 && pos >= bufferStart && pos + length <= bufferStart + buffer.limit()) {
        return buffer.slice((int) (pos - bufferStart), length);
      }
      if (length > buffer.capacity()) {
        ByteBuffer big = ByteBuffer.allocate(length);
        FileIo.readFully(channel, big, pos);
        return big.flip();
      }
      buffer.clear();
      buffer.limit((int) Math.min(buffer.capacity(), size - pos));
      FileIo.readFully(channel, buffer, pos);
      buffer.flip();
      bufferStart = pos;
      return buffer.slice(0, length);
    }

    private StorageCorruptedException corrupt(long offset, String reason) {
      return new StorageCorruptedException(
          "Journal segment " + segment.path + " is corrupt at offset " + offset + ": " + reason);
    }
  }
}
