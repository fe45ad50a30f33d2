package dev.paddock.wire;

import static dev.paddock.wire.OpCodes.*;

import dev.paddock.api.Code;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ErrorResponse;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.MultiHeader;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SetDataResponse;

/**
 * multi and multiRead on the wire: a MultiHeader before each part and a "done" header at the end,
 * for requests and responses alike (ZooKeeper's MultiOperationRecord and MultiResponse).
 */
final class Multis {
  private Multis() {}

  static Requests.Decoded decode(BinaryInputArchive in, int xid, int type, long lastZxid)
      throws IOException {
    List<Op.Write> writes = new ArrayList<>();
    List<Op.Read> reads = new ArrayList<>();
    List<Integer> subOps = new ArrayList<>();
    MultiHeader h = Requests.read(in, new MultiHeader());
    while (!h.getDone()) {
      int sub = h.getType();
      switch (sub) {
        case CREATE, CREATE2, CREATE_CONTAINER -> {
          CreateRequest r = Requests.read(in, new CreateRequest());
          Op.Create c = Requests.create(sub, r.getPath(), r.getData(), r.getAcl(), r.getFlags(),
              -1);
          if (c.mode() == null) {
            // ZooKeeper fails to deserialize the whole multi on an unknown create flag.
            return Requests.marshalling(xid, type, lastZxid, "invalid create flag "
                + r.getFlags() + " in multi");
          }
          writes.add(c);
        }
        case CREATE_TTL -> {
          CreateTTLRequest r = Requests.read(in, new CreateTTLRequest());
          writes.add(Requests.create(sub, r.getPath(), r.getData(), r.getAcl(), r.getFlags(),
              r.getTtl()));
        }
        case DELETE -> {
          DeleteRequest r = Requests.read(in, new DeleteRequest());
          writes.add(new Op.Delete(r.getPath(), r.getVersion()));
        }
        case SET_DATA -> {
          SetDataRequest r = Requests.read(in, new SetDataRequest());
          writes.add(new Op.SetData(r.getPath(), r.getData(), r.getVersion()));
        }
        case CHECK -> {
          CheckVersionRequest r = Requests.read(in, new CheckVersionRequest());
          writes.add(new Op.Check(r.getPath(), r.getVersion()));
        }
        case GET_DATA -> {
          GetDataRequest r = Requests.read(in, new GetDataRequest());
          // A multiRead never sets watches: ZooKeeper drops the flag when it decodes the part.
          reads.add(new Op.GetData(r.getPath(), false));
        }
        case GET_CHILDREN -> {
          GetChildrenRequest r = Requests.read(in, new GetChildrenRequest());
          reads.add(new Op.GetChildren(r.getPath(), false));
        }
        default -> {
          return Requests.marshalling(xid, type, lastZxid, "invalid op type " + sub
              + " in multi");
        }
      }
      subOps.add(sub);
      h = Requests.read(in, new MultiHeader());
    }
    if (!writes.isEmpty() && !reads.isEmpty()) {
      return Requests.marshalling(xid, type, lastZxid, "multi mixes reads and writes");
    }
    int[] ops = subOps.stream().mapToInt(Integer::intValue).toArray();
    if (type == MULTI) {
      if (!reads.isEmpty()) {
        return Requests.marshalling(xid, type, lastZxid, "read ops in a multi");
      }
      return new Requests.ToSession(xid, type, new Op.Multi(writes), null, ops);
    }
    if (!writes.isEmpty()) {
      return Requests.marshalling(xid, type, lastZxid, "write ops in a multiRead");
    }
    for (Op.Read r : reads) {
      if (r.path() == null) {
        return Requests.marshalling(xid, type, lastZxid, "multiRead part without a path");
      }
    }
    return new Requests.ToSession(xid, type, new Op.MultiRead(reads), null, ops);
  }

  /** The body of a multi or multiRead reply; each part is shaped by its request opcode. */
  static void encode(BinaryOutputArchive out, Result.Multi m, int[] subOps) throws IOException {
    List<Result> results = m.results();
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      int sub = subOps != null && i < subOps.length ? subOps[i] : ERROR;
      if (r instanceof Result.Failed f) {
        new MultiHeader(ERROR, false, f.code().value()).serialize(out, "response");
        new ErrorResponse(f.code().value()).serialize(out, "response");
        continue;
      }
      switch (sub) {
        case CREATE -> {
          header(out, CREATE);
          new CreateResponse(((Result.Created) r).path()).serialize(out, "response");
        }
        case CREATE2, CREATE_TTL, CREATE_CONTAINER -> {
          // Every create with a stat reports as create2, as ZooKeeper's CreateResult does.
          Result.Created c = (Result.Created) r;
          header(out, CREATE2);
          new Create2Response(c.path(), Packets.stat(c.stat())).serialize(out, "response");
        }
        case DELETE -> header(out, DELETE);
        case CHECK -> header(out, CHECK);
        case SET_DATA -> {
          header(out, SET_DATA);
          new SetDataResponse(Packets.stat(((Result.StatOf) r).stat())).serialize(out,
              "response");
        }
        case GET_DATA -> {
          Result.Data d = (Result.Data) r;
          header(out, GET_DATA);
          new GetDataResponse(d.data(), Packets.stat(d.stat())).serialize(out, "response");
        }
        case GET_CHILDREN -> {
          header(out, GET_CHILDREN);
          new GetChildrenResponse(((Result.Children) r).children()).serialize(out, "response");
        }
        default -> throw new IOException("no reply shape for multi part " + sub);
      }
    }
    new MultiHeader(-1, true, -1).serialize(out, "response");
  }

  private static void header(BinaryOutputArchive out, int type) throws IOException {
    new MultiHeader(type, false, Code.OK.value()).serialize(out, "response");
  }
}
