package dev.paddock.tree;

/**
 * Where node changes land. The committed tree and the leader's view of changes still in flight
 * both implement it, so both run the one implementation of each change in {@link NodeChanges}.
 */
public interface NodeStore {
  /** The node at {@code path}, or null. */
  DataNode get(String path);

  void put(String path, DataNode node);

  /**
   * A node new at {@code path}, whose parent now lists it by {@code key} ({@link PathKey#of} of
   * the path): a store keyed by such keys holds the parent's instance rather than a second one.
   */
  default void putNew(String path, byte[] key, DataNode node) {
    put(path, node);
  }

  void remove(String path);
}
