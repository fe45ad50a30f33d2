package dev.paddock.peers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;

/**
 * Where each server's messages must come from: the configured "host:port" of its peer port. An
 * envelope names the server it comes from; the gateway believes that name only when the sending
 * gateway's address is that server's. Under mutual TLS nothing but the ensemble's servers can
 * connect, so this keeps one server from speaking for another; over plain TCP a sender reference
 * is whatever the remote system wrote, so there it stops mistakes and careless forgeries only.
 */
final class Origins {
  /** Origins already warned about; bounded so that a flood of forged origins costs no memory. */
  private static final int MAX_WARNED = 64;

  private final int myId;
  private final Map<Integer, String> addresses;
  private final String mine;
  private final Set<String> warned = new HashSet<>();

  Origins(int myId, Map<Integer, String> addresses) {
    this.myId = myId;
    this.addresses = new HashMap<>(addresses);
    this.mine = addresses.getOrDefault(myId, "local");
  }

  /**
   * Null when {@code sender} is the configured address of server {@code from}; otherwise the
   * sender's real origin, for the log.
   */
  String mismatch(int from, Address sender) {
    // A reference to this very system deserializes as a local one, without host and port.
    String origin = sender.getHost().isPresent() && sender.getPort().isPresent()
        ? sender.getHost().get() + ":" + sender.getPort().get()
        : mine;
    // No server sends to itself, so an envelope in this server's name is forged.
    return from != myId && origin.equals(addresses.get(from)) ? null : origin;
  }

  String configured(int server) {
    return addresses.getOrDefault(server, "no configured address");
  }

  /** True the first time an origin is dropped (and again after many other origins). */
  boolean firstFrom(String origin) {
    if (warned.size() >= MAX_WARNED) {
      warned.clear();
    }
    return warned.add(origin);
  }
}
