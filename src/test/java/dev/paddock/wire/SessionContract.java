package dev.paddock.wire;

import static org.apache.zookeeper.Watcher.Event.EventType.NodeChildrenChanged;
import static org.apache.zookeeper.Watcher.Event.EventType.NodeCreated;
import static org.apache.zookeeper.Watcher.Event.EventType.NodeDataChanged;
import static org.apache.zookeeper.Watcher.Event.EventType.NodeDeleted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.AuthPacket;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.apache.zookeeper.proto.CreateRequest;
import org.junit.jupiter.api.Test;

/** Session life: handshake forms, expiry, closing, re-attaching, auth failure. */
abstract class SessionContract extends Contract {
  private static final List<org.apache.zookeeper.data.ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

  abstract int port();

  @Test
  void ephemeralsGoWhenTheSessionCloses() throws Exception {
    BlockingQueue<WatchedEvent> q = new LinkedBlockingQueue<>();
    ZooKeeper watcher = client(q);
    String r = root(watcher);
    ZooKeeper owner = PaddockServer.connect(connectString(), 30_000, new LinkedBlockingQueue<>());
    owner.create(r + "/e", null, OPEN, CreateMode.EPHEMERAL);
    watcher.exists(r + "/e", true);
    owner.close();
    expect(q, NodeDeleted, r + "/e");
    assertNull(watcher.exists(r + "/e", false));
  }

  /** Opens a raw session with a short timeout and an ephemeral, then drops the socket. */
  private RawClient abandonedSession(String path) throws Exception {
    RawClient raw = new RawClient(port());
    ConnectResponse rsp = raw.handshake(new ConnectRequest(0, 0, 1000, 0, new byte[16], false));
    assertEquals(1000, rsp.getTimeOut());
    RawClient.Packet p = raw.call(1, 1, new CreateRequest(path, null, OPEN, 1));
    assertEquals(0, p.header().getErr());
    raw.close();
    return raw;
  }

  @Test
  void expiredSessionLosesEphemeralsAndCannotComeBack() throws Exception {
    BlockingQueue<WatchedEvent> q = new LinkedBlockingQueue<>();
    ZooKeeper watcher = client(q);
    String r = root(watcher);
    RawClient gone = abandonedSession(r + "/e");
    watcher.exists(r + "/e", true);
    expect(q, NodeDeleted, r + "/e");

    try (RawClient again = new RawClient(port())) {
      ConnectResponse rsp = again.handshake(new ConnectRequest(0, 0, 1000,
          gone.session.getSessionId(), gone.session.getPasswd(), false));
      assertEquals(0, rsp.getTimeOut());
      assertEquals(0, rsp.getSessionId());
      assertArrayEquals(new byte[16], rsp.getPasswd());
      assertTrue(again.closedByServer());
    }
  }

  @Test
  void wrongPasswordIsAnExpiredSession() throws Exception {
    ZooKeeper zk = client();
    byte[] wrong = zk.getSessionPasswd().clone();
    wrong[0] ^= 1;
    try (RawClient raw = new RawClient(port())) {
      ConnectResponse rsp = raw.handshake(new ConnectRequest(0, 0, 30_000, zk.getSessionId(),
          wrong, false));
      assertEquals(0, rsp.getTimeOut());
      assertTrue(raw.closedByServer());
    }
    if (isPaddock()) {
      // ZooKeeper drops the rightful owner's connection before it checks the password; Paddock
      // checks first, so a wrong guess leaves the session's connection alone.
      assertEquals(0, zk.exists("/", false).getCzxid());
    }
  }

  @Test
  void clientAheadOfTheServerIsRefusedWithoutAnswer() throws Exception {
    try (RawClient raw = new RawClient(port())) {
      raw.sendFrame(RawClient.bytes(a -> new ConnectRequest(0, Long.MAX_VALUE / 2, 30_000, 0,
          new byte[16], false).serialize(a, "connect")));
      assertEquals(-1, raw.in.read());
    }
  }

  @Test
  void handshakeAnswersInTheFormItWasAsked() throws Exception {
    try (RawClient old = new RawClient(port())) {
      ConnectRequest req = new ConnectRequest(0, 0, 30_000, 0, new byte[16], false);
      old.sendFrame(RawClient.bytes(a -> {
        a.writeInt(req.getProtocolVersion(), "v");
        a.writeLong(req.getLastZxidSeen(), "z");
        a.writeInt(req.getTimeOut(), "t");
        a.writeLong(req.getSessionId(), "s");
        a.writeBuffer(req.getPasswd(), "p");
      }));
      assertEquals(4 + 4 + 8 + 4 + 16, old.readFrame().length);
      RawClient.Packet ping = old.call(-2, 11, null);
      assertEquals(0, ping.header().getErr());
    }
    try (RawClient current = new RawClient(port())) {
      current.sendFrame(RawClient.bytes(a -> new ConnectRequest(0, 0, 30_000, 0, new byte[16],
          true).serialize(a, "connect")));
      byte[] frame = current.readFrame();
      assertEquals(4 + 4 + 8 + 4 + 16 + 1, frame.length);
      assertEquals(0, frame[frame.length - 1]);
    }
  }

