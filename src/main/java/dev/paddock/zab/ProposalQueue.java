package dev.paddock.zab;

import dev.paddock.peers.PeerSender;
import dev.paddock.tree.TreeSnapshotEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The actor around one learner's {@link LearnerQueue}: it sends what the queue releases to the
 * learner and encodes SNAP chunks off the actor thread, a few at a time as the learner
 * acknowledges them, so neither side ever holds a tree's whole encoding and a slow learner or a
 * large tree only ever delays this learner's traffic.
 */
public final class ProposalQueue extends AbstractBehavior<ProposalQueue.Command> {

  public sealed interface Command {}

  public record Offer(LearnerQueue.Item item) implements Command {}

  private record ChunksReady(List<byte[]> parts, boolean finished, Throwable failure)
      implements Command {}

  private static final long PROGRESS_EVERY = 64L << 20;

  private final int learnerId;
  private final PeerSender peers;
  private final LearnerQueue queue;
  private final int chunkBytes;
  private TreeSnapshotEncoder encoder;
  private long estimate;
  private long reported;

  public static Behavior<Command> create(int learnerId, long connection, boolean observer,
      PeerSender peers, SnapPacing pacing) {
    return Behaviors.setup(ctx -> new ProposalQueue(ctx, learnerId,
        new LearnerQueue(connection, observer, pacing.window()), peers, pacing.chunkBytes()));
  }

  private ProposalQueue(ActorContext<Command> ctx, int learnerId, LearnerQueue queue,
      PeerSender peers, int chunkBytes) {
    super(ctx);
    this.learnerId = learnerId;
    this.queue = queue;
    this.peers = peers;
    this.chunkBytes = chunkBytes;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Offer.class, o -> carryOut(queue.offer(o.item())))
        .onMessage(ChunksReady.class, r -> {
          if (r.failure() != null) {
            throw new IllegalStateException("cannot encode the tree for learner " + learnerId,
                r.failure());
          }
          progress(r.finished());
          return carryOut(queue.chunks(r.parts(), r.finished()));
        })
        .build();
  }

  private Behavior<Command> carryOut(List<LearnerQueue.Out> outs) {
    for (LearnerQueue.Out o : outs) {
      if (o instanceof LearnerQueue.Transmit t) {
        peers.send(learnerId, t.packet());
      } else if (o instanceof LearnerQueue.OpenSnapshot s) {
        encoder = new TreeSnapshotEncoder(s.tree());
        estimate = s.tree().approximateDataSize() + 64L * s.tree().nodeCount();
        reported = 0;
        getContext().getLog().info("SNAP to {}: {} nodes, about {} to send", learnerId,
            s.tree().nodeCount(), size(estimate));
      } else if (o instanceof LearnerQueue.NextChunks n) {
        encode(n.count());
      }
    }
    return this;
  }

  /** Encodes on the blocking dispatcher; only one request is out at a time. */
  private void encode(int count) {
    TreeSnapshotEncoder e = encoder;
    var executor = getContext().getSystem().dispatchers()
        .lookup(DispatcherSelector.blocking());
    CompletableFuture<List<byte[]>> parts = CompletableFuture.supplyAsync(() -> {
      List<byte[]> out = new ArrayList<>(count);
      for (int i = 0; i < count && e.hasMore(); i++) {
        out.add(e.next(chunkBytes));
      }
      return out;
    }, executor);
    getContext().pipeToSelf(parts, (p, failure) ->
        new ChunksReady(p, failure == null && !e.hasMore(), failure));
  }

  private void progress(boolean finished) {
    long sent = encoder.produced();
    if (finished || sent - reported >= PROGRESS_EVERY) {
      reported = sent;
      getContext().getLog().info("SNAP to {}: {} of about {}{}", learnerId, size(sent),
          size(Math.max(estimate, sent)), finished ? ", all sent" : "");
    }
  }

  static String size(long bytes) {
    return bytes >= 1L << 30 ? String.format("%.1f GiB", bytes / (double) (1L << 30))
        : bytes >= 1L << 20 ? String.format("%.1f MiB", bytes / (double) (1L << 20))
        : String.format("%.1f KiB", bytes / 1024.0);
  }
}
