package dev.paddock.peers;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The links of one server to the others, usable from any thread. A role sends from its own
 * thread instead of through the {@link Peers} gateway's mailbox, and the gateway hands inbound
 * Zab packets straight to the current role: at one request in flight every hand-off between
 * threads is a wake-up that shows in the latency, and a write through a follower crosses four
 * links. The numbering per link stays one sequence whoever sends, so the receiver still tells a
 * lost message from an intact stream.
 */
public final class PeerLinks implements PeerSender {

  /** Takes what it is for (Zab packets and link resets of the current role); false otherwise. */
  @FunctionalInterface
  public interface Route {
    boolean offer(Peers.Inbound inbound);
  }

  private final int myId;
  private final long incarnation = ThreadLocalRandom.current().nextLong();
  private final Map<Integer, ActorRef<Peers.Command>> remotes = new HashMap<>();
  private final LinkSequencer sent = new LinkSequencer();
  private final Set<Integer> cut = ConcurrentHashMap.newKeySet();
  private volatile ActorRef<Peers.Command> gateway;
  private volatile Route route;

  /**
   * @param addresses server id to its "host:port" for every server; this one's is skipped
   */
  public PeerLinks(ActorSystem<?> system, int myId, Map<Integer, String> addresses,
      String systemName) {
    this.myId = myId;
    ActorRefResolver resolver = ActorRefResolver.get(system);
    for (Map.Entry<Integer, String> e : addresses.entrySet()) {
      if (e.getKey() != myId) {
        remotes.put(e.getKey(), resolver.resolveActorRef(
            "pekko://" + systemName + "@" + e.getValue() + "/user/" + Peers.NAME));
      }
    }
  }

  int myId() {
    return myId;
  }

  /** The gateway envelopes name as their sender: the receiver checks its address. */
  void gateway(ActorRef<Peers.Command> ref) {
    gateway = ref;
  }

  /**
   * Numbers and sends under one lock, so two threads sending to the same peer cannot put a later
   * number on the wire first (the receiver would report a reset that never happened).
   */
  @Override
  public void send(int to, PeerMessage message) {
    ActorRef<Peers.Command> remote = remotes.get(to);
    ActorRef<Peers.Command> from = gateway;
    if (remote == null) {
      throw new IllegalArgumentException("no peer with id " + to);
    }
    if (from == null) {
      throw new IllegalStateException("the peer gateway of server " + myId + " has not started");
    }
    synchronized (this) {
      long seq = sent.nextSeq(to);
      if (!cut.contains(to)) {
        remote.tell(new Peers.Envelope(myId, incarnation, seq, from, message));
      }
    }
  }

  /** From now on inbound packets go to {@code next}; null sends everything to the inbox. */
  public void route(Route next) {
    route = next;
  }

  /** Where inbound packets go now; null while no role takes them. */
  public Route route() {
    return route;
  }

  void cut(int peer) {
    cut.add(peer);
  }

  void heal(int peer) {
    cut.remove(peer);
  }

  boolean isCut(int peer) {
    return cut.contains(peer);
  }
}
