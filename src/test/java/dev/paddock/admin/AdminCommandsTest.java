package dev.paddock.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin server's commands against ZooKeeper 3.9.5's own AdminServer: both servers get the
 * same clients, nodes and watches, and every command must answer with the same keys, except
 * where this test names the difference.
 */
class AdminCommandsTest {
  /** Commands ZooKeeper has that Paddock leaves out (backups go through /backup instead). */
  static final Set<String> ZOOKEEPER_ONLY = Set.of("snapshot", "restore", "last_snapshot");

  /** Maps keyed by session ids, paths or server ids: their keys are data, not structure. */
  static final Set<String> DATA_KEYED = Set.of("session_id_to_watched_paths",
      "path_to_session_ids", "session_id_to_ephemeral_paths", "expiry_time_to_session_ids",
      "current_config", "digests");

  /** mntr keys Paddock must have, all of them ZooKeeper's. */
  static final Set<String> MONITOR_CORE = Set.of("version", "server_state", "avg_latency",
      "max_latency", "min_latency", "packets_received", "packets_sent", "num_alive_connections",
      "outstanding_requests", "uptime", "znode_count", "watch_count", "ephemerals_count",
      "approximate_data_size", "global_sessions", "local_sessions", "open_file_descriptor_count",
      "max_file_descriptor_count", "auth_failed_count", "non_mtls_remote_conn_count",
      "non_mtls_local_conn_count", "avg_fsynctime", "cnt_fsynctime", "avg_snapshottime",
      "avg_proposal_latency", "avg_readlatency", "avg_updatelatency");

  /** mntr keys only Paddock has. */
  static final Set<String> MONITOR_PADDOCK = Set.of("paddock_txns_logged", "paddock_log_fsyncs",
      "paddock_txns_per_fsync", "paddock_current_epoch", "paddock_accepted_epoch",
      "paddock_last_logged_zxid");

  @TempDir static Path paddockDir;
  @TempDir static Path zkDir;
  static AdminNode paddock;
  static ReferenceAdminZooKeeper zk;
  static ZooKeeper paddockClient;
  static ZooKeeper zkClient;

  @BeforeAll
  static void start() throws Exception {
    paddock = AdminNode.start(paddockDir, Map.of("paddock.four-letter-words", List.of("*")));
    zk = ReferenceAdminZooKeeper.start(zkDir);
    paddockClient = fill(paddock.clientPort);
    zkClient = fill(zk.clientPort);
  }

  @AfterAll
  static void stop() throws Exception {
    paddockClient.close();
    zkClient.close();
    zk.close();
    paddock.close();
  }

