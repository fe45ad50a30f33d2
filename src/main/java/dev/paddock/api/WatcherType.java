package dev.paddock.api;

/** Which watches removeWatches / checkWatches address, with ZooKeeper's wire values. */
public enum WatcherType {
  CHILDREN(1),
  DATA(2),
  ANY(3),
  PERSISTENT(4),
  PERSISTENT_RECURSIVE(5);

  private final int value;

  WatcherType(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static WatcherType of(int value) {
    for (WatcherType t : values()) {
      if (t.value == value) {
        return t;
      }
    }
    return null;
  }
}
