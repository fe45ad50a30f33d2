package dev.paddock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.paddock.api.Code;
import dev.paddock.api.EventType;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatchMode;
import dev.paddock.api.WatcherType;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's copy of its watches follows the server's one-shot / persistent rules. */
class WatchRegistryTest {
  static final Stat STAT = new Stat(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  final WatchRegistry watches = new WatchRegistry();

  private Op.SetWatches now() {
    return watches.toSetWatches(7);
  }

  @Test
  void nothingWatchedMeansNothingToRegister() {
    watches.onReply(new Op.GetData("/a", false), new Result.Data(null, STAT));
    watches.onReply(new Op.GetData("/b", true), Result.fail(Code.NO_NODE));
    watches.onReply(new Op.Exists("/c", true), Result.fail(Code.NO_AUTH));
    assertNull(now());
  }

  @Test
  void existsOnAMissingNodeWatchesForCreation() {
    watches.onReply(new Op.Exists("/here", true), new Result.StatOf(STAT));
    watches.onReply(new Op.Exists("/missing", true), Result.fail(Code.NO_NODE));
    assertEquals(new Op.SetWatches(7, List.of("/here"), List.of("/missing"), List.of(),
        List.of(), List.of()), now());
    watches.onEvent(new WatchEvent(EventType.NODE_CREATED, "/missing", 3));
    assertEquals(List.of(), now().exist());
  }

  @Test
  void oneShotWatchesAreForgottenByTheirEvents() {
    watches.onReply(new Op.GetData("/d", true), new Result.Data(null, STAT));
    watches.onReply(new Op.GetChildren("/d", true), new Result.Children(List.of(), STAT));
    watches.onReply(new Op.AddWatch("/d", WatchMode.PERSISTENT), Result.DONE);
    watches.onEvent(new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/d", 3));
    assertEquals(new Op.SetWatches(7, List.of("/d"), List.of(), List.of(), List.of("/d"),
        List.of()), now());
    watches.onEvent(new WatchEvent(EventType.NODE_DELETED, "/d", 4));
    assertEquals(new Op.SetWatches(7, List.of(), List.of(), List.of(), List.of("/d"),
        List.of()), now());
  }

  @Test
  void removeWatchesForgetsWhatTheServerRemoved() {
    watches.onReply(new Op.GetData("/r", true), new Result.Data(null, STAT));
    watches.onReply(new Op.GetChildren("/r", true), new Result.Children(List.of(), STAT));
    watches.onReply(new Op.AddWatch("/r", WatchMode.PERSISTENT_RECURSIVE), Result.DONE);
    watches.onReply(new Op.RemoveWatches("/r", WatcherType.CHILDREN), Result.DONE);
    watches.onReply(new Op.RemoveWatches("/r", WatcherType.DATA), Result.fail(Code.NO_WATCHER));
    assertEquals(new Op.SetWatches(7, List.of("/r"), List.of(), List.of(), List.of(),
        List.of("/r")), now());
    watches.onReply(new Op.RemoveWatches("/r", WatcherType.ANY), Result.DONE);
    assertNull(now());
  }

  @Test
  void multiReadsArmWatchesPerOp() {
    watches.onReply(new Op.MultiRead(List.of(new Op.GetData("/x", true),
            new Op.GetChildren("/y", true), new Op.GetData("/z", true))),
        new Result.Multi(Code.OK, List.of(new Result.Data(null, STAT),
            new Result.Children(List.of(), STAT), Result.fail(Code.NO_NODE))));
    assertEquals(new Op.SetWatches(7, List.of("/x"), List.of(), List.of("/y"), List.of(),
        List.of()), now());
  }
}
