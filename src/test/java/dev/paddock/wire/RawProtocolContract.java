package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.ErrorResponse;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetChildren2Response;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetSASLRequest;
import org.apache.zookeeper.proto.MultiHeader;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SetSASLResponse;
import org.apache.zookeeper.proto.SetWatches;
import org.apache.zookeeper.proto.WatcherEvent;
import org.junit.jupiter.api.Test;

/** Byte-level replies to requests the official client rarely or never sends. */
abstract class RawProtocolContract extends Contract {
  private static final List<org.apache.zookeeper.data.ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

  abstract int port();

  /** ZooKeeper answers an unknown request type and then closes; Paddock keeps the connection. */
  private void assertUnimplemented(int type) throws Exception {
    try (RawClient raw = RawClient.connected(port())) {
      RawClient.Packet p = raw.call(5, type, new CheckVersionRequest("/", -1));
      assertEquals(5, p.header().getXid());
      assertEquals(-1, p.header().getZxid());
      assertEquals(KeeperException.Code.UNIMPLEMENTED.intValue(), p.header().getErr());
      assertEquals(0, p.body().length);
      if (isPaddock()) {
        assertEquals(0, raw.call(-2, OpCode.ping, null).header().getErr());
      } else {
        assertTrue(raw.closedByServer());
      }
    }
  }

  @Test
  void checkOnItsOwnAndUnknownTypesAreUnimplemented() throws Exception {
    assertUnimplemented(OpCode.check);
    assertUnimplemented(999);
    assertUnimplemented(OpCode.notification);
  }

  /**
   * ZooKeeper without SASL configured answers OK with an empty token, which a client may take
   * for a completed authentication; Paddock refuses as ZooKeeper does when SASL fails.
   */
  @Test
  void saslWithoutSaslConfiguredIsRefused() throws Exception {
    try (RawClient raw = RawClient.connected(port())) {
      RawClient.Packet p = raw.call(3, OpCode.sasl, new GetSASLRequest(b("token")));
      assertEquals(3, p.header().getXid());
      assertEquals(0, p.header().getZxid());
      assertNull(p.read(new SetSASLResponse()).getToken());
      assertArrayEquals(new byte[] {-1, -1, -1, -1}, p.body());
      if (isPaddock()) {
        assertEquals(KeeperException.Code.AUTHFAILED.intValue(), p.header().getErr());
        assertTrue(raw.closedByServer(), "connection left open after a refused SASL request");
      } else {
        assertEquals(0, p.header().getErr());
      }
    }
  }

  @Test
  void reconfigIsDisabled() throws Exception {
    ZooKeeperAdmin admin = new ZooKeeperAdmin(connectString(), 30_000, e -> { });
    try {
      org.junit.jupiter.api.Assertions.assertThrows(
          KeeperException.ReconfigDisabledException.class,
          () -> admin.reconfigure("server.9=127.0.0.1:1:2;3", null, null, -1, new Stat()));
    } finally {
      admin.close();
    }
  }

