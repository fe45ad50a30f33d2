package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.Id;
import dev.paddock.cli.PaddockCli;
import dev.paddock.peers.PeerMessage;
import dev.paddock.peers.Peers;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.request.WriteRequest;
import dev.paddock.security.Certificates;
import dev.paddock.session.SessionActor;
import dev.paddock.zab.Ensemble;
import dev.paddock.zab.Packet;
import dev.paddock.zab.TestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.Identify;
import org.apache.pekko.actor.PoisonPill;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-server ensemble with peer TLS set up by {@code gen-certs}, attacked on its peer port by
 * actor systems that are not its servers. Without an ensemble certificate nothing they send
 * arrives: not a cluster join, not a forged Zab packet (ACK, FollowerInfo, forwarded write as
 * super, commit), not a request to a session actor, not a PoisonPill to the servers' actors. Had
 * any of it arrived, the pills alone would have stopped every server's guardian; a client's
 * session and its ephemeral node outlive every attack.
 */
class PeerPortAttackTest {
  private static final String KEY_PASSWORD = "server-keys";
  private static final String TRUST_PASSWORD = "ensemble-trust";

  @TempDir static Path dir;
  private static Ensemble ensemble;
  private static Path certs;

  @BeforeAll
  static void startEnsemble() throws IOException {
    certs = dir.resolve("certs");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = PaddockCli.run(Main.storageLayout(), new PrintStream(out, true,
        StandardCharsets.UTF_8), System.err, "gen-certs", certs.toString(), "--servers", "4",
        "--key-store-password", KEY_PASSWORD, "--trust-store-password", TRUST_PASSWORD);
    assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
    ensemble = new Ensemble(dir.resolve("data"), 3, 0, Map.of())
        .perServer(id -> tls(certs.resolve("server" + id + ".p12")));
    ensemble.startAll();
    ensemble.awaitServing();
  }

  @AfterAll
  static void stopEnsemble() {
    if (ensemble != null) {
      ensemble.close();
    }
  }

  private static Map<String, Object> tls(Path keyStore) {
    return Map.of(
        "paddock.peer-tls.key-store", keyStore.toString(),
        "paddock.peer-tls.key-store-password", KEY_PASSWORD,
        "paddock.peer-tls.trust-store", certs.resolve("truststore.p12").toString(),
        "paddock.peer-tls.trust-store-password", TRUST_PASSWORD);
  }

  @Test
  void aStrangerWithoutACertificateGetsNothingThrough() throws Exception {
    // It trusts the ensemble's authority (its certificate is no secret) but has no key of its
    // own, so the server side of the handshake refuses it.
    Path empty = dir.resolve("empty.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (OutputStream o = Files.newOutputStream(empty)) {
      store.store(o, "x".toCharArray());
    }
    attackAndCheck(strangerTls(empty, "x", certs.resolve("truststore.p12"), TRUST_PASSWORD));
  }

  @Test
  void aStrangerWithAnotherAuthoritysCertificateGetsNothingThrough() throws Exception {
    Certificates.Issued otherCa = Certificates.newAuthority("Other CA", Duration.ofDays(1));
    Path keys = dir.resolve("other-server.p12");
    Certificates.issue(otherCa, "CN=paddock-server-2,O=Paddock", List.of("127.0.0.1"),
        Duration.ofDays(1)).writeKeyStore(keys, "y".toCharArray());
    attackAndCheck(strangerTls(keys, "y", certs.resolve("truststore.p12"), TRUST_PASSWORD));
  }

  @Test
  void aStrangerSpeakingPlainTcpGetsNothingThrough() throws Exception {
    attackAndCheck(strangerConfig(Map.of()));
  }

