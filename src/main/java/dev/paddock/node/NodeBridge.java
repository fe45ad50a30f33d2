package dev.paddock.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.paddock.admin.AdminSettings;
import dev.paddock.admin.NodeAccess;
import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.api.Stat;
import dev.paddock.client.PaddockFacade;
import java.util.concurrent.CompletableFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** The admin server's view of this node: asks the {@link QuorumPeer} and its settings. */
final class NodeBridge implements NodeAccess {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final ActorRef<QuorumPeer.Command> peer;
  private final ActorSystem<?> system;
  private final NodeFacts facts;
  private final Settings settings;
  private CompletableFuture<PaddockFacade> session;

  NodeBridge(ActorRef<QuorumPeer.Command> peer, ActorSystem<?> system, Settings settings,
      AdminSettings admin, Config config) {
    this.peer = peer;
    this.system = system;
    this.facts = facts(settings, admin, config);
    this.settings = settings;
  }

  private static NodeFacts facts(Settings s, AdminSettings admin, Config config) {
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("client_port", s.clientPort());
    conf.put("data_dir", s.dataDir().toAbsolutePath().toString());
    conf.put("data_log_dir", s.dataLogDir().toAbsolutePath().toString());
    conf.put("tick_time", s.tickMs());
    conf.put("max_client_cnxns", s.maxClientCnxns());
    conf.put("min_session_timeout", s.minSessionTimeoutMs());
    conf.put("max_session_timeout", s.maxSessionTimeoutMs());
    // ZooKeeper's standalone server reports id 0 whatever myid says.
    conf.put("server_id", s.standalone() ? 0 : s.myId());
    conf.put("client_port_listen_backlog", -1);
    List<Member> members = new ArrayList<>();
    for (ServerSpec spec : s.servers()) {
      members.add(new Member(spec.id(), spec.host(), spec.peerPort(), spec.clientPort(),
          spec.observer(), admin.peers().get(spec.id())));
    }
    Config shown = config.getConfig("paddock").withoutPath("journal")
        .withoutPath("snapshot-store").withoutPath("snapshot-io-dispatcher");
    for (String secret : List.of("session-secret", "super-digest", "admin.password",
        "ssl.keyStore.password", "ssl.trustStore.password")) {
      if (shown.hasPath(secret) && !shown.getString(secret).isEmpty()) {
        shown = shown.withValue(secret, ConfigValueFactory.fromAnyRef("********"));
      }
    }
    String text = shown.root().render(ConfigRenderOptions.concise().setFormatted(true)
        .setJson(false));
    return new NodeFacts(s.myId(), s.standalone(), s.dataDir().toAbsolutePath(),
        s.dataLogDir().toAbsolutePath(), s.clientPort(), Map.copyOf(conf), text,
        List.copyOf(members), QuorumPeer.JOURNAL, QuorumPeer.SNAPSHOTS);
  }

  @Override
  public NodeFacts facts() {
    return facts;
  }

  @Override
  public CompletionStage<NodeStatus> status() {
    return AskPattern.<QuorumPeer.Command, QuorumPeer.Status>ask(peer, QuorumPeer.GetStatus::new,
        TIMEOUT, system.scheduler()).thenApply(s -> new NodeStatus(s.serving(), s.mode(),
            s.role(), s.myId(), s.leaderId(), s.tree(), s.view(), s.sessions()));
  }

  @Override
  public CompletionStage<LogState> logState() {
    return AskPattern.<QuorumPeer.Command, dev.paddock.txnlog.TxnLog.Snapshot>ask(peer,
        QuorumPeer.GetLogState::new, TIMEOUT, system.scheduler())
        .thenApply(l -> new LogState(l.acceptedEpoch(), l.currentEpoch(), l.lastZxid()));
  }

  @Override
  public synchronized CompletionStage<TreeWriter> writer() {
    CompletableFuture<PaddockFacade> current = session;
    if (current == null || current.isCompletedExceptionally()) {
      int typedPort = TypedClientEndpoint.port(system.settings().config());
      if (typedPort == 0) {
        return CompletableFuture.failedFuture(new IllegalStateException("the console writes "
            + "as a typed client, and " + TypedClientEndpoint.KEY + " is off"));
      }
      // A typed client of this very server, through its typed-client port like any other.
      session = PaddockFacade.connect(List.of(settings.host() + ":" + typedPort),
          Duration.ofSeconds(30), event -> { }).toCompletableFuture();
      current = session;
      system.getWhenTerminated().thenRun(() -> session.thenAccept(PaddockFacade::close));
    }
    return current.thenApply(FacadeWriter::new);
  }

  /** The console's changes, as a typed client makes them. */
  private record FacadeWriter(PaddockFacade zk) implements TreeWriter {
    @Override
    public CompletionStage<String> create(String path, byte[] data) {
      return zk.create(path, data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @Override
    public CompletionStage<Integer> setData(String path, byte[] data, int version) {
      return zk.setData(path, data, version).thenApply(Stat::version);
    }

    @Override
    public CompletionStage<Void> delete(String path, int version) {
      return zk.delete(path, version);
    }
  }

  @Override
  public CompletionStage<InetSocketAddress> clientPort() {
    return AskPattern.<QuorumPeer.Command, InetSocketAddress>ask(peer,
        QuorumPeer.GetClientPort::new, TIMEOUT, system.scheduler());
  }
}
