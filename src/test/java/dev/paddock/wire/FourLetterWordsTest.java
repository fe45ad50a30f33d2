package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four-letter words on the client port, in ZooKeeper's formats. */
class FourLetterWordsTest {
  @TempDir static Path paddockDir;
  @TempDir static Path zkDir;
  static PaddockServer paddock;
  static TestingServer zk;

  @BeforeAll
  static void start() throws Exception {
    paddock = PaddockServer.start(paddockDir, Map.of("paddock.four-letter-words",
        List.of("ruok", "srvr", "stat", "mntr", "conf", "isro", "cons", "wchs", "dump", "envi",
            "srst", "crst")));
    System.setProperty("zookeeper.4lw.commands.whitelist", "*");
    zk = ReferenceZooKeeper.start(zkDir);
  }

  @AfterAll
  static void stop() throws Exception {
    paddock.close();
    zk.close();
  }

  static String word(int port, String word) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> keys(String text, String separator) {
    return Arrays.stream(text.split("\n")).filter(l -> l.contains(separator))
        .map(l -> l.substring(0, l.indexOf(separator))).toList();
  }

  @Test
  void srvrOnFreshServersMatchesZooKeeperLineForLine() throws Exception {
    String p = word(paddock.port, "srvr");
    String z = word(zk.getPort(), "srvr");
    assertEquals(keys(z, ":"), keys(p, ":"));
    assertTrue(p.startsWith("Zookeeper version: 3.9.5-"), p);
    assertTrue(p.contains("\nMode: standalone\n"), p);
    assertTrue(p.matches("(?s).*\nLatency min/avg/max: \\d+/\\d+\\.\\d+/\\d+\n.*"), p);
    assertTrue(p.matches("(?s).*\nZxid: 0x[0-9a-f]+\n.*"), p);
    assertEquals(line(z, "Node count"), line(p, "Node count"), "fresh trees count alike");
    assertEquals(line(z, "Outstanding"), line(p, "Outstanding"));
  }

  private static String line(String text, String key) {
    return Arrays.stream(text.split("\n")).filter(l -> l.startsWith(key + ":")).findFirst()
        .orElseThrow(() -> new AssertionError(key + " missing in " + text));
  }

  @Test
  void simpleWords() throws Exception {
    assertEquals("imok", word(paddock.port, "ruok"));
    assertEquals(word(zk.getPort(), "ruok"), word(paddock.port, "ruok"));
    assertEquals("rw", word(paddock.port, "isro"));
    assertEquals("wchp is not executed because it is not in the whitelist.\n",
        word(paddock.port, "wchp"));
    String envi = word(paddock.port, "envi");
    assertTrue(envi.startsWith("Environment:\nzookeeper.version=3.9.5-"), envi);
    assertEquals(keys(word(zk.getPort(), "envi"), "="), keys(envi, "="));
  }

  @Test
  void confAndMntrUseZooKeepersKeys() throws Exception {
    String conf = word(paddock.port, "conf");
    assertEquals(keys(word(zk.getPort(), "conf"), "="), keys(conf, "="));
    assertTrue(conf.contains("clientPort=" + paddock.port + "\n"), conf);
    assertTrue(conf.contains("tickTime=200\nmaxClientCnxns=60\nminSessionTimeout=400\n"
        + "maxSessionTimeout=4000\n"), conf);
    String mntr = word(paddock.port, "mntr");
    List<String> zkKeys = keys(word(zk.getPort(), "mntr"), "\t");
    for (String line : mntr.split("\n")) {
      assertTrue(line.matches("zk_[a-z_]+\t.+"), line);
      // Besides ZooKeeper's keys, only Paddock's own zk_paddock_* ones (group commit figures).
      String key = line.substring(0, line.indexOf('\t'));
      assertTrue(zkKeys.contains(key) || key.startsWith("zk_paddock_"), line);
    }
    assertTrue(mntr.matches("(?s).*zk_paddock_txns_per_fsync\t\\d+\\.\\d\n.*"), mntr);
    assertTrue(mntr.contains("zk_server_state\tstandalone\n"), mntr);
    assertTrue(mntr.matches("(?s).*zk_avg_latency\t\\d+\\.\\d+\n.*"), mntr);
  }

