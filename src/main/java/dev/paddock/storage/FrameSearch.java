package dev.paddock.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Looks for an intact frame past a bad one. A crash tears only what was being written, so
 * nothing intact can follow a torn write; an intact frame after a bad one means the bad one was
 * acknowledged data that got damaged, and dropping the rest would lose acknowledged txns.
 *
 * <p>Every offset is a candidate, because a damaged length field says nothing about where the
 * next frame starts. Cheap tests on the first bytes (a plausible length, a known record type, a
 * plausible persistence id length) rule out nearly all offsets of random or zeroed bytes before
 * a checksum is computed.
 */
final class FrameSearch {
  private static final int WINDOW = 1 << 20;
  /** Frame header, record type byte and the persistence id's length. */
  private static final int PEEK = JournalFormat.FRAME_HEADER_SIZE + 5;
  /** The smallest body a record can have: type, empty id, event count. */
  private static final int MIN_BODY = 9;

  private FrameSearch() {}

  /** The offset of the first frame in (from, end) whose checksum holds, or -1 when none. */
  static long firstIntactFrame(FileChannel channel, long from, long end) throws IOException {
    ByteBuffer window = ByteBuffer.allocate(WINDOW);
    long windowStart = 0;
    int windowLength = 0;
    for (long offset = from + 1; end - offset >= PEEK; offset++) {
      if (offset + PEEK > windowStart + windowLength) {
        window.clear();
        windowLength = (int) Math.min(WINDOW, end - offset);
        window.limit(windowLength);
        FileIo.readFully(channel, window, offset);
        windowStart = offset;
      }
      int i = (int) (offset - windowStart);
      int length = window.getInt(i);
      if (length < MIN_BODY || length > end - offset - JournalFormat.FRAME_HEADER_SIZE) {
        continue;
      }
      byte type = window.get(i + JournalFormat.FRAME_HEADER_SIZE);
      if (type != JournalFormat.EVENTS && type != JournalFormat.DELETION) {
        continue;
      }
      int idLength = window.getInt(i + JournalFormat.FRAME_HEADER_SIZE + 1);
      if (idLength < 0 || idLength > length - 5) {
        continue;
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      FileIo.readFully(channel, body, offset + JournalFormat.FRAME_HEADER_SIZE);
      body.flip();
      if (JournalFormat.checksum(body) == window.getInt(i + 4)) {
        return offset;
      }
    }
    return -1;
  }
}
