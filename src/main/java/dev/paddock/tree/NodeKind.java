package dev.paddock.tree;

/**
 * The kind of a node, encoded in its ephemeralOwner field exactly as ZooKeeper encodes it so that
 * snapshots, txns and Stats mean the same thing in both systems: 0 persistent, a session id
 * ephemeral, {@link Long#MIN_VALUE} container, and 0xFF in the top byte for TTL nodes with the
 * TTL in milliseconds in the low 40 bits.
 */
public enum NodeKind {
  PERSISTENT,
  EPHEMERAL,
  CONTAINER,
  TTL;

  public static final long CONTAINER_OWNER = Long.MIN_VALUE;
  /** Largest TTL ZooKeeper accepts: 40 bits of milliseconds, about 34 years. */
  public static final long MAX_TTL = 0x000000ffffffffffL;

  private static final long EXTENDED_MASK = 0xff00000000000000L;
  private static final long RESERVED_MASK = 0x00ffff0000000000L;

  public static NodeKind of(long ephemeralOwner) {
    if ((ephemeralOwner & EXTENDED_MASK) == EXTENDED_MASK) {
      if ((ephemeralOwner & RESERVED_MASK) != 0) {
        throw new IllegalArgumentException(
            "invalid ephemeralOwner 0x" + Long.toHexString(ephemeralOwner));
      }
      return TTL;
    }
    if (ephemeralOwner == CONTAINER_OWNER) {
      return CONTAINER;
    }
    return ephemeralOwner == 0 ? PERSISTENT : EPHEMERAL;
  }

  public static boolean validTtl(long ttl) {
    return ttl > 0 && ttl <= MAX_TTL;
  }

  public static long ttlOwner(long ttl) {
    if (!validTtl(ttl)) {
      throw new IllegalArgumentException("ttl must be in (0, " + MAX_TTL + "]: " + ttl);
    }
    return EXTENDED_MASK | ttl;
  }

  public static long ttlOf(long ephemeralOwner) {
    return ephemeralOwner & MAX_TTL;
  }

  /** What a client sees: only real ephemerals show their owner; containers and TTLs show 0. */
  public static long clientOwner(long ephemeralOwner) {
    return of(ephemeralOwner) == EPHEMERAL ? ephemeralOwner : 0;
  }
}