  @Test
  void reconnectKeepsTheSessionAndReplaysMissedWatches() throws Exception {
    ZooKeeper other = client();
    String r = root(other);
    for (String n : List.of("data", "gone", "kids", "pers")) {
      other.create(r + "/" + n, null, OPEN, CreateMode.PERSISTENT);
    }
    try (TcpProxy proxy = new TcpProxy(port())) {
      BlockingQueue<WatchedEvent> q = new LinkedBlockingQueue<>();
      BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
      ZooKeeper zk = PaddockServer.connect(proxy.connectString(), 30_000, q, states);
      try {
        long session = zk.getSessionId();
        zk.create(r + "/mine", null, OPEN, CreateMode.EPHEMERAL);
        zk.getData(r + "/data", true, null);
        zk.exists(r + "/gone", true);
        zk.exists(r + "/born", true);
        zk.getChildren(r + "/kids", true);
        zk.addWatch(r + "/pers", AddWatchMode.PERSISTENT);
        proxy.cutAndHold();
        assertEquals(Watcher.Event.KeeperState.Disconnected, states.poll(10, TimeUnit.SECONDS));
        other.setData(r + "/data", b("new"), -1);
        other.delete(r + "/gone", -1);
        other.create(r + "/born", null, OPEN, CreateMode.PERSISTENT);
        other.create(r + "/kids/k", null, OPEN, CreateMode.PERSISTENT);
        proxy.resume();
        assertEquals(Watcher.Event.KeeperState.SyncConnected, states.poll(20, TimeUnit.SECONDS));
        assertEquals(session, zk.getSessionId());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
          WatchedEvent e = next(q);
          seen.add(e.getType() + " " + e.getPath());
        }
        assertEquals(Set.of(NodeDataChanged + " " + r + "/data", NodeDeleted + " " + r + "/gone",
            NodeCreated + " " + r + "/born", NodeChildrenChanged + " " + r + "/kids"), seen);
        other.setData(r + "/pers", b("p"), -1);
        expect(q, NodeDataChanged, r + "/pers");
        assertEquals(session, other.exists(r + "/mine", false).getEphemeralOwner());
      } finally {
        zk.close();
      }
    }
  }

  @Test
  void unknownAuthSchemeFailsTheConnection() throws Exception {
    try (RawClient raw = RawClient.connected(port())) {
      raw.send(-4, 100, new AuthPacket(0, "nosuch", b("x")));
      RawClient.Packet p = raw.readPacket();
      assertEquals(-4, p.header().getXid());
      assertEquals(0, p.header().getZxid());
      assertEquals(-115, p.header().getErr());
      assertTrue(raw.closedByServer());
    }
    BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
    ZooKeeper zk = client(new LinkedBlockingQueue<>(), states);
    zk.addAuthInfo("nosuch", b("x"));
    assertEquals(Watcher.Event.KeeperState.AuthFailed, states.poll(10, TimeUnit.SECONDS));
    try (RawClient raw = RawClient.connected(port())) {
      raw.send(-4, 100, new AuthPacket(0, "ip", b("anything")));
      RawClient.Packet p = raw.readPacket();
      assertEquals(0, p.header().getErr());
    }
  }

  @Test
  void closeSessionRepliesThenCloses() throws Exception {
    try (RawClient raw = RawClient.connected(port())) {
      RawClient.Packet p = raw.call(7, -11, null);
      assertEquals(7, p.header().getXid());
      assertEquals(0, p.header().getErr());
      assertTrue(p.header().getZxid() > 0);
      assertTrue(raw.closedByServer());
    }
  }

  @Test
  void pingRepliesWithTheLatestZxid() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    long czxid = zk.exists(r, false).getCzxid();
    try (RawClient raw = RawClient.connected(port())) {
      RawClient.Packet p = raw.call(-2, 11, null);
      assertEquals(-2, p.header().getXid());
      assertTrue(p.header().getZxid() >= czxid);
      assertEquals(0, p.body().length);
    }
  }
}
