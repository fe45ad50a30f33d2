package dev.paddock.peers;

/** Sends a message to another server of the ensemble, in order with what this sender sent. */
@FunctionalInterface
public interface PeerSender {
  void send(int to, PeerMessage message);
}
