package dev.paddock.api;

/** Watch event types with ZooKeeper's wire values. */
public enum EventType {
  NONE(-1),
  NODE_CREATED(1),
  NODE_DELETED(2),
  NODE_DATA_CHANGED(3),
  NODE_CHILDREN_CHANGED(4),
  DATA_WATCH_REMOVED(5),
  CHILD_WATCH_REMOVED(6),
  PERSISTENT_WATCH_REMOVED(7);

  private final int value;

  EventType(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static EventType of(int value) {
    for (EventType t : values()) {
      if (t.value == value) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown event type " + value);
  }
}