  /** One session with a data watch, a child watch and an ephemeral node. */
  private static ZooKeeper fill(int port) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper c = new ZooKeeper("127.0.0.1:" + port, 30_000, e -> {
      if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    assertTrue(connected.await(20, TimeUnit.SECONDS), "connected to " + port);
    c.create("/a", "data".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
    c.create("/a/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    c.getData("/a", true, null);
    c.getChildren("/", true);
    return c;
  }

  static Set<String> commandNames(String base) throws Exception {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("href=\"/commands/([a-z_]+)\"")
        .matcher(AdminHttp.get(base, "/commands").body());
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Key paths of a JSON answer: a.b for nested objects, a[].b for objects in arrays. */
  static Set<String> keys(JsonNode node) {
    Set<String> out = new TreeSet<>();
    collect(node, "", out);
    return out;
  }

  private static void collect(JsonNode n, String prefix, Set<String> out) {
    if (n.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        out.add(prefix + f.getKey());
        if (!DATA_KEYED.contains(f.getKey())) {
          collect(f.getValue(), prefix + f.getKey() + ".", out);
        }
      }
    } else if (n.isArray()) {
      n.forEach(e -> collect(e, prefix.substring(0, prefix.length() - 1) + "[].", out));
    }
  }

  @Test
  void commandListIsZooKeepersWithoutSnapshotAndRestore() throws Exception {
    Set<String> expected = new TreeSet<>(commandNames(zk.base));
    assertTrue(expected.containsAll(ZOOKEEPER_ONLY), "ZooKeeper has " + expected);
    expected.removeAll(ZOOKEEPER_ONLY);
    assertEquals(expected, commandNames(paddock.base));
  }

  @Test
  void everyCommandAnswersWithZooKeepersKeys() throws Exception {
    for (String name : commandNames(paddock.base)) {
      if (name.equals("monitor")) {
        continue;
      }
      AdminHttp.Response z = AdminHttp.get(zk.base, "/commands/" + name);
      AdminHttp.Response p = AdminHttp.get(paddock.base, "/commands/" + name);
      assertEquals(z.status(), p.status(), name + ": " + p.body());
      assertTrue(p.contentType().startsWith("application/json"), name + ": " + p.contentType());
      assertEquals(keys(z.json()), keys(p.json()), name + " keys; Paddock said " + p.body());
      assertEquals(name, p.json().get("command").asText());
    }
  }

  @Test
  void aliasesAnswerAsTheirCommand() throws Exception {
    for (String[] alias : new String[][] {{"srvr", "server_stats"}, {"mntr", "monitor"},
        {"conf", "configuration"}, {"cons", "connections"}, {"envi", "environment"},
        {"wchs", "watch_summary"}, {"wchc", "watches"}, {"wchp", "watches_by_path"},
        {"isro", "is_read_only"}, {"gtmk", "get_trace_mask"}}) {
      JsonNode p = AdminHttp.get(paddock.base, "/commands/" + alias[0]).json();
      assertEquals(alias[1], p.get("command").asText(), alias[0]);
      assertEquals(alias[1], AdminHttp.get(zk.base, "/commands/" + alias[0]).json()
          .get("command").asText(), "ZooKeeper's " + alias[0]);
    }
  }

  @Test
  void monitorHasZooKeepersCoreKeysAndNoKeyZooKeeperLacksButPaddocksOwn() throws Exception {
    Set<String> z = keys(AdminHttp.get(zk.base, "/commands/mntr").json());
    Set<String> p = keys(AdminHttp.get(paddock.base, "/commands/mntr").json());
    assertTrue(z.containsAll(MONITOR_CORE), "ZooKeeper lacks " + diff(MONITOR_CORE, z));
    assertTrue(p.containsAll(MONITOR_CORE), "Paddock lacks " + diff(MONITOR_CORE, p));
    Set<String> foreign = diff(p, z);
    foreign.removeAll(MONITOR_PADDOCK);
    assertEquals(Set.of(), foreign, "mntr keys ZooKeeper does not have");
  }

  @Test
  void watchesAndEphemeralsAreReportedBySession() throws Exception {
    String session = Long.toString(paddockClient.getSessionId());
    JsonNode wchc = AdminHttp.get(paddock.base, "/commands/wchc").json();
    JsonNode paths = wchc.get("session_id_to_watched_paths").get(session);
    assertEquals(Set.of("/", "/a"), texts(paths));
    JsonNode wchp = AdminHttp.get(paddock.base, "/commands/wchp").json();
    assertEquals(Set.of(session), texts(wchp.get("path_to_session_ids").get("/a")));
    JsonNode dump = AdminHttp.get(paddock.base, "/commands/dump").json();
    assertEquals(Set.of("/a/eph"),
        texts(dump.get("session_id_to_ephemeral_paths").get(session)));
    JsonNode wchs = AdminHttp.get(paddock.base, "/commands/wchs").json();
    assertEquals(2, wchs.get("num_total_watches").asInt());
    JsonNode cons = AdminHttp.get(paddock.base, "/commands/cons").json();
    assertEquals(paddockClient.getSessionId(),
        cons.get("connections").get(0).get("session_id").asLong());
  }

  @Test
  void badArgumentsAndUnknownCommandsAreClearErrors() throws Exception {
    for (String path : List.of("/commands/stmk", "/commands/stmk?traceMask=x",
        "/commands/nosuch")) {
      AdminHttp.Response z = AdminHttp.get(zk.base, path);
      AdminHttp.Response p = AdminHttp.get(paddock.base, path);
      assertEquals(z.status(), p.status(), path);
      assertEquals(z.json().get("error").asText(), p.json().get("error").asText(), path);
    }
  }

  @Test
  void consoleChangesNeedConfiguredCredentials() throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(paddock.base
            + "/api/node?path=/b")).POST(java.net.http.HttpRequest.BodyPublishers.ofString("x"))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("read-only"), r.body());
    assertEquals(null, paddockClient.exists("/b", false));
    JsonNode node = AdminHttp.get(paddock.base, "/api/node?path=/a").json();
    assertEquals("ZGF0YQ==", node.get("data").asText());
    assertEquals(1, node.get("stat").get("numChildren").asInt());
    assertEquals(404, AdminHttp.get(paddock.base, "/api/node?path=/nothing").status());
  }

