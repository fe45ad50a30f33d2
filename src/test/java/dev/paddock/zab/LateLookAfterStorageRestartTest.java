package dev.paddock.zab;

import static dev.paddock.storage.JournalFaults.failWrites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.node.QuorumPeer;
import dev.paddock.node.Settings;
import dev.paddock.node.TestNodes;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.SessionOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a role ends, the server schedules a look for a leader (500 ms later when standalone).
 * If storage fails and comes back sooner, the role started since serves when that look fires,
 * and must go on serving. Time is manual here, so the late look always comes after the new
 * role, which on a real clock happened only when a busy machine delayed the timer.
 */
class LateLookAfterStorageRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Five ticks of 50 ms: storage is retried before the 500 ms look. */
  private static final Duration RETRY = Duration.ofMillis(250);

  @TempDir Path dir;

  @Test
  void aLookScheduledBeforeStorageCameBackLeavesTheNewRoleServing() {
    Config config = ManualTime.config().withFallback(TestNodes.standaloneConfig(dir,
        Map.of("paddock.tick-time", "50ms", "paddock.max-session-timeout", "60s")));
    ActorSystem<QuorumPeer.Command> system =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit = ActorTestKit.create(system);
    ManualTime time = ManualTime.get(system);
    Path journal = dir.resolve("log");
    try {
      QuorumPeer.Status status = TestNodes.awaitServing(kit, system, true, WAIT);
      TestSession s = TestSession.open(kit, status, 30_000);
      assertInstanceOf(Result.Created.class, s.call(create("/a")));

      failWrites(journal, true);
      s.submit(create("/lost"));
      assertEquals(SessionOutput.Reason.UNAVAILABLE, s.awaitClosed(WAIT).reason());
      TestNodes.awaitServing(kit, system, false, WAIT);

      failWrites(journal, false);
      time.timePasses(RETRY);
      TestNodes.awaitServing(kit, system, true, WAIT);

      // The look the ended role scheduled fires now, after the new role started serving.
      time.timePasses(Duration.ofMillis(500).minus(RETRY));
      TestProbe<QuorumPeer.Status> probe = kit.createTestProbe();
      system.tell(new QuorumPeer.GetStatus(probe.ref()));
      assertTrue(probe.receiveMessage(WAIT).serving(), "the late look stopped the new role");
      TestSession again = TestSession.open(kit, TestNodes.awaitServing(kit, system, true, WAIT),
          30_000);
      assertInstanceOf(Result.Created.class, again.call(create("/b")));
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static Op create(String path) {
    return new Op.Create(path, new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  }
}
