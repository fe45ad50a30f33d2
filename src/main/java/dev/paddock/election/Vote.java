package dev.paddock.election;

/** A vote for {@code leaderId}, whose history ends at {@code zxid} in epoch {@code peerEpoch}. */
public record Vote(int leaderId, long zxid, long peerEpoch) {}
