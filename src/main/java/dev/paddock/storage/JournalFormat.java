package dev.paddock.storage;

import dev.paddock.txn.BytesOut;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * On-disk layout of the journal.
 *
 * <pre>
 * segment file  = header frame*  (zero bytes up to the preallocated size)
 * header        = int magic "PDKJ", int version, long segmentNumber        (16 bytes)
 * frame         = int bodyLength (&gt; 0), int crc32c(body), body
 * body          = EVENTS | DELETION
 * EVENTS        = byte 1, string persistenceId, int count, event*count
 * event         = long seqNr, long timestamp, string manifest, string writerUuid,
 *                 payload, byte hasMetadata, [payload]
 * payload       = int serializerId, string serializerManifest, int length, bytes
 * DELETION      = byte 2, string persistenceId, long deletedToSeqNr, long highestSeqNr
 * string        = int utf8Length, utf8 bytes
 * </pre>
 *
 * One frame holds a whole {@code AtomicWrite}: the CRC then covers every event of a
 * {@code persistAll}, so a torn write can never surface only part of it after recovery. A body
 * length of zero cannot be a real frame (every body has a type byte), which is what lets the
 * zero-filled preallocated tail act as the end-of-log marker.
 */
final class JournalFormat {
  static final int SEGMENT_MAGIC = 0x50444B4A;
  static final int VERSION = 1;
  static final int SEGMENT_HEADER_SIZE = 16;
  static final int FRAME_HEADER_SIZE = 8;
  static final byte EVENTS = 1;
  static final byte DELETION = 2;
  static final String TEMP_SUFFIX = ".tmp";

  private static final Pattern SEGMENT_NAME = Pattern.compile("segment-(\\d{20})\\.log");

  private JournalFormat() {}

  /** A decoded frame body. */
  sealed interface LogRecord permits EventsRecord, DeletionRecord {
    String persistenceId();
  }

  /** {@code events} carry payloads only when decoded for replay; recovery skips them. */
  record EventsRecord(String persistenceId, List<StoredEvent> events) implements LogRecord {}

  record DeletionRecord(String persistenceId, long deletedTo, long highestSeqNr)
      implements LogRecord {}

  /** {@code payload} is null when decoded without payloads; {@code metadata} may be null. */
  record StoredEvent(
      long seqNr,
      long timestamp,
      String manifest,
      String writerUuid,
      SerializedPayload payload,
      SerializedPayload metadata) {}

  static String segmentFileName(long number) {
    return String.format("segment-%020d.log", number);
  }

  /** Returns the segment number encoded in {@code fileName}, or -1 if it is not a segment. */
  static long parseSegmentNumber(String fileName) {
    Matcher m = SEGMENT_NAME.matcher(fileName);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  static ByteBuffer segmentHeader(long number) {
    ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_SIZE);
    b.putInt(SEGMENT_MAGIC).putInt(VERSION).putLong(number).flip();
    return b;
  }

  static void verifySegmentHeader(ByteBuffer header, long number, Path file)
      throws StorageCorruptedException {
    int magic = header.getInt();
    int version = header.getInt();
    long stored = header.getLong();
    if (magic != SEGMENT_MAGIC) {
      throw new StorageCorruptedException(
          "Journal segment " + file + " has a bad header at offset 0 (magic "
              + Integer.toHexString(magic) + ")");
    }
    if (version != VERSION) {
      throw new StorageCorruptedException(
          "Journal segment " + file + " has unsupported format version " + version);
    }
    if (stored != number) {
      throw new StorageCorruptedException(
          "Journal segment " + file + " claims to be segment " + stored + " in its header");
    }
  }

  static int checksum(ByteBuffer body) {
    CRC32C crc = new CRC32C();
    crc.update(body.duplicate());
    return (int) crc.getValue();
  }

  static byte[] encodeEvents(String persistenceId, List<StoredEvent> events) {
    BytesOut out = new BytesOut(256);
    try {
      out.writeByte(EVENTS);
      SerializedPayload.writeString(out, persistenceId);
      out.writeInt(events.size());
      for (StoredEvent e : events) {
        out.writeLong(e.seqNr());
        out.writeLong(e.timestamp());
        SerializedPayload.writeString(out, e.manifest());
        SerializedPayload.writeString(out, e.writerUuid());
        e.payload().writeTo(out);
        out.writeByte(e.metadata() == null ? 0 : 1);
        if (e.metadata() != null) {
          e.metadata().writeTo(out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen for an in-memory stream
    }
    return out.toByteArray();
  }

  static byte[] encodeDeletion(String persistenceId, long deletedTo, long highestSeqNr) {
    byte[] pid = persistenceId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + pid.length + 16);
    b.put(DELETION).putInt(pid.length).put(pid).putLong(deletedTo).putLong(highestSeqNr);
    return b.array();
  }

  /**
   * Decodes a body whose checksum was already verified; a failure here therefore means a format
   * mismatch rather than a torn write, and is reported as corruption.
   */
  static LogRecord decode(ByteBuffer body, boolean withPayloads) throws StorageCorruptedException {
    ByteBuffer b = body.duplicate();
    try {
      byte type = b.get();
      String pid = readString(b);
      if (type == DELETION) {
        return new DeletionRecord(pid, b.getLong(), b.getLong());
      }
      if (type != EVENTS) {
        throw new StorageCorruptedException("unknown record type " + type);
      }
      int count = b.getInt();
      if (count <= 0 || count > b.remaining()) {
        throw new StorageCorruptedException("invalid event count " + count);
      }
      List<StoredEvent> events = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long seqNr = b.getLong();
        long timestamp = b.getLong();
        String manifest = readString(b);
        String writerUuid = readString(b);
        SerializedPayload payload = readPayload(b, withPayloads);
        SerializedPayload metadata = b.get() != 0 ? readPayload(b, withPayloads) : null;
        events.add(new StoredEvent(seqNr, timestamp, manifest, writerUuid, payload, metadata));
      }
      return new EventsRecord(pid, events);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new StorageCorruptedException("malformed record body: " + e, e);
    }
  }


  private static String readString(ByteBuffer b) {
    byte[] utf8 = new byte[checkedLength(b)];
    b.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static SerializedPayload readPayload(ByteBuffer b, boolean materialize) {
    int serializerId = b.getInt();
    String manifest = readString(b);
    int length = checkedLength(b);
    if (!materialize) {
      b.position(b.position() + length);
      return null;
    }
    byte[] bytes = new byte[length];
    b.get(bytes);
    return new SerializedPayload(serializerId, manifest, bytes);
  }

  private static int checkedLength(ByteBuffer b) {
    int length = b.getInt();
    if (length < 0 || length > b.remaining()) {
      throw new IllegalArgumentException("length " + length + " exceeds record body");
    }
    return length;
  }
}
