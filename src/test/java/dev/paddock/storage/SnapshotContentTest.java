package dev.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot reader's DataInput reads what DataOutputStream wrote, across buffer refills. */
class SnapshotContentTest {
  @TempDir Path dir;

  private FileChannel file(byte[] content, byte[] trailer) throws IOException {
    Path f = dir.resolve("content");
    Files.write(f, content);
    Files.write(f, trailer, StandardOpenOption.APPEND);
    return FileChannel.open(f, StandardOpenOption.READ);
  }

  private static byte[] sample() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(-7);
    out.writeInt(0x80000001);
    out.writeLong(0x8877665544332211L);
    out.writeBoolean(true);
    out.writeShort(-2);
    out.writeChar('é');
    out.writeFloat(1.5f);
    out.writeDouble(-2.25);
    out.writeUTF("zweiundvierzig ✓");
    out.write(new byte[] {1, 2, 3, 4, 5});
    out.writeBytes("line one\r\nline two\n");
    out.writeLong(-1L);
    return bytes.toByteArray();
  }

  @Test
  void everyBufferSizeReadsTheSameValues() throws IOException {
    byte[] content = sample();
    // Sizes that split each value at a different byte, and one that holds everything.
    for (int size : new int[] {1, 2, 3, 5, 7, 8, 13, 4096}) {
      try (FileChannel ch = file(content, new byte[] {9, 9, 9, 9})) {
        SnapshotContent in = new SnapshotContent(ch, content.length, size);
        assertEquals(-7, in.readByte(), "buffer " + size);
        assertEquals(0x80000001, in.readInt(), "buffer " + size);
        assertEquals(0x8877665544332211L, in.readLong(), "buffer " + size);
        assertTrue(in.readBoolean());
        assertEquals(-2, in.readShort());
        assertEquals('é', in.readChar());
        assertEquals(1.5f, in.readFloat());
        assertEquals(-2.25, in.readDouble());
        assertEquals("zweiundvierzig ✓", in.readUTF());
        byte[] five = new byte[5];
        assertEquals(2, in.skipBytes(2));
        in.readFully(five, 0, 3);
        assertArrayEquals(new byte[] {3, 4, 5, 0, 0}, five);
        assertEquals("line one", in.readLine());
        assertEquals("line two", in.readLine());
        assertEquals(-1L, in.readLong());
        assertEquals(0, in.remaining(), "the trailer is never read");
        assertThrows(EOFException.class, in::readInt);
        assertNull(in.readLine());
        assertEquals(0, in.skipBytes(3));
      }
    }
  }

  @Test
  void aValueCutByTheEndOfTheContentIsAnError() throws IOException {
    byte[] content = {0, 0, 0, 1, 0, 0};
    try (FileChannel ch = file(content, new byte[] {7, 7})) {
      SnapshotContent in = new SnapshotContent(ch, content.length, 4);
      assertEquals(1, in.readInt());
      assertThrows(EOFException.class, in::readInt);
      assertFalse(in.remaining() > 0);
    }
  }
}
