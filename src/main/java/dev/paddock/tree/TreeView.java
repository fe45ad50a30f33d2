package dev.paddock.tree;

/**
 * The newest committed tree of this server, published by the tree actor after each batch of
 * applies. Snapshots are immutable, so any thread may read the latest one (the leader prepares
 * requests against it) without a round trip to the tree actor.
 */
public final class TreeView {
  private volatile TreeSnapshot latest;

  public TreeView(TreeSnapshot initial) {
    this.latest = initial;
  }

  public TreeSnapshot latest() {
    return latest;
  }

  /** For the tree actor, which lives above this package; nothing else publishes. */
  public void publish(TreeSnapshot s) {
    latest = s;
  }
}
