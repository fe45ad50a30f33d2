package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.SetWatches;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on raw sockets: each case gets its clear answer (an error reply where the protocol
 * has one, else a closed connection), and afterwards the server, its data and a session that
 * was open all along still work.
 */
class MalformedInputTest {
  @TempDir static Path dir;
  static PaddockServer server;
  static ZooKeeper bystander;

  @BeforeAll
  static void start() throws Exception {
    server = PaddockServer.start(dir, Map.of("paddock.max-buffer", 64 * 1024,
        "paddock.max-client-cnxns", 0));
    bystander = server.client();
    bystander.create("/keep", "safe".getBytes(StandardCharsets.UTF_8),
        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  }

  @AfterAll
  static void stop() throws Exception {
    bystander.close();
    server.close();
  }

  /** After every case: the old session still works and a new client can do everything. */
  @AfterEach
  void serverUnharmed() throws Exception {
    assertArrayEquals("safe".getBytes(StandardCharsets.UTF_8),
        bystander.getData("/keep", false, null));
    try (ZooKeeper fresh = server.client()) {
      String p = fresh.create("/probe-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.EPHEMERAL_SEQUENTIAL);
      assertEquals(0, fresh.exists(p, false).getVersion());
    }
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  @Test
  void negativeLengthFirst() throws Exception {
    try (RawClient raw = new RawClient(server.port)) {
      raw.sendRaw(intBytes(-5));
      assertEquals(-1, raw.in.read());
    }
  }

  @Test
  void oversizedLengthFirstIsRefusedBeforeItsBytesArrive() throws Exception {
    try (RawClient raw = new RawClient(server.port)) {
      raw.sendRaw(intBytes(Integer.MAX_VALUE));
      assertEquals(-1, raw.in.read());
    }
  }

  @Test
  void oversizedLengthAfterTheHandshake() throws Exception {
    try (RawClient raw = RawClient.connected(server.port)) {
      raw.sendRaw(intBytes(64 * 1024 + 1));
      assertTrue(raw.closedByServer());
    }
    try (RawClient raw = RawClient.connected(server.port)) {
      raw.sendRaw(intBytes(-1));
      assertTrue(raw.closedByServer());
    }
  }

  @Test
  void largestAllowedPacketIsAccepted() throws Exception {
    try (RawClient raw = RawClient.connected(server.port)) {
      String path = "/big-" + System.nanoTime();
      int overhead = RawClient.bytes(a -> {
        new org.apache.zookeeper.proto.RequestHeader(1, OpCode.create).serialize(a, "h");
        new CreateRequest(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, 1).serialize(a, "r");
      }).length;
      byte[] data = new byte[64 * 1024 - overhead];
      RawClient.Packet p = raw.call(1, OpCode.create, new CreateRequest(path, data,
          ZooDefs.Ids.OPEN_ACL_UNSAFE, 1));
      assertEquals(0, p.header().getErr());
    }
  }

  @Test
  void httpRequestAndOtherGarbage() throws Exception {
    try (RawClient raw = new RawClient(server.port)) {
      raw.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(raw.closedByServer());
    }
    Random random = new Random(42);
    for (int i = 0; i < 20; i++) {
      byte[] junk = new byte[random.nextInt(200) + 1];
      random.nextBytes(junk);
      try (RawClient raw = new RawClient(server.port)) {
        raw.sendFrame(junk);
        assertTrue(raw.closedByServer(), "junk " + i);
      }
    }
  }

  @Test
  void requestBeforeTheHandshake() throws Exception {
    try (RawClient raw = new RawClient(server.port)) {
      raw.send(1, OpCode.getData, new GetDataRequest("/keep", false));
      assertEquals(-1, raw.in.read());
    }
  }

  @Test
  void headerTooShortClosesTheConnection() throws Exception {
    try (RawClient raw = RawClient.connected(server.port)) {
      raw.sendFrame(new byte[] {0, 0, 0});
      assertTrue(raw.closedByServer());
    }
  }

  @Test
  void undecodableBodiesAnswerMarshallingError() throws Exception {
    try (RawClient raw = RawClient.connected(server.port)) {
      byte[] truncated = RawClient.bytes(a -> {
        a.writeInt(9, "xid");
        a.writeInt(OpCode.getData, "type");
        a.writeInt(1000, "path length beyond the packet");
      });
      raw.sendFrame(truncated);
      RawClient.Packet p = raw.readPacket();
      assertEquals(9, p.header().getXid());
      assertEquals(KeeperException.Code.MARSHALLINGERROR.intValue(), p.header().getErr());
      RawClient.Packet nullPath = raw.call(10, OpCode.getData, new GetDataRequest(null, false));
      assertEquals(KeeperException.Code.MARSHALLINGERROR.intValue(),
          nullPath.header().getErr());
      RawClient.Packet nullWatch = raw.call(11, OpCode.setWatches, new SetWatches(0,
          nullList(), List.of(), List.of()));
      assertEquals(KeeperException.Code.MARSHALLINGERROR.intValue(),
          nullWatch.header().getErr());
      RawClient.Packet badMulti = raw.call(12, OpCode.multi, new org.apache.jute.Record() {
        @Override
        public void serialize(org.apache.jute.OutputArchive a, String t) throws IOException {
          new org.apache.zookeeper.proto.MultiHeader(OpCode.getACL, false, -1).serialize(a, t);
          a.writeString("/keep", "path");
          new org.apache.zookeeper.proto.MultiHeader(-1, true, -1).serialize(a, t);
        }

        @Override
        public void deserialize(org.apache.jute.InputArchive a, String t) {
        }
      });
      assertEquals(KeeperException.Code.MARSHALLINGERROR.intValue(),
          badMulti.header().getErr());
      assertEquals(0, raw.call(-2, OpCode.ping, null).header().getErr());
    }
  }

  private static List<String> nullList() {
    List<String> l = new ArrayList<>();
    l.add(null);
    return l;
  }

  @Test
  void unknownOpcodeGetsAnErrorReplyNotADroppedConnection() throws Exception {
    try (RawClient raw = RawClient.connected(server.port)) {
      RawClient.Packet p = raw.call(4, 4242, null);
      assertEquals(KeeperException.Code.UNIMPLEMENTED.intValue(), p.header().getErr());
      RawClient.Packet create = raw.call(5, OpCode.createSession, null);
      assertEquals(KeeperException.Code.UNIMPLEMENTED.intValue(), create.header().getErr());
      assertEquals(0, raw.call(6, OpCode.exists,
          new org.apache.zookeeper.proto.ExistsRequest("/keep", false)).header().getErr());
    }
  }

  @Test
  void silentConnectionsAndHalfOpenSocketsDoNoHarm() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Socket s = new Socket("127.0.0.1", server.port);
        s.getOutputStream().write(new byte[] {0, 0, 0, 40, 1, 2});
        idle.add(s);
      }
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }
}
