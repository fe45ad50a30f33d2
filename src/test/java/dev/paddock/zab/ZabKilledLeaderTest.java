package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader whose process goes away is noticed by its followers through its peer port, which
 * refuses connects: they elect a new leader long before any heartbeat bound would let them.
 */
class ZabKilledLeaderTest {
  /** Far beyond the wait below, so only the refused port can end the old leader's reign. */
  private static final Map<String, Object> SLOW_HEARTBEAT_BOUNDS = Map.of(
      "paddock.leader-timeout", "90s",
      "paddock.sync-limit", 1000);

  @TempDir Path dir;

  @Test
  void followersOfAKilledLeaderElectANewOneWithoutWaitingForItsSilence() {
    try (Ensemble e = new Ensemble(dir, 3, 0, SLOW_HEARTBEAT_BOUNDS)) {
      e.startAll();
      int leader = e.awaitServing();
      List<Integer> rest = new ArrayList<>(e.ids());
      rest.remove(Integer.valueOf(leader));
      e.kill(leader);
      int next = e.awaitServing(rest, Duration.ofSeconds(60));
      assertNotEquals(leader, next);
      TestSession s = TestSession.open(e.kit(rest.get(0)), e.status(rest.get(0)), 10_000);
      assertInstanceOf(Result.Created.class, s.call(new Op.Create("/after", new byte[0],
          Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
    }
  }
}
