package dev.paddock.zab;

import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.TxnEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the leader sends to one learner, in order: sync packets, proposals, commits, sync
 * answers and pings. Consecutive proposals travel as one message and consecutive commits as the
 * newest one; at most a window of proposal batches is unacknowledged, the rest waits here, so a
 * slow learner only ever delays itself. For an observer, proposals wait here until committed and
 * then go out as one inform. Pure: the owner carries out what {@link #offer} returns.
 */
public final class LearnerQueue {

  /** What the leader queues for the learner. */
  public sealed interface Item {}

  /** Any packet, sent after everything queued before it. */
  public record Raw(Packet packet) implements Item {}

  public record Propose(TxnEntry entry) implements Item {}

  public record CommitUpTo(long zxid) implements Item {}

  /** The tree for a SNAP: serialized by the owner, then handed back to {@link #serialized}. */
  public record SendSnapshot(TreeSnapshot tree) implements Item {}

  /** The learner acknowledged everything up to {@code zxid}: frees window slots. */
  public record Acked(long zxid) implements Item {}

  /** What the owner does next. */
  public sealed interface Out {}

  public record Transmit(Packet packet) implements Out {}

  /** Serialize this tree and call {@link #serialized}; nothing else goes out meanwhile. */
  public record Serialize(TreeSnapshot tree) implements Out {}

  /** Largest number of bytes of txns in one proposals message. */
  static final long BATCH_BYTES = 1 << 20;
  /** Unacknowledged proposal messages allowed in flight. */
  static final int WINDOW = 64;
  static final int CHUNK = 512 * 1024;

  private final long connection;
  private final boolean observer;
  private final int chunkBytes;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private final ArrayDeque<Long> inFlight = new ArrayDeque<>();
  private final ArrayDeque<TxnEntry> uncommittedForObserver = new ArrayDeque<>();
  private boolean waitingForSnapshot;

  public LearnerQueue(long connection, boolean observer) {
    this(connection, observer, CHUNK);
  }

  public LearnerQueue(long connection, boolean observer, int chunkBytes) {
    this.connection = connection;
    this.observer = observer;
    this.chunkBytes = chunkBytes;
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
    }
    return flush();
  }

  /** The snapshot asked for by {@link Serialize}, as bytes: sent as chunks, then the rest. */
  public List<Out> serialized(byte[] bytes) {
    waitingForSnapshot = false;
    List<Out> out = new ArrayList<>();
    int chunks = Math.max(1, (bytes.length + chunkBytes - 1) / chunkBytes);
    for (int i = 0; i < chunks; i++) {
      byte[] part = Arrays.copyOfRange(bytes, i * chunkBytes,
          Math.min(bytes.length, (i + 1) * chunkBytes));
      out.add(new Transmit(new Packet.SnapChunk(connection, i, part, i == chunks - 1)));
    }
    out.addAll(flush());
    return out;
  }

  private List<Out> flush() {
    List<Out> out = new ArrayList<>();
    while (!waitingForSnapshot && !queue.isEmpty()) {
      Object head = queue.peekFirst();
      if (head instanceof TxnEntry) {
        if (inFlight.size() >= WINDOW) {
          break;
        }
        List<TxnEntry> batch = new ArrayList<>();
        long bytes = 0;
        while (queue.peekFirst() instanceof TxnEntry e
            && (batch.isEmpty() || bytes + Sizes.of(e) <= BATCH_BYTES)) {
          queue.pollFirst();
          batch.add(e);
          bytes += Sizes.of(e);
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
        waitingForSnapshot = true;
        out.add(new Serialize(s.tree()));
      } else {
        out.add(new Transmit((Packet) queue.pollFirst()));
      }
    }
    return out;
  }
}
