package dev.paddock.txn;

import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * {@link DataOutput} into a growing byte array, the writing side of {@link BytesIn}: the same
 * bytes a {@link DataOutputStream} would write, without a lock and a virtual call per field.
 */
public final class BytesOut implements DataOutput {
  private byte[] buf;
  private int size;

  public BytesOut(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public int size() {
    return size;
  }

  /** A copy of the bytes written so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /**
   * Makes room for {@code n} more bytes and returns where they go; callers read {@code buf}
   * only after this returns, since it may replace the array.
   */
  private int grow(int n) {
    int at = size;
    if (n > buf.length - at) {
      long wanted = Math.max((long) buf.length * 2, (long) at + n);
      if (wanted > Integer.MAX_VALUE - 8) {
        if ((long) at + n > Integer.MAX_VALUE - 8) {
          throw new OutOfMemoryError("more than 2 GiB of output");
        }
        wanted = Integer.MAX_VALUE - 8;
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
    size = at + n;
    return at;
  }

  @Override
  public void write(int b) {
    int at = grow(1);
    buf[at] = (byte) b;
  }

  @Override
  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (off < 0 || len < 0 || off > b.length - len) {
      throw new IndexOutOfBoundsException();
    }
    int at = grow(len);
    System.arraycopy(b, off, buf, at, len);
  }

  @Override
  public void writeBoolean(boolean v) {
    write(v ? 1 : 0);
  }

  @Override
  public void writeByte(int v) {
    write(v);
  }

  @Override
  public void writeShort(int v) {
    int at = grow(2);
    BigEndian.SHORT.set(buf, at, (short) v);
  }

  @Override
  public void writeChar(int v) {
    writeShort(v);
  }

  @Override
  public void writeInt(int v) {
    int at = grow(4);
    BigEndian.INT.set(buf, at, v);
  }

  @Override
  public void writeLong(long v) {
    int at = grow(8);
    BigEndian.LONG.set(buf, at, v);
  }

  @Override
  public void writeFloat(float v) {
    writeInt(Float.floatToIntBits(v));
  }

  @Override
  public void writeDouble(double v) {
    writeLong(Double.doubleToLongBits(v));
  }

  @Override
  public void writeBytes(String s) {
    int at = grow(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[at + i] = (byte) s.charAt(i);
    }
  }

  @Override
  public void writeChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      writeChar(s.charAt(i));
    }
  }

  /** Modified UTF-8 with a two-byte length, as {@link DataOutputStream#writeUTF}. */
  @Override
  public void writeUTF(String s) throws UTFDataFormatException {
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      length += c >= 0x0001 && c <= 0x007f ? 1 : c <= 0x07ff ? 2 : 3;
    }
    if (length > 0xffff) {
      throw new UTFDataFormatException("encoded string too long: " + length + " bytes");
    }
    writeShort(length);
    int at = grow(length);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x0001 && c <= 0x007f) {
        buf[at++] = (byte) c;
      } else if (c <= 0x07ff) {
        buf[at++] = (byte) (0xc0 | (c >> 6) & 0x1f);
        buf[at++] = (byte) (0x80 | c & 0x3f);
      } else {
        buf[at++] = (byte) (0xe0 | (c >> 12) & 0x0f);
        buf[at++] = (byte) (0x80 | (c >> 6) & 0x3f);
        buf[at++] = (byte) (0x80 | c & 0x3f);
      }
    }
  }
}
