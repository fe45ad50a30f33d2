package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.zookeeper.server.EphemeralType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ephemeralOwner encoding of node kinds, which must be bit-for-bit ZooKeeper's. */
class NodeKindTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 1000, 60_000, 0x7f_ffff_ffffL, 0xff_ffff_ffffL})
  void ttlOwnerIsZooKeepersEncoding(long ttl) {
    long owner = NodeKind.ttlOwner(ttl);
    assertEquals(EphemeralType.TTL.toEphemeralOwner(ttl), owner);
    assertEquals(NodeKind.TTL, NodeKind.of(owner));
    assertEquals(ttl, NodeKind.ttlOf(owner));
    assertEquals(0, NodeKind.clientOwner(owner));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, 0x100_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE})
  void ttlsOutsideZooKeepersRangeAreRejected(long ttl) {
    assertFalse(NodeKind.validTtl(ttl));
    assertThrows(IllegalArgumentException.class, () -> NodeKind.ttlOwner(ttl));
    assertThrows(IllegalArgumentException.class, () -> EphemeralType.TTL.toEphemeralOwner(ttl));
  }

  @Test
  void maxTtlIsZooKeepers() {
    assertEquals(EphemeralType.TTL.maxValue(), NodeKind.MAX_TTL);
    assertTrue(NodeKind.validTtl(NodeKind.MAX_TTL));
  }

  @Test
  void containerOwnerIsZooKeepers() {
    assertEquals(EphemeralType.CONTAINER_EPHEMERAL_OWNER, NodeKind.CONTAINER_OWNER);
    assertEquals(NodeKind.CONTAINER, NodeKind.of(NodeKind.CONTAINER_OWNER));
    assertEquals(0, NodeKind.clientOwner(NodeKind.CONTAINER_OWNER));
  }

  @Test
  void zeroIsPersistentAndAnythingElseAnEphemeralSession() {
    assertEquals(NodeKind.PERSISTENT, NodeKind.of(0));
    assertEquals(0, NodeKind.clientOwner(0));
    long[] sessions = {1, 0x0100_0000_0000_0001L, 0xfe00_0000_0000_0001L, Long.MAX_VALUE};
    for (long session : sessions) {
      assertEquals(NodeKind.EPHEMERAL, NodeKind.of(session));
      assertEquals(session, NodeKind.clientOwner(session));
    }
  }

  @Test
  void extendedOwnersWithReservedBitsAreRejected() {
    // ZooKeeper throws for an extended owner whose feature bits name no known feature.
    assertThrows(IllegalArgumentException.class, () -> NodeKind.of(0xff01_0000_0000_0001L));
    assertThrows(IllegalArgumentException.class, () -> NodeKind.of(0xff00_0100_0000_0000L));
  }
}
