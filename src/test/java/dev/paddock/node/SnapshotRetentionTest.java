package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.session.DataTreeActor;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.storage.StorageFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree snapshotter keeps the newest snap-retain-count snapshots and no more, and a restart
 * recovers from the newest one and the log after it.
 */
class SnapshotRetentionTest {
  private static final Duration MAX = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void keepsTheNewestSnapshotsAndRecoversFromThem() throws IOException {
    Config config = TestNodes.standaloneConfig(dir, Map.of("paddock.snap-count", 20,
        "paddock.snap-retain-count", 2));
    ActorSystem<QuorumPeer.Command> system =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit = ActorTestKit.create(system);
    long digest;
    try {
      QuorumPeer.Status status = TestNodes.awaitServing(kit, system, MAX);
      TestProbe<SessionOutput> door = kit.createTestProbe();
      status.sessions().tell(new SessionTrackerActor.Connect(30_000, 0, null, 0, List.of(),
          door.ref()));
      var session = door.expectMessageClass(SessionOutput.Connected.class, MAX).session();
      for (int i = 1; i <= 200; i++) {
        session.tell(new SessionActor.Submit(i, new Op.Create("/n" + i, new byte[10],
            Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
        door.expectMessageClass(SessionOutput.Reply.class, MAX);
      }
      door.awaitAssert(MAX, () -> {
        List<StorageFiles.SnapshotFile> files = StorageFiles.snapshots(dir.resolve("snapshots"),
            QuorumPeer.TREE_ID);
        assertEquals(2, files.size(), files.toString());
        assertTrue(files.get(1).seqNr() >= 10, "about one snapshot per 10 to 20 txns");
        return null;
      });
      digest = info(kit, status).digest();
    } finally {
      kit.shutdownTestKit();
    }

    ActorSystem<QuorumPeer.Command> again =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit2 = ActorTestKit.create(again);
    try {
      QuorumPeer.Status status = TestNodes.awaitServing(kit2, again, MAX);
      assertEquals(digest, info(kit2, status).digest(), "the same tree after the restart");
    } finally {
      kit2.shutdownTestKit();
    }
  }

  private static DataTreeActor.Info info(ActorTestKit kit, QuorumPeer.Status status) {
    TestProbe<DataTreeActor.Info> probe = kit.createTestProbe();
    status.tree().tell(new DataTreeActor.GetInfo(probe.ref()));
    return probe.receiveMessage(MAX);
  }
}
