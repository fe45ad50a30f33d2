package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.storage.JournalFaults;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up at run time: the server stops serving writes instead of acknowledging
 * what it cannot persist, says why in srvr and mntr, keeps what it acknowledged, and serves
 * again by itself once writes succeed.
 */
class StorageFaultReportTest {
  /** The words these tests read the server's state with are off by default. */
  private static final Map<String, Object> ALL_WORDS =
      Map.of("paddock.four-letter-words", List.of("*"));

  private static final Duration MAX = Duration.ofSeconds(30);

  @TempDir Path dir;

  @AfterEach
  void clearFaults() {
    JournalFaults.failWrites(dir.resolve("log"), false);
  }

  @Test
  void aFullDiskIsReportedAndServingResumesWhenWritesSucceed() throws Exception {
    try (PaddockServer server = PaddockServer.start(dir, ALL_WORDS);
        ZooKeeper zk = server.client()) {
      zk.create("/kept", "v".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);

      JournalFaults.failWrites(dir.resolve("log"), true);
      assertThrows(KeeperException.class, () -> zk.create("/lost", new byte[1],
          ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT), "nothing unpersisted is acked");
      TestProbe<Object> wait = server.kit.createTestProbe();
      String srvr = wait.awaitAssert(MAX, () -> {
        String out = FourLetterWordsTest.word(server.port, "srvr");
        assertTrue(out.contains("not currently serving"), out);
        return out;
      });
      assertTrue(srvr.contains("Storage: cannot write the transaction log since"), srvr);
      assertTrue(srvr.contains("No space left on device"), srvr);
      String mntr = FourLetterWordsTest.word(server.port, "mntr");
      assertTrue(mntr.contains("zk_paddock_log_write_failed\t1\n"), mntr);
      assertTrue(mntr.contains("zk_paddock_log_write_error\tNo space left on device"), mntr);

      JournalFaults.failWrites(dir.resolve("log"), false);
      wait.awaitAssert(MAX, () -> {
        String out = FourLetterWordsTest.word(server.port, "srvr");
        assertTrue(out.contains("Mode: standalone"), out);
        assertFalse(out.contains("Storage:"), out);
        return null;
      });
      assertTrue(FourLetterWordsTest.word(server.port, "mntr")
          .contains("zk_paddock_log_write_failed\t0\n"));
      wait.awaitAssert(MAX, () -> {
        assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), zk.getData("/kept", false,
            null));
        zk.create("/after", new byte[1], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        return null;
      });
      assertTrue(zk.exists("/lost", false) == null, "the write that failed was never applied");
    }
  }
}
