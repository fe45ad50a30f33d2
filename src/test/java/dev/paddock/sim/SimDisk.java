package dev.paddock.sim;

import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txnlog.RecoveryCheck;
import dev.paddock.txnlog.TxnLog;
import dev.paddock.txnlog.TxnLogState;
import dev.paddock.zab.LogOp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One server's disk: the transaction log's journal events and the tree snapshots, each either
 * durable or only written. A crash keeps what was made durable and a random prefix of what was
 * only written (a torn record is dropped by recovery, which is the same as not written). Writes
 * go through the same group commit as production (one record in flight, appends that arrive
 * meanwhile form the next batch, other records keep their place) and the log's state is folded
 * by the production {@link TxnLogState}. Snapshots are taken and purged as the tree snapshotter
 * does, keeping {@code keep} of them.
 */
final class SimDisk {
  private record Rec(long seq, TxnLog.Event event) {}

  private record Snap(TreeSnapshot tree, List<Long> kept) {}

  /** The checkpoint and purge point written before the journal prefix up to {@code upTo} goes. */
  private record PurgeItem(List<TxnLog.Event> events, long upTo) {}

  /** What a running server hears from its disk. */
  interface Owner {
    void logged(long lastZxid);

    void persisted(LogOp op);

    /** A write failed: the log stops, as the production log actor does. */
    void storageFailed(String why);

    /** A record just became durable: true if the server crashes before anyone hears of it. */
    boolean crashesAfterFsync();
  }

  private final Sched sched;
  private final SplittableRandom random;
  private final int keep;
  private final ArrayList<Rec> durable = new ArrayList<>();
  private final ArrayList<Snap> snapshots = new ArrayList<>();
  private long nextSeq = 1;
  private long slowUntil;
  private long failUntil;
  private boolean failNext;

  // ---- the running incarnation's pipeline; reset by crash() and open() ----
  private long generation;
  private Owner owner;
  private TxnLogState live;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private List<TxnEntry> forming = new ArrayList<>();
  private List<Rec> inFlight;
  private Object inFlightItem;
  private boolean inFlightOrphaned;
  private final ArrayDeque<Runnable> whenIdle = new ArrayDeque<>();
  private boolean snapshotSaving;
  private final ArrayDeque<Object[]> snapshotWaiting = new ArrayDeque<>();

  SimDisk(Sched sched, SplittableRandom random, int keep) {
    this.sched = sched;
    this.random = random;
    this.keep = keep;
  }

  /** What recovery finds: the log's state and the newest snapshot's tree (null if none). */
  record Recovered(TxnLog.Snapshot log, TreeSnapshot tree, String refusal) {}