  @Test
  void probesSayServing() throws Exception {
    AdminHttp.Response ready = AdminHttp.get(paddock.base, "/ready");
    assertEquals(200, ready.status(), ready.body());
    assertEquals("serving as standalone\n", ready.body());
    assertEquals(200, AdminHttp.get(paddock.base, "/alive").status());
  }

  @Test
  void metricsUseZooKeepersNamesInPrometheusTextFormat() throws Exception {
    AdminHttp.Response m = AdminHttp.get(paddock.base, "/metrics");
    assertEquals(200, m.status());
    assertTrue(m.contentType().startsWith("text/plain; version=0.0.4"), m.contentType());
    String body = m.body();
    // /, /zookeeper, /zookeeper/quota, /zookeeper/config, /a, /a/eph, and the root's second
    // entry that ZooKeeper's node table holds and counts.
    assertEquals(7.0, sample(body, "znode_count"));
    assertEquals(2.0, sample(body, "watch_count"));
    assertEquals(1.0, sample(body, "ephemerals_count"));
    assertEquals(1.0, sample(body, "paddock_serving"));
    assertEquals(1.0, sample(body, "paddock_server_state{state=\"standalone\"}"));
    assertTrue(sample(body, "fsynctime_count") >= 2, "both creates were fsynced");
    assertTrue(sample(body, "updatelatency_count") >= 2);
    assertTrue(sample(body, "paddock_txns_logged_total") >= 3, "session and two creates");
    for (String name : List.of("outstanding_requests", "num_alive_connections", "learners",
        "synced_followers", "pending_syncs", "proposal_latency_bucket{le=\"1.0\"}",
        "snapshottime_count", "readlatency_sum", "jvm_memory_used_bytes{area=\"heap\"}")) {
      sample(body, name);
    }
  }

  static double sample(String exposition, String name) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError(name + " missing in\n" + exposition);
  }

  @Test
  void newFourLetterWordsAnswerInZooKeepersFormat() throws Exception {
    assertEquals(word(zk.clientPort, "gtmk", null), word(paddock.clientPort, "gtmk", null));
    assertEquals("82", word(paddock.clientPort, "stmk", 82L));
    assertEquals(word(zk.clientPort, "stmk", 82L), word(paddock.clientPort, "gtmk", null));
    word(paddock.clientPort, "stmk", 306L);
    word(zk.clientPort, "stmk", 306L);
    assertTrue(word(paddock.clientPort, "dirs", null)
        .matches("datadir_size: \\d+\nlogdir_size: \\d+\n"));
    String session = "0x" + Long.toHexString(paddockClient.getSessionId());
    assertEquals(shape(word(zk.clientPort, "wchc", null)),
        shape(word(paddock.clientPort, "wchc", null)));
    assertTrue(word(paddock.clientPort, "wchc", null).startsWith(session + "\n"));
    assertEquals("/\n\t" + session + "\n/a\n\t" + session + "\n\n",
        word(paddock.clientPort, "wchp", null));
    assertTrue(word(paddock.clientPort, "hash", null).matches("[0-9a-f]+: -?\\d+\n"));
  }

  /** A word's answer with the session ids and paths blanked, and lines sorted. */
  private static Set<String> shape(String text) {
    Set<String> out = new TreeSet<>();
    for (String line : text.split("\n")) {
      out.add(line.replaceAll("0x[0-9a-f]+", "0x").replaceAll("/[a-z/]*", "/"));
    }
    return out;
  }

  private static String word(int port, String word, Long argument) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      if (argument != null) {
        out.writeLong(argument);
      }
      s.getOutputStream().write(bytes.toByteArray());
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new HashSet<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }

  private static Set<String> diff(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.removeAll(b);
    return out;
  }
}
