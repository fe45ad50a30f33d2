package dev.paddock.tree;

/**
 * Where node changes land. The committed tree and the leader's view of changes still in flight
 * both implement it, so both run the one implementation of each change in {@link NodeChanges}.
 */
public interface NodeStore {
  /** The node at {@code path}, or null. */
  DataNode get(String path);

  void put(String path, DataNode node);

  void remove(String path);
}
