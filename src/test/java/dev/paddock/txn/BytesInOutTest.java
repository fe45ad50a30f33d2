package dev.paddock.txn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast array streams write and read exactly what the JDK's data streams do. */
class BytesInOutTest {
  private static final String[] STRINGS = {"", "/a/b", "\u0000", "caf\u00e9", "\u4e2d\u6587",
      "\ud83d\ude00", "x".repeat(300), "\u07ff\u0800\uffff"};

  /** One random record of every kind of field, the same for any DataOutput given the seed. */
  private static void writeRecord(DataOutput out, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < 200; i++) {
      switch (r.nextInt(14)) {
        case 0 -> out.write(r.nextInt());
        case 1 -> {
          byte[] b = new byte[r.nextInt(40)];
          r.nextBytes(b);
          out.write(b);
        }
        case 2 -> {
          byte[] b = new byte[10];
          r.nextBytes(b);
          out.write(b, 2, 5);
        }
        case 3 -> out.writeBoolean(r.nextBoolean());
        case 4 -> out.writeByte(r.nextInt());
        case 5 -> out.writeShort(r.nextInt());
        case 6 -> out.writeChar(r.nextInt());
        case 7 -> out.writeInt(r.nextInt());
        case 8 -> out.writeLong(r.nextLong());
        case 9 -> out.writeFloat((float) r.nextDouble());
        case 10 -> out.writeDouble(r.nextDouble());
        case 11 -> out.writeUTF(STRINGS[r.nextInt(STRINGS.length)]);
        case 12 -> out.writeChars(STRINGS[r.nextInt(STRINGS.length)]);
        default -> out.writeBytes(STRINGS[r.nextInt(STRINGS.length)]);
      }
    }
  }

  /** Reads what {@link #writeRecord} wrote, into a description to compare. */
  private static String readRecord(DataInput in, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      switch (r.nextInt(14)) {
        case 0 -> {
          r.nextInt();
          s.append(in.readUnsignedByte());
        }
        case 1 -> {
          byte[] b = new byte[r.nextInt(40)];
          r.nextBytes(b);
          byte[] got = new byte[b.length];
          in.readFully(got);
          assertArrayEquals(b, got);
        }
        case 2 -> {
          r.nextBytes(new byte[10]);
          byte[] got = new byte[7];
          in.readFully(got, 1, 5);
          s.append(java.util.Arrays.toString(got));
        }
        case 3 -> {
          r.nextBoolean();
          s.append(in.readBoolean());
        }
        case 4 -> {
          r.nextInt();
          s.append(in.readByte());
        }
        case 5 -> {
          r.nextInt();
          s.append(in.readShort());
        }
        case 6 -> {
          r.nextInt();
          s.append((int) in.readChar());
        }
        case 7 -> {
          r.nextInt();
          s.append(in.readInt());
        }
        case 8 -> {
          r.nextLong();
          s.append(in.readLong());
        }
        case 9 -> {
          r.nextDouble();
          s.append(in.readFloat());
        }
        case 10 -> {
          r.nextDouble();
          s.append(in.readDouble());
        }
        case 11 -> {
          r.nextInt(STRINGS.length);
          s.append(in.readUTF());
        }
        case 12 -> {
          String w = STRINGS[r.nextInt(STRINGS.length)];
          for (int k = 0; k < w.length(); k++) {
            s.append(in.readChar());
          }
        }
        default -> {
          byte[] got = new byte[STRINGS[r.nextInt(STRINGS.length)].length()];
          in.readFully(got);
          s.append(java.util.Arrays.toString(got));
        }
      }
      s.append(',');
    }
    return s.toString();
  }

  @Test
  void writesTheBytesADataOutputStreamWrites() throws IOException {
    for (long seed = 0; seed < 200; seed++) {
      ByteArrayOutputStream jdk = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(jdk)) {
        writeRecord(out, seed);
      }
      BytesOut fast = new BytesOut(1);
      writeRecord(fast, seed);
      assertArrayEquals(jdk.toByteArray(), fast.toByteArray(), "seed " + seed);
      assertEquals(jdk.size(), fast.size());
    }
  }

  @Test
  void readsWhatADataInputStreamReads() throws IOException {
    for (long seed = 0; seed < 200; seed++) {
      ByteArrayOutputStream jdk = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(jdk)) {
        writeRecord(out, seed);
        out.writeLong(seed);
      }
      byte[] bytes = jdk.toByteArray();
      String expected;
      try {
        expected = readRecord(new DataInputStream(new ByteArrayInputStream(bytes)), seed);
      } catch (EOFException e) {
        expected = "EOF";
      }
      String actual;
      try {
        actual = readRecord(new BytesIn(bytes), seed);
      } catch (EOFException e) {
        actual = "EOF";
      }
      assertEquals(expected, actual, "seed " + seed);
    }
  }

  @Test
  void runningOutOfBytesIsAnEndOfFile() throws IOException {
    BytesIn in = new BytesIn(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 7);
    assertEquals(7, in.remaining());
    assertEquals(0x0203_0405, in.readInt());
    assertThrows(EOFException.class, in::readInt);
    assertThrows(EOFException.class, in::readLong);
    assertEquals(3, in.remaining());
    assertThrows(EOFException.class, () -> in.readFully(new byte[4]));
    assertEquals(0x0607, in.readShort());
    assertEquals(8, in.readByte());
    assertThrows(EOFException.class, in::readByte);
    assertThrows(EOFException.class, in::readBoolean);
    assertEquals(0, in.skipBytes(5));
    assertThrows(IndexOutOfBoundsException.class, () -> new BytesIn(new byte[4], 2, 3));
  }

  @Test
  void aStringTooLongForModifiedUtf8IsRefused() {
    assertThrows(UTFDataFormatException.class,
        () -> new BytesOut(4).writeUTF("\u4e2d".repeat(30_000)));
  }

  @Test
  void readsLinesAsTheJdkDid() {
    BytesIn in = new BytesIn("a\r\nb\rc\n\nd".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("a", in.readLine());
    assertEquals("b", in.readLine());
    assertEquals("c", in.readLine());
    assertEquals("", in.readLine());
    assertEquals("d", in.readLine());
    assertNull(in.readLine());
  }
}
