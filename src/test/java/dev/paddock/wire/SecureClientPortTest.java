package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.ConnectRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secure client port: the official client over TLS, plaintext clients turned away there
 * while the plaintext port serves, and x509 identities in ACLs.
 */
class SecureClientPortTest {
  static final String ALICE = "CN=alice,O=Paddock";
  static final String BOB = "CN=bob,O=Paddock";
  static final String ADMIN = "CN=admin,O=Paddock";

  @TempDir static Path dir;
  static TlsFixture tls;
  static PaddockServer server;
  static int securePort;
  static Path alice;
  static Path bob;
  static Path admin;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    tls = new TlsFixture(dir.resolve("certs"));
    alice = tls.client(ALICE);
    bob = tls.client(BOB);
    admin = tls.client(ADMIN);
    Map<String, Object> settings = new HashMap<>(tls.serverSettings(ADMIN));
    settings.put("paddock.four-letter-words", List.of("srvr", "conf"));
    server = PaddockServer.start(dir.resolve("data"), settings);
    securePort = TlsFixture.securePort(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private ZooKeeper overTls(Path keyStore, BlockingQueue<WatchedEvent> events) throws Exception {
    ZooKeeper zk = tls.connect(securePort, keyStore, events, new LinkedBlockingQueue<>());
    open.add(zk);
    return zk;
  }

  /** Mutable: the client's ACL check asks it whether it contains null. */
  private static List<ACL> only(String dn) {
    return new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL, new Id("x509", dn))));
  }

  private ZooKeeper overTls(Path keyStore) throws Exception {
    return overTls(keyStore, new LinkedBlockingQueue<>());
  }

  @Test
  void officialClientCreatesReadsWritesWatchesAndDeletesOverTls() throws Exception {
    BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
    ZooKeeper zk = overTls(alice, events);
    byte[] v1 = "one".getBytes(StandardCharsets.UTF_8);
    byte[] v2 = "two".getBytes(StandardCharsets.UTF_8);
    assertEquals("/tls-node", zk.create("/tls-node", v1, ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT));
    Stat stat = new Stat();
    assertArrayEquals(v1, zk.getData("/tls-node", true, stat));
    zk.setData("/tls-node", v2, stat.getVersion());
    WatchedEvent changed = events.poll(20, TimeUnit.SECONDS);
    assertNotNull(changed, "no watch event over TLS");
    assertEquals(Watcher.Event.EventType.NodeDataChanged, changed.getType());
    assertEquals("/tls-node", changed.getPath());
    assertArrayEquals(v2, zk.getData("/tls-node", false, null));
    zk.delete("/tls-node", -1);
    assertNull(zk.exists("/tls-node", false));
  }

  @Test
  void plaintextClientOnTheTlsPortIsClosedWhileThePlaintextPortServes() throws Exception {
    try (RawClient plain = new RawClient(securePort)) {
      plain.sendFrame(RawClient.bytes(a -> new ConnectRequest(0, 0, 30_000, 0, new byte[16],
          false).serialize(a, "connect")));
      assertTrue(plain.closedByServer(), "a plaintext handshake on the TLS port was not closed");
    }
    ZooKeeper plainClient = server.client();
    open.add(plainClient);
    plainClient.create("/plain-beside-tls", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
    ZooKeeper secure = overTls(alice);
    assertNotNull(secure.exists("/plain-beside-tls", false),
        "the TLS port stopped serving after a failed handshake");
  }

  @Test
  void x509AclAdmitsTheCertificateItNamesAndRefusesAnotherFromTheSameAuthority()
      throws Exception {
    ZooKeeper a = overTls(alice);
    a.create("/alice-only", "secret".getBytes(StandardCharsets.UTF_8),
        only(ALICE), CreateMode.PERSISTENT);
    assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8),
        a.getData("/alice-only", false, null));
    assertEquals(only(ALICE),
        a.getACL("/alice-only", new Stat()));

    ZooKeeper b = overTls(bob);
    assertThrows(KeeperException.NoAuthException.class,
        () -> b.getData("/alice-only", false, null));
    assertThrows(KeeperException.NoAuthException.class,
        () -> b.setData("/alice-only", new byte[0], -1));

    ZooKeeper root = overTls(admin);
    assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8),
        root.getData("/alice-only", false, null), "the configured super DN may read anything");
  }

  @Test
  void theAuthSchemeExpandsToTheCertificatesId() throws Exception {
    ZooKeeper a = overTls(alice);
    a.create("/alice-creator", new byte[0], ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
    assertEquals(only(ALICE),
        a.getACL("/alice-creator", new Stat()));
    ZooKeeper b = overTls(bob);
    assertThrows(KeeperException.NoAuthException.class,
        () -> b.getData("/alice-creator", false, null));
  }

  @Test
  void anX509AclMustNameADistinguishedName() throws Exception {
    ZooKeeper a = overTls(alice);
    assertThrows(KeeperException.InvalidACLException.class, () -> a.create("/bad-x509",
        new byte[0], only("not a dn"),
        CreateMode.PERSISTENT));
  }

  @Test
  void aClientCannotClaimAnX509IdWithAddAuth() throws Exception {
    ZooKeeper a = overTls(alice);
    a.create("/alice-claimed", new byte[0],
        only(ALICE), CreateMode.PERSISTENT);
    BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
    ZooKeeper plain = PaddockServer.connect(server.connectString(), 30_000,
        new LinkedBlockingQueue<>(), states);
    open.add(plain);
    plain.addAuthInfo("x509", ALICE.getBytes(StandardCharsets.UTF_8));
    assertEquals(Watcher.Event.KeeperState.AuthFailed, states.poll(20, TimeUnit.SECONDS));
    assertThrows(KeeperException.class, () -> plain.getData("/alice-claimed", false, null));

    // Over TLS, addauth x509 only confirms the certificate's own id.
    ZooKeeper b = overTls(bob);
    b.addAuthInfo("x509", ALICE.getBytes(StandardCharsets.UTF_8));
    assertThrows(KeeperException.NoAuthException.class,
        () -> b.getData("/alice-claimed", false, null));
  }

  @Test
  void aCertificateFromAnotherAuthorityOrNoneIsRefusedAtTheHandshake() throws Exception {
    TlsFixture rogue = new TlsFixture(dir.resolve("rogue"));
    Path mallory = rogue.client(ALICE);
    assertFalse(answersOverTls(mallory), "a certificate from an unknown authority was accepted");
    assertFalse(answersOverTls(null), "a client without a certificate was accepted");
    assertTrue(answersOverTls(alice), "the server's own authority's client was refused");
  }

  /**
   * Whether a session request over TLS, presenting {@code keyStore} (none when null), gets a
   * session: with TLS 1.3 a refused client certificate shows only when the client reads.
   */
  private static boolean answersOverTls(Path keyStore) throws Exception {
    KeyManagerFactory km = null;
    if (keyStore != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(keyStore)) {
        keys.load(in, TlsFixture.PASSWORD.toCharArray());
      }
      km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      km.init(keys, TlsFixture.PASSWORD.toCharArray());
    }
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(tls.trust)) {
      trusted.load(in, TlsFixture.PASSWORD.toCharArray());
    }
    TrustManagerFactory tm = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tm.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(km == null ? null : km.getKeyManagers(), tm.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket("127.0.0.1", securePort)) {
      socket.setSoTimeout(20_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      byte[] request = RawClient.bytes(a -> new ConnectRequest(0, 0, 30_000, 0, new byte[16],
          false).serialize(a, "connect"));
      out.writeInt(request.length);
      out.write(request);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int length = in.readInt();
      return length > 0;
    } catch (SSLException | EOFException | SocketException e) {
      return false;
    }
  }

  @Test
  void confReportsTheBoundSecurePort() throws Exception {
    try (RawClient c = new RawClient(server.port)) {
      c.sendRaw("conf".getBytes(StandardCharsets.US_ASCII));
      String text = c.readAllText();
      assertTrue(text.contains("secureClientPort=" + securePort + "\n"), text);
      assertTrue(text.contains("clientPort=" + server.port + "\n"), text);
    }
  }
}
