package dev.paddock.peers;

/**
 * A message between the servers of an ensemble (election notifications and Zab packets). Every
 * one travels through the {@link Peers} gateway of each side and is serialized by
 * {@link PeerSerializer}.
 */
public interface PeerMessage {}
