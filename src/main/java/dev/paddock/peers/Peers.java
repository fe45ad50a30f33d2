package dev.paddock.peers;

import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
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
 * partitions deterministic inside one JVM. Senders on the hot path use {@link PeerLinks}
 * directly, and inbound Zab packets go from here straight to the role its route names.
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

  /** Where inbound messages go that no route takes (the quorum peer). */
  public record SetInbox(ActorRef<Inbound> inbox) implements Command {}

  /** Test seam: drop everything to and from {@code peer} until healed. */
  public record Cut(int peer) implements Command {}

  public record Heal(int peer) implements Command {}

  /** An inbound message, or a reset of the link when FIFO delivery was broken. */
  public sealed interface Inbound {}

  public record Delivered(int from, PeerMessage message) implements Inbound {}

  /** Messages from {@code from} may have been lost; whatever relies on FIFO must start over. */
  public record LinkReset(int from) implements Inbound {}

  private final PeerLinks links;
  private final LinkSequencer received = new LinkSequencer();
  private final Origins origins;
  private ActorRef<Inbound> inbox;

  /**
   * @param addresses server id to its "host:port" for every other server
   */
  public static Behavior<Command> create(int myId, Map<Integer, String> addresses,
      String systemName) {
    return Behaviors.setup(ctx -> new Peers(ctx,
        new PeerLinks(ctx.getSystem(), myId, addresses, systemName), addresses));
  }

  /**
   * A gateway over links its spawner holds; the spawner names the gateway to the links as soon
   * as it has the reference, since this setup may run after the first send.
   */
  public static Behavior<Command> create(PeerLinks links, Map<Integer, String> addresses) {
    return Behaviors.setup(ctx -> new Peers(ctx, links, addresses));
  }

  /** Names {@code gateway} as the sender of what {@code links} sends. */
  public static void attach(PeerLinks links, ActorRef<Command> gateway) {
    links.gateway(gateway);
  }

  private Peers(ActorContext<Command> ctx, PeerLinks links, Map<Integer, String> addresses) {
    super(ctx);
    this.links = links;
    this.origins = new Origins(links.myId(), addresses);
    links.gateway(ctx.getSelf());
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
          links.cut(c.peer());
          return this;
        })
        .onMessage(Heal.class, h -> {
          links.heal(h.peer());
          return this;
        })
        .build();
  }

  private Behavior<Command> onSend(Send s) {
    try {
      links.send(s.to(), s.message());
    } catch (IllegalArgumentException e) {
      getContext().getLog().warn(e.getMessage());
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
    if (links.isCut(e.from())) {
      received.ignored(e.from(), e.incarnation());
      return this;
    }
    if (inbox == null) {
      return this;
    }
    if (received.arrivedNeedsReset(e.from(), e.incarnation(), e.seq())) {
      deliver(new LinkReset(e.from()));
    }
    deliver(new Delivered(e.from(), e.message()));
    return this;
  }

  private void deliver(Inbound in) {
    PeerLinks.Route route = links.route();
    if (route == null || !route.offer(in)) {
      inbox.tell(in);
    }
  }
}
