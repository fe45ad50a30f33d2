package dev.paddock.peers;

/**
 * A message between the servers of an ensemble (election notifications and Zab packets). Every
 * one travels through the {@link Peers} gateway of each side and is serialized by
 * {@code codec.PeerSerializer}, which lives above the packages that define the messages, so this
 * one stays free of them.
 */
public interface PeerMessage {}
