package dev.paddock.node;

import dev.paddock.election.ElectionActor;
import dev.paddock.election.ElectionRound;
import dev.paddock.election.Notification;
import dev.paddock.election.ServerState;
import dev.paddock.election.Vote;
import dev.paddock.peers.PeerLinks;
import dev.paddock.peers.Peers;
import dev.paddock.request.WritePath;
import dev.paddock.session.DataTreeActor;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.storage.JournalStats;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeView;
import dev.paddock.txnlog.StoredTree;
import dev.paddock.txnlog.TreeSnapshotter;
import dev.paddock.txnlog.TxnLog;
import dev.paddock.wire.ClientPortServer;
import dev.paddock.zab.CrashPoints;
import dev.paddock.zab.FollowerActor;
import dev.paddock.zab.LeaderActor;
import dev.paddock.zab.SnapPacing;
import dev.paddock.zab.Zab;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;

/**
 * The guardian of a server: owns what lives across roles (log, snapshots, tree, sessions, the
 * peer gateway) and the role state machine LOOKING → LEADING / FOLLOWING / OBSERVING. Each role
 * is a child created on entry and stopped on exit; when a role ends the server looks for a
 * leader again. A standalone server skips the election and leads an ensemble of one.
 */
public final class QuorumPeer extends AbstractBehavior<QuorumPeer.Command> {
  public static final String LOG_ID = "paddock-txnlog";
  public static final String TREE_ID = "paddock-tree";
  public static final String JOURNAL = "paddock.journal";
  public static final String SNAPSHOTS = "paddock.snapshot-store";
  /** Name of the session tracker, the front door typed clients connect to. */
  public static final String SESSIONS = dev.paddock.client.ClientPekkoConfig.TRACKER_NAME;

  public sealed interface Command {}

  /** Asks whether the server serves clients, in which mode, and for its parts. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /**
   * @param mode standalone, leader, follower, observer, or looking / starting when not serving
   * @param role the role this server has taken, serving or still synchronising (standalone,
   *     leader, follower, observer), or looking
   */
  public record Status(boolean serving, String mode, int myId, int leaderId,
      ActorRef<SessionTrackerActor.Command> sessions, ActorRef<DataTreeActor.Command> tree,
      TreeView view, ActorRef<Peers.Command> peers, String role) {}

  /** The transaction log's state: epochs and last logged zxid (tests and diagnostics). */
  public record GetLogState(ActorRef<TxnLog.Snapshot> replyTo) implements Command {}

  /** The ZooKeeper client port's bound address, answered once the port is open (tests bind 0). */
  public record GetClientPort(ActorRef<java.net.InetSocketAddress> replyTo) implements Command {}

  /**
   * Fault tests: stops a critical part ("tree", "session tracker", "peers gateway", "client
   * port") as a failure would, or fails the guardian itself ("guardian"). A part that does not
   * exist yet is stopped as soon as it does.
   */
  public record StopPart(String part) implements Command {}

  record PartStopped(String part) implements Command {}

  private record LogRecovered(TxnLog.Snapshot state) implements Command {}

  private record TreeRecovered(StoredTree stored) implements Command {}

  private record FreshLogState(TxnLog.Snapshot state) implements Command {}

  /** The tree has applied everything a previous role sent it: the role may start. */
  private record TreeSettled(Vote leader, TxnLog.Snapshot fresh, int incarnation)
      implements Command {}

  private record Inbound(Peers.Inbound message) implements Command {}

  private record ElectedMsg(ElectionActor.Elected elected) implements Command {}

  private record Serving(ActorRef<WritePath> writes, ActorRef<?> role) implements Command {}

  private record OpenClientPort(boolean ok) implements Command {}

  private record SaveSnapshot(TreeSnapshot tree) implements Command {}

  private record StorageDied() implements Command {}

  /** Recovery found damage no retry can repair. */
  private record StorageCorrupt(String message) implements Command {}

  private record RestartStorage() implements Command {}

  private record StorageProbed(int incarnation) implements Command {}

  private record LookAgain() implements Command {}

  private record ServerGone(int id) implements Command {}

  private record Reachability(ClusterEvent.ReachabilityEvent event) implements Command {}

