package dev.paddock.zab;

import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.TxnSize;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the leader sends to one learner, in order: sync packets, proposals, commits, sync
 * answers and pings. Consecutive proposals travel as one message and consecutive commits as the
 * newest one; at most a window of proposal batches is unacknowledged, the rest waits here, so a
 * slow learner only ever delays itself. For an observer, proposals wait here until committed and
 * then go out as one inform. A SNAP goes out in chunks the owner encodes as asked, at most a
 * window of them unacknowledged. Pure: the owner carries out what {@link #offer} returns.
 */
public final class LearnerQueue {

  /** What the leader queues for the learner. */
  public sealed interface Item {}

  /** Any packet, sent after everything queued before it. */
  public record Raw(Packet packet) implements Item {}

  public record Propose(TxnEntry entry) implements Item {}

  public record CommitUpTo(long zxid) implements Item {}

  /** The tree for a SNAP: the owner encodes it a part at a time, as {@link NextChunks} asks. */
  public record SendSnapshot(TreeSnapshot tree) implements Item {}

  /** The learner received SNAP chunks up to {@code index}: the window moves on. */
  public record SnapAcked(int index) implements Item {}

  /** The learner acknowledged everything up to {@code zxid}: frees window slots. */
  public record Acked(long zxid) implements Item {}

  /** What the owner does next. */
  public sealed interface Out {}

  public record Transmit(Packet packet) implements Out {}

  /** Start encoding this tree for a SNAP; nothing else goes out until its last chunk. */
  public record OpenSnapshot(TreeSnapshot tree) implements Out {}

  /** Encode up to {@code count} more chunks and hand them to {@link #chunks}. */
  public record NextChunks(int count) implements Out {}

  /** Largest number of bytes of txns in one proposals message. */
  static final long BATCH_BYTES = 1 << 20;
  /** Unacknowledged proposal messages allowed in flight. */
  static final int WINDOW = 64;
  static final int CHUNK = 512 * 1024;
  /** SNAP chunks sent but not yet acknowledged by the learner. */
  static final int SNAP_WINDOW = 4;

  private final long connection;
  private final boolean observer;
  private final int snapWindow;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private final ArrayDeque<Long> inFlight = new ArrayDeque<>();
  private final ArrayDeque<TxnEntry> uncommittedForObserver = new ArrayDeque<>();
  private boolean snapshotting;
  private boolean chunksAsked;
  private int nextChunk;
  private int ackedChunk;

  public LearnerQueue(long connection, boolean observer) {
    this(connection, observer, SNAP_WINDOW);
  }

  public LearnerQueue(long connection, boolean observer, int snapWindow) {
    this.connection = connection;
    this.observer = observer;
    this.snapWindow = Math.max(1, snapWindow);
  }

  public List<Out> offer(Item item) {
    if (item instanceof Raw r) {
      queue.addLast(r.packet());
    } else if (item instanceof Propose p) {
      if (observer) {
        uncommittedForObserver.addLast(p.entry());
      } else {
        queue.addLast(p.entry());
      }
    } else if (item instanceof CommitUpTo c) {
      if (observer) {
        while (!uncommittedForObserver.isEmpty()
            && uncommittedForObserver.peekFirst().zxid() <= c.zxid()) {
          queue.addLast(uncommittedForObserver.pollFirst());
        }
      }
      queue.addLast(new Packet.Commit(connection, c.zxid()));
    } else if (item instanceof SendSnapshot s) {
      queue.addLast(s);
    } else if (item instanceof Acked a) {
      while (!inFlight.isEmpty() && inFlight.peekFirst() <= a.zxid()) {
        inFlight.pollFirst();
      }
    } else if (item instanceof SnapAcked a) {
      ackedChunk = Math.max(ackedChunk, a.index());
      if (snapshotting) {
        List<Out> out = new ArrayList<>();
        askChunks(out);
        return out;
      }
    }
    return flush();
  }

  /**
   * Chunks asked for by {@link NextChunks}, in order; {@code finished} when the last of the
   * tree is among them. They go out as SNAP chunks, then, once finished, what waited behind.
   */
  public List<Out> chunks(List<byte[]> parts, boolean finished) {
    chunksAsked = false;
    List<Out> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      out.add(new Transmit(new Packet.SnapChunk(connection, nextChunk++, parts.get(i),
          finished && i == parts.size() - 1)));
    }
    if (finished) {
      snapshotting = false;
      out.addAll(flush());
    } else {
      askChunks(out);
    }
    return out;
  }

  /** Keeps at most the window of chunks unacknowledged: the learner paces the leader. */
  private void askChunks(List<Out> out) {
    int unacked = nextChunk - (ackedChunk + 1);
    if (!chunksAsked && unacked < snapWindow) {
      chunksAsked = true;
      out.add(new NextChunks(snapWindow - unacked));
    }
  }

  private List<Out> flush() {
    List<Out> out = new ArrayList<>();
    while (!snapshotting && !queue.isEmpty()) {
      Object head = queue.peekFirst();
      if (head instanceof TxnEntry) {
        if (inFlight.size() >= WINDOW) {
          break;
        }
        List<TxnEntry> batch = new ArrayList<>();
        long bytes = 0;
        while (queue.peekFirst() instanceof TxnEntry e
            && (batch.isEmpty() || bytes + TxnSize.of(e) <= BATCH_BYTES)) {
          queue.pollFirst();
          batch.add(e);
          bytes += TxnSize.of(e);
        }
        inFlight.addLast(batch.get(batch.size() - 1).zxid());
        out.add(new Transmit(observer
            ? new Packet.Inform(connection, batch) : new Packet.Proposals(connection, batch)));
      } else if (head instanceof Packet.Commit) {
        Packet.Commit newest = (Packet.Commit) queue.pollFirst();
        while (queue.peekFirst() instanceof Packet.Commit next) {
          queue.pollFirst();
          newest = next;
        }
        if (!observer) {
          out.add(new Transmit(newest));
        }
      } else if (head instanceof SendSnapshot s) {
        queue.pollFirst();
        snapshotting = true;
        nextChunk = 0;
        ackedChunk = -1;
        out.add(new OpenSnapshot(s.tree()));
        askChunks(out);
      } else {
        out.add(new Transmit((Packet) queue.pollFirst()));
      }
    }
    return out;
  }
}
