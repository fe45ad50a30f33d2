package dev.paddock.storage;

import dev.paddock.storage.JournalFormat.LogRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reads and damages segment files the way the tests need to. */
final class SegmentInspector {
  private SegmentInspector() {}

  record Frame(long offset, int length, LogRecord record) {
    long end() {
      return offset + JournalFormat.FRAME_HEADER_SIZE + length;
    }

    long bodyOffset() {
      return offset + JournalFormat.FRAME_HEADER_SIZE;
    }
  }

  /** The intact frames of a segment, in order, up to the end-of-data marker. */
  static List<Frame> frames(Path segment) throws IOException {
    List<Frame> frames = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = JournalFormat.SEGMENT_HEADER_SIZE;
      while (size - pos >= JournalFormat.FRAME_HEADER_SIZE) {
        ByteBuffer header = ByteBuffer.allocate(JournalFormat.FRAME_HEADER_SIZE);
        FileIo.readFully(ch, header, pos);
        header.flip();
        int length = header.getInt();
        if (length <= 0) {
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        FileIo.readFully(ch, body, pos + JournalFormat.FRAME_HEADER_SIZE);
        body.flip();
        frames.add(new Frame(pos, length, JournalFormat.decode(body, false)));
        pos += JournalFormat.FRAME_HEADER_SIZE + length;
      }
    }
    return frames;
  }

  static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileIo.writeFully(ch, ByteBuffer.wrap(bytes), offset);
      ch.force(true);
    }
  }

  static void zero(Path file, long from, long to) throws IOException {
    overwrite(file, from, new byte[(int) (to - from)]);
  }

  static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      FileIo.readFully(ch, b, offset);
      b.flip();
      byte flipped = (byte) (b.get(0) ^ 0x5A);
      FileIo.writeFully(ch, ByteBuffer.wrap(new byte[] {flipped}), offset);
      ch.force(true);
    }
  }

  static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(true);
    }
  }
}