  private final Settings settings;
  private final CrashPoints crashPoints;
  private final TimerScheduler<Command> timers;
  private final Set<Integer> voters = new HashSet<>();
  private final Set<Integer> observers = new HashSet<>();
  private final Set<Integer> everyone = new HashSet<>();
  /** Voters whose process was seen gone since the last election began. */
  private final Set<Integer> gone = new HashSet<>();
  private ActorRef<Peers.Command> peers;
  private PeerLinks links;
  private final RoleRoute roleRoute;
  private ActorRef<TxnLog.Command> log;
  private ActorRef<TreeSnapshotter.Command> snapshots;
  private ActorRef<DataTreeActor.Command> tree;
  private ActorRef<SessionTrackerActor.Command> sessions;
  private TreeView view;
  private TxnLog.Snapshot recoveredLog;
  private StoredTree recoveredTree;
  // Volatile: the client port's four-letter words read the mode from other threads.
  private volatile ServerState state = ServerState.LOOKING;
  private Vote currentVote;
  private long electionClock;
  private ActorRef<?> role;
  private ActorRef<ElectionActor.Command> election;
  private Vote pendingElected;
  private boolean pendingRole;
  private volatile boolean serving;
  private final ClientPortSlot clientPort;
  private final CompletionStage<Void> clientsMayConnect;
  private int storageIncarnation;
  private int probedIncarnation;
  private boolean storageHealthy;
  private final CriticalParts critical;

  public static Behavior<Command> create(Settings settings) {
    return create(settings, CrashPoints.NONE);
  }

  public static Behavior<Command> create(Settings settings, CrashPoints crashPoints) {
    return create(settings, crashPoints, CompletableFuture.completedFuture(null));
  }

  /** The client port opens only once {@code clientsMayConnect} completes (and not if it fails). */
  static Behavior<Command> create(Settings settings, CrashPoints crashPoints,
      CompletionStage<Void> clientsMayConnect) {
    return Behaviors.setup(ctx -> {
      String refusal = StartupChecks.beforeStorage(ctx.getSystem());
      if (refusal != null) {
        ctx.getLog().error(refusal);
        return Behaviors.stopped();
      }
      return Behaviors.withTimers(timers -> new QuorumPeer(ctx, timers, settings, crashPoints,
          clientsMayConnect));
    });
  }

