package dev.paddock.zab;

import dev.paddock.peers.Peers;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeSnapshotCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The actor around one learner's {@link LearnerQueue}: it sends what the queue releases through
 * the peer gateway and serializes SNAP trees off the actor thread, so a slow learner or a large
 * tree only ever delays this learner's traffic, never the leader's.
 */
public final class ProposalQueue extends AbstractBehavior<ProposalQueue.Command> {

  public sealed interface Command {}

  public record Offer(LearnerQueue.Item item) implements Command {}

  private record SnapshotReady(byte[] bytes, Throwable failure) implements Command {}

  private final int learnerId;
  private final ActorRef<Peers.Command> peers;
  private final LearnerQueue queue;

  public static Behavior<Command> create(int learnerId, long connection, boolean observer,
      ActorRef<Peers.Command> peers) {
    return Behaviors.setup(ctx -> new ProposalQueue(ctx, learnerId,
        new LearnerQueue(connection, observer), peers));
  }

  private ProposalQueue(ActorContext<Command> ctx, int learnerId, LearnerQueue queue,
      ActorRef<Peers.Command> peers) {
    super(ctx);
    this.learnerId = learnerId;
    this.queue = queue;
    this.peers = peers;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Offer.class, o -> carryOut(queue.offer(o.item())))
        .onMessage(SnapshotReady.class, r -> {
          if (r.failure() != null) {
            throw new IllegalStateException("cannot serialize the tree for learner " + learnerId,
                r.failure());
          }
          return carryOut(queue.serialized(r.bytes()));
        })
        .build();
  }

  private Behavior<Command> carryOut(List<LearnerQueue.Out> outs) {
    for (LearnerQueue.Out o : outs) {
      if (o instanceof LearnerQueue.Transmit t) {
        peers.tell(new Peers.Send(learnerId, t.packet()));
      } else if (o instanceof LearnerQueue.Serialize s) {
        serialize(s.tree());
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
