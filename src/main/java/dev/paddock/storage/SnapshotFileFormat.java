package dev.paddock.storage;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import scala.Option;

/**
 * Layout of one snapshot file (big-endian):
 *
 * <pre>
 * int magic "PDKS", int version
 * string persistenceId, long seqNr, long timestamp
 * byte hasMetadata, [payload]                      -- SnapshotMetadata.metadata
 * byte kind
 *   kind 1: payload                                -- Pekko serialization
 *   kind 2: string typeKey, bytes of writeTo(...)  -- StreamableSnapshot
 * trailer: long contentLength, int crc32c(content), int magic "ENDS"
 * payload = int serializerId, string manifest, int length, bytes
 * string  = int utf8Length, utf8 bytes
 * </pre>
 *
 * The checksum sits in a trailer because a streamed payload's length is unknown until it has
 * been written. Loading verifies length and checksum in a first pass before anything is
 * deserialized, so neither Pekko serializers nor stream readers ever see damaged bytes (which
 * could otherwise make them allocate absurd amounts of memory).
 */
final class SnapshotFileFormat {
  static final int MAGIC = 0x50444B53;
  static final int VERSION = 1;
  static final int TRAILER_MAGIC = 0x454E4453;
  static final int TRAILER_SIZE = 16;
  static final byte KIND_SERIALIZED = 1;
  static final byte KIND_STREAMED = 2;
  private static final int IO_BUFFER = 1 << 16;

  private SnapshotFileFormat() {}

