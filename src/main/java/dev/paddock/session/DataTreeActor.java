package dev.paddock.session;

import dev.paddock.api.Acl;
import dev.paddock.api.EventType;
import dev.paddock.api.Id;
import dev.paddock.api.WatchEvent;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.request.TreeReads;
import dev.paddock.tree.Applied;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeView;
import dev.paddock.tree.WatchManager;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.TxnSize;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Owns this server's committed tree and its watches. Applies committed txns strictly in the
 * order received (the role actor sends them in zxid order), answers this server's sessions for
 * their writes, serves reads, and fires watches from the same mailbox, so a watch is registered
 * atomically with the read it rides on and every event precedes the replies that follow it.
 * Never touches the disk: snapshots are handed off as immutable trees.
 */
public final class DataTreeActor extends AbstractBehavior<DataTreeActor.Command> {

  public sealed interface Command {}

  /** A sync to answer once every txn committed before it is applied. */
  public record SyncPoint(long sessionId, int cxid) {}

  /** Committed txns in zxid order, then the syncs that waited for them. */
  public record Apply(List<TxnEntry> entries, List<SyncPoint> syncs) implements Command {}

  /**
   * A read of an attached session runs once the tree has answered {@code afterOrdered} of the
   * session's writes and syncs (as many as it had sent before this read), and before it answers
   * the next: it sees its session's earlier writes and none of its later ones, without a round
   * trip through the session.
   */
  public record Read(long sessionId, int cxid, Op.Read op, List<Id> authIds,
      ActorRef<SessionActor.Command> session, long afterOrdered) implements Command {
    /** A read that waits for nothing. */
    public Read(long sessionId, int cxid, Op.Read op, List<Id> authIds,
        ActorRef<SessionActor.Command> session) {
      this(sessionId, cxid, op, authIds, session, 0);
    }
  }

  /** Routes this session's write replies and events to {@code session}. */
  public record Attach(long sessionId, ActorRef<SessionActor.Command> session) implements Command {}

  public record Detach(long sessionId, ActorRef<SessionActor.Command> session) implements Command {}

  /**
   * Replaces the whole tree (SNAP sync). Watches would miss what changed, so every attached
   * session's connection ends: its client reconnects and re-registers them from its last zxid.
   */
  public record Replace(TreeSnapshot snapshot) implements Command {}

  /**
   * Answered with {@link SessionActor.Flushed} after everything the tree was sent before. The
   * session had sent {@code ordered} writes and syncs; those not answered by now went to a
   * leader that is gone, so the reads waiting for them are dropped (the session answers them
   * as lost with the connection) and later reads wait only for what the session sends next.
   */
  public record Flush(long sessionId, ActorRef<SessionActor.Command> session, long ordered)
      implements Command {}

  public record GetInfo(ActorRef<Info> replyTo) implements Command {}

  /** Facts for tests, four-letter words and benchmarks. */
  public record Info(long lastZxid, int nodeCount, int watchCount,
      int watchedPaths, int sessionCount, TreeSnapshot snapshot, int watcherCount) {
    /**
     * The tree's digest, computed by the caller from the frozen snapshot: it visits every node,
     * which the tree actor must not do while applies wait.
     */
    public long digest() {
      return snapshot.digest();
    }
  }

  /** Watched paths by session id, data and child watches together (wchc, wchp, the console). */
  public record GetWatches(ActorRef<Watches> replyTo) implements Command {}

  public record Watches(Map<Long, java.util.Set<String>> bySession) {}

  /** Where snapshots go; may be absent (tests). */
  public interface SnapshotSink {
    void save(TreeSnapshot snapshot);
  }

  /** An attached session: its actor, its writes and syncs answered, its reads that wait. */
  private static final class Attached {
    final ActorRef<SessionActor.Command> ref;
    long answered;
    final ArrayDeque<Read> held = new ArrayDeque<>();

    Attached(ActorRef<SessionActor.Command> ref) {
      this.ref = ref;
    }
  }

  private DataTree tree;
  private TreeReads<ActorRef<SessionActor.Command>> reads;
  private final WatchManager<ActorRef<SessionActor.Command>> watches = new WatchManager<>();
  private final Map<Long, Attached> sessions = new HashMap<>();
  private final TreeView view;
  private final SnapshotSink snapshots;
  private final int snapCount;
  private final long snapSizeLimit;
  private final long maxReplyBytes;
  private int untilSnapshot;
  private long bytesSinceSnapshot;

