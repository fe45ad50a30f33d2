package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.paddock.session.AuditLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** paddock.audit: one line per session and per change, with who, what, where and the result. */
class AuditLogTest {
  private static final Duration MAX = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  private List<String> lines() {
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /** Runs the same writes with the audit log on or off; returns the session id. */
  private long someWrites(ZooKeeper zk) throws Exception {
    zk.addAuthInfo("digest", "bob:secret".getBytes(StandardCharsets.UTF_8));
    zk.create("/a", new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    zk.setData("/a", new byte[] {2}, -1);
    zk.setACL("/a", ZooDefs.Ids.CREATOR_ALL_ACL, -1);
    try {
      zk.delete("/missing", -1);
    } catch (KeeperException.NoNodeException expected) {
      // audited with its result
    }
    zk.multi(List.of(Op.create("/m", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT), Op.check("/m", 0), Op.delete("/m", -1)));
    zk.delete("/a", -1);
    long id = zk.getSessionId();
    zk.close();
    return id;
  }

  @Test
  void onItWritesALinePerSessionEventAndChange() throws Exception {
    try (PaddockServer server = PaddockServer.start(dir, Map.of("paddock.audit.enabled", "on"))) {
      long id = someWrites(server.client());
      String session = "session=0x" + Long.toHexString(id) + " ";
      String bob = "user=ip:127.0.0.1,digest:bob ";
      server.kit.createTestProbe().awaitAssert(MAX, () -> {
        List<String> mine = lines().stream().filter(l -> l.startsWith(session)).toList();
        List<String> expected = List.of(
            "user=ip:127.0.0.1 operation=createSession timeout=4000ms result=ok",
            bob + "operation=create znode=/a acl=world:anyone:cdrwa result=ok",
            bob + "operation=setData znode=/a result=ok",
            bob + "operation=setAcl znode=/a acl=auth::cdrwa result=ok",
            bob + "operation=delete znode=/missing result=NO_NODE",
            bob + "operation=create znode=/m acl=world:anyone:cdrwa in=multi result=ok",
            bob + "operation=delete znode=/m in=multi result=ok",
            bob + "operation=delete znode=/a result=ok",
            bob + "operation=closeSession result=ok");
        assertEquals(expected, mine.stream()
            .map(l -> l.substring(session.length()).replaceAll(" zxid=0x[0-9a-f]+", ""))
            .toList(), String.join("\n", mine));
        assertTrue(mine.stream().allMatch(l -> l.contains(" zxid=0x")), "zxids");
        return null;
      });
    }
  }

  @Test
  void aFailedMultiReportsWhatFailedIt() throws Exception {
    try (PaddockServer server = PaddockServer.start(dir, Map.of("paddock.audit.enabled", "on"));
        ZooKeeper zk = server.client()) {
      try {
        zk.multi(List.of(Op.create("/x", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT), Op.delete("/nothing", -1)));
      } catch (KeeperException expected) {
        // audited with its result
      }
      String session = "session=0x" + Long.toHexString(zk.getSessionId()) + " ";
      server.kit.createTestProbe().awaitAssert(MAX, () -> {
        List<String> multi = lines().stream()
            .filter(l -> l.startsWith(session) && l.contains("in=multi")).toList();
        assertEquals(2, multi.size(), String.join("\n", multi));
        assertTrue(multi.get(0).contains("znode=/x ") && !multi.get(0).endsWith("result=ok"),
            multi.get(0));
        assertTrue(multi.get(1).contains("znode=/nothing ")
            && multi.get(1).endsWith("result=NO_NODE"), multi.get(1));
        return null;
      });
    }
  }

  @Test
  void offByDefaultItWritesNothing() throws Exception {
    try (PaddockServer server = PaddockServer.start(dir)) {
      long id = someWrites(server.client());
      // A marker write after the audited ones: once it is applied, so are they.
      try (ZooKeeper zk = server.client()) {
        zk.create("/marker", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
      assertTrue(id != 0);
      assertEquals(List.of(), lines());
    }
  }
}
