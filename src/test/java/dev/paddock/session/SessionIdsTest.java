package dev.paddock.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionIdsTest {
  private static final byte[] SECRET = "ensemble-secret".getBytes(StandardCharsets.UTF_8);
  private static final long NOW = 1_718_000_000_000L;

  @Test
  void serverIdIsInTheTopByte() {
    for (int server : new int[] {1, 7, 42, 127, 200, 255}) {
      SessionIds ids = new SessionIds(server, SECRET, NOW);
      for (int i = 0; i < 1000; i++) {
        assertEquals(server, ids.nextId() >>> 56, "server " + server);
      }
    }
  }

  @Test
  void idsIncreaseAndDoNotRepeat() {
    SessionIds ids = new SessionIds(3, SECRET, NOW);
    Set<Long> seen = new HashSet<>();
    long previous = ids.nextId();
    seen.add(previous);
    for (int i = 0; i < 10_000; i++) {
      long id = ids.nextId();
      assertTrue(id > previous);
      assertTrue(seen.add(id));
      previous = id;
    }
  }

  @Test
  void aRestartLaterStartsAboveTheEarlierIds() {
    long before = new SessionIds(3, SECRET, NOW).nextId();
    long after = new SessionIds(3, SECRET, NOW + 1).nextId();
    assertTrue(after > before + 1000, "ids of a later start leave room for the earlier run");
  }

  @Test
  void serversNeverShareIds() {
    long a = new SessionIds(1, SECRET, NOW).nextId();
    long b = new SessionIds(2, SECRET, NOW).nextId();
    assertEquals(a & 0x00ff_ffff_ffff_ffffL, b & 0x00ff_ffff_ffff_ffffL);
    assertTrue(a != b);
  }

  @Test
  void anyServerWithTheSecretAcceptsThePassword() {
    SessionIds creator = new SessionIds(1, SECRET, NOW);
    SessionIds other = new SessionIds(2, SECRET.clone(), NOW + 12345);
    long id = creator.nextId();
    byte[] password = creator.passwordFor(id);
    assertEquals(SessionIds.PASSWORD_LENGTH, password.length);
    assertArrayEquals(password, other.passwordFor(id));
    assertTrue(other.passwordMatches(id, password));
  }

  @Test
  void wrongPasswordsAreRefused() {
    SessionIds ids = new SessionIds(1, SECRET, NOW);
    long id = ids.nextId();
    byte[] password = ids.passwordFor(id);
    assertFalse(ids.passwordMatches(id + 1, password), "password of another session");
    byte[] flipped = password.clone();
    flipped[5] ^= 1;
    assertFalse(ids.passwordMatches(id, flipped));
    assertFalse(ids.passwordMatches(id, new byte[0]));
    assertFalse(ids.passwordMatches(id, null));
    byte[] longer = java.util.Arrays.copyOf(password, password.length + 1);
    assertFalse(ids.passwordMatches(id, longer));
    SessionIds otherSecret = new SessionIds(1, "another".getBytes(StandardCharsets.UTF_8), NOW);
    assertFalse(otherSecret.passwordMatches(id, password));
  }

  @Test
  void theSecretIsCopied() {
    byte[] secret = SECRET.clone();
    SessionIds ids = new SessionIds(1, secret, NOW);
    long id = ids.nextId();
    byte[] password = ids.passwordFor(id);
    secret[0] ^= 1;
    assertTrue(ids.passwordMatches(id, password));
  }
}
