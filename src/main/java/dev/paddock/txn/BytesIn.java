package dev.paddock.txn;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@link DataInput} over a byte array, for the records Paddock decodes by the hundred thousand
 * (journal events, peer envelopes, client packets). A {@link DataInputStream} over a
 * {@code ByteArrayInputStream} takes a lock and a virtual call for every field it reads; this
 * reads a long as one big-endian load. Running out of bytes throws {@link EOFException}, as
 * {@code DataInputStream} does.
 */
public final class BytesIn implements DataInputDefaults {
  private final byte[] buf;
  private final int limit;
  private int pos;

  public BytesIn(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public BytesIn(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buf.length - length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " in "
          + buf.length + " bytes");
    }
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
  }

  public int remaining() {
    return limit - pos;
  }

  private int take(int n) throws EOFException {
    if (n > limit - pos) {
      throw new EOFException("needed " + n + " bytes, " + (limit - pos) + " left");
    }
    int at = pos;
    pos += n;
    return at;
  }

  @Override
  public void readFully(byte[] b, int off, int len) throws IOException {
    if (off < 0 || len < 0 || off > b.length - len) {
      throw new IndexOutOfBoundsException();
    }
    System.arraycopy(buf, take(len), b, off, len);
  }

  @Override
  public int skipBytes(int n) {
    int k = Math.max(0, Math.min(n, limit - pos));
    pos += k;
    return k;
  }

  @Override
  public boolean readBoolean() throws IOException {
    return buf[take(1)] != 0;
  }

  @Override
  public byte readByte() throws IOException {
    return buf[take(1)];
  }

  @Override
  public int readUnsignedByte() throws IOException {
    return buf[take(1)] & 0xff;
  }

  @Override
  public short readShort() throws IOException {
    return (short) BigEndian.SHORT.get(buf, take(2));
  }

  @Override
  public int readInt() throws IOException {
    return (int) BigEndian.INT.get(buf, take(4));
  }

  @Override
  public long readLong() throws IOException {
    return (long) BigEndian.LONG.get(buf, take(8));
  }

  /** As {@link DataInputStream#readLine}: bytes as Latin-1 up to \n, \r or \r\n; null at end. */
  @Override
  public String readLine() {
    if (pos >= limit) {
      return null;
    }
    int start = pos;
    while (pos < limit && buf[pos] != '\n' && buf[pos] != '\r') {
      pos++;
    }
    String line = new String(buf, start, pos - start, StandardCharsets.ISO_8859_1);
    if (pos < limit && buf[pos++] == '\r' && pos < limit && buf[pos] == '\n') {
      pos++;
    }
    return line;
  }
}
