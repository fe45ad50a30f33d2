package dev.paddock.zab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Damages the end of a server's newest journal segment the way a crash or a bad disk would. It
 * reads the documented layout (a 16-byte segment header, then frames of int length, int CRC32C,
 * body; a zero length ends the log) from the outside, as an operator's tool would.
 */
final class JournalDamage {
  private static final int SEGMENT_HEADER = 16;
  private static final int FRAME_HEADER = 8;

  enum Kind {
    /** The last frames were only partly written: their second half is zeros. */
    TORN,
    /** The last frames never reached the disk at all: all zeros, headers included. */
    ZERO_FILLED,
    /**
     * A bit pattern changed in the oldest of the last frames, which was being written, and the
     * frames after it never reached the disk.
     */
    BIT_FLIPPED,
    /**
     * A bit pattern changed in the oldest of the last frames after it was written; the frames
     * after it are intact. Not a torn write: recovery must refuse rather than drop them.
     */
    BIT_FLIPPED_BEFORE_INTACT
  }

  record Frame(long offset, int length, boolean intact) {
    long end() {
      return offset + FRAME_HEADER + length;
    }
  }

  private JournalDamage() {}

  static Path newestSegment(Path journalDir) throws IOException {
    try (Stream<Path> files = Files.list(journalDir)) {
      return files.filter(p -> p.getFileName().toString().matches("segment-\\d{20}\\.log"))
          .max(Comparator.comparing(p -> p.getFileName().toString()))
          .orElseThrow(() -> new AssertionError("no journal segment in " + journalDir));
    }
  }

  /** The frames up to the end of the log, each with whether its checksum holds. */
  static List<Frame> frames(Path segment) throws IOException {
    List<Frame> frames = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = SEGMENT_HEADER;
      while (size - pos >= FRAME_HEADER) {
        ByteBuffer header = read(ch, pos, FRAME_HEADER);
        int length = header.getInt();
        int crc = header.getInt();
        if (length <= 0 || length > size - pos - FRAME_HEADER) {
          break;
        }
        CRC32C check = new CRC32C();
        check.update(read(ch, pos + FRAME_HEADER, length));
        frames.add(new Frame(pos, length, (int) check.getValue() == crc));
        pos += FRAME_HEADER + length;
      }
    }
    return frames;
  }

  /** Number of frames from the start that a recovery can keep. */
  static int intactPrefix(Path segment) throws IOException {
    int n = 0;
    for (Frame f : frames(segment)) {
      if (!f.intact()) {
        break;
      }
      n++;
    }
    return n;
  }

  /** Damages the last {@code count} frames of the newest segment; returns that segment. */
  static Path damageTail(Path journalDir, Kind kind, int count) throws IOException {
    Path segment = newestSegment(journalDir);
    List<Frame> frames = frames(segment);
    if (frames.size() < count) {
      throw new AssertionError("only " + frames.size() + " frames in " + segment);
    }
    Frame first = frames.get(frames.size() - count);
    Frame last = frames.get(frames.size() - 1);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      switch (kind) {
        case TORN -> zero(ch, first.offset() + FRAME_HEADER + first.length() / 2, last.end());
        case ZERO_FILLED -> zero(ch, first.offset(), last.end());
        case BIT_FLIPPED, BIT_FLIPPED_BEFORE_INTACT -> {
          long at = first.offset() + FRAME_HEADER + first.length() / 2;
          ByteBuffer b = read(ch, at, 1);
          ch.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 0x10)}), at);
          if (kind == Kind.BIT_FLIPPED) {
            zero(ch, first.end(), last.end());
          }
        }
      }
      ch.force(true);
    }
    return segment;
  }

  private static void zero(FileChannel ch, long from, long to) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate((int) (to - from));
    long pos = from;
    while (zeros.hasRemaining()) {
      pos += ch.write(zeros, pos);
    }
  }

  private static ByteBuffer read(FileChannel ch, long pos, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw new IOException("unexpected end of " + ch);
      }
    }
    return b.flip();
  }
}
