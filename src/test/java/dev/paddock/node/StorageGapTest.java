package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.txnlog.TxnLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose snapshots are gone while its log was already purged behind them must not start
 * from an older tree and jump over the txns in between: it refuses, and its actor system stops.
 */
class StorageGapTest {
  @TempDir Path dir;

  @Test
  void refusesToStartWhenTheLogBeginsAfterEveryReadableTree() throws IOException {
    Config config = TestNodes.standaloneConfig(dir, Map.of("paddock.snap-count", 20,
        "paddock.snap-retain-count", 1));
    ActorSystem<QuorumPeer.Command> system =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit = ActorTestKit.create(system);
    try {
      QuorumPeer.Status status = TestNodes.awaitServing(kit, system, Duration.ofSeconds(30));
      TestProbe<SessionOutput> door = kit.createTestProbe();
      status.sessions().tell(new SessionTrackerActor.Connect(30_000, 0, null, 0, List.of(),
          door.ref()));
      var session = door.expectMessageClass(SessionOutput.Connected.class,
          Duration.ofSeconds(10)).session();
      for (int i = 1; i <= 200; i++) {
        session.tell(new SessionActor.Submit(i, new Op.Create("/n" + i, new byte[10],
            Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
        door.expectMessageClass(SessionOutput.Reply.class, Duration.ofSeconds(10));
      }
      TestProbe<TxnLog.Snapshot> log = kit.createTestProbe();
      log.awaitAssert(Duration.ofSeconds(20), () -> {
        system.tell(new QuorumPeer.GetLogState(log.ref()));
        assertTrue(log.receiveMessage().baseZxid() > 0, "the journal was not purged yet");
        return null;
      });
    } finally {
      kit.shutdownTestKit();
    }
    Path snapshots = dir.resolve("snapshots");
    try (Stream<Path> files = Files.walk(snapshots)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    ActorSystem<QuorumPeer.Command> again =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit2 = ActorTestKit.create(again);
    try {
      kit2.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        assertTrue(again.whenTerminated().isCompleted(), "the server is still running");
        return null;
      });
    } finally {
      kit2.shutdownTestKit();
    }
  }
}
