package dev.paddock.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Offline access to the files of the journal and snapshot store plugins, for tools that inspect
 * or verify a data directory while no server runs on it: the same formats and checksums the
 * plugins use, nothing written. Damage is reported, not repaired.
 */
public final class StorageFiles {
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(.+)-(\\d{1,19})-(\\d{1,19})"
      + Pattern.quote(SnapshotFiles.SUFFIX));

  private StorageFiles() {}

  /** A snapshot file by its name: persistence id key, sequence number, timestamp (ms). */
  public record SnapshotFile(Path path, String pidKey, long seqNr, long timestamp, long size) {}

  /** One journal event: where it is, whose it is, and its serialized payload. */
  public record JournalEvent(Path segment, long offset, String persistenceId, long seqNr,
      int serializerId, String manifest, byte[] payload) {}

  /** A damaged frame or file. {@code tornTail}: the server would drop it as a torn write. */
  public record Damage(Path file, long offset, String reason, boolean tornTail) {}

  /** Receives events in log order. */
  @FunctionalInterface
  public interface EventVisitor {
    void event(JournalEvent e) throws IOException;
  }

  /** The snapshot files in {@code dir} of the given persistence id, oldest first. */
  public static List<SnapshotFile> snapshots(Path dir, String persistenceId) throws IOException {
    List<SnapshotFile> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    for (SnapshotFiles.Entry e : SnapshotFiles.list(dir, persistenceId)) {
      out.add(new SnapshotFile(e.path(), SnapshotFiles.key(persistenceId), e.seqNr(),
          e.timestamp(), Files.size(e.path())));
    }
    out.sort(java.util.Comparator.comparingLong(SnapshotFile::seqNr)
        .thenComparingLong(SnapshotFile::timestamp));
    return out;
  }

  /** Every file in {@code dir} that looks like a snapshot, whatever its persistence id. */
  public static List<Path> allSnapshotFiles(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SnapshotFiles.SUFFIX)) {
      files.forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  /**
   * Verifies and reads a snapshot written with a {@link StreamableSnapshot} payload. Readers are
   * those registered with {@link StreamableSnapshot#register} beforehand.
   */
  public static Object readSnapshot(SnapshotFile f, String persistenceId) throws IOException {
    return SnapshotFileFormat.read(f.path(), persistenceId, f.seqNr(), f.timestamp(), null)
        .snapshot();
  }

  /** Checks a snapshot file's trailer and checksum, and that it decodes. */
  public static Damage checkSnapshot(Path file) {
    Matcher m = SNAPSHOT.matcher(file.getFileName().toString());
    if (!m.matches()) {
      return new Damage(file, 0, "not a snapshot file name", false);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(12);
      FileIo.readFully(ch, head, 0);
      head.flip();
      head.getInt();
      head.getInt();
      byte[] pid = new byte[Math.max(0, Math.min(head.getInt(), 4096))];
      ByteBuffer p = ByteBuffer.wrap(pid);
      FileIo.readFully(ch, p, 12);
        SnapshotFileFormat.read(file, new String(pid, java.nio.charset.StandardCharsets.UTF_8),
          Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), null);
      return null;
    } catch (IOException | RuntimeException e) {
      return new Damage(file, 0, e.getMessage() == null ? e.toString() : e.getMessage(), false);
    }
  }

  /**
   * Reads every journal segment in {@code dir} in order, checking each frame's checksum, and
   * hands over the events not deleted by a later deletion marker. Damage ends the scan of that
   * segment; it is returned, marked as the torn write the server would drop when it is in the
   * last segment with nothing intact after it.
   */
  public static List<Damage> scanJournal(Path dir, EventVisitor visitor) throws IOException {
    TreeMap<Long, Path> segments = segmentsByNumber(dir);
    List<Damage> damage = new ArrayList<>();
    Map<String, Long> deletedTo = new HashMap<>();
    long expected = segments.isEmpty() ? 0 : segments.firstKey();
    for (Map.Entry<Long, Path> s : segments.entrySet()) {
      if (s.getKey() != expected) {
        damage.add(new Damage(s.getValue(), 0, "segment " + expected + " is missing", false));
      }
      expected = s.getKey() + 1;
      boolean last = s.getKey().equals(segments.lastKey());
      scanSegment(s.getKey(), s.getValue(), last, false, deletedTo, null, damage);
    }
    List<Damage> ignored = new ArrayList<>();
    for (Map.Entry<Long, Path> s : segments.entrySet()) {
      scanSegment(s.getKey(), s.getValue(), false, true, deletedTo, visitor, ignored);
    }
    return damage;
  }

  /** The journal's segment files in {@code dir}, oldest first; none when it does not exist. */
  public static List<Path> segmentFiles(Path dir) throws IOException {
    return new ArrayList<>(segmentsByNumber(dir).values());
  }

  private static TreeMap<Long, Path> segmentsByNumber(Path dir) throws IOException {
    TreeMap<Long, Path> segments = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "segment-*.log")) {
        for (Path p : files) {
          long n = JournalFormat.parseSegmentNumber(p.getFileName().toString());
          if (n >= 0) {
            segments.put(n, p);
          }
        }
      }
    }
    return segments;
  }

  private static void scanSegment(long number, Path file, boolean last, boolean payloads,
      Map<String, Long> deletedTo, EventVisitor visitor, List<Damage> damage)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < JournalFormat.SEGMENT_HEADER_SIZE) {
        damage.add(new Damage(file, 0, "file is shorter than the segment header", false));
        return;
      }
      ByteBuffer header = ByteBuffer.allocate(JournalFormat.SEGMENT_HEADER_SIZE);
      FileIo.readFully(ch, header, 0);
      header.flip();
      try {
        JournalFormat.verifySegmentHeader(header, number, file);
      } catch (StorageCorruptedException e) {
        damage.add(new Damage(file, 0, e.getMessage(), false));
        return;
      }
      long pos = JournalFormat.SEGMENT_HEADER_SIZE;
      String problem = null;
      while (size - pos >= JournalFormat.FRAME_HEADER_SIZE) {
        ByteBuffer fh = ByteBuffer.allocate(JournalFormat.FRAME_HEADER_SIZE);
        FileIo.readFully(ch, fh, pos);
        fh.flip();
        int length = fh.getInt();
        int crc = fh.getInt();
        if (length == 0 && crc == 0) {
          break;
        }
        if (length <= 0 || length > size - pos - JournalFormat.FRAME_HEADER_SIZE) {
          problem = "invalid record length " + length;
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        FileIo.readFully(ch, body, pos + JournalFormat.FRAME_HEADER_SIZE);
        body.flip();
        if (JournalFormat.checksum(body) != crc) {
          problem = "record checksum mismatch";
          break;
        }
        JournalFormat.LogRecord record;
        try {
          record = JournalFormat.decode(body, payloads);
        } catch (StorageCorruptedException e) {
          problem = "record with a valid checksum cannot be decoded: " + e.getMessage();
          break;
        }
        if (record instanceof JournalFormat.DeletionRecord d) {
          deletedTo.merge(d.persistenceId(), d.deletedTo(), Math::max);
        } else if (payloads && record instanceof JournalFormat.EventsRecord events) {
          long gone = deletedTo.getOrDefault(events.persistenceId(), 0L);
          for (JournalFormat.StoredEvent e : events.events()) {
            if (e.seqNr() > gone) {
              visitor.event(new JournalEvent(file, pos, events.persistenceId(), e.seqNr(),
                  e.payload().serializerId(), e.payload().manifest(), e.payload().bytes()));
            }
          }
        }
        pos += JournalFormat.FRAME_HEADER_SIZE + length;
      }
      long dirtyEnd = FileIo.endOfNonZero(ch, pos, size);
      if (problem == null && dirtyEnd > pos) {
        problem = "non-zero bytes after the last record";
      }
      if (problem != null) {
        // As recovery judges it: only a tail with nothing intact after it is a torn write.
        boolean torn = last && (dirtyEnd <= pos
            || FrameSearch.firstIntactFrame(ch, pos, dirtyEnd) < 0);
        damage.add(new Damage(file, pos, problem, torn));
      }
    }
  }
}
