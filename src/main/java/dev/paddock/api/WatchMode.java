package dev.paddock.api;

/** Modes of addWatch, with ZooKeeper's wire values. */
public enum WatchMode {
  PERSISTENT(0),
  PERSISTENT_RECURSIVE(1);

  private final int value;

  WatchMode(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static WatchMode of(int value) {
    for (WatchMode m : values()) {
      if (m.value == value) {
        return m;
      }
    }
    return null;
  }
}
