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
  /** The words these tests read the server's state with are off by default. */
  private static final Map<String, Object> ALL_WORDS =
      Map.of("paddock.four-letter-words", List.of("*"));

  private static final Duration MAX = Duration.ofSeconds(60);
  private static final byte[] BIG = new byte[1_000_000];
  /**
   * Loopback sockets may buffer tens of MB for a reader that reads nothing; a fixed small
   * receive buffer keeps what the kernel absorbs far below what the tests queue.
   */
  private static final int SMALL_RECEIVE_BUFFER = 64 * 1024;

  @TempDir Path dir;

  @AfterEach
  void release() {
    JournalFaults.stallWrites(dir.resolve("log"), false);
  }

  @Test
  void aMultiReadTooLargeForOnePacketIsRefusedAndTheServerStaysUp() throws Exception {
    try (PaddockServer server = PaddockServer.start(dir, ALL_WORDS);
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

  /**
   * Twenty replies of 1 MB stay under client-output-limit, so the throttle is a state that
   * lasts: the connection is not read from while others are served. A client that reads
   * nothing for its session timeout is then dropped, either by the connection (none of its
   * replies taken for that long) or by its session expiring, since a connection not read from
   * does not hear its pings either; both clocks run the same timeout, so either may win.
   */
  @Test
  void aClientThatDoesNotReadIsThrottledThenDroppedWhileOthersAreServed() throws Exception {
    try (CapturedLog logs = new CapturedLog();
        PaddockServer server = PaddockServer.start(dir, ALL_WORDS);
        ZooKeeper zk = server.client()) {
      zk.create("/big", BIG, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      zk.create("/small", new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      RawClient flood = RawClient.connected(server.port, 4_000, SMALL_RECEIVE_BUFFER);
      for (int i = 1; i <= 20; i++) {
        flood.send(i, OpCodes.GET_DATA, new GetDataRequest("/big", false));
      }
      TestProbe<Object> probe = server.kit.createTestProbe();
      String floodAddress = "/127.0.0.1:" + flood.socket.getLocalPort();
      String floodPort = ":" + flood.socket.getLocalPort() + "[";
      probe.awaitAssert(MAX, () -> {
        String stat = FourLetterWordsTest.word(server.port, "stat");
        assertTrue(stat.lines().anyMatch(l -> l.contains(floodPort + "0]")),
            "the flooding connection is not being read from: " + stat);
        return null;
      });
      assertArrayEquals(new byte[] {1}, zk.getData("/small", false, null),
          "another client is served meanwhile");
      probe.awaitAssert(MAX, () -> {
        assertTrue(logs.closing(floodAddress).isPresent(), "not dropped yet");
        return null;
      });
      String why = logs.closing(floodAddress).get();
      assertTrue(why.contains("none read for 4000 ms") || why.contains("EXPIRED"), why);
      assertClosedAndPlacesBack(server, flood, floodPort, zk);
    }
  }

  /**
   * Sixty reads of 1 MB held behind a write on a stalled disk are all answered at once when
   * the disk resumes: the replies would pass client-output-limit, so the client is dropped
   * with no more than the limit queued for it.
   */
  @Test
  void aClientWhoseRepliesWouldPassTheOutputLimitIsDroppedWithinIt() throws Exception {
    try (CapturedLog logs = new CapturedLog();
        PaddockServer server = PaddockServer.start(dir,
            // Long enough that the silent client's session outlives the stalled disk.
            Map.of("paddock.max-session-timeout", "30s",
                "paddock.four-letter-words", List.of("*")));
        ZooKeeper zk = server.client()) {
      zk.create("/big", BIG, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      RawClient flood = RawClient.connected(server.port, 30_000, SMALL_RECEIVE_BUFFER);
      String floodAddress = "/127.0.0.1:" + flood.socket.getLocalPort();
      String floodPort = ":" + flood.socket.getLocalPort() + "[";
      JournalFaults.stallWrites(dir.resolve("log"), true);
      flood.send(1, OpCodes.CREATE, new CreateRequest("/first", new byte[0],
          ZooDefs.Ids.OPEN_ACL_UNSAFE, 0));
      for (int i = 2; i <= 61; i++) {
        flood.send(i, OpCodes.GET_DATA, new GetDataRequest("/big", false));
      }
      TestProbe<Object> probe = server.kit.createTestProbe();
      probe.awaitAssert(MAX, () -> {
        String stat = FourLetterWordsTest.word(server.port, "stat");
        assertTrue(stat.lines().anyMatch(l -> l.contains(floodPort) && l.contains("queued=61,")),
            "the reads wait behind the write: " + stat);
        return null;
      });
      JournalFaults.stallWrites(dir.resolve("log"), false);
      probe.awaitAssert(MAX, () -> {
        assertTrue(logs.closing(floodAddress).isPresent(), "not dropped yet");
        return null;
      });
      String warning = logs.closing(floodAddress).get();
      Matcher m = Pattern.compile("\\((\\d+) bytes queued, client-output-limit").matcher(warning);
      assertTrue(m.find(), warning);
      long limit = ClientLoad.get(server.kit.system()).limits().outputLimitBytes();
      assertTrue(Long.parseLong(m.group(1)) <= limit, warning);
      assertClosedAndPlacesBack(server, flood, floodPort, zk);
    }
  }

  private static void assertClosedAndPlacesBack(PaddockServer server, RawClient flood,
      String floodPort, ZooKeeper zk) throws Exception {
    assertTrue(flood.closedByServer(), "the flooding connection is closed");
    assertTrue(!FourLetterWordsTest.word(server.port, "stat").contains(floodPort));
    assertArrayEquals(BIG, zk.getData("/big", false, null));
    RequestGate gate = ClientLoad.get(server.kit.system()).gate();
    server.kit.createTestProbe().awaitAssert(MAX, () -> {
      assertEquals(0, gate.inFlight(), "the dropped connection gave its places back");
      return null;
    });
  }

  /** The connection actor's warnings while a test runs. */
  private static final class CapturedLog implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectionActor.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    CapturedLog() {
      appender.start();
      logger.addAppender(appender);
    }

    /** Why the server closed the connection from {@code address}, once it has. */
    java.util.Optional<String> closing(String address) {
      synchronized (appender) {
        return List.copyOf(appender.list).stream().map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.startsWith("closing connection from " + address + " ")).findFirst();
      }
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
    }
  }

  @Test
  void sixtyConnectionsPipeliningAgainstAStalledDiskStayWithinTheLimit() throws Exception {
    try (PaddockServer server = PaddockServer.start(dir, Map.of("paddock.max-client-cnxns",
        0, "paddock.four-letter-words", List.of("*")))) {
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
