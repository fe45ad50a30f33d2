package dev.paddock.request;

/**
 * What a session hands to whoever decides writes on this server: the leader itself, or a learner
 * that forwards to the leader. The role actor adapts these into its own protocol.
 */
public sealed interface WritePath {
  record SubmitWrite(WriteRequest request) implements WritePath {}

  /** Answered through the commit stream after every write the leader committed before it. */
  record SubmitSync(long sessionId, int cxid) implements WritePath {}

  /**
   * A client re-attaches a session here: the leader says whether it is alive (a learner's own
   * tree may not have caught up with its creation) and takes this server as its owner.
   */
  record Revalidate(long sessionId, long token) implements WritePath {}
}