  @Test
  void deleteContainerFromAClient() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    zk.create(r + "/box", null, OPEN, CreateMode.CONTAINER);
    zk.create(r + "/box/k", null, OPEN, CreateMode.PERSISTENT);
    zk.create(r + "/eph", null, OPEN, CreateMode.EPHEMERAL);
    try (RawClient raw = RawClient.connected(port())) {
      RawClient.Body path = a -> a.writeString(r + "/box", "path");
      raw.sendFrame(RawClient.bytes(a -> {
        a.writeInt(1, "xid");
        a.writeInt(OpCode.deleteContainer, "type");
        path.write(a);
      }));
      assertEquals(KeeperException.Code.NOTEMPTY.intValue(), raw.readPacket().header().getErr());
      zk.delete(r + "/box/k", -1);
      raw.sendFrame(RawClient.bytes(a -> {
        a.writeInt(2, "xid");
        a.writeInt(OpCode.deleteContainer, "type");
        path.write(a);
      }));
      RawClient.Packet ok = raw.readPacket();
      assertEquals(0, ok.header().getErr());
      assertEquals(0, ok.body().length);
      raw.sendFrame(RawClient.bytes(a -> {
        a.writeInt(3, "xid");
        a.writeInt(OpCode.deleteContainer, "type");
        a.writeString(r + "/eph", "path");
      }));
      assertEquals(KeeperException.Code.BADVERSION.intValue(), raw.readPacket().header().getErr());
    }
    assertNull(zk.exists(r + "/box", false));
  }

  @Test
  void replyShapesDependOnTheOpcode() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    try (RawClient raw = RawClient.connected(port())) {
      RawClient.Packet c1 = raw.call(1, OpCode.create, new CreateRequest(r + "/a", b("x"), OPEN,
          0));
      assertEquals(r + "/a", c1.read(new CreateResponse()).getPath());
      assertEquals(4 + (r + "/a").length(), c1.body().length);
      RawClient.Packet c2 = raw.call(2, OpCode.create2, new CreateRequest(r + "/b", b("x"), OPEN,
          0));
      Create2Response c2r = c2.read(new Create2Response());
      assertEquals(r + "/b", c2r.getPath());
      assertEquals(c2.header().getZxid(), c2r.getStat().getCzxid());
      RawClient.Packet kids = raw.call(3, OpCode.getChildren, new GetChildrenRequest(r, false));
      assertEquals(2, kids.read(new GetChildrenResponse()).getChildren().size());
      RawClient.Packet kids2 = raw.call(4, OpCode.getChildren2, new GetChildrenRequest(r,
          false));
      assertEquals(2, kids2.read(new GetChildren2Response()).getStat().getNumChildren());
      RawClient.Packet missing = raw.call(5, OpCode.exists, new ExistsRequest(r + "/z", false));
      assertEquals(KeeperException.Code.NONODE.intValue(), missing.header().getErr());
      assertEquals(0, missing.body().length);
      assertEquals(c2.header().getZxid(), missing.header().getZxid());
      RawClient.Packet bad = raw.call(6, OpCode.setData, new SetDataRequest(r + "/a", b("y"),
          7));
      assertEquals(KeeperException.Code.BADVERSION.intValue(), bad.header().getErr());
      assertEquals(0, bad.body().length);
      assertTrue(bad.header().getZxid() > c2.header().getZxid());
      RawClient.Packet watch = raw.call(7, OpCode.addWatch,
          new org.apache.zookeeper.proto.AddWatchRequest(r, 0));
      assertEquals(0, watch.header().getErr());
      assertArrayEquals(new byte[4], watch.body());
    }
  }

  @Test
  void multiPartsOnTheWire() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    try (RawClient raw = RawClient.connected(port())) {
      RawClient.Packet ok = raw.call(1, OpCode.multi, multi(
          part(OpCode.create2, new CreateRequest(r + "/m", null, OPEN, 0)),
          part(OpCode.create, new CreateRequest(r + "/n", null, OPEN, 0))));
      assertEquals(0, ok.header().getErr());
      org.apache.jute.BinaryInputArchive in = org.apache.jute.BinaryInputArchive.getArchive(
          new java.io.ByteArrayInputStream(ok.body()));
      MultiHeader h = new MultiHeader();
      h.deserialize(in, "h");
      assertEquals(new MultiHeader(OpCode.create2, false, 0), h);
      Create2Response c2 = new Create2Response();
      c2.deserialize(in, "r");
      assertEquals(r + "/m", c2.getPath());
      h.deserialize(in, "h");
      assertEquals(new MultiHeader(OpCode.create, false, 0), h);
      CreateResponse c1 = new CreateResponse();
      c1.deserialize(in, "r");
      assertEquals(r + "/n", c1.getPath());
      h.deserialize(in, "h");
      assertEquals(new MultiHeader(-1, true, -1), h);

      RawClient.Packet failed = raw.call(2, OpCode.multi, multi(
          part(OpCode.check, new CheckVersionRequest(r + "/m", 0)),
          part(OpCode.check, new CheckVersionRequest(r + "/m", 5)),
          part(OpCode.delete, new org.apache.zookeeper.proto.DeleteRequest(r + "/n", -1))));
      assertEquals(0, failed.header().getErr());
      in = org.apache.jute.BinaryInputArchive.getArchive(
          new java.io.ByteArrayInputStream(failed.body()));
      int[] errs = {0, KeeperException.Code.BADVERSION.intValue(),
          KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()};
      for (int err : errs) {
        h.deserialize(in, "h");
        assertEquals(new MultiHeader(-1, false, err), h);
        ErrorResponse e = new ErrorResponse();
        e.deserialize(in, "r");
        assertEquals(err, e.getErr());
      }
      h.deserialize(in, "h");
      assertTrue(h.getDone());
    }
  }

  @Test
  void notificationsCarryTheZxidOfTheirChange() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    zk.create(r + "/w", null, OPEN, CreateMode.PERSISTENT);
    try (RawClient raw = RawClient.connected(port())) {
      assertEquals(0, raw.call(1, OpCode.getData, new GetDataRequest(r + "/w", true))
          .header().getErr());
      Stat changed = zk.setData(r + "/w", b("v"), -1);
      RawClient.Packet n = raw.readPacket();
      assertEquals(-1, n.header().getXid());
      assertEquals(changed.getMzxid(), n.header().getZxid());
      assertEquals(new WatcherEvent(3, 3, r + "/w"), n.read(new WatcherEvent()));

      RawClient.Packet set = raw.call(-8, OpCode.setWatches, new SetWatches(0,
          List.of(r + "/w"), List.of(r + "/w"), List.of()));
      assertEquals(-8, set.header().getXid());
      assertEquals(0, set.header().getErr());
      assertFalse(set.body().length > 0);
    }
    try (RawClient raw = RawClient.connected(port())) {
      raw.send(-8, OpCode.setWatches, new SetWatches(0, List.of(r + "/w"), List.of(),
          List.of()));
      RawClient.Packet fired = raw.readPacket();
      assertEquals(-1, fired.header().getXid());
      assertEquals(-1, fired.header().getZxid());
      assertEquals(new WatcherEvent(3, 3, r + "/w"), fired.read(new WatcherEvent()));
      assertEquals(-8, raw.readPacket().header().getXid());
    }
  }

  @Test
  void invalidPathsAnswerAsZooKeeperChecksThem() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    int bad = KeeperException.Code.BADARGUMENTS.intValue();
    int none = KeeperException.Code.NONODE.intValue();
    // The parent is looked up before the full path is validated, as ZooKeeper does.
    java.util.Map<String, Integer> creates = new java.util.LinkedHashMap<>();
    creates.put("no-slash", bad);
    creates.put(r + "/", bad);
    creates.put(r + "/.", bad);
    creates.put(r + "/..", bad);
    creates.put(r + "//x", none);
    creates.put(r + "/x/", none);
    creates.put(r + "/\u0001", bad);
    creates.put(r + "/a\u0000", bad);
    try (RawClient raw = RawClient.connected(port())) {
      for (var e : creates.entrySet()) {
        RawClient.Packet p = raw.call(1, OpCode.create, new CreateRequest(e.getKey(), null,
            OPEN, 0));
        assertEquals(e.getValue(), p.header().getErr(), e.getKey());
      }
      assertEquals(none, raw.call(2, OpCode.getData, new GetDataRequest("no-slash", false))
          .header().getErr());
      assertEquals(bad, raw.call(3, OpCode.exists, new ExistsRequest("/a\u0000b", false))
          .header().getErr());
      assertEquals(bad, raw.call(4, OpCode.setData, new SetDataRequest("no-slash", null, -1))
          .header().getErr());
      assertEquals(bad, raw.call(5, OpCode.delete,
          new org.apache.zookeeper.proto.DeleteRequest("no-slash", -1)).header().getErr());
      assertEquals(none, raw.call(6, OpCode.delete,
          new org.apache.zookeeper.proto.DeleteRequest(r + "/", -1)).header().getErr());
    }
  }

  private record Part(int type, org.apache.jute.Record body) {}

  private static Part part(int type, org.apache.jute.Record body) {
    return new Part(type, body);
  }

  private static org.apache.jute.Record multi(Part... parts) {
    return new org.apache.jute.Record() {
      @Override
      public void serialize(org.apache.jute.OutputArchive a, String tag)
          throws java.io.IOException {
        for (Part p : parts) {
          new MultiHeader(p.type(), false, -1).serialize(a, tag);
          p.body().serialize(a, tag);
        }
        new MultiHeader(-1, true, -1).serialize(a, tag);
      }

      @Override
      public void deserialize(org.apache.jute.InputArchive a, String tag) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
