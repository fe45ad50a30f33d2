package dev.paddock.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.txn.Zxid;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VoteOrderTest {

  @Test
  void epochDecidesBeforeZxidAndId() {
    Vote newerEpoch = new Vote(1, Zxid.of(1, 1), 2);
    Vote longerHistory = new Vote(3, Zxid.of(1, 99), 1);
    assertTrue(VoteOrder.supersedes(newerEpoch, longerHistory));
    assertFalse(VoteOrder.supersedes(longerHistory, newerEpoch));
  }

  @Test
  void zxidDecidesBeforeId() {
    Vote longer = new Vote(1, Zxid.of(2, 7), 2);
    Vote higherId = new Vote(3, Zxid.of(2, 6), 2);
    assertTrue(VoteOrder.supersedes(longer, higherId));
    assertFalse(VoteOrder.supersedes(higherId, longer));
  }

  @Test
  void idBreaksTies() {
    Vote high = new Vote(3, Zxid.of(2, 6), 2);
    Vote low = new Vote(2, Zxid.of(2, 6), 2);
    assertTrue(VoteOrder.supersedes(high, low));
    assertFalse(VoteOrder.supersedes(low, high));
  }

  @Test
  void aVoteNeverSupersedesItself() {
    Vote v = new Vote(2, Zxid.of(3, 4), 3);
    assertFalse(VoteOrder.supersedes(v, new Vote(2, Zxid.of(3, 4), 3)));
  }

  @Test
  void zxidsCompareUnsigned() {
    // An epoch of 2^31 or more sets the sign bit; it is still the longer history.
    Vote huge = new Vote(1, Zxid.of(0x8000_0000L, 1), 5);
    Vote small = new Vote(2, Zxid.of(1, 1), 5);
    assertTrue(VoteOrder.supersedes(huge, small));
    assertFalse(VoteOrder.supersedes(small, huge));
  }

  /** Small ranges so that equal epochs, zxids and ids are common among random votes. */
  private static Vote random(Random r) {
    return new Vote(1 + r.nextInt(3), Zxid.of(r.nextInt(3), r.nextInt(3)), r.nextInt(3));
  }

  @Test
  void strictTotalOrderOnRandomTriples() {
    Random r = new Random(20240611L);
    for (int i = 0; i < 20_000; i++) {
      Vote a = random(r);
      Vote b = random(r);
      Vote c = random(r);
      boolean ab = VoteOrder.supersedes(a, b);
      boolean ba = VoteOrder.supersedes(b, a);
      assertFalse(ab && ba, () -> "antisymmetry: " + a + " " + b);
      assertEquals(!a.equals(b), ab || ba, () -> "totality: " + a + " " + b);
      assertFalse(VoteOrder.supersedes(a, a), () -> "irreflexive: " + a);
      if (ab && VoteOrder.supersedes(b, c)) {
        assertTrue(VoteOrder.supersedes(a, c), () -> "transitivity: " + a + " " + b + " " + c);
      }
    }
  }
}
