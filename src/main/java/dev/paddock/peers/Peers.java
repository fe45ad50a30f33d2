package dev.paddock.peers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The one seam all traffic between servers passes through. Peers are addressed by server id; the
 * gateway numbers the messages of each link so the receiver can tell when the transport lost
 * some (a dropped connection, a restarted peer) and report a reset instead of delivering a
 * stream with a hole — Zab relies on FIFO channels. Tests cut and heal links here, which makes
 * partitions deterministic inside one JVM.
 */
public final class Peers extends AbstractBehavior<Peers.Command> {
  /** The gateway's name under the guardian; remote gateways are found at this path. */
  public static final String NAME = "peers";

  public sealed interface Command {}

  public record Send(int to, PeerMessage message) implements Command {}

  /**
   * What a remote gateway hands to this one. {@code sender} is that gateway: its address must be
   * the configured one of server {@code from}, or the envelope is dropped.
   */
  public record Envelope(int from, long incarnation, long seq, ActorRef<Command> sender,
      PeerMessage message) implements Command {}

  /** Where inbound messages go (the quorum peer). */
  public record SetInbox(ActorRef<Inbound> inbox) implements Command {}

  /** Test seam: drop everything to and from {@code peer} until healed. */
  public record Cut(int peer) implements Command {}

  public record Heal(int peer) implements Command {}

  /** An inbound message, or a reset of the link when FIFO delivery was broken. */
  public sealed interface Inbound {}

  public record Delivered(int from, PeerMessage message) implements Inbound {}

  /** Messages from {@code from} may have been lost; whatever relies on FIFO must start over. */
  public record LinkReset(int from) implements Inbound {}

  private final int myId;
  private final long incarnation = ThreadLocalRandom.current().nextLong();
  private final Map<Integer, ActorRef<Command>> remotes = new HashMap<>();
  private final LinkSequencer links = new LinkSequencer();
  private final Set<Integer> cut = new HashSet<>();
  private final Origins origins;
  private ActorRef<Inbound> inbox;

  /**
   * @param addresses server id to its "host:port" for every other server
   */
  public static Behavior<Command> create(int myId, Map<Integer, String> addresses,
      String systemName) {
    return Behaviors.setup(ctx -> new Peers(ctx, myId, addresses, systemName));
  }

  private Peers(ActorContext<Command> ctx, int myId, Map<Integer, String> addresses,
      String systemName) {
    super(ctx);
    this.myId = myId;
    this.origins = new Origins(myId, addresses);
    ActorRefResolver resolver = ActorRefResolver.get(ctx.getSystem());
    for (Map.Entry<Integer, String> e : addresses.entrySet()) {
      if (e.getKey() != myId) {
        remotes.put(e.getKey(), resolver.resolveActorRef(
            "pekko://" + systemName + "@" + e.getValue() + "/user/" + NAME));
      }
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Send.class, this::onSend)
        .onMessage(Envelope.class, this::onEnvelope)
        .onMessage(SetInbox.class, s -> {
          inbox = s.inbox();
          return this;
        })
        .onMessage(Cut.class, c -> {
          cut.add(c.peer());
          return this;
        })
        .onMessage(Heal.class, h -> {
          cut.remove(h.peer());
          return this;
        })
        .build();
  }

  private Behavior<Command> onSend(Send s) {
    ActorRef<Command> remote = remotes.get(s.to());
    if (remote == null) {
      getContext().getLog().warn("no peer with id {}", s.to());
      return this;
    }
    long seq = links.nextSeq(s.to());
    if (!cut.contains(s.to())) {
      remote.tell(new Envelope(myId, incarnation, seq, getContext().getSelf(), s.message()));
    }
    return this;
  }

  private Behavior<Command> onEnvelope(Envelope e) {
    String origin = origins.mismatch(e.from(), e.sender().path().address());
    if (origin != null) {
      if (origins.firstFrom(origin)) {
        getContext().getLog().warn("dropping peer messages from {} that claim to come from "
            + "server {} at {} (logged once per origin)", origin, e.from(),
            origins.configured(e.from()));
      }
      return this;
    }
    if (cut.contains(e.from())) {
      links.ignored(e.from(), e.incarnation());
      return this;
    }
    if (inbox == null) {
      return this;
    }
    if (links.arrivedNeedsReset(e.from(), e.incarnation(), e.seq())) {
      inbox.tell(new LinkReset(e.from()));
    }
    inbox.tell(new Delivered(e.from(), e.message()));
    return this;
  }
}
