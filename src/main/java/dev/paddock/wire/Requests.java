package dev.paddock.wire;

import static dev.paddock.wire.OpCodes.*;

import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.WatchMode;
import dev.paddock.api.WatcherType;
import dev.paddock.request.Op;
import dev.paddock.txn.BytesIn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.AuthPacket;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetACLRequest;
import org.apache.zookeeper.proto.GetAllChildrenNumberRequest;
import org.apache.zookeeper.proto.GetChildren2Request;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetEphemeralsRequest;
import org.apache.zookeeper.proto.GetSASLRequest;
import org.apache.zookeeper.proto.ReconfigRequest;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.apache.zookeeper.proto.RequestHeader;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SetWatches2;
import org.apache.zookeeper.proto.SetWatches;
import org.apache.zookeeper.proto.SyncRequest;

/**
 * Decodes one request packet (after the handshake) into what the connection does with it: hand
 * an op to the session, answer it here, or give up on the connection. Body errors answer
 * MARSHALLING_ERROR as ZooKeeper's request processors do; only an unreadable header, auth or
 * SASL packet closes the connection, as it does in ZooKeeper. A SASL request is refused: this
 * server has no SASL, and answering OK would let a client believe it authenticated.
 */
final class Requests {
  private Requests() {}

  sealed interface Decoded {}

  /**
   * An op for the session. {@code syncPath} is echoed in a sync reply; {@code subOps} are the
   * opcodes of a multi's parts, which decide the shape of each sub-result.
   */
  record ToSession(int xid, int opcode, Op op, String syncPath, int[] subOps) implements Decoded {}

  /** Answered by the connection itself, in request order. */
  record Local(int xid, int opcode, long zxid, Code code, Record body, String why)
      implements Decoded {}

  record Ping() implements Decoded {}

  /** {@code xid} is echoed in the reply (always -4 from real clients). */
  record Auth(int xid, String scheme, byte[] auth) implements Decoded {}

  record Fatal(String why) implements Decoded {}

  /** Answered with {@code code} in request order; then the connection closes. */
  record Refused(int xid, int opcode, Code code, Record body, String why) implements Decoded {}

  /** zxid ZooKeeper's UnimplementedRequestProcessor puts in its reply header. */
  static final long NO_ZXID = -1;

  static Decoded decode(byte[] payload, long lastZxid) {
    BinaryInputArchive in = archive(payload);
    RequestHeader h = new RequestHeader();
    try {
      h.deserialize(in, "header");
    } catch (IOException e) {
      return new Fatal("request shorter than its header (" + payload.length + " bytes)");
    }
    int xid = h.getXid();
    int type = h.getType();
    try {
      return decodeBody(in, xid, type, lastZxid);
    } catch (IOException | RuntimeException e) {
      if (type == AUTH || type == SASL) {
        return new Fatal("unreadable " + (type == AUTH ? "auth" : "sasl") + " packet: " + e);
      }
      return new Local(xid, type, lastZxid, Code.MARSHALLING_ERROR, null,
          "unreadable body for opcode " + type + ": " + e);
    }
  }

