package dev.paddock.zab;

import dev.paddock.peers.Peers;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeSnapshotCodec;
import dev.paddock.txn.TxnEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Everything the leader sends to one learner, in order: sync packets, proposals, commits, sync
 * answers and pings. Consecutive proposals travel as one message and consecutive commits as the
 * newest one; at most a window of proposal batches is unacknowledged, the rest waits here, so a
 * slow learner only ever delays itself. For an observer, proposals wait here until committed and
 * then go out as one inform.
 */
public final class ProposalQueue extends AbstractBehavior<ProposalQueue.Command> {

  public sealed interface Command {}

  /** Any packet, sent after everything queued before it. */
  public record Enqueue(Packet packet) implements Command {}

  public record Propose(TxnEntry entry) implements Command {}

  public record CommitUpTo(long zxid) implements Command {}

  /** Serialize this tree (off the actor thread) and send it as SNAP chunks, in order. */
  public record SendSnapshot(TreeSnapshot tree) implements Command {}

  /** The learner acknowledged everything up to {@code zxid}: frees window slots. */
  public record Acked(long zxid) implements Command {}

  private record SnapshotReady(byte[] bytes, Throwable failure) implements Command {}

  /** Largest number of bytes of txns in one proposals message. */
  static final long BATCH_BYTES = 1 << 20;
  /** Unacknowledged proposal messages allowed in flight. */
  static final int WINDOW = 64;
  static final int CHUNK = 512 * 1024;

  private final int learnerId;
  private final long connection;
  private final boolean observer;
  private final ActorRef<Peers.Command> peers;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private final ArrayDeque<Long> inFlight = new ArrayDeque<>();
  private final List<TxnEntry> uncommittedForObserver = new ArrayList<>();
  private boolean waitingForSnapshot;

  public static Behavior<Command> create(int learnerId, long connection, boolean observer,
      ActorRef<Peers.Command> peers) {
    return Behaviors.setup(ctx -> new ProposalQueue(ctx, learnerId, connection, observer, peers));
  }

  private ProposalQueue(ActorContext<Command> ctx, int learnerId, long connection,
      boolean observer, ActorRef<Peers.Command> peers) {
    super(ctx);
    this.learnerId = learnerId;
    this.connection = connection;
    this.observer = observer;
    this.peers = peers;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Enqueue.class, e -> {
          queue.addLast(e.packet());
          return flush();
        })
        .onMessage(Propose.class, p -> {
          if (observer) {
            uncommittedForObserver.add(p.entry());
          } else {
            queue.addLast(p.entry());
          }
          return flush();
        })
        .onMessage(CommitUpTo.class, c -> {
          if (observer) {
            List<TxnEntry> ready = new ArrayList<>();
            while (!uncommittedForObserver.isEmpty()
                && uncommittedForObserver.get(0).zxid() <= c.zxid()) {
              ready.add(uncommittedForObserver.remove(0));
            }
            ready.forEach(queue::addLast);
          }
          queue.addLast(new Packet.Commit(connection, c.zxid()));
          return flush();
        })
        .onMessage(SendSnapshot.class, this::onSendSnapshot)
        .onMessage(SnapshotReady.class, this::onSnapshotReady)
        .onMessage(Acked.class, a -> {
          while (!inFlight.isEmpty() && inFlight.peekFirst() <= a.zxid()) {
            inFlight.pollFirst();
          }
          return flush();
        })
        .build();
  }

  private Behavior<Command> onSendSnapshot(SendSnapshot s) {
    queue.addLast(s);
    return flush();
  }

  private Behavior<Command> onSnapshotReady(SnapshotReady r) {
    waitingForSnapshot = false;
    if (r.failure() != null) {
      throw new IllegalStateException("cannot serialize the tree for learner " + learnerId,
          r.failure());
    }
    byte[] bytes = r.bytes();
    int chunks = Math.max(1, (bytes.length + CHUNK - 1) / CHUNK);
    for (int i = 0; i < chunks; i++) {
      byte[] part = Arrays.copyOfRange(bytes, i * CHUNK, Math.min(bytes.length, (i + 1) * CHUNK));
      peers.tell(new Peers.Send(learnerId, new Packet.SnapChunk(connection, i, part,
          i == chunks - 1)));
    }
    return flush();
  }

  private Behavior<Command> flush() {
    while (!waitingForSnapshot && !queue.isEmpty()) {
      Object head = queue.peekFirst();
      if (head instanceof TxnEntry) {
        if (inFlight.size() >= WINDOW) {
          return this;
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
        peers.tell(new Peers.Send(learnerId, observer
            ? new Packet.Inform(connection, batch) : new Packet.Proposals(connection, batch)));
      } else if (head instanceof Packet.Commit) {
        Packet.Commit newest = (Packet.Commit) queue.pollFirst();
        while (queue.peekFirst() instanceof Packet.Commit next) {
          queue.pollFirst();
          newest = next;
        }
        if (!observer) {
          peers.tell(new Peers.Send(learnerId, newest));
        }
      } else if (head instanceof SendSnapshot s) {
        queue.pollFirst();
        waitingForSnapshot = true;
        serialize(s.tree());
      } else {
        peers.tell(new Peers.Send(learnerId, (Packet) queue.pollFirst()));
      }
    }
    return this;
  }

  private void serialize(TreeSnapshot tree) {
    var executor = getContext().getSystem().dispatchers()
        .lookup(DispatcherSelector.blocking());
    CompletableFuture<byte[]> bytes = CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(buffer)) {
        TreeSnapshotCodec.write(tree, out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return buffer.toByteArray();
    }, executor);
    getContext().pipeToSelf(bytes, SnapshotReady::new);
  }
}
