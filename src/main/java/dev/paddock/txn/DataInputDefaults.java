package dev.paddock.txn;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The reads of {@link DataInput} that follow from the others, once, for the array and file
 * readers that take numbers straight out of their buffers instead of going through
 * {@link DataInputStream}.
 */
public interface DataInputDefaults extends DataInput {

  @Override
  default void readFully(byte[] b) throws IOException {
    readFully(b, 0, b.length);
  }

  @Override
  default int readUnsignedShort() throws IOException {
    return readShort() & 0xffff;
  }

  @Override
  default char readChar() throws IOException {
    return (char) readShort();
  }

  @Override
  default float readFloat() throws IOException {
    return Float.intBitsToFloat(readInt());
  }

  @Override
  default double readDouble() throws IOException {
    return Double.longBitsToDouble(readLong());
  }

  @Override
  default String readUTF() throws IOException {
    return DataInputStream.readUTF(this);
  }
}