  /** Opens the disk for a new incarnation (or after a storage failure) and recovers. */
  Recovered open(Owner newOwner) {
    generation++;
    owner = newOwner;
    queue.clear();
    forming = new ArrayList<>();
    inFlight = null;
    inFlightItem = null;
    inFlightOrphaned = false;
    whenIdle.clear();
    snapshotSaving = false;
    snapshotWaiting.clear();
    live = new TxnLogState();
    for (Rec r : durable) {
      live.apply(r.event(), r.seq());
    }
    Snap newest = snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1);
    TreeSnapshot tree = newest == null ? null : newest.tree();
    long treeZxid = tree == null ? 0 : tree.zxid();
    TxnLog.Snapshot recovered = live.copy();
    RecoveryCheck.Problem problem = RecoveryCheck.check(recovered, treeZxid);
    return new Recovered(recovered, tree, problem == null ? null : problem.detail());
  }

  /** The process died: only durable bytes remain (an unsynced record may or may not). */
  void crash() {
    generation++;
    owner = null;
    if (inFlight != null && random.nextBoolean()) {
      // Written but not fsynced, and it happened to reach the platter whole.
      durable.addAll(inFlight);
    }
    inFlight = null;
  }

  /**
   * The role that asked for the queued records ended: like its batcher, they are gone; a record
   * already handed to the log is still written, but nobody hears of it.
   */
  void roleEnded() {
    forming = new ArrayList<>();
    queue.removeIf(item -> !(item instanceof PurgeItem));
    if (inFlight != null && !(inFlightItem instanceof PurgeItem)) {
      inFlightOrphaned = true;
    }
  }

  /** Runs {@code r} once the record being written (if any) is durable, as GetState would. */
  void whenIdle(Runnable r) {
    if (inFlight == null) {
      r.run();
    } else {
      whenIdle.addLast(r);
    }
  }

  TxnLog.Snapshot logState() {
    return live.copy();
  }

  void slowFor(long nanos) {
    slowUntil = sched.now() + nanos;
  }

  void failNextWrite() {
    failNext = true;
  }

  void fullFor(long nanos) {
    failUntil = sched.now() + nanos;
  }

  /** A probe write, as the server makes after a storage failure: false while writes fail. */
  boolean writable() {
    if (failNext) {
      failNext = false;
      return false;
    }
    return sched.now() >= failUntil;
  }

  private long latency() {
    long base = 200_000 + random.nextLong(1_800_000);
    return sched.now() < slowUntil ? base * 40 : base;
  }

  // ---- the transaction log ----

  void persist(LogOp op) {
    if (op instanceof LogOp.Append a) {
      forming.addAll(a.entries());
    } else {
      seal();
      queue.addLast(op);
    }
    pump();
  }

  private void seal() {
    if (!forming.isEmpty()) {
      queue.addLast(forming);
      forming = new ArrayList<>();
    }
  }

  @SuppressWarnings("unchecked")
  private void pump() {
    if (inFlight != null || owner == null) {
      return;
    }
    if (queue.isEmpty()) {
      seal();
    }
    Object next = queue.pollFirst();
    if (next == null) {
      return;
    }
    List<TxnLog.Event> events;
    TxnLog.Event event = null;
    if (next instanceof List<?> batch) {
      event = new TxnLog.Batch(List.copyOf((List<TxnEntry>) batch));
    } else if (next instanceof LogOp.AcceptEpoch a) {
      event = new TxnLog.EpochAccepted(a.epoch());
    } else if (next instanceof LogOp.SetCurrentEpoch c) {
      event = new TxnLog.EpochCurrent(c.epoch());
    } else if (next instanceof LogOp.Truncate t) {
      event = new TxnLog.Truncated(t.zxid());
    } else if (next instanceof LogOp.Restore r) {
      event = new TxnLog.Restored(r.zxid());
    }
    events = next instanceof PurgeItem p ? p.events() : List.of(event);
    inFlight = new ArrayList<>();
    for (TxnLog.Event e : events) {
      inFlight.add(new Rec(nextSeq++, e));
    }
    inFlightItem = next;
    long gen = generation;
    sched.after(latency(), () -> {
      if (gen == generation) {
        completeWrite();
      }
    });
  }

  private void completeWrite() {
    List<Rec> recs = inFlight;
    Object item = inFlightItem;
    boolean orphaned = inFlightOrphaned;
    inFlight = null;
    inFlightItem = null;
    inFlightOrphaned = false;
    if (failNext || sched.now() < failUntil) {
      failNext = false;
      Owner o = owner;
      owner = null;
      generation++;
      o.storageFailed("write of " + recs.get(0).event().getClass().getSimpleName() + " failed");
      return;
    }
    for (Rec rec : recs) {
      durable.add(rec);
      live.apply(rec.event(), rec.seq());
    }
    if (owner.crashesAfterFsync()) {
      return;
    }
    if (item instanceof List<?>) {
      if (!orphaned) {
        owner.logged(live.lastZxid());
      }
    } else if (item instanceof LogOp op) {
      if (!orphaned) {
        owner.persisted(op);
      }
    } else {
      long upTo = ((PurgeItem) item).upTo();
      live.forgetBatchesUpTo(upTo);
      durable.removeIf(r -> r.seq() <= upTo);
    }
    while (!whenIdle.isEmpty()) {
      whenIdle.pollFirst().run();
    }
    pump();
  }

  // ---- tree snapshots ----

  /** Saves a tree; {@code reply} (may be null) hears when it is durable. */
  void saveSnapshot(TreeSnapshot tree, Consumer<String> reply) {
    if (snapshotSaving) {
      if (reply != null) {
        snapshotWaiting.addLast(new Object[] {tree, reply});
      }
      return;
    }
    Snap newest = snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1);
    if (newest != null && tree.zxid() <= newest.tree().zxid()) {
      if (reply != null) {
        reply.accept(null);
      }
      nextSnapshot();
      return;
    }
    snapshotSaving = true;
    long gen = generation;
    sched.after(latency() * 3, () -> {
      if (gen != generation) {
        return;
      }
      snapshotSaving = false;
      List<Long> kept = new ArrayList<>(newest == null ? List.of() : newest.kept());
      kept.add(tree.zxid());
      while (kept.size() > keep) {
        kept.remove(0);
      }
      snapshots.add(new Snap(tree, kept));
      while (snapshots.size() > keep) {
        snapshots.remove(0);
      }
      if (reply != null) {
        reply.accept(null);
      }
      purge(tree.zxid(), kept.get(0));
      nextSnapshot();
    });
  }

  @SuppressWarnings("unchecked")
  private void nextSnapshot() {
    Object[] w = snapshotWaiting.pollFirst();
    if (w != null) {
      saveSnapshot((TreeSnapshot) w[0], (Consumer<String>) w[1]);
    }
  }

  private void purge(long newestZxid, long oldestKeptZxid) {
    live.trimMemory(newestZxid);
    long[] point = live.purgePoint(oldestKeptZxid);
    if (point != null) {
      seal();
      queue.addLast(new PurgeItem(List.of(live.checkpoint(), new TxnLog.Purged(point[1])),
          point[0]));
      pump();
    }
  }

  /** A fresh tree for a disk without snapshots. */
  static TreeSnapshot emptyTree() {
    return new DataTree().snapshot();
  }
}
