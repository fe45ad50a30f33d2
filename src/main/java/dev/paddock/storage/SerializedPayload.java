package dev.paddock.storage;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** An object as Pekko serialization represents it: serializer id, string manifest and bytes. */
record SerializedPayload(int serializerId, String manifest, byte[] bytes) {

  /** The layout both the journal and the snapshot files use: id, manifest, length, bytes. */
  void writeTo(DataOutput out) throws IOException {
    out.writeInt(serializerId);
    writeString(out, manifest);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** A length-prefixed UTF-8 string, as both file formats store them. */
  static void writeString(DataOutput out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
