package dev.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the data of a preallocated segment ends: past its last non-zero byte. */
class FileIoTest {
  private static final int MIB = 1 << 20;

  @TempDir
  Path dir;

  private FileChannel fileOf(int size, long... nonZeroAt) throws IOException {
    FileChannel ch = FileChannel.open(dir.resolve("f" + System.nanoTime()),
        StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    ch.write(ByteBuffer.wrap(new byte[] {0}), size - 1);
    for (long at : nonZeroAt) {
      ch.write(ByteBuffer.wrap(new byte[] {(byte) 0x80}), at);
    }
    return ch;
  }

  @Test
  void allZerosEndWhereTheScanStarts() throws IOException {
    try (FileChannel ch = fileOf(3 * MIB + 17)) {
      assertEquals(5, FileIo.endOfNonZero(ch, 5, ch.size()));
      assertEquals(0, FileIo.endOfNonZero(ch, 0, 0));
    }
  }

  @Test
  void theLastNonZeroByteCountsWhereverItLies() throws IOException {
    long[] spots = {0, 1, MIB - 1, MIB, MIB + 1, 2L * MIB + 12_345, 3L * MIB + 16};
    for (long spot : spots) {
      try (FileChannel ch = fileOf(3 * MIB + 17, 3, spot)) {
        assertEquals(Math.max(4, spot + 1), FileIo.endOfNonZero(ch, 0, ch.size()),
            "non-zero byte at " + spot);
      }
    }
  }

  @Test
  void bytesOutsideTheRangeDoNotCount() throws IOException {
    try (FileChannel ch = fileOf(2 * MIB, 10, MIB + 7, 2L * MIB - 1)) {
      assertEquals(MIB + 8, FileIo.endOfNonZero(ch, 100, 2L * MIB - 1));
      assertEquals(100, FileIo.endOfNonZero(ch, 100, MIB + 7));
    }
  }
}