  private static Decoded decodeBody(BinaryInputArchive in, int xid, int type, long lastZxid)
      throws IOException {
    switch (type) {
      case PING:
        return new Ping();
      case AUTH: {
        AuthPacket a = read(in, new AuthPacket());
        return new Auth(xid, a.getScheme(), a.getAuth());
      }
      case SASL:
        read(in, new GetSASLRequest());
        // What ZooKeeper answers when a client's SASL authentication fails, connection closed.
        return new Refused(xid, type, Code.AUTH_FAILED,
            new org.apache.zookeeper.proto.SetSASLResponse(null),
            "SASL authentication requested, but this server has no SASL configured");
      case CREATE:
      case CREATE2:
      case CREATE_CONTAINER: {
        CreateRequest r = read(in, new CreateRequest());
        return session(xid, type, create(type, r.getPath(), r.getData(), r.getAcl(),
            r.getFlags(), -1));
      }
      case CREATE_TTL: {
        CreateTTLRequest r = read(in, new CreateTTLRequest());
        return session(xid, type, create(type, r.getPath(), r.getData(), r.getAcl(),
            r.getFlags(), r.getTtl()));
      }
      case DELETE: {
        DeleteRequest r = read(in, new DeleteRequest());
        return session(xid, type, new Op.Delete(r.getPath(), r.getVersion()));
      }
      case DELETE_CONTAINER:
        // A bare path, like DeleteContainerRequest in the zookeeper jar.
        return session(xid, type, new Op.DeleteContainer(in.readString("path")));
      case SET_DATA: {
        SetDataRequest r = read(in, new SetDataRequest());
        return session(xid, type, new Op.SetData(r.getPath(), r.getData(), r.getVersion()));
      }
      case SET_ACL: {
        SetACLRequest r = read(in, new SetACLRequest());
        return session(xid, type,
            new Op.SetAcl(r.getPath(), Packets.fromWire(r.getAcl()), r.getVersion()));
      }
      case MULTI:
      case MULTI_READ:
        return Multis.decode(in, xid, type, lastZxid);
      case SYNC: {
        SyncRequest r = read(in, new SyncRequest());
        return new ToSession(xid, type, new Op.Sync(r.getPath()), r.getPath(), null);
      }
      case EXISTS: {
        ExistsRequest r = read(in, new ExistsRequest());
        return read(xid, type, r.getPath(), new Op.Exists(r.getPath(), r.getWatch()), lastZxid);
      }
      case GET_DATA: {
        GetDataRequest r = read(in, new GetDataRequest());
        return read(xid, type, r.getPath(), new Op.GetData(r.getPath(), r.getWatch()),
            lastZxid);
      }
      case GET_ACL: {
        GetACLRequest r = read(in, new GetACLRequest());
        return read(xid, type, r.getPath(), new Op.GetAcl(r.getPath()), lastZxid);
      }
      case GET_CHILDREN: {
        GetChildrenRequest r = read(in, new GetChildrenRequest());
        return read(xid, type, r.getPath(), new Op.GetChildren(r.getPath(), r.getWatch()),
            lastZxid);
      }
      case GET_CHILDREN2: {
        GetChildren2Request r = read(in, new GetChildren2Request());
        return read(xid, type, r.getPath(), new Op.GetChildren(r.getPath(), r.getWatch()),
            lastZxid);
      }
      case GET_ALL_CHILDREN_NUMBER: {
        GetAllChildrenNumberRequest r = read(in, new GetAllChildrenNumberRequest());
        return read(xid, type, r.getPath(), new Op.GetAllChildrenNumber(r.getPath()), lastZxid);
      }
      case GET_EPHEMERALS: {
        GetEphemeralsRequest r = read(in, new GetEphemeralsRequest());
        return session(xid, type, new Op.GetEphemerals(r.getPrefixPath()));
      }
      case ADD_WATCH: {
        AddWatchRequest r = read(in, new AddWatchRequest());
        WatchMode mode = WatchMode.of(r.getMode());
        if (mode == null) {
          return marshalling(xid, type, lastZxid, "unknown addWatch mode " + r.getMode());
        }
        return read(xid, type, r.getPath(), new Op.AddWatch(r.getPath(), mode), lastZxid);
      }
      case CHECK_WATCHES: {
        CheckWatchesRequest r = read(in, new CheckWatchesRequest());
        WatcherType t = WatcherType.of(r.getType());
        if (t == null) {
          return marshalling(xid, type, lastZxid, "unknown watcher type " + r.getType());
        }
        return read(xid, type, r.getPath(), new Op.CheckWatches(r.getPath(), t), lastZxid);
      }
      case REMOVE_WATCHES: {
        RemoveWatchesRequest r = read(in, new RemoveWatchesRequest());
        WatcherType t = WatcherType.of(r.getType());
        if (t == null) {
          return marshalling(xid, type, lastZxid, "unknown watcher type " + r.getType());
        }
        return read(xid, type, r.getPath(), new Op.RemoveWatches(r.getPath(), t), lastZxid);
      }
      case SET_WATCHES: {
        SetWatches r = read(in, new SetWatches());
        return setWatches(xid, type, r.getRelativeZxid(), r.getDataWatches(),
            r.getExistWatches(), r.getChildWatches(), List.of(), List.of(), lastZxid);
      }
      case SET_WATCHES2: {
        SetWatches2 r = read(in, new SetWatches2());
        return setWatches(xid, type, r.getRelativeZxid(), r.getDataWatches(),
            r.getExistWatches(), r.getChildWatches(), r.getPersistentWatches(),
            r.getPersistentRecursiveWatches(), lastZxid);
      }
      case WHO_AM_I:
        return session(xid, type, new Op.WhoAmI());
      case CLOSE_SESSION:
        return session(xid, type, new Op.CloseSession());
      case RECONFIG:
        read(in, new ReconfigRequest());
        // ZooKeeper refuses reconfig before anything else unless reconfigEnabled is set.
        return new Local(xid, type, lastZxid, Code.RECONFIG_DISABLED, null,
            "reconfig requested but dynamic reconfiguration is disabled");
      default:
        // Includes check (13) on its own, notification (0) and createSession (-10) after the
        // handshake, which ZooKeeper also treats as unknown request types.
        return new Local(xid, type, NO_ZXID, Code.UNIMPLEMENTED, null,
            "unknown request type " + type);
    }
  }

