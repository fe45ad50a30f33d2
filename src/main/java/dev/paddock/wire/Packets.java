package dev.paddock.wire;

import dev.paddock.api.Acl;
import dev.paddock.api.Id;
import dev.paddock.api.Stat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.pekko.util.ByteString;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.proto.ReplyHeader;

/** Length-prefixed outgoing packets and conversions between jute records and Paddock's types. */
final class Packets {
  private Packets() {}

  /** A reply: header then, when present, the response record, behind a 4-byte length. */
  static ByteString reply(int xid, long zxid, int err, Record body) {
    return write(out -> {
      new ReplyHeader(xid, zxid, err).serialize(out, "header");
      if (body != null) {
        body.serialize(out, "response");
      }
    });
  }

  interface Writer {
    void write(BinaryOutputArchive out) throws IOException;
  }

  /** Serializes with a placeholder length that is patched once the size is known. */
  static ByteString write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    BinaryOutputArchive out = BinaryOutputArchive.getArchive(bytes);
    try {
      out.writeInt(-1, "len");
      writer.write(out);
    } catch (IOException e) {
      // Only a ByteArrayOutputStream is written to, which never throws.
      throw new UncheckedIOException(e);
    }
    byte[] b = bytes.toByteArray();
    int len = b.length - 4;
    b[0] = (byte) (len >>> 24);
    b[1] = (byte) (len >>> 16);
    b[2] = (byte) (len >>> 8);
    b[3] = (byte) len;
    return ByteString.fromArrayUnsafe(b);
  }

  static org.apache.zookeeper.data.Stat stat(Stat s) {
    return new org.apache.zookeeper.data.Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(),
        s.version(), s.cversion(), s.aversion(), s.ephemeralOwner(), s.dataLength(),
        s.numChildren(), s.pzxid());
  }

  static List<ACL> acls(List<Acl> acl) {
    List<ACL> out = new ArrayList<>(acl.size());
    for (Acl a : acl) {
      out.add(new ACL(a.perms(), new org.apache.zookeeper.data.Id(a.id().scheme(), a.id().id())));
    }
    return out;
  }

  /** Null stays null: the request path turns a missing ACL into INVALID_ACL as ZooKeeper does. */
  static List<Acl> fromWire(List<ACL> acl) {
    if (acl == null) {
      return null;
    }
    List<Acl> out = new ArrayList<>(acl.size());
    for (ACL a : acl) {
      org.apache.zookeeper.data.Id id = a.getId();
      out.add(new Acl(a.getPerms(), id == null ? null : new Id(id.getScheme(), id.getId())));
    }
    return out;
  }
}
