package dev.paddock.node;

import dev.paddock.storage.SnapshotStats;
import dev.paddock.storage.StorageFiles;
import dev.paddock.txnlog.RecoveryCheck;
import dev.paddock.txnlog.StoredTree;
import dev.paddock.txnlog.TxnLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Why a server must not start on the storage it found, as the one line an operator reads: what
 * is wrong, the file or directory it is about, and what to do. A server that refuses has
 * written nothing: these checks run before the plugins open their directories, or on what
 * recovery read.
 */
final class StartupChecks {
  private static final String REMEDY = "Restore the missing or damaged files, or empty this "
      + "server's data and log directories so that it syncs from the ensemble";

  private StartupChecks() {}

  static Path journalDir(ActorSystem<?> system) {
    return Path.of(system.settings().config().getString(QuorumPeer.JOURNAL + ".dir"));
  }

  static Path snapshotDir(ActorSystem<?> system) {
    return Path.of(system.settings().config().getString(QuorumPeer.SNAPSHOTS + ".dir"));
  }

  static String beforeStorage(ActorSystem<?> system) {
    return beforeStorage(journalDir(system), snapshotDir(system));
  }

  /** Before the journal opens (it would create an empty log in a missing directory). */
  static String beforeStorage(Path journalDir, Path snapshotDir) {
    try {
      if (StorageFiles.snapshots(snapshotDir, QuorumPeer.TREE_ID).isEmpty()
          || !StorageFiles.segmentFiles(journalDir).isEmpty()) {
        return null;
      }
    } catch (IOException e) {
      return "refusing to start: cannot list " + snapshotDir + " or " + journalDir + ": "
          + e.getMessage();
    }
    String what = Files.isDirectory(journalDir) ? "holds no log" : "is missing";
    return "refusing to start: " + snapshotDir + " holds tree snapshots but the transaction log "
        + "directory " + journalDir + " " + what + "; starting would lose every txn after the "
        + "newest snapshot (check paddock.data-log-dir and that its disk is mounted). " + REMEDY;
  }

  static String afterRecovery(ActorSystem<?> system, TxnLog.Snapshot log, StoredTree tree) {
    return afterRecovery(journalDir(system), snapshotDir(system), log, tree,
        SnapshotStats.forPlugin(system, QuorumPeer.SNAPSHOTS).unreadable());
  }

  /** After both recovered, on the first start. */
  static String afterRecovery(Path journalDir, Path snapshotDir, TxnLog.Snapshot log,
      StoredTree tree, List<SnapshotStats.Unreadable> unreadable) {
    long treeZxid = tree.tree() == null ? 0 : tree.tree().zxid();
    RecoveryCheck.Problem problem = RecoveryCheck.check(log, treeZxid);
    if (problem == null) {
      return null;
    }
    return switch (problem.kind()) {
      case LOG_BEGINS_AFTER_TREE -> "refusing to start: the transaction log in " + journalDir
          + " begins after zxid 0x" + Long.toHexString(log.baseZxid()) + ", but "
          + newestTree(snapshotDir, treeZxid, unreadable)
          + "; the txns between are gone. " + REMEDY;
      case LOG_AHEAD_OF_EPOCH -> "refusing to start: the transaction log in " + journalDir
          + " is inconsistent: " + problem.detail() + ", so it is not the log these txns were "
          + "written to. " + REMEDY;
      case TREE_AHEAD_OF_EPOCH -> "refusing to start: " + newestFile(snapshotDir)
          + " does not belong to the transaction log in " + journalDir + ": "
          + problem.detail() + ". " + REMEDY;
    };
  }

  static String snapshotsUnreadable(ActorSystem<?> system) {
    return snapshotsUnreadable(snapshotDir(system),
        SnapshotStats.forPlugin(system, QuorumPeer.SNAPSHOTS).unreadable());
  }

  /** When the snapshot store gave up: every snapshot it has is unreadable. */
  static String snapshotsUnreadable(Path snapshotDir,
      List<SnapshotStats.Unreadable> unreadable) {
    if (unreadable.isEmpty()) {
      return null;
    }
    SnapshotStats.Unreadable newest = unreadable.get(0);
    return "refusing to start: no tree snapshot in " + snapshotDir + " is readable; the newest, "
        + newest.file() + ", fails with: " + newest.reason() + ". " + REMEDY;
  }

  private static String newestTree(Path snapshotDir, long treeZxid,
      List<SnapshotStats.Unreadable> unreadable) {
    if (!unreadable.isEmpty()) {
      SnapshotStats.Unreadable newest = unreadable.get(0);
      return "the newest snapshot " + newest.file() + " is unreadable (" + newest.reason()
          + ") and the newest readable tree is at zxid 0x" + Long.toHexString(treeZxid);
    }
    if (treeZxid == 0) {
      return "there is no tree snapshot in " + snapshotDir;
    }
    return "the newest snapshot, " + newestFile(snapshotDir) + ", is at zxid 0x"
        + Long.toHexString(treeZxid);
  }

  private static String newestFile(Path snapshotDir) {
    try {
      List<StorageFiles.SnapshotFile> files = StorageFiles.snapshots(snapshotDir,
          QuorumPeer.TREE_ID);
      return files.isEmpty() ? snapshotDir.toString()
          : files.get(files.size() - 1).path().toString();
    } catch (IOException e) {
      return snapshotDir.toString();
    }
  }
}