  static Op.Create create(int opcode, String path, byte[] data,
      List<org.apache.zookeeper.data.ACL> acl, int flags, long ttl) {
    CreateMode mode = CreateMode.fromFlag(flags);
    // createContainer makes a container whatever plain flags come with it, as ZooKeeper's
    // CreateContainerTxn does.
    if (opcode == CREATE_CONTAINER && (mode == CreateMode.PERSISTENT)) {
      mode = CreateMode.CONTAINER;
    }
    return new Op.Create(path, data, Packets.fromWire(acl), mode, ttl);
  }

  private static Decoded setWatches(int xid, int type, long rel, List<String> data,
      List<String> exist, List<String> child, List<String> persistent,
      List<String> recursive, long lastZxid) {
    List<List<String>> all = List.of(nullToEmpty(data), nullToEmpty(exist), nullToEmpty(child),
        nullToEmpty(persistent), nullToEmpty(recursive));
    for (List<String> l : all) {
      if (l.contains(null)) {
        return marshalling(xid, type, lastZxid, "null path in setWatches");
      }
    }
    return session(xid, type, new Op.SetWatches(rel, all.get(0), all.get(1), all.get(2),
        all.get(3), all.get(4)));
  }

  private static List<String> nullToEmpty(List<String> l) {
    return l == null ? List.of() : new ArrayList<>(l);
  }

  private static ToSession session(int xid, int type, Op op) {
    return new ToSession(xid, type, op, null, null);
  }

  /** Reads with no path would throw inside ZooKeeper and answer MARSHALLING_ERROR. */
  private static Decoded read(int xid, int type, String path, Op op, long lastZxid) {
    if (path == null) {
      return marshalling(xid, type, lastZxid, "request without a path");
    }
    return session(xid, type, op);
  }

  static Local marshalling(int xid, int type, long lastZxid, String why) {
    return new Local(xid, type, lastZxid, Code.MARSHALLING_ERROR, null, why);
  }

  static <T extends Record> T read(BinaryInputArchive in, T record) throws IOException {
    record.deserialize(in, "request");
    return record;
  }

  /** Lengths inside a packet can never exceed the packet, so nothing larger is allocated. */
  static BinaryInputArchive archive(byte[] payload) {
    return new BinaryInputArchive(new BytesIn(payload), payload.length, 0);
  }
}