  /**
   * The fourth certificate of gen-certs belongs to no configured server. Its holder connects
   * (certificates are per ensemble, not per address), but a join gets it downed at once and an
   * envelope that claims to come from server 2 from its own address is dropped.
   */
  @Test
  void anEnsembleCertificateOnAnUnconfiguredAddressIsDownedAndNotBelieved() throws Exception {
    int leader = ensemble.awaitServing();
    Victim victim = sessionWithEphemeral(leader);
    ActorSystem<Void> stranger = ActorSystem.create(Behaviors.empty(), "paddock",
        strangerConfig(tls(certs.resolve("server4.p12"))));
    try {
      ActorTestKit kit = ActorTestKit.create(stranger);
      // A certificate holder posing as server 2: the origin check drops this (PeersOriginTest
      // shows the drop itself); here it must leave the ensemble leading and committing.
      TestProbe<Peers.Command> me = kit.createTestProbe();
      for (int id : ensemble.ids()) {
        forge(peersOf(stranger, id), me.ref(), victim.id());
      }
      Cluster.get(stranger).manager().tell(new JoinSeedNodes(seeds()));
      // Downed and removed, the stranger's cluster shuts its actor system down.
      stranger.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      ensemble.kit(leader).createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        assertOnlyServersAreMembers();
        return null;
      });
    } finally {
      stranger.terminate();
    }
    assertEquals(leader, ensemble.awaitServing());
    assertSurvived(victim);
    writeCommitsAndReadsBack("/after-member-" + System.nanoTime());
  }

  private void attackAndCheck(Config config) throws Exception {
    int leader = ensemble.awaitServing();
    Victim victim = sessionWithEphemeral(leader);
    ActorSystem<Void> stranger = ActorSystem.create(Behaviors.empty(), "paddock", config);
    try {
      ActorTestKit kit = ActorTestKit.create(stranger);
      Cluster.get(stranger).manager().tell(new JoinSeedNodes(seeds()));
      // Claiming server 2 and naming server 2's gateway as the sender.
      ActorRef<Peers.Command> posingAs2 = ActorRefResolver.get(stranger).resolveActorRef(
          "pekko://paddock@" + ensemble.peerAddress(2) + "/user/peers");
      for (int id : ensemble.ids()) {
        forge(peersOf(stranger, id), posingAs2, victim.id());
      }
      TestProbe<Object> answers = kit.createTestProbe();
      for (int id : ensemble.ids()) {
        // Session actors are the tracker's children: a request in the victim's name, then pills.
        ActorSelection sessions = Adapter.toClassic(stranger).actorSelection(
            "pekko://paddock@" + ensemble.peerAddress(id) + "/user/*/*");
        sessions.tell(new SessionActor.Submit(1, new Op.Delete(victim.ephemeral(), -1)),
            Adapter.toClassic(answers.ref()));
        sessions.tell(PoisonPill.getInstance(), Adapter.toClassic(answers.ref()));
        ActorSelection all = Adapter.toClassic(stranger).actorSelection(
            "pekko://paddock@" + ensemble.peerAddress(id) + "/user/*");
        all.tell(PoisonPill.getInstance(), Adapter.toClassic(answers.ref()));
        // Sent after the pills on the same association: an answer would prove they arrived.
        Adapter.toClassic(stranger).actorSelection("pekko://paddock@"
            + ensemble.peerAddress(id) + "/user/peers")
            .tell(new Identify(id), Adapter.toClassic(answers.ref()));
      }
      answers.expectNoMessage(Duration.ofSeconds(3));
      List<Member> seen = new java.util.ArrayList<>();
      Cluster.get(stranger).state().getMembers().forEach(seen::add);
      assertTrue(seen.stream().noneMatch(m -> m.status().equals(
          org.apache.pekko.cluster.MemberStatus.up())), "the stranger saw members: " + seen);
    } finally {
      stranger.terminate();
      stranger.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertOnlyServersAreMembers();
    assertEquals(leader, ensemble.awaitServing(), "the leader kept leading");
    assertSurvived(victim);
    writeCommitsAndReadsBack("/after-attack-" + System.nanoTime());
  }

  /** The path a forged write would create: it must never exist. */
  private static final String FORGED = "/forged-by-a-stranger";

  /** A session of a real client, with an ephemeral node the attacks try to take away. */
  private record Victim(TestSession session, String ephemeral) {
    long id() {
      return session.id();
    }
  }

  private static Victim sessionWithEphemeral(int server) {
    TestSession s = TestSession.open(ensemble.kit(server), ensemble.status(server), 30_000);
    String path = "/victim-" + System.nanoTime();
    assertInstanceOf(Result.Created.class, s.call(new Op.Create(path, new byte[0],
        Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL)));
    return new Victim(s, path);
  }

  /**
   * Every forgery the peer port must not believe, each claiming to come from server 2: an ACK
   * far ahead (a commit without a quorum), a FollowerInfo with an epoch that would depose the
   * leader, a write forwarded in the victim's session with super among its identities, and a
   * commit far ahead to a follower.
   */
  private static void forge(ActorRef<Peers.Command> target, ActorRef<Peers.Command> sender,
      long victimSession) {
    List<Id> superIds = List.of(new Id("super", ""));
    List<PeerMessage> forged = List.of(
        new Packet.Ack(1, Long.MAX_VALUE),
        new Packet.FollowerInfo(1, 1_000_000_000L, Long.MAX_VALUE, false),
        new Packet.ForwardWrite(1, 1, new WriteRequest(victimSession, 1,
            new Op.Create(FORGED, new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            superIds)),
        new Packet.Commit(1, Long.MAX_VALUE));
    long seq = 1;
    for (PeerMessage m : forged) {
      target.tell(new Peers.Envelope(2, 1, seq++, sender, m));
    }
  }

  /** The victim's session still answers, its ephemeral is there, and nothing forged landed. */
  private static void assertSurvived(Victim victim) {
    victim.session().call(new Op.Sync("/"));
    assertInstanceOf(Result.Data.class,
        victim.session().call(new Op.GetData(victim.ephemeral(), false)));
    assertEquals(Code.NO_NODE, assertInstanceOf(Result.Failed.class,
        victim.session().call(new Op.GetData(FORGED, false))).code());
  }

  private static ActorRef<Peers.Command> peersOf(ActorSystem<?> from, int id) {
    return ActorRefResolver.get(from).resolveActorRef(
        "pekko://paddock@" + ensemble.peerAddress(id) + "/user/peers");
  }

  private static List<Address> seeds() {
    return ensemble.ids().stream()
        .map(id -> AddressFromURIString.parse("pekko://paddock@" + ensemble.peerAddress(id)))
        .toList();
  }

  private static void assertOnlyServersAreMembers() {
    List<String> servers = ensemble.ids().stream().map(ensemble::peerAddress).toList();
    for (int id : ensemble.ids()) {
      for (Member m : Cluster.get(ensemble.kit(id).system()).state().getMembers()) {
        String hostPort = m.address().getHost().orElse("") + ":"
            + m.address().getPort().orElse(-1);
        assertTrue(servers.contains(hostPort), "server " + id + " has member " + m);
      }
    }
  }

  private static void writeCommitsAndReadsBack(String path) {
    int leader = ensemble.awaitServing();
    int follower = leader == 1 ? 2 : 1;
    byte[] data = path.getBytes(StandardCharsets.UTF_8);
    TestSession viaLeader = TestSession.open(ensemble.kit(leader), ensemble.status(leader),
        10_000);
    assertInstanceOf(Result.Created.class, viaLeader.call(new Op.Create(path, data,
        Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
    TestSession viaFollower = TestSession.open(ensemble.kit(follower),
        ensemble.status(follower), 10_000);
    viaFollower.call(new Op.Sync("/"));
    Result.Data read = assertInstanceOf(Result.Data.class,
        viaFollower.call(new Op.GetData(path, false)));
    assertArrayEquals(data, read.data());
  }

  private static Config strangerTls(Path keyStore, String keyPassword, Path trustStore,
      String trustPassword) {
    String engine = "pekko.remote.artery.ssl.config-ssl-engine.";
    Map<String, Object> tls = new HashMap<>(Map.of(
        "pekko.remote.artery.transport", "tls-tcp",
        engine + "key-store", keyStore.toString(),
        engine + "key-store-password", keyPassword,
        engine + "key-password", keyPassword,
        engine + "trust-store", trustStore.toString(),
        engine + "trust-store-password", trustPassword,
        engine + "protocol", "TLSv1.3",
        engine + "enabled-algorithms", List.of("TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256")));
    return strangerConfig(tls);
  }

  /** A cluster-capable system on loopback, like a server but configured by the attacker. */
  private static Config strangerConfig(Map<String, Object> settings) {
    Map<String, Object> base = new HashMap<>(Map.of(
        "pekko.actor.provider", "cluster",
        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
        "pekko.remote.artery.canonical.port", 0,
        "pekko.cluster.downing-provider-class", "",
        "pekko.coordinated-shutdown.run-by-actor-system-terminate", "off"));
    Map<String, Object> peerTls = new HashMap<>();
    for (Map.Entry<String, Object> e : settings.entrySet()) {
      if (e.getKey().startsWith(PeerTls.PREFIX)) {
        peerTls.put(e.getKey(), e.getValue());
      } else {
        base.put(e.getKey(), e.getValue());
      }
    }
    Config loaded = ConfigFactory.parseMap(base).withFallback(ConfigFactory.parseMap(peerTls))
        .withFallback(ConfigFactory.load());
    Map<String, Object> own = new HashMap<>(base);
    own.putAll(PeerTls.from(loaded).pekkoSettings());
    return ConfigFactory.parseMap(own).withFallback(PekkoConfig.withPaddockDefaults(loaded))
        .resolve();
  }
}