  private QuorumPeer(ActorContext<Command> ctx, TimerScheduler<Command> timers, Settings settings,
      CrashPoints crashPoints, CompletionStage<Void> clientsMayConnect) {
    super(ctx);
    this.clientsMayConnect = clientsMayConnect;
    this.settings = settings;
    this.crashPoints = crashPoints;
    this.timers = timers;
    this.critical = new CriticalParts(ctx);
    this.clientPort = new ClientPortSlot(ctx, critical);
    if (settings.standalone()) {
      voters.add(settings.myId());
    } else {
      settings.servers().forEach(s -> (s.observer() ? observers : voters).add(s.id()));
      settings.servers().forEach(s -> everyone.add(s.id()));
      Map<Integer, String> addresses = new HashMap<>();
      settings.servers().forEach(s -> addresses.put(s.id(), s.host() + ":" + s.peerPort()));
      links = new PeerLinks(ctx.getSystem(), settings.myId(), addresses,
          PekkoConfig.SYSTEM_NAME);
      peers = ctx.spawn(Peers.create(links, addresses), Peers.NAME);
      Peers.attach(links, peers);
      critical.watch("peers gateway", peers);
      peers.tell(new Peers.SetInbox(ctx.messageAdapter(Peers.Inbound.class, Inbound::new)));
      ClusterReachability.watch(ctx,
          ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new),
          addresses.values());
    }
    this.roleRoute = new RoleRoute(links);
    currentVote = new Vote(settings.myId(), 0, 0);
    ActorRef<Command> self = ctx.getSelf();
    JournalStats.forPlugin(ctx.getSystem(), JOURNAL)
        .onCorruption(message -> self.tell(new StorageCorrupt(message)));
    spawnStorage();
  }

  private void spawnStorage() {
    storageIncarnation++;
    recoveredLog = null;
    recoveredTree = null;
    log = getContext().spawn(TxnLog.create(LOG_ID, JOURNAL,
        getContext().messageAdapter(TxnLog.Snapshot.class, LogRecovered::new)),
        "txn-log-" + storageIncarnation);
    getContext().watchWith(log, new StorageDied());
    snapshots = getContext().spawn(TreeSnapshotter.create(TREE_ID, JOURNAL, SNAPSHOTS,
        settings.snapRetainCount(), log,
        getContext().messageAdapter(StoredTree.class, TreeRecovered::new)),
        "tree-snapshots-" + storageIncarnation);
    getContext().watchWith(snapshots, new StorageDied());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(GetClientPort.class, g -> {
          clientPort.askBoundAddress(g.replyTo());
          return this;
        })
        .onMessage(GetLogState.class, g -> {
          if (storageHealthy) {
            log.tell(new TxnLog.GetState(g.replyTo()));
          }
          return this;
        })
        .onMessage(LogRecovered.class, m -> {
          recoveredLog = m.state();
          return maybeStarted();
        })
        .onMessage(TreeRecovered.class, m -> {
          recoveredTree = m.stored();
          return maybeStarted();
        })
        .onMessage(FreshLogState.class, this::onFreshLogState)
        .onMessage(TreeSettled.class, t -> {
          if (t.incarnation() == storageIncarnation && storageHealthy && role == null
              && pendingRole) {
            pendingRole = false;
            startRole(t.leader(), t.fresh());
          }
          return this;
        })
        .onMessage(Inbound.class, m -> onInbound(m.message()))
        .onMessage(ElectedMsg.class, m -> onElected(m.elected()))
        .onMessage(Serving.class, this::onServing)
        .onMessage(OpenClientPort.class, this::onOpenClientPort)
        .onMessage(SaveSnapshot.class, s -> {
          if (storageHealthy) {
            snapshots.tell(new TreeSnapshotter.Save(s.tree()));
          }
          return this;
        })
        .onMessage(PartStopped.class, p -> {
          critical.stopped(p.part());
          return this;
        })
        .onMessage(StopPart.class, p -> {
          critical.stopWhenThere(p.part());
          return this;
        })
        .onMessage(StorageDied.class, s -> onStorageDied())
        .onMessage(StorageCorrupt.class, c -> refuse(c.message()))
        .onMessage(RestartStorage.class, r -> {
          spawnStorage();
          return this;
        })
        .onMessage(StorageProbed.class, p -> {
          if (p.incarnation() != storageIncarnation) {
            return this;
          }
          probedIncarnation = p.incarnation();
          getContext().getLog().info("the transaction log writes again; resuming");
          return maybeStarted();
        })
        .onMessage(Reachability.class, this::onReachability)
        .onMessage(LookAgain.class, l -> {
          lookForLeader();
          return this;
        })
        .onMessage(ServerGone.class, g -> {
          gone.add(g.id());
          return this;
        })
        .onSignal(Terminated.class, t -> onRoleEnded(t.getRef()))
        .build();
  }

  private Behavior<Command> maybeStarted() {
    if (recoveredLog == null || recoveredTree == null) {
      return this;
    }
    if (storageIncarnation > 1 && probedIncarnation != storageIncarnation) {
      probeStorage();
      return this;
    }
    long treeZxid = recoveredTree.tree() == null ? 0 : recoveredTree.tree().zxid();
    if (tree == null) {
      String refusal = StartupChecks.afterRecovery(getContext().getSystem(), recoveredLog,
          recoveredTree);
      if (refusal != null) {
        return refuse(refusal);
      }
    }
    storageHealthy = true;
    if (!recoveredTree.keptZxids().isEmpty()) {
      // Recovery replayed the log back to the oldest snapshot kept; in memory only what the
      // newest one lacks is needed, as after any snapshot.
      log.tell(new TxnLog.Purge(treeZxid, recoveredTree.keptZxids().get(0)));
    }
    if (tree == null) {
      DataTree initial = recoveredTree.tree() == null ? new DataTree()
          : DataTree.fromSnapshot(recoveredTree.tree());
      getContext().getLog().info("recovered tree at zxid 0x{} ({} nodes); log holds {} txns "
          + "after 0x{}, up to 0x{}", Long.toHexString(initial.lastZxid()), initial.nodeCount(),
          recoveredLog.entries().size(), Long.toHexString(recoveredLog.baseZxid()),
          Long.toHexString(recoveredLog.lastZxid()));
      ActorRef<Command> self = getContext().getSelf();
      ServingCore core = ServingCore.spawn(getContext(), settings, initial,
          s -> self.tell(new SaveSnapshot(s)), critical, SESSIONS);
      view = core.view();
      tree = core.tree();
      sessions = core.sessions();
    }
    lookForLeader();
    return this;
  }

  private void lookForLeader() {
    if (role != null) {
      // A look scheduled when the last role ended can fire after storage came back and the
      // next role started; that role serves, and the late look must not mark it as looking.
      return;
    }
    state = ServerState.LOOKING;
    serving = false;
    if (!storageHealthy || role != null || election != null) {
      return;
    }
    log.tell(new TxnLog.GetState(
        getContext().messageAdapter(TxnLog.Snapshot.class, FreshLogState::new)));
  }

  private Behavior<Command> onFreshLogState(FreshLogState m) {
    TxnLog.Snapshot fresh = m.state();
    if (!storageHealthy || role != null) {
      return this;
    }
    if (pendingElected != null) {
      settleTreeThenStart(pendingElected, fresh);
      pendingElected = null;
      return this;
    }
    if (settings.standalone()) {
      currentVote = new Vote(settings.myId(), fresh.lastZxid(), fresh.currentEpoch());
      settleTreeThenStart(currentVote, fresh);
      return this;
    }
    if (election == null) {
      Vote self = new Vote(settings.myId(), fresh.lastZxid(), fresh.currentEpoch());
      election = getContext().spawn(ElectionActor.create(settings.myId(), voters,
          Set.copyOf(gone), everyone, settings.isObserver(), self, electionClock, peers,
          getContext().messageAdapter(ElectionActor.Elected.class, ElectedMsg::new),
          new ElectionRound.Timing(Duration.ofMillis(200),
              Duration.ofMillis(Math.max(400, settings.tickMs() * 2L)))),
          "election-" + (electionClock + 1));
      gone.clear();
      getContext().watch(election);
    }
    return this;
  }

  private Behavior<Command> onElected(ElectionActor.Elected e) {
    election = null;
    currentVote = e.vote();
    electionClock = e.electionEpoch();
    pendingElected = e.vote();
    log.tell(new TxnLog.GetState(
        getContext().messageAdapter(TxnLog.Snapshot.class, FreshLogState::new)));
    return this;
  }

  /**
   * A role reads the tree through the view; the previous role's last applies may still be on
   * their way to the tree actor, and a leader whose view lagged its own log would plan syncs
   * against a history with a hole. One round trip through the tree's mailbox settles it.
   */
  private void settleTreeThenStart(Vote leader, TxnLog.Snapshot fresh) {
    if (pendingRole) {
      return;
    }
    pendingRole = true;
    int incarnation = storageIncarnation;
    tree.tell(new DataTreeActor.GetInfo(getContext().messageAdapter(DataTreeActor.Info.class,
        i -> new TreeSettled(leader, fresh, incarnation))));
  }

  private void startRole(Vote leader, TxnLog.Snapshot fresh) {
    boolean leading = leader.leaderId() == settings.myId();
    state = leading ? ServerState.LEADING
        : settings.isObserver() ? ServerState.OBSERVING : ServerState.FOLLOWING;
    ActorRef<Command> self = getContext().getSelf();
    Zab zab = new Zab(settings.forRole(voters, observers), fresh, log, snapshots, tree, view, sessions, links,
        settings.containerCheckInterval(), crashPoints,
        (roleRef, writes) -> self.tell(new Serving(writes, roleRef)),
        new SnapPacing(settings.snapChunkBytes(), settings.snapWindow()),
        settings.dataDir().resolve("snap-incoming.tmp"));
    if (leading) {
      ActorRef<LeaderActor.Command> me =
          getContext().spawn(LeaderActor.create(zab), "leader-" + (electionClock + 1));
      roleRoute.toLeader(me);
      role = me;
    } else {
      ActorRef<FollowerActor.Command> follower = getContext().spawn(
          FollowerActor.create(zab, leader.leaderId(), settings.isObserver()),
          (settings.isObserver() ? "observer-" : "follower-") + (electionClock + 1));
      LeaderPortProbe.spawnFor(getContext(), settings, leader.leaderId(), follower, getContext()
          .messageAdapter(LeaderPortProbe.Gone.class, g -> new ServerGone(g.serverId())));
      roleRoute.toLearner(follower);
      role = follower;
    }
    getContext().watch(role);
  }

  private Behavior<Command> onServing(Serving s) {
    if (role == null || !role.equals(s.role())) {
      return this;
    }
    serving = true;
    sessions.tell(new SessionTrackerActor.RoleChanged(s.writes(),
        state == ServerState.LEADING));
    getContext().getLog().info("serving clients as {}", mode());
    if (!clientPort.isOpen()) {
      getContext().pipeToSelf(clientsMayConnect,
          (ok, failed) -> new OpenClientPort(failed == null));
    }
    return this;
  }

  private Behavior<Command> onOpenClientPort(OpenClientPort open) {
    if (open.ok()) {
      clientPort.open(() -> ClientPortServer.create(settings.forClientPort(JOURNAL), sessions,
          tree, view, () -> serving ? mode() : null));
    }
    return this;
  }

  /**
   * Election traffic. Zab packets and link resets reach this only when the gateway found no
   * role to hand them to; they are of no connection a later role has, so they are dropped (a
   * learner repeats its FollowerInfo until a leader answers).
   */
  private Behavior<Command> onInbound(Peers.Inbound message) {
    if (message instanceof Peers.Delivered d && d.message() instanceof Notification n) {
      if (election != null) {
        election.tell(new ElectionActor.Received(d.from(), n));
      } else if (state != ServerState.LOOKING && n.state() == ServerState.LOOKING) {
        peers.tell(new Peers.Send(d.from(), new Notification(currentVote, electionClock, state)));
      }
    }
    return this;
  }

  /**
   * A follower that hears its leader is unreachable looks for a new one at once instead of
   * waiting out sync-limit. The leader ignores these reports and relies on its own ticks, so a
   * brief hiccup of one follower does not cost an election.
   */
  private Behavior<Command> onReachability(Reachability r) {
    int unreachable = ClusterReachability.unreachableServer(settings, r.event());
    if (unreachable >= 0 && unreachable == currentVote.leaderId()
        && (state == ServerState.FOLLOWING || state == ServerState.OBSERVING)) {
      getContext().getLog().warn("leader {} is unreachable", unreachable);
      roleRoute.linkLost(unreachable);
    }
    return this;
  }

  private Behavior<Command> onRoleEnded(ActorRef<?> ref) {
    if (ref.equals(election)) {
      election = null;
      return this;
    }
    if (!ref.equals(role)) {
      return this;
    }
    if (crashPoints.crashed()) {
      return Behaviors.stopped();
    }
    role = null;
    roleRoute.clear();
    serving = false;
    state = ServerState.LOOKING;
    sessions.tell(new SessionTrackerActor.RoleChanged(null, false));
    getContext().getLog().info("role ended; looking for a leader");
    // An ensemble's next election is paced by its peers' votes; only a lone server could spin.
    timers.startSingleTimer(new LookAgain(), Duration.ofMillis(settings.standalone() ? 500 : 5));
    return this;
  }

  /**
   * After a storage failure the log recovers by reading alone, which proves nothing about the
   * disk. Until one write succeeds this server stays out of elections: with the best vote it
   * would otherwise win them again and again, failing each time before it leads, and keep a
   * healthy majority from electing one of its own.
   */
  private void probeStorage() {
    int incarnation = storageIncarnation;
    log.tell(new TxnLog.AcceptEpoch(recoveredLog.acceptedEpoch(),
        getContext().messageAdapter(Done.class, d -> new StorageProbed(incarnation))));
  }

  /** The log cannot write: stop serving, say why, and try again until it can. */
  private Behavior<Command> onStorageDied() {
    if (!storageHealthy && recoveredLog == null && recoveredTree == null && log == null) {
      return this;
    }
    String corruption = JournalStats.forPlugin(getContext().getSystem(), JOURNAL).corruption();
    if (corruption != null) {
      return refuse(corruption);
    }
    if (tree == null && recoveredTree == null) {
      String refusal = StartupChecks.snapshotsUnreadable(getContext().getSystem());
      if (refusal != null) {
        return refuse(refusal);
      }
    }
    storageHealthy = false;
    serving = false;
    // An election outcome from before the failure is stale by the time storage is back.
    pendingElected = null;
    pendingRole = false;
    getContext().getLog().error("the transaction log or snapshot store failed; not serving "
        + "until storage works again (retrying every {} ms)", settings.tickMs() * 5L);
    if (role != null) {
      getContext().stop(role);
    }
    if (election != null) {
      getContext().stop(election);
      election = null;
    }
    getContext().stop(log);
    getContext().stop(snapshots);
    if (sessions != null) {
      sessions.tell(new SessionTrackerActor.RoleChanged(null, false, true));
    }
    timers.startSingleTimer(new RestartStorage(), Duration.ofMillis(settings.tickMs() * 5L));
    return this;
  }

  /**
   * Damaged or inconsistent storage: stop, so that the node exits non-zero, instead of serving
   * from a history with a hole or retrying what cannot heal.
   */
  private Behavior<Command> refuse(String why) {
    String line = why.startsWith("refusing to start") ? why
        : (tree == null ? "refusing to start: " : "stopping: ") + why;
    getContext().getLog().error(line);
    return Behaviors.stopped();
  }

  private Behavior<Command> onGetStatus(GetStatus g) {
    g.replyTo().tell(new Status(serving, serving ? mode() : tree == null ? "starting"
        : "looking", settings.myId(), currentVote.leaderId(), sessions, tree, view, peers,
        role == null ? "looking" : mode()));
    return this;
  }

  private String mode() {
    if (settings.standalone()) {
      return "standalone";
    }
    return switch (state) {
      case LEADING -> "leader";
      case FOLLOWING -> "follower";
      case OBSERVING -> "observer";
      case LOOKING -> "looking";
    };
  }
}
