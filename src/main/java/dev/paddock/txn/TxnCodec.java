package dev.paddock.txn;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.Id;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact binary form of txns, shared by the journal and by peer messages. Every field is
 * length-prefixed so a reader never trusts an unbounded size: lengths above {@link #MAX_FIELD}
 * are rejected as corruption instead of being allocated.
 */
public final class TxnCodec {
  /** No single field may exceed this; anything larger is corrupt input, not data. */
  public static final int MAX_FIELD = 64 * 1024 * 1024;

  /**
   * Lists read from a count start at most this big and grow as elements actually arrive, so a
   * corrupt count fails at the end of the input instead of allocating for elements never sent.
   */
  private static final int PRESIZE_LIMIT = 1024;

  /** Multis nest only by accident; deeper input is corrupt and must not exhaust the stack. */
  private static final int MAX_MULTI_DEPTH = 64;

  private static final byte CREATE_SESSION = 1;
  private static final byte CLOSE_SESSION = 2;
  private static final byte CREATE = 3;
  private static final byte DELETE = 4;
  private static final byte SET_DATA = 5;
  private static final byte SET_ACL = 6;
  private static final byte CHECK = 7;
  private static final byte ERROR = 8;
  private static final byte MULTI = 9;

  private TxnCodec() {}

  public static byte[] toBytes(TxnEntry e) {
    BytesOut out = new BytesOut(64);
    try {
      writeEntry(out, e);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  public static TxnEntry fromBytes(byte[] bytes) throws IOException {
    return readEntry(new BytesIn(bytes));
  }

  public static void writeEntry(DataOutput out, TxnEntry e) throws IOException {
    out.writeLong(e.zxid());
    out.writeLong(e.sessionId());
    out.writeInt(e.cxid());
    out.writeLong(e.time());
    writeTxn(out, e.txn());
  }

  public static TxnEntry readEntry(DataInput in) throws IOException {
    long zxid = in.readLong();
    long session = in.readLong();
    int cxid = in.readInt();
    long time = in.readLong();
    return new TxnEntry(zxid, session, cxid, time, readTxn(in));
  }

  public static void writeTxn(DataOutput out, Txn txn) throws IOException {
    if (txn instanceof Txn.CreateSession t) {
      out.writeByte(CREATE_SESSION);
      out.writeInt(t.timeoutMs());
    } else if (txn instanceof Txn.CloseSession) {
      out.writeByte(CLOSE_SESSION);
    } else if (txn instanceof Txn.Create t) {
      out.writeByte(CREATE);
      writeBytes(out, t.key());
      writeBytes(out, t.data());
      writeAcl(out, t.acl());
      out.writeLong(t.ephemeralOwner());
      out.writeInt(t.parentCVersion());
    } else if (txn instanceof Txn.Delete t) {
      out.writeByte(DELETE);
      writeString(out, t.path());
    } else if (txn instanceof Txn.SetData t) {
      out.writeByte(SET_DATA);
      writeString(out, t.path());
      writeBytes(out, t.data());
      out.writeInt(t.version());
    } else if (txn instanceof Txn.SetAcl t) {
      out.writeByte(SET_ACL);
      writeString(out, t.path());
      writeAcl(out, t.acl());
      out.writeInt(t.version());
    } else if (txn instanceof Txn.Check t) {
      out.writeByte(CHECK);
      writeString(out, t.path());
      out.writeInt(t.version());
    } else if (txn instanceof Txn.Error t) {
      out.writeByte(ERROR);
      out.writeInt(t.code().value());
    } else if (txn instanceof Txn.Multi t) {
      out.writeByte(MULTI);
      out.writeInt(t.ops().size());
      for (Txn op : t.ops()) {
        writeTxn(out, op);
      }
    } else {
      throw new IllegalArgumentException("unknown txn " + txn);
    }
  }

  public static Txn readTxn(DataInput in) throws IOException {
    return readTxn(in, 0);
  }

  private static Txn readTxn(DataInput in, int depth) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case CREATE_SESSION -> new Txn.CreateSession(in.readInt());
      case CLOSE_SESSION -> new Txn.CloseSession();
      case CREATE -> readCreate(in);
      case DELETE -> new Txn.Delete(readString(in));
      case SET_DATA -> new Txn.SetData(readString(in), readBytes(in), in.readInt());
      case SET_ACL -> new Txn.SetAcl(readString(in), readAcl(in), in.readInt());
      case CHECK -> new Txn.Check(readString(in), in.readInt());
      case ERROR -> new Txn.Error(Code.of(in.readInt()));
      case MULTI -> {
        if (depth >= MAX_MULTI_DEPTH) {
          throw new IOException("multi nested deeper than " + MAX_MULTI_DEPTH);
        }
        int n = readCount(in);
        List<Txn> ops = new ArrayList<>(Math.min(n, PRESIZE_LIMIT));
        for (int i = 0; i < n; i++) {
          ops.add(readTxn(in, depth + 1));
        }
        yield new Txn.Multi(ops);
      }
      default -> throw new IOException("unknown txn tag " + tag);
    };
  }

  public static void writeString(DataOutput out, String s) throws IOException {
    writeBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  public static String readString(DataInput in) throws IOException {
    byte[] b = readBytes(in);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /**
   * A create, its path kept as the bytes it was written as; the txn checks them to be a path's
   * encoding, and bytes that are not make the record corrupt.
   */
  private static Txn.Create readCreate(DataInput in) throws IOException {
    byte[] key = readBytes(in);
    if (key == null) {
      throw new IOException("a create without a path");
    }
    byte[] data = readBytes(in);
    List<Acl> acl = readAcl(in);
    long ephemeralOwner = in.readLong();
    int parentCVersion = in.readInt();
    try {
      return new Txn.Create(key, data, acl, ephemeralOwner, parentCVersion);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Writes a byte array keeping null distinct from empty, as ZooKeeper does for node data. */
  public static void writeBytes(DataOutput out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  public static byte[] readBytes(DataInput in) throws IOException {
    int len = in.readInt();
    if (len == -1) {
      return null;
    }
    if (len < 0 || len > MAX_FIELD) {
      throw new IOException("corrupt field length " + len);
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  public static void writeAcl(DataOutput out, List<Acl> acl) throws IOException {
    out.writeInt(acl.size());
    for (Acl a : acl) {
      out.writeInt(a.perms());
      writeString(out, a.id().scheme());
      writeString(out, a.id().id());
    }
  }

  public static List<Acl> readAcl(DataInput in) throws IOException {
    int n = readCount(in);
    List<Acl> acl = new ArrayList<>(Math.min(n, PRESIZE_LIMIT));
    for (int i = 0; i < n; i++) {
      acl.add(new Acl(in.readInt(), new Id(readString(in), readString(in))));
    }
    return acl;
  }

  public static int readCount(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_FIELD) {
      throw new IOException("corrupt element count " + n);
    }
    return n;
  }
}
