package dev.paddock.election;

import dev.paddock.peers.PeerMessage;

/**
 * An election message: the sender's current vote, the election round it belongs to, and the
 * sender's state (a server that already follows or leads answers a looking one with this).
 */
public record Notification(Vote vote, long electionEpoch, ServerState state)
    implements PeerMessage {}