  public static Behavior<Command> create(DataTree tree, TreeView view, SnapshotSink snapshots,
      int snapCount) {
    return create(tree, view, snapshots, snapCount, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * @param snapSizeLimit a snapshot is also taken once the txns applied since the last one
   *     add up to this many bytes: the log behind it (kept in memory until then) stays bounded
   * @param maxReplyBytes reads whose reply would be larger fail (see {@link TreeReads})
   */
  public static Behavior<Command> create(DataTree tree, TreeView view, SnapshotSink snapshots,
      int snapCount, long snapSizeLimit, long maxReplyBytes) {
    return Behaviors.setup(ctx -> new DataTreeActor(ctx, tree, view, snapshots, snapCount,
        snapSizeLimit, maxReplyBytes));
  }

  private DataTreeActor(ActorContext<Command> ctx, DataTree tree, TreeView view,
      SnapshotSink snapshots, int snapCount, long snapSizeLimit, long maxReplyBytes) {
    super(ctx);
    this.tree = tree;
    this.maxReplyBytes = maxReplyBytes;
    this.reads = new TreeReads<>(tree, watches, maxReplyBytes);
    this.view = view;
    this.snapshots = snapshots;
    this.snapCount = snapCount;
    this.snapSizeLimit = snapSizeLimit;
    this.untilSnapshot = nextSnapshotDistance();
    view.publish(tree.snapshot());
  }

  /** Like ZooKeeper, randomise the distance so an ensemble does not snapshot all at once. */
  private int nextSnapshotDistance() {
    int half = Math.max(1, snapCount / 2);
    return half + ThreadLocalRandom.current().nextInt(half);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Apply.class, this::onApply)
        .onMessage(Read.class, this::onRead)
        .onMessage(Attach.class, a -> {
          sessions.put(a.sessionId(), new Attached(a.session()));
          return this;
        })
        .onMessage(Detach.class, d -> {
          if (attached(d.sessionId(), d.session()) != null) {
            sessions.remove(d.sessionId());
          }
          watches.removeWatcher(d.session());
          return this;
        })
        .onMessage(Flush.class, f -> {
          Attached a = attached(f.sessionId(), f.session());
          if (a != null) {
            a.held.clear();
            a.answered = f.ordered();
          }
          f.session().tell(new SessionActor.Flushed());
          return this;
        })
        .onMessage(Replace.class, r -> {
          for (Attached a : sessions.values()) {
            a.ref.tell(new SessionActor.Supersede(SessionOutput.Reason.UNAVAILABLE,
                "this server took a snapshot of the leader's tree; reconnect"));
          }
          tree = DataTree.fromSnapshot(r.snapshot());
          reads = new TreeReads<>(tree, watches, maxReplyBytes);
          view.publish(tree.snapshot());
          return this;
        })
        .onMessage(GetWatches.class, g -> {
          g.replyTo().tell(watchesBySession());
          return this;
        })
        .onMessage(GetInfo.class, g -> {
          g.replyTo().tell(new Info(tree.lastZxid(), tree.nodeCount(),
              watches.watchCount(), watches.pathCount(), tree.sessions().size(),
              tree.snapshot(), watches.watcherCount()));
          return this;
        })
        .build();
  }

  private Watches watchesBySession() {
    Map<ActorRef<SessionActor.Command>, Long> ids = new HashMap<>();
    sessions.forEach((id, a) -> ids.put(a.ref, id));
    Map<Long, java.util.Set<String>> out = new java.util.TreeMap<>();
    watches.pathsByWatcher().forEach((ref, paths) -> {
      Long id = ids.get(ref);
      if (id != null) {
        out.computeIfAbsent(id, k -> new java.util.TreeSet<>()).addAll(paths);
      }
    });
    return new Watches(out);
  }

  private Behavior<Command> onApply(Apply a) {
    for (TxnEntry e : a.entries()) {
      if (e.zxid() <= tree.lastZxid()) {
        continue;
      }
      TreeSnapshot before = tree.snapshot();
      Applied applied = tree.apply(e);
      for (WatchEvent ev : applied.events()) {
        List<Acl> acl = eventAcl(ev, before);
        for (WatchManager.Delivery<ActorRef<SessionActor.Command>> d : watches.trigger(ev)) {
          d.watcher().tell(new SessionActor.Notify(d.event(), acl));
        }
      }
      Attached owner = sessions.get(e.sessionId());
      if (owner != null) {
        owner.ref.tell(new SessionActor.Committed(e, applied.result(), tree.lastZxid()));
        answered(owner);
      }
      bytesSinceSnapshot += TxnSize.of(e);
      if ((--untilSnapshot <= 0 || bytesSinceSnapshot >= snapSizeLimit) && snapshots != null) {
        snapshots.save(tree.snapshot());
        untilSnapshot = nextSnapshotDistance();
        bytesSinceSnapshot = 0;
      }
    }
    for (SyncPoint s : a.syncs()) {
      Attached owner = sessions.get(s.sessionId());
      if (owner != null) {
        owner.ref.tell(new SessionActor.Synced(s.cxid(), tree.lastZxid()));
        answered(owner);
      }
    }
    view.publish(tree.snapshot());
    return this;
  }

  /**
   * The ACL an event is checked against before delivery, as ZooKeeper 3.9 does: the node's own
   * (as it was before a delete), or the parent's for a child-list change. Null (deliver) when
   * the node came and went within one multi.
   */
  private List<Acl> eventAcl(WatchEvent ev, TreeSnapshot before) {
    DataNode n = ev.type() == EventType.NODE_DELETED ? before.node(ev.path())
        : tree.get(ev.path());
    return n == null ? null : n.acl();
  }

  private Attached attached(long sessionId, ActorRef<SessionActor.Command> ref) {
    Attached a = sessions.get(sessionId);
    return a != null && a.ref.equals(ref) ? a : null;
  }

  /** One more write or sync of the session answered: run the reads that waited for it. */
  private void answered(Attached a) {
    a.answered++;
    while (!a.held.isEmpty() && a.held.peekFirst().afterOrdered() <= a.answered) {
      read(a.held.pollFirst());
    }
  }

  private Behavior<Command> onRead(Read r) {
    Attached a = attached(r.sessionId(), r.session());
    if (a != null && (!a.held.isEmpty() || r.afterOrdered() > a.answered)) {
      a.held.addLast(r);
    } else {
      read(r);
    }
    return this;
  }

  private void read(Read r) {
    ActorRef<SessionActor.Command> session = r.session();
    Result result = reads.read(r.op(), session, r.sessionId(), r.authIds(),
        ev -> session.tell(new SessionActor.Notify(ev)));
    session.tell(new SessionActor.ReadDone(r.cxid(), tree.lastZxid(), result));
  }
}