  @Test
  void connectionsStatAndDump() throws Exception {
    try (ZooKeeper c = paddock.client(); ZooKeeper r = PaddockServer.connect(
        zk.getConnectString(), 30_000, new java.util.concurrent.LinkedBlockingQueue<>())) {
      for (ZooKeeper z : List.of(c, r)) {
        z.create("/eph-" + z.getSessionId(), null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.EPHEMERAL);
        z.exists("/watched", true);
      }
      String sid = "0x" + Long.toHexString(c.getSessionId());
      String cons = word(paddock.port, "cons");
      String full = " /127\\.0\\.0\\.1:\\d+\\[1\\]\\(queued=0,recved=\\d+,sent=\\d+,sid=0x[0-9a-f]+,"
          + "lop=\\w+,est=\\d+,to=\\d+,lcxid=0x[0-9a-f]+,lzxid=0x[0-9a-f]+,lresp=\\d+,llat=\\d+,"
          + "minlat=\\d+,avglat=\\d+,maxlat=\\d+\\)";
      assertTrue(cons.contains("sid=" + sid + ",lop=EXIS,"), cons);
      assertTrue(anyLine(cons, l -> l.matches(full)), cons);
      assertTrue(anyLine(word(zk.getPort(), "cons"), l -> l.matches(full)));
      String stat = word(paddock.port, "stat");
      String brief = " /127\\.0\\.0\\.1:\\d+\\[[01]\\]\\(queued=0,recved=\\d+,sent=\\d+\\)";
      assertTrue(stat.contains("\nClients:\n"), stat);
      assertTrue(anyLine(stat, l -> l.matches(brief)), stat);
      assertEquals(keys(word(zk.getPort(), "stat"), ":"), keys(stat, ":"));
      assertEquals("1 connections watching 1 paths\nTotal watches:1\n",
          awaitWchs("Total watches:1\n"));
      String dump = word(paddock.port, "dump");
      assertTrue(dump.startsWith("SessionTracker dump:\n"), dump);
      assertTrue(dump.contains("ephemeral nodes dump:\n"), dump);
      assertTrue(dump.contains(sid + ":\n\t/eph-" + c.getSessionId() + "\n"), dump);
      assertTrue(dump.contains("Connections dump:\n"), dump);
    }
  }

  /** Sessions drop their watches as they stop, just after their connection closes. */
  private static String awaitWchs(String suffix) throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String wchs = word(paddock.port, "wchs");
    while (!wchs.endsWith(suffix) && System.nanoTime() < deadline) {
      wchs = word(paddock.port, "wchs");
    }
    return wchs;
  }

  private static boolean anyLine(String text, Predicate<String> p) {
    return Arrays.stream(text.split("\n")).anyMatch(p);
  }

  @Test
  void resetsAndHalfClosedClients() throws Exception {
    assertEquals("Server stats reset.\n", word(paddock.port, "srst"));
    assertEquals("Connection stats reset.\n", word(paddock.port, "crst"));
    try (Socket s = new Socket("127.0.0.1", paddock.port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("ruok".getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      assertEquals("imok", new String(s.getInputStream().readAllBytes(),
          StandardCharsets.US_ASCII));
    }
  }

  @Test
  void watchesGoWithTheirConnection() throws Exception {
    try (TcpProxy proxy = new TcpProxy(paddock.port);
        ZooKeeper c = PaddockServer.connect(proxy.connectString(), 30_000,
            new java.util.concurrent.LinkedBlockingQueue<>())) {
      c.exists("/wanted-" + System.nanoTime(), true);
      assertEquals("1 connections watching 1 paths\nTotal watches:1\n",
          awaitWchs("Total watches:1\n"));
      proxy.cutAndHold();
      assertEquals("0 connections watching 0 paths\nTotal watches:0\n",
          awaitWchs("Total watches:0\n"));
    }
  }
}
