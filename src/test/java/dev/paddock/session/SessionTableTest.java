package dev.paddock.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTableTest {
  private static final long TICK = 100;

  @Test
  void expiresAtTheTickAfterTheTimeout() {
    SessionTable t = new SessionTable(TICK);
    t.track(1, 1000, 0);
    assertEquals(List.of(), t.expired(1000));
    assertEquals(List.of(), t.expired(1099));
    assertEquals(List.of(1L), t.expired(1100));
    assertFalse(t.contains(1));
    assertEquals(0, t.size());
  }

  @Test
  void sessionsOfOneTickExpireTogether() {
    SessionTable t = new SessionTable(TICK);
    t.track(1, 1000, 0);
    t.track(2, 1000, 60);
    t.track(3, 1000, 120);
    assertEquals(Set.of(1L, 2L), new HashSet<>(t.expired(1100)));
    assertTrue(t.contains(3));
    assertEquals(List.of(3L), t.expired(1200));
  }

  @Test
  void aPauseOfTheServerMovesEveryDeadlineAsMuch() {
    SessionTable t = new SessionTable(TICK);
    t.track(1, 1000, 0);
    t.track(2, 2000, 0);
    t.postpone(5000);
    assertEquals(List.of(), t.expired(6199));
    assertEquals(List.of(1L), t.expired(6200));
    // A touch after the pause moves the session from its postponed bucket as from any other.
    assertTrue(t.touch(2, 6300));
    assertEquals(List.of(), t.expired(7200));
    assertEquals(List.of(2L), t.expired(8400));
    assertEquals(0, t.size());
  }

  @Test
  void touchMovesTheDeadline() {
    SessionTable t = new SessionTable(TICK);
    t.track(1, 1000, 0);
    t.track(2, 1000, 0);
    assertTrue(t.touch(1, 500));
    assertEquals(List.of(2L), t.expired(1100));
    assertEquals(List.of(), t.expired(1599));
    assertEquals(List.of(1L), t.expired(1600));
  }

  @Test
  void anExpiredSessionCannotBeTouchedBack() {
    SessionTable t = new SessionTable(TICK);
    t.track(1, 1000, 0);
    assertEquals(List.of(1L), t.expired(5000));
    assertFalse(t.touch(1, 5000));
    assertFalse(t.contains(1));
    assertNull(t.timeoutOf(1));
    assertEquals(List.of(), t.expired(100_000));
  }

  @Test
  void removedSessionsNeverExpire() {
    SessionTable t = new SessionTable(TICK);
    t.track(1, 1000, 0);
    t.track(2, 1000, 0);
    t.remove(1);
    assertFalse(t.touch(1, 10));
    assertEquals(List.of(2L), t.expired(10_000));
  }

  @Test
  void trackReArmsWithANewTimeout() {
    SessionTable t = new SessionTable(TICK);
    t.track(1, 1000, 0);
    t.track(1, 5000, 0);
    assertEquals(5000, t.timeoutOf(1));
    assertEquals(List.of(), t.expired(1100));
    assertEquals(List.of(1L), t.expired(5100));
  }

  @Test
  void neverExpiresBeforeItsTimeoutNorMoreThanATickLate() {
    Random r = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      SessionTable t = new SessionTable(TICK);
      long now = r.nextInt(1_000_000);
      int timeout = 1 + r.nextInt(30_000);
      t.track(42, timeout, now);
      assertEquals(List.of(), t.expired(now + timeout - 1));
      assertEquals(List.of(42L), t.expired(now + timeout + TICK));
    }
  }
}
