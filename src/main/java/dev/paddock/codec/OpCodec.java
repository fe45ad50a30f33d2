package dev.paddock.codec;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.api.Id;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatchMode;
import dev.paddock.api.WatcherType;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.txn.TxnCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of ops and results as they travel between a typed client and a server.
 * Tags are stable wire values, never ordinals. Input is untrusted: counts and lengths are bounded,
 * lists grow only as elements are actually decoded (a corrupt count runs into end of input
 * instead of a huge allocation), and nesting of multis is limited so corrupt input cannot
 * overflow the stack.
 */
public final class OpCodec {
  /** Deeper nesting of multi ops or results is treated as corrupt input. */
  public static final int MAX_DEPTH = 16;

  private static final int NULL_COUNT = -1;
  /** Initial list capacity; keeps a lying count from reserving memory before data backs it. */
  private static final int PRESIZE_LIMIT = 16;

  private static final byte CREATE = 1;
  private static final byte DELETE = 2;
  private static final byte SET_DATA = 3;
  private static final byte SET_ACL = 4;
  private static final byte CHECK = 5;
  private static final byte MULTI = 6;
  private static final byte DELETE_CONTAINER = 7;
  private static final byte CREATE_SESSION = 8;
  private static final byte CLOSE_SESSION = 9;
  private static final byte SYNC = 10;
  private static final byte GET_DATA = 11;
  private static final byte EXISTS = 12;
  private static final byte GET_CHILDREN = 13;
  private static final byte GET_ACL = 14;
  private static final byte GET_ALL_CHILDREN_NUMBER = 15;
  private static final byte GET_EPHEMERALS = 16;
  private static final byte MULTI_READ = 17;
  private static final byte ADD_WATCH = 18;
  private static final byte REMOVE_WATCHES = 19;
  private static final byte CHECK_WATCHES = 20;
  private static final byte SET_WATCHES = 21;
  private static final byte WHO_AM_I = 22;

  private static final byte R_FAILED = 1;
  private static final byte R_DONE = 2;
  private static final byte R_CREATED = 3;
  private static final byte R_STAT = 4;
  private static final byte R_DATA = 5;
  private static final byte R_CHILDREN = 6;
  private static final byte R_ACL = 7;
  private static final byte R_COUNT = 8;
  private static final byte R_PATHS = 9;
  private static final byte R_IDS = 10;
  private static final byte R_MULTI = 11;

  private OpCodec() {}

  public static void writeOp(DataOutput out, Op op) throws IOException {
    writeOp(out, op, 0);
  }

  public static Op readOp(DataInput in) throws IOException {
    return readOp(in, 0);
  }

