package dev.paddock.storage;

import dev.paddock.txn.DataInputDefaults;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Buffered positional reads of a snapshot file's checksummed content only: readers cannot run
 * into the trailer, and {@link #remaining()} tells whether they consumed everything. It is its
 * own {@link DataInput}, taking numbers straight out of the buffer: a tree snapshot is a dozen
 * numbers per znode, and {@link DataInputStream} reads an int as four single-byte calls, which
 * in a freshly started JVM cost a restart with half a million znodes about a third of its
 * snapshot decoding.
 */
final class SnapshotContent extends InputStream implements DataInputDefaults {
  private final FileChannel channel;
  private final ByteBuffer buffer;
  private final long end;
  private long next;

  SnapshotContent(FileChannel channel, long end, int bufferSize) {
    this.channel = channel;
    this.end = end;
    this.buffer = ByteBuffer.allocate(bufferSize);
    buffer.limit(0);
  }

  long remaining() {
    return end - next + buffer.remaining();
  }

  private boolean fill() throws IOException {
    if (next >= end) {
      return false;
    }
    buffer.clear();
    buffer.limit((int) Math.min(buffer.capacity(), end - next));
    FileIo.readFully(channel, buffer, next);
    next += buffer.limit();
    buffer.flip();
    return true;
  }

  @Override
  public int read() throws IOException {
    if (!buffer.hasRemaining() && !fill()) {
      return -1;
    }
    return buffer.get() & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!buffer.hasRemaining() && !fill()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    return n;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, remaining());
  }

  @Override
  public void close() {
    // The channel belongs to the caller, which closes it.
  }

  private int readOrFail() throws IOException {
    int b = read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  @Override
  public void readFully(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = read(b, off, len);
      if (n < 0) {
        throw new EOFException();
      }
      off += n;
      len -= n;
    }
  }

  @Override
  public int skipBytes(int n) throws IOException {
    int skipped = 0;
    while (skipped < n && (buffer.hasRemaining() || fill())) {
      int step = Math.min(n - skipped, buffer.remaining());
      buffer.position(buffer.position() + step);
      skipped += step;
    }
    return skipped;
  }

  @Override
  public boolean readBoolean() throws IOException {
    return readOrFail() != 0;
  }

  @Override
  public byte readByte() throws IOException {
    return (byte) readOrFail();
  }

  @Override
  public int readUnsignedByte() throws IOException {
    return readOrFail();
  }

  @Override
  public short readShort() throws IOException {
    if (buffer.remaining() >= Short.BYTES) {
      return buffer.getShort();
    }
    return (short) ((readOrFail() << 8) | readOrFail());
  }

  @Override
  public int readInt() throws IOException {
    if (buffer.remaining() >= Integer.BYTES) {
      return buffer.getInt();
    }
    int v = 0;
    for (int i = 0; i < Integer.BYTES; i++) {
      v = (v << 8) | readOrFail();
    }
    return v;
  }

  @Override
  public long readLong() throws IOException {
    if (buffer.remaining() >= Long.BYTES) {
      return buffer.getLong();
    }
    long high = readInt();
    return (high << 32) | (readInt() & 0xffffffffL);
  }

  /** As {@link DataInputStream#readLine}: bytes as Latin-1 up to \n, \r or \r\n. */
  @Override
  public String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int c = read();
    if (c < 0) {
      return null;
    }
    while (c >= 0 && c != '\n' && c != '\r') {
      line.append((char) c);
      c = read();
    }
    if (c == '\r' && (buffer.hasRemaining() || fill()) && buffer.get(buffer.position()) == '\n') {
      buffer.get();
    }
    return line.toString();
  }
}
