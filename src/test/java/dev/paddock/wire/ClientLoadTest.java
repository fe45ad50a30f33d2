package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.paddock.session.ClientLoad;
import dev.paddock.session.RequestGate;
import dev.paddock.storage.JournalFaults;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.GetDataRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No client makes the server hold more than its limits: replies too large for one packet are
 * refused, a client that does not read its replies is throttled and then dropped while others
 * are served, and however many connections pipeline requests against a stalled disk, no more
 * than max-outstanding-requests are ever in flight.
 */
class ClientLoadTest {
  private static final Duration MAX = Duration.ofSeconds(60);
  private static final byte[] BIG = new byte[1_000_000];

  @TempDir Path dir;

  @AfterEach
  void release() {
    JournalFaults.stallWrites(dir.resolve("log"), false);
  }

  @Test
  void aMultiReadTooLargeForOnePacketIsRefusedAndTheServerStaysUp() throws Exception {
    try (PaddockServer server = PaddockServer.start(dir, Map.of());
        ZooKeeper zk = server.client()) {
      zk.create("/big", BIG, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      List<Op> reads = new ArrayList<>(Collections.nCopies(3000, Op.getData("/big")));
      KeeperException e = org.junit.jupiter.api.Assertions.assertThrows(KeeperException.class,
          () -> zk.multi(reads));
      assertEquals(KeeperException.Code.MARSHALLINGERROR, e.code());
      assertArrayEquals(BIG, zk.getData("/big", false, null), "the same session goes on");
      assertTrue(FourLetterWordsTest.word(server.port, "srvr").contains("Mode: standalone"));
    }
  }

  @Test
  void aClientThatDoesNotReadIsThrottledThenDroppedWhileOthersAreServed() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(ConnectionActor.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try (PaddockServer server = PaddockServer.start(dir, Map.of());
        ZooKeeper zk = server.client()) {
      zk.create("/big", BIG, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      zk.create("/small", new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      RawClient flood = RawClient.connected(server.port);
      Thread writer = new Thread(() -> {
        try {
          for (int i = 1; i <= 10_000; i++) {
            flood.send(i, OpCodes.GET_DATA, new GetDataRequest("/big", false));
          }
        } catch (IOException e) {
          // The server dropped the connection while the client was still sending.
        }
      }, "flooding-client");
      writer.setDaemon(true);
      writer.start();

      TestProbe<Object> probe = server.kit.createTestProbe();
      String floodPort = ":" + flood.socket.getLocalPort() + "[";
      probe.awaitAssert(MAX, () -> {
        String stat = FourLetterWordsTest.word(server.port, "stat");
        assertTrue(stat.lines().anyMatch(l -> l.contains(floodPort + "0]")),
            "the flooding connection is not being read from: " + stat);
        return null;
      });
      probe.awaitAssert(MAX, () -> {
        assertArrayEquals(new byte[] {1}, zk.getData("/small", false, null),
            "another client is served meanwhile");
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage()
            .contains("client is not reading its replies")), "not dropped yet");
        return null;
      });
      assertTrue(flood.closedByServer(), "the flooding connection is closed");
      assertTrue(!FourLetterWordsTest.word(server.port, "stat").contains(floodPort));
      String warning = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.contains("client is not reading")).findFirst().orElseThrow();
      Matcher m = Pattern.compile("\\((\\d+) bytes queued").matcher(warning);
      assertTrue(m.find(), warning);
      long limit = ClientLoad.get(server.kit.system()).limits().outputLimitBytes();
      assertTrue(Long.parseLong(m.group(1)) <= limit, warning);
      assertArrayEquals(BIG, zk.getData("/big", false, null));
      RequestGate gate = ClientLoad.get(server.kit.system()).gate();
      probe.awaitAssert(MAX, () -> {
        assertEquals(0, gate.inFlight(), "the dropped connection gave its places back");
        return null;
      });
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void sixtyConnectionsPipeliningAgainstAStalledDiskStayWithinTheLimit() throws Exception {
    try (PaddockServer server = PaddockServer.start(dir, Map.of("paddock.max-client-cnxns",
        0))) {
      List<RawClient> clients = new ArrayList<>();
      for (int c = 0; c < 60; c++) {
        clients.add(RawClient.connected(server.port));
      }
      RequestGate gate = ClientLoad.get(server.kit.system()).gate();
      assertEquals(1000, gate.maxRequests());
      JournalFaults.stallWrites(dir.resolve("log"), true);
      for (int c = 0; c < 60; c++) {
        for (int i = 1; i <= 1000; i++) {
          clients.get(c).send(i, OpCodes.CREATE, new CreateRequest("/c" + c + "-" + i,
              new byte[8], ZooDefs.Ids.OPEN_ACL_UNSAFE, 0));
        }
      }
      TestProbe<Object> probe = server.kit.createTestProbe();
      int[] highest = {0};
      probe.awaitAssert(MAX, () -> {
        long outstanding = outstanding(server.port);
        highest[0] = (int) Math.max(highest[0], outstanding);
        assertTrue(outstanding <= 1000, "zk_outstanding_requests " + outstanding);
        assertEquals(1000, outstanding, "the gate fills up");
        return null;
      });
      for (int i = 0; i < 20; i++) {
        long outstanding = outstanding(server.port);
        assertTrue(outstanding <= 1000, "zk_outstanding_requests " + outstanding);
      }
      assertTrue(gate.peak() <= 1000, "at most the limit at any moment: " + gate.peak());

      JournalFaults.stallWrites(dir.resolve("log"), false);
      for (int c = 0; c < 60; c++) {
        for (int i = 1; i <= 1000; i++) {
          RawClient.Packet p = clients.get(c).readPacket();
          assertEquals(i, p.header().getXid());
          assertEquals(0, p.header().getErr(), "create " + c + "-" + i);
        }
        clients.get(c).close();
      }
      assertEquals(1000, gate.peak(), "the limit was reached, never passed");
      assertNotNull(server.client().exists("/c59-1000", false));
    }
  }

  private static long outstanding(int port) throws IOException {
    for (String line : FourLetterWordsTest.word(port, "mntr").split("\n")) {
      if (line.startsWith("zk_outstanding_requests\t")) {
        return Long.parseLong(line.substring(line.indexOf('\t') + 1).trim());
      }
    }
    throw new AssertionError("no zk_outstanding_requests in mntr");
  }
}