  private static void writeOp(DataOutput out, Op op, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("multi nested deeper than " + MAX_DEPTH);
    }
    if (op instanceof Op.Create o) {
      out.writeByte(CREATE);
      TxnCodec.writeString(out, o.path());
      TxnCodec.writeBytes(out, o.data());
      writeAcl(out, o.acl());
      out.writeInt(o.mode() == null ? -1 : o.mode().flag());
      out.writeLong(o.ttl());
    } else if (op instanceof Op.Delete o) {
      out.writeByte(DELETE);
      TxnCodec.writeString(out, o.path());
      out.writeInt(o.version());
    } else if (op instanceof Op.SetData o) {
      out.writeByte(SET_DATA);
      TxnCodec.writeString(out, o.path());
      TxnCodec.writeBytes(out, o.data());
      out.writeInt(o.version());
    } else if (op instanceof Op.SetAcl o) {
      out.writeByte(SET_ACL);
      TxnCodec.writeString(out, o.path());
      writeAcl(out, o.acl());
      out.writeInt(o.version());
    } else if (op instanceof Op.Check o) {
      out.writeByte(CHECK);
      TxnCodec.writeString(out, o.path());
      out.writeInt(o.version());
    } else if (op instanceof Op.Multi o) {
      out.writeByte(MULTI);
      out.writeInt(o.ops().size());
      for (Op.Write w : o.ops()) {
        writeOp(out, w, depth + 1);
      }
    } else if (op instanceof Op.DeleteContainer o) {
      out.writeByte(DELETE_CONTAINER);
      TxnCodec.writeString(out, o.path());
    } else if (op instanceof Op.CreateSession o) {
      out.writeByte(CREATE_SESSION);
      out.writeInt(o.timeoutMs());
    } else if (op instanceof Op.CloseSession) {
      out.writeByte(CLOSE_SESSION);
    } else if (op instanceof Op.Sync o) {
      pathOp(out, SYNC, o.path());
    } else if (op instanceof Op.GetData o) {
      watchedRead(out, GET_DATA, o.path(), o.watch());
    } else if (op instanceof Op.Exists o) {
      watchedRead(out, EXISTS, o.path(), o.watch());
    } else if (op instanceof Op.GetChildren o) {
      watchedRead(out, GET_CHILDREN, o.path(), o.watch());
    } else if (op instanceof Op.GetAcl o) {
      pathOp(out, GET_ACL, o.path());
    } else if (op instanceof Op.GetAllChildrenNumber o) {
      pathOp(out, GET_ALL_CHILDREN_NUMBER, o.path());
    } else if (op instanceof Op.GetEphemerals o) {
      pathOp(out, GET_EPHEMERALS, o.path());
    } else if (op instanceof Op.MultiRead o) {
      out.writeByte(MULTI_READ);
      out.writeInt(o.ops().size());
      for (Op.Read r : o.ops()) {
        writeOp(out, r, depth + 1);
      }
    } else if (op instanceof Op.AddWatch o) {
      pathOp(out, ADD_WATCH, o.path());
      out.writeInt(o.mode() == null ? -1 : o.mode().value());
    } else if (op instanceof Op.RemoveWatches o) {
      pathOp(out, REMOVE_WATCHES, o.path());
      out.writeInt(o.type() == null ? -1 : o.type().value());
    } else if (op instanceof Op.CheckWatches o) {
      pathOp(out, CHECK_WATCHES, o.path());
      out.writeInt(o.type() == null ? -1 : o.type().value());
    } else if (op instanceof Op.SetWatches o) {
      out.writeByte(SET_WATCHES);
      out.writeLong(o.relativeZxid());
      writeStrings(out, o.data());
      writeStrings(out, o.exist());
      writeStrings(out, o.child());
      writeStrings(out, o.persistent());
      writeStrings(out, o.persistentRecursive());
    } else if (op instanceof Op.WhoAmI) {
      out.writeByte(WHO_AM_I);
    } else {
      throw new IllegalArgumentException("unknown op " + op);
    }
  }

  private static void pathOp(DataOutput out, byte tag, String path) throws IOException {
    out.writeByte(tag);
    TxnCodec.writeString(out, path);
  }

  private static void watchedRead(DataOutput out, byte tag, String path, boolean watch)
      throws IOException {
    pathOp(out, tag, path);
    out.writeBoolean(watch);
  }

  private static Op readOp(DataInput in, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("multi nested deeper than " + MAX_DEPTH);
    }
    byte tag = in.readByte();
    return switch (tag) {
      case CREATE -> new Op.Create(TxnCodec.readString(in), TxnCodec.readBytes(in), readAcl(in),
          readCreateMode(in), in.readLong());
      case DELETE -> new Op.Delete(TxnCodec.readString(in), in.readInt());
      case SET_DATA -> new Op.SetData(TxnCodec.readString(in), TxnCodec.readBytes(in),
          in.readInt());
      case SET_ACL -> new Op.SetAcl(TxnCodec.readString(in), readAcl(in), in.readInt());
      case CHECK -> new Op.Check(TxnCodec.readString(in), in.readInt());
      case MULTI -> {
        int n = TxnCodec.readCount(in);
        List<Op.Write> ops = new ArrayList<>(Math.min(n, PRESIZE_LIMIT));
        for (int i = 0; i < n; i++) {
          if (!(readOp(in, depth + 1) instanceof Op.Write w)) {
            throw new IOException("multi holds an op that is not a write");
          }
          ops.add(w);
        }
        yield new Op.Multi(ops);
      }
      case DELETE_CONTAINER -> new Op.DeleteContainer(TxnCodec.readString(in));
      case CREATE_SESSION -> new Op.CreateSession(in.readInt());
      case CLOSE_SESSION -> new Op.CloseSession();
      case SYNC -> new Op.Sync(TxnCodec.readString(in));
      case GET_DATA -> new Op.GetData(TxnCodec.readString(in), in.readBoolean());
      case EXISTS -> new Op.Exists(TxnCodec.readString(in), in.readBoolean());
      case GET_CHILDREN -> new Op.GetChildren(TxnCodec.readString(in), in.readBoolean());
      case GET_ACL -> new Op.GetAcl(TxnCodec.readString(in));
      case GET_ALL_CHILDREN_NUMBER -> new Op.GetAllChildrenNumber(TxnCodec.readString(in));
      case GET_EPHEMERALS -> new Op.GetEphemerals(TxnCodec.readString(in));
      case MULTI_READ -> {
        int n = TxnCodec.readCount(in);
        List<Op.Read> ops = new ArrayList<>(Math.min(n, PRESIZE_LIMIT));
        for (int i = 0; i < n; i++) {
          if (!(readOp(in, depth + 1) instanceof Op.Read r)) {
            throw new IOException("multiRead holds an op that is not a read");
          }
          ops.add(r);
        }
        yield new Op.MultiRead(ops);
      }
      case ADD_WATCH -> {
        String path = TxnCodec.readString(in);
        int mode = in.readInt();
        yield new Op.AddWatch(path, mode == -1 ? null : known(WatchMode.of(mode), mode));
      }
      case REMOVE_WATCHES -> new Op.RemoveWatches(TxnCodec.readString(in), readWatcherType(in));
      case CHECK_WATCHES -> new Op.CheckWatches(TxnCodec.readString(in), readWatcherType(in));
      case SET_WATCHES -> new Op.SetWatches(in.readLong(), readStrings(in), readStrings(in),
          readStrings(in), readStrings(in), readStrings(in));
      case WHO_AM_I -> new Op.WhoAmI();
      default -> throw new IOException("unknown op tag " + tag);
    };
  }

  private static CreateMode readCreateMode(DataInput in) throws IOException {
    int flag = in.readInt();
    return flag == -1 ? null : known(CreateMode.fromFlag(flag), flag);
  }

  private static WatcherType readWatcherType(DataInput in) throws IOException {
    int v = in.readInt();
    return v == -1 ? null : known(WatcherType.of(v), v);
  }

  private static <T> T known(T value, int raw) throws IOException {
    if (value == null) {
      throw new IOException("unknown enum value " + raw);
    }
    return value;
  }

  public static void writeResult(DataOutput out, Result r) throws IOException {
    writeResult(out, r, 0);
  }

  public static Result readResult(DataInput in) throws IOException {
    return readResult(in, 0);
  }

  private static void writeResult(DataOutput out, Result r, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("multi result nested deeper than " + MAX_DEPTH);
    }
    if (r instanceof Result.Failed f) {
      out.writeByte(R_FAILED);
      writeCode(out, f.code());
    } else if (r instanceof Result.Done) {
      out.writeByte(R_DONE);
    } else if (r instanceof Result.Created c) {
      out.writeByte(R_CREATED);
      TxnCodec.writeString(out, c.path());
      writeStat(out, c.stat());
    } else if (r instanceof Result.StatOf s) {
      out.writeByte(R_STAT);
      writeStat(out, s.stat());
    } else if (r instanceof Result.Data d) {
      out.writeByte(R_DATA);
      TxnCodec.writeBytes(out, d.data());
      writeStat(out, d.stat());
    } else if (r instanceof Result.Children c) {
      out.writeByte(R_CHILDREN);
      writeStrings(out, c.children());
      writeStat(out, c.stat());
    } else if (r instanceof Result.AclOf a) {
      out.writeByte(R_ACL);
      writeAcl(out, a.acl());
      writeStat(out, a.stat());
    } else if (r instanceof Result.Count c) {
      out.writeByte(R_COUNT);
      out.writeInt(c.count());
    } else if (r instanceof Result.PathList p) {
      out.writeByte(R_PATHS);
      writeStrings(out, p.paths());
    } else if (r instanceof Result.Identities ids) {
      out.writeByte(R_IDS);
      writeIds(out, ids.ids());
    } else if (r instanceof Result.Multi m) {
      out.writeByte(R_MULTI);
      writeCode(out, m.code());
      out.writeInt(m.results().size());
      for (Result sub : m.results()) {
        writeResult(out, sub, depth + 1);
      }
    } else {
      throw new IllegalArgumentException("unknown result " + r);
    }
  }

  private static Result readResult(DataInput in, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("multi result nested deeper than " + MAX_DEPTH);
    }
    byte tag = in.readByte();
    return switch (tag) {
      case R_FAILED -> new Result.Failed(readCode(in));
      case R_DONE -> Result.DONE;
      case R_CREATED -> new Result.Created(TxnCodec.readString(in), readStat(in));
      case R_STAT -> new Result.StatOf(readStat(in));
      case R_DATA -> new Result.Data(TxnCodec.readBytes(in), readStat(in));
      case R_CHILDREN -> new Result.Children(readStrings(in), readStat(in));
      case R_ACL -> new Result.AclOf(readAcl(in), readStat(in));
      case R_COUNT -> new Result.Count(in.readInt());
      case R_PATHS -> new Result.PathList(readStrings(in));
      case R_IDS -> new Result.Identities(readIds(in));
      case R_MULTI -> {
        Code code = readCode(in);
        int n = TxnCodec.readCount(in);
        List<Result> results = new ArrayList<>(Math.min(n, PRESIZE_LIMIT));
        for (int i = 0; i < n; i++) {
          results.add(readResult(in, depth + 1));
        }
        yield new Result.Multi(code, results);
      }
      default -> throw new IOException("unknown result tag " + tag);
    };
  }

  public static void writeCode(DataOutput out, Code code) throws IOException {
    out.writeInt(code.value());
  }

  /** Unknown values become SYSTEM_ERROR (as {@link Code#of}) so newer servers stay readable. */
  public static Code readCode(DataInput in) throws IOException {
    return Code.of(in.readInt());
  }

  /** A null stat is kept null: results carry one only when the op produced it. */
  public static void writeStat(DataOutput out, Stat s) throws IOException {
    out.writeBoolean(s != null);
    if (s == null) {
      return;
    }
    out.writeLong(s.czxid());
    out.writeLong(s.mzxid());
    out.writeLong(s.ctime());
    out.writeLong(s.mtime());
    out.writeInt(s.version());
    out.writeInt(s.cversion());
    out.writeInt(s.aversion());
    out.writeLong(s.ephemeralOwner());
    out.writeInt(s.dataLength());
    out.writeInt(s.numChildren());
    out.writeLong(s.pzxid());
  }

  public static Stat readStat(DataInput in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    return new Stat(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt(),
        in.readInt(), in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readLong());
  }

  public static void writeId(DataOutput out, Id id) throws IOException {
    out.writeBoolean(id != null);
    if (id != null) {
      TxnCodec.writeString(out, id.scheme());
      TxnCodec.writeString(out, id.id());
    }
  }

  public static Id readId(DataInput in) throws IOException {
    return in.readBoolean() ? new Id(TxnCodec.readString(in), TxnCodec.readString(in)) : null;
  }

  /**
   * Same entry layout as {@link TxnCodec#writeAcl} but keeps a null list and null ids, so a
   * malformed ACL reaches the server and is answered INVALID_ACL there, as ZooKeeper does. Not
   * read with {@code TxnCodec.readAcl}: that pre-sizes its list from the untrusted count.
   */
  public static void writeAcl(DataOutput out, List<Acl> acl) throws IOException {
    if (acl == null) {
      out.writeInt(NULL_COUNT);
      return;
    }
    out.writeInt(acl.size());
    for (Acl a : acl) {
      out.writeInt(a.perms());
      writeId(out, a.id());
    }
  }

  public static List<Acl> readAcl(DataInput in) throws IOException {
    int n = readNullableCount(in);
    if (n == NULL_COUNT) {
      return null;
    }
    List<Acl> acl = new ArrayList<>(Math.min(n, PRESIZE_LIMIT));
    for (int i = 0; i < n; i++) {
      acl.add(new Acl(in.readInt(), readId(in)));
    }
    return acl;
  }

  public static void writeIds(DataOutput out, List<Id> ids) throws IOException {
    out.writeInt(ids.size());
    for (Id id : ids) {
      writeId(out, id);
    }
  }

  /** Lists from {@code List.copyOf} hold no nulls, so a null element is corrupt input. */
  public static List<Id> readIds(DataInput in) throws IOException {
    int n = TxnCodec.readCount(in);
    List<Id> ids = new ArrayList<>(Math.min(n, PRESIZE_LIMIT));
    for (int i = 0; i < n; i++) {
      Id id = readId(in);
      if (id == null) {
        throw new IOException("null identity");
      }
      ids.add(id);
    }
    return ids;
  }

  public static void writeStrings(DataOutput out, List<String> strings) throws IOException {
    if (strings == null) {
      out.writeInt(NULL_COUNT);
      return;
    }
    out.writeInt(strings.size());
    for (String s : strings) {
      TxnCodec.writeString(out, s);
    }
  }

  public static List<String> readStrings(DataInput in) throws IOException {
    int n = readNullableCount(in);
    if (n == NULL_COUNT) {
      return null;
    }
    List<String> out = new ArrayList<>(Math.min(n, PRESIZE_LIMIT));
    for (int i = 0; i < n; i++) {
      out.add(TxnCodec.readString(in));
    }
    return out;
  }

  public static void writeEvent(DataOutput out, WatchEvent e) throws IOException {
    out.writeInt(e.type().value());
    TxnCodec.writeString(out, e.path());
    out.writeLong(e.zxid());
  }

  public static WatchEvent readEvent(DataInput in) throws IOException {
    int type = in.readInt();
    EventType t;
    try {
      t = EventType.of(type);
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown event type " + type, e);
    }
    return new WatchEvent(t, TxnCodec.readString(in), in.readLong());
  }

  private static int readNullableCount(DataInput in) throws IOException {
    int n = in.readInt();
    if (n == NULL_COUNT) {
      return n;
    }
    if (n < 0 || n > TxnCodec.MAX_FIELD) {
      throw new IOException("corrupt element count " + n);
    }
    return n;
  }
}
