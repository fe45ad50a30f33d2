package dev.paddock.wire;

import static dev.paddock.wire.OpCodes.*;

import dev.paddock.api.Id;
import dev.paddock.api.WatchEvent;
import dev.paddock.request.Result;
import dev.paddock.tree.Acls;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.jute.Record;
import org.apache.pekko.util.ByteString;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.ErrorResponse;
import org.apache.zookeeper.proto.ExistsResponse;
import org.apache.zookeeper.proto.GetACLResponse;
import org.apache.zookeeper.proto.GetAllChildrenNumberResponse;
import org.apache.zookeeper.proto.GetChildren2Response;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.GetEphemeralsResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.SetACLResponse;
import org.apache.zookeeper.proto.SetDataResponse;
import org.apache.zookeeper.proto.SyncResponse;
import org.apache.zookeeper.proto.WatcherEvent;
import org.apache.zookeeper.proto.WhoAmIResponse;

/**
 * Encodes what a session answers into ZooKeeper's reply packets. The request's opcode decides
 * the response record (FinalRequestProcessor's switch); an error carries no body.
 */
final class Replies {
  private Replies() {}

  static ByteString reply(Requests.ToSession req, long zxid, Result result) {
    if (!(result instanceof Result.Multi) && !result.isOk()) {
      return Packets.reply(req.xid(), zxid, result.code().value(), null);
    }
    if (result instanceof Result.Multi m) {
      if (req.opcode() == MULTI && m.results().isEmpty() && !m.isOk()) {
        return Packets.reply(req.xid(), zxid, m.code().value(), null);
      }
      // A failed multi still answers OK in the header; the parts carry the errors.
      return Packets.write(out -> {
        new ReplyHeader(req.xid(), zxid, 0).serialize(out, "header");
        Multis.encode(out, m, req.subOps());
      });
    }
    return Packets.reply(req.xid(), zxid, 0, body(req, result));
  }

  private static Record body(Requests.ToSession req, Result r) {
    return switch (req.opcode()) {
      case CREATE -> new CreateResponse(((Result.Created) r).path());
      case CREATE2, CREATE_TTL, CREATE_CONTAINER -> {
        Result.Created c = (Result.Created) r;
        yield new Create2Response(c.path(), Packets.stat(c.stat()));
      }
      case EXISTS -> new ExistsResponse(Packets.stat(((Result.StatOf) r).stat()));
      case SET_DATA -> new SetDataResponse(Packets.stat(((Result.StatOf) r).stat()));
      case SET_ACL -> new SetACLResponse(Packets.stat(((Result.StatOf) r).stat()));
      case GET_DATA -> {
        Result.Data d = (Result.Data) r;
        yield new GetDataResponse(d.data(), Packets.stat(d.stat()));
      }
      case GET_ACL -> {
        Result.AclOf a = (Result.AclOf) r;
        yield new GetACLResponse(Packets.acls(a.acl()), Packets.stat(a.stat()));
      }
      case GET_CHILDREN -> new GetChildrenResponse(((Result.Children) r).children());
      case GET_CHILDREN2 -> {
        Result.Children c = (Result.Children) r;
        yield new GetChildren2Response(c.children(), Packets.stat(c.stat()));
      }
      case SYNC -> new SyncResponse(req.syncPath());
      case GET_ALL_CHILDREN_NUMBER ->
          new GetAllChildrenNumberResponse(((Result.Count) r).count());
      case GET_EPHEMERALS -> new GetEphemeralsResponse(((Result.PathList) r).paths());
      case WHO_AM_I -> new WhoAmIResponse(clientInfos(((Result.Identities) r).ids()));
      // addWatch is the one void request whose reply carries a body: an error code of 0.
      case ADD_WATCH -> new ErrorResponse(0);
      default -> null;
    };
  }

  /**
   * ZooKeeper's AuthUtil.getClientInfos: the user is the part of the id a provider names. A
   * ZooKeeper connection keeps its ids in a concurrent hash set, so whoAmI lists them in that
   * set's order; the same set of the same jute ids, filled in the same order, gives the same one.
   */
  private static List<ClientInfo> clientInfos(List<Id> ids) {
    Set<org.apache.zookeeper.data.Id> zkOrder =
        Collections.newSetFromMap(new ConcurrentHashMap<>());
    for (Id id : ids) {
      zkOrder.add(new org.apache.zookeeper.data.Id(id.scheme(), id.id()));
    }
    List<ClientInfo> out = new ArrayList<>(ids.size());
    for (org.apache.zookeeper.data.Id zid : zkOrder) {
      Id id = new Id(zid.getScheme(), zid.getId());
      String user = switch (id.scheme()) {
        case Acls.DIGEST -> id.id().split(":")[0];
        // ZooKeeper prints a scheme without a provider (super) by its id, as x509's does.
        case Acls.IP, Acls.X509, Acls.SUPER -> id.id();
        default -> "";
      };
      out.add(new ClientInfo(id.scheme(), user));
    }
    return out;
  }

  static ByteString notification(WatchEvent e) {
    return Packets.reply(NOTIFICATION_XID, e.zxid(), 0,
        new WatcherEvent(e.type().value(), STATE_SYNC_CONNECTED, e.path()));
  }

  /** Clients up to 3.3 neither send nor expect the trailing readOnly flag. */
  static ByteString connectResponse(int timeoutMs, long sessionId, byte[] password,
      boolean withReadOnly) {
    ConnectResponse r = new ConnectResponse(0, timeoutMs, sessionId, password, false);
    return Packets.write(out -> {
      if (withReadOnly) {
        r.serialize(out, "connect");
      } else {
        out.writeInt(r.getProtocolVersion(), "protocolVersion");
        out.writeInt(r.getTimeOut(), "timeOut");
        out.writeLong(r.getSessionId(), "sessionId");
        out.writeBuffer(r.getPasswd(), "passwd");
      }
    });
  }
}