  /** Writes a complete snapshot file at {@code file} (which must not exist) and forces it. */
  static void write(
      Path file, SnapshotMetadata metadata, Object snapshot, PayloadSerialization serialization)
      throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      // Closing any of these streams would close the channel before force(); they are flushed.
      // The buffer sits above the checksum so the CRC is updated in large chunks.
      OutputStream raw = Channels.newOutputStream(channel);
      ChecksummingOutputStream summed = new ChecksummingOutputStream(raw);
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(summed, IO_BUFFER));
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      SerializedPayload.writeString(out, metadata.persistenceId());
      out.writeLong(metadata.sequenceNr());
      out.writeLong(metadata.timestamp());
      if (metadata.metadata().isDefined()) {
        out.writeByte(1);
        serialization.serialize(metadata.metadata().get()).writeTo(out);
      } else {
        out.writeByte(0);
      }
      if (snapshot instanceof StreamableSnapshot streamable) {
        out.writeByte(KIND_STREAMED);
        SerializedPayload.writeString(out, streamable.snapshotTypeKey());
        streamable.writeTo(new DataOutputStream(new NonClosingOutputStream(out)));
      } else {
        out.writeByte(KIND_SERIALIZED);
        serialization.serialize(snapshot).writeTo(out);
      }
      out.flush();
      ByteBuffer trailer = ByteBuffer.allocate(TRAILER_SIZE);
      trailer.putLong(summed.count).putInt((int) summed.crc.getValue()).putInt(TRAILER_MAGIC);
      raw.write(trailer.array());
      channel.force(true);
    }
  }

  /**
   * Reads and verifies the snapshot in {@code file}, which by its name holds the given snapshot.
   * Any damage or mismatch is reported as an exception; the caller decides about fallback.
   */
  static SelectedSnapshot read(
      Path file, String persistenceId, long seqNr, long timestamp, PayloadSerialization ser)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long contentLength = verify(file, channel);
      SnapshotContent content = new SnapshotContent(channel, contentLength, IO_BUFFER);
      ContentReader r = new ContentReader(content);
      if (r.in.readInt() != MAGIC) {
        throw corrupt(file, "not a snapshot file");
      }
      int version = r.in.readInt();
      if (version != VERSION) {
        throw corrupt(file, "unsupported format version " + version);
      }
      String storedPid = r.readString();
      long storedSeqNr = r.in.readLong();
      long storedTimestamp = r.in.readLong();
      if (!storedPid.equals(persistenceId)
          || storedSeqNr != seqNr
          || storedTimestamp != timestamp) {
        throw corrupt(file, "contents (" + storedPid + ", " + storedSeqNr + ", "
            + storedTimestamp + ") do not match the file name");
      }
      Object meta = r.in.readByte() != 0 ? offline(ser, file).deserialize(r.readPayload()) : null;
      byte kind = r.in.readByte();
      Object snapshot;
      if (kind == KIND_SERIALIZED) {
        snapshot = offline(ser, file).deserialize(r.readPayload());
      } else if (kind == KIND_STREAMED) {
        String typeKey = r.readString();
        StreamableSnapshot.Reader reader =
            StreamableSnapshot.readerFor(typeKey)
                .orElseThrow(
                    () -> new IOException("no StreamableSnapshot reader registered for '"
                        + typeKey + "' (snapshot " + file + ")"));
        snapshot = reader.readFrom(r.in);
      } else {
        throw corrupt(file, "unknown payload kind " + kind);
      }
      if (content.remaining() > 0) {
        throw new IOException("Snapshot " + file + ": " + content.remaining()
            + " bytes were left unread by the deserializer; format mismatch?");
      }
      return SelectedSnapshot.create(
          new SnapshotMetadata(storedPid, storedSeqNr, storedTimestamp, Option.apply(meta)),
          snapshot);
    }
  }

  /** Offline readers pass no serialization; only streamed snapshots can be read then. */
  private static PayloadSerialization offline(PayloadSerialization ser, Path file)
      throws IOException {
    if (ser == null) {
      throw new IOException("Snapshot " + file + " holds a payload that only a running actor "
          + "system can deserialize");
    }
    return ser;
  }

  /** Checks trailer and checksum; returns the length of the checksummed content. */
  private static long verify(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < TRAILER_SIZE + 8) {
      throw corrupt(file, "file is too short (" + size + " bytes)");
    }
    ByteBuffer trailer = ByteBuffer.allocate(TRAILER_SIZE);
    FileIo.readFully(channel, trailer, size - TRAILER_SIZE);
    trailer.flip();
    long contentLength = trailer.getLong();
    int expectedCrc = trailer.getInt();
    if (trailer.getInt() != TRAILER_MAGIC || contentLength != size - TRAILER_SIZE) {
      throw corrupt(file, "missing or damaged trailer (incomplete write?)");
    }
    CRC32C crc = new CRC32C();
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    long pos = 0;
    while (pos < contentLength) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), contentLength - pos));
      FileIo.readFully(channel, buf, pos);
      buf.flip();
      pos += buf.remaining();
      crc.update(buf);
    }
    if ((int) crc.getValue() != expectedCrc) {
      throw corrupt(file, "checksum mismatch");
    }
    return contentLength;
  }

  private static StorageCorruptedException corrupt(Path file, String reason) {
    return new StorageCorruptedException("Snapshot " + file + " is corrupt: " + reason);
  }


  /** Reads length-prefixed fields, refusing lengths beyond the verified content. */
  private static final class ContentReader {
    final SnapshotContent in;

    ContentReader(SnapshotContent in) {
      this.in = in;
    }

    String readString() throws IOException {
      return new String(readBytes(), StandardCharsets.UTF_8);
    }

    SerializedPayload readPayload() throws IOException {
      int serializerId = in.readInt();
      String manifest = readString();
      return new SerializedPayload(serializerId, manifest, readBytes());
    }

    byte[] readBytes() throws IOException {
      int length = in.readInt();
      if (length < 0 || length > in.remaining()) {
        throw new IOException("length " + length + " exceeds the snapshot content");
      }
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return bytes;
    }
  }

  /** Counts and checksums everything written through it. */
  private static final class ChecksummingOutputStream extends FilterOutputStream {
    final CRC32C crc = new CRC32C();
    long count;

    ChecksummingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      crc.update(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
      count += len;
    }
  }

  /** Lets a {@link StreamableSnapshot} close "its" stream without closing the file. */
  private static final class NonClosingOutputStream extends FilterOutputStream {
    NonClosingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
