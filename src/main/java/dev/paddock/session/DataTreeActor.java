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

  public record Read(long sessionId, int cxid, Op.Read op, List<Id> authIds,
      ActorRef<SessionActor.Command> session) implements Command {}

  /** Routes this session's write replies and events to {@code session}. */
  public record Attach(long sessionId, ActorRef<SessionActor.Command> session) implements Command {}

  public record Detach(long sessionId, ActorRef<SessionActor.Command> session) implements Command {}

  /**
   * Replaces the whole tree (SNAP sync). Watches would miss what changed, so every attached
   * session's connection ends: its client reconnects and re-registers them from its last zxid.
   */
  public record Replace(TreeSnapshot snapshot) implements Command {}

  /** Answered with {@link SessionActor.Flushed} after everything the tree was sent before. */
  public record Flush(ActorRef<SessionActor.Command> session) implements Command {}

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

  private DataTree tree;
  private TreeReads<ActorRef<SessionActor.Command>> reads;
  private final WatchManager<ActorRef<SessionActor.Command>> watches = new WatchManager<>();
  private final Map<Long, ActorRef<SessionActor.Command>> sessions = new HashMap<>();
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
          sessions.put(a.sessionId(), a.session());
          return this;
        })
        .onMessage(Detach.class, d -> {
          sessions.remove(d.sessionId(), d.session());
          watches.removeWatcher(d.session());
          return this;
        })
        .onMessage(Flush.class, f -> {
          f.session().tell(new SessionActor.Flushed());
          return this;
        })
        .onMessage(Replace.class, r -> {
          for (ActorRef<SessionActor.Command> session : sessions.values()) {
            session.tell(new SessionActor.Supersede(SessionOutput.Reason.UNAVAILABLE,
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
    sessions.forEach((id, ref) -> ids.put(ref, id));
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
      ActorRef<SessionActor.Command> owner = sessions.get(e.sessionId());
      if (owner != null) {
        owner.tell(new SessionActor.Committed(e, applied.result(), tree.lastZxid()));
      }
      bytesSinceSnapshot += TxnSize.of(e);
      if ((--untilSnapshot <= 0 || bytesSinceSnapshot >= snapSizeLimit) && snapshots != null) {
        snapshots.save(tree.snapshot());
        untilSnapshot = nextSnapshotDistance();
        bytesSinceSnapshot = 0;
      }
    }
    for (SyncPoint s : a.syncs()) {
      ActorRef<SessionActor.Command> owner = sessions.get(s.sessionId());
      if (owner != null) {
        owner.tell(new SessionActor.Synced(s.cxid(), tree.lastZxid()));
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

  private Behavior<Command> onRead(Read r) {
    ActorRef<SessionActor.Command> session = r.session();
    Result result = reads.read(r.op(), session, r.sessionId(), r.authIds(),
        ev -> session.tell(new SessionActor.Notify(ev)));
    session.tell(new SessionActor.ReadDone(r.cxid(), tree.lastZxid(), result));
    return this;
  }
}
