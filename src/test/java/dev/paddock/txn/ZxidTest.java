package dev.paddock.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.zookeeper.server.util.ZxidUtils;
import org.junit.jupiter.api.Test;

/** Zxids split as ZooKeeper's: epoch in the high 32 bits, counter in the low 32. */
class ZxidTest {

  @Test
  void epochAndCounterMatchZooKeepersSplit() {
    long[][] cases = {{0, 0}, {0, 1}, {1, 0}, {5, 0xffff_ffffL}, {0x7fff_ffffL, 7}, {3, 42}};
    for (long[] c : cases) {
      long z = Zxid.of(c[0], c[1]);
      assertEquals(ZxidUtils.makeZxid(c[0], c[1]), z);
      assertEquals(c[0], Zxid.epoch(z));
      assertEquals(c[1], Zxid.counter(z));
      assertEquals(ZxidUtils.getEpochFromZxid(z), Zxid.epoch(z));
      assertEquals(ZxidUtils.getCounterFromZxid(z), Zxid.counter(z));
    }
  }

  @Test
  void counterOverflowDoesNotLeakIntoTheEpoch() {
    assertEquals(Zxid.of(2, 0), Zxid.of(2, 0x1_0000_0000L));
  }

  @Test
  void laterEpochsOrderAfterEveryCounterOfEarlierOnes() {
    assertTrue(Zxid.of(2, 0) > Zxid.of(1, 0xffff_ffffL));
  }

  @Test
  void hexFormIsZooKeepersLogFormat() {
    assertEquals("0x100000002", Zxid.toHex(Zxid.of(1, 2)));
    assertEquals("0x0", Zxid.toHex(0));
  }
}
