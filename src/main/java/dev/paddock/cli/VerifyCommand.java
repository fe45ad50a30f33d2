package dev.paddock.cli;

import dev.paddock.storage.StorageFiles;
import dev.paddock.txnlog.RecoveryCheck;
import dev.paddock.txnlog.TxnLog;
import dev.paddock.txnlog.TxnLogState;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.Paths;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verify DIR}: checks a stopped server's data directory without changing it. Every
 * snapshot file's checksum and decoding, every journal frame's checksum, that the logged zxids
 * run without gaps and continue from the newest snapshot, and that the snapshot's tree is whole
 * (every node's parent lists it), and that the log holds no txns of an epoch it never accepted.
 * Prints what a server would recover (zxid and digest), or each problem with the file that has
 * it: whatever would make a server refuse to start is reported here too.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Checks the checksums, log continuity and tree of a data directory.")
final class VerifyCommand implements Callable<Integer> {
  private final StorageLayout layout;
  private final PrintStream out;
  private final PrintStream err;

  @Parameters(paramLabel = "DIR", description = "the server's data-dir")
  Path dir;

  @Option(names = "--log-dir", description = "the server's data-log-dir, if separate")
  Path logDir;

  VerifyCommand(StorageLayout layout, PrintStream out, PrintStream err) {
    this.layout = layout;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException {
    PaddockCli.DataDir d = PaddockCli.DataDir.of(dir, logDir);
    List<String> problems = new ArrayList<>();
    List<Path> snapshotFiles = StorageFiles.allSnapshotFiles(d.snapshots());
    for (Path f : snapshotFiles) {
      StorageFiles.Damage damage = StorageFiles.checkSnapshot(f);
      if (damage != null) {
        problems.add(f + ": " + damage.reason());
      }
    }
    PaddockCli.NewestTree newest = PaddockCli.newestTree(layout, d, new PrintStream(
        PrintStream.nullOutputStream()));
    DataTree tree = newest == null ? new DataTree()
        : DataTree.fromSnapshot(newest.tree());
    if (newest != null) {
      checkTree(newest.tree(), newest.file().path(), problems);
    }
    long snapshotZxid = tree.lastZxid();
    Continuity continuity = new Continuity(snapshotZxid);
    TxnLogState logState = new TxnLogState();
    if (!snapshotFiles.isEmpty() && StorageFiles.segmentFiles(d.log()).isEmpty()) {
      problems.add(d.log() + ": no transaction log next to the snapshots in " + d.snapshots()
          + "; the txns after the newest snapshot are missing");
    }
    List<StorageFiles.Damage> damage = StorageFiles.scanJournal(d.log(), e -> {
      if (!e.persistenceId().equals(layout.logId())) {
        return;
      }
      Object event = PaddockCli.decode(e);
      if (event instanceof TxnLog.Event logEvent) {
        logState.apply(logEvent, e.seqNr());
      }
      String gap = continuity.next(event);
      if (gap != null) {
        problems.add(e.segment() + " at offset " + e.offset() + ": " + gap);
      }
      if (event instanceof TxnLog.Batch b) {
        for (TxnEntry t : b.entries()) {
          if (t.zxid() > tree.lastZxid()) {
            tree.apply(t);
          }
        }
      }
    });
    RecoveryCheck.Problem inconsistent = RecoveryCheck.check(logState.copy(), snapshotZxid);
    if (inconsistent != null && inconsistent.kind() != RecoveryCheck.Kind.LOG_BEGINS_AFTER_TREE) {
      // A gap after the snapshot is reported above, with the offset where it shows.
      problems.add(d.log() + ": " + inconsistent.detail());
    }
    for (StorageFiles.Damage x : damage) {
      problems.add(x.file() + " at offset " + x.offset() + ": " + x.reason()
          + (x.tornTail() ? " (a torn write at the end of the log: the server drops it)" : ""));
    }
    out.println("snapshot files: " + snapshotFiles.size() + (newest == null ? ", none with a tree"
        : ", newest at zxid 0x" + Long.toHexString(snapshotZxid) + " (" + newest.file().path()
            .getFileName() + ")"));
    out.println("log: " + continuity.txns + " txns after the snapshot, last zxid 0x"
        + Long.toHexString(tree.lastZxid()));
    out.println("recovers to zxid 0x" + Long.toHexString(tree.lastZxid()) + ", "
        + tree.nodeCount() + " nodes, digest " + tree.digest());
    if (problems.isEmpty()) {
      out.println("OK");
      return 0;
    }
    problems.forEach(p -> err.println("damaged: " + p));
    return 1;
  }

  /** Every node but the root has its parent, which lists it as a child, and vice versa. */
  private static void checkTree(TreeSnapshot t, Path file, List<String> problems) {
    t.nodes().forEachNode((path, n) -> {
      if (!path.equals("/")) {
        DataNode parent = t.node(Paths.parent(path));
        if (parent == null || !parent.childPaths().contains(path)) {
          problems.add(file + ": node " + path + " is not listed by its parent");
        }
      }
      for (String c : n.childPaths()) {
        if (!Paths.parent(c).equals(path)) {
          problems.add(file + ": node " + path + " lists " + c + ", which is not its child");
        } else if (t.node(c) == null) {
          problems.add(file + ": node " + path + " lists a missing child " + Paths.name(c));
        }
      }
    });
  }

  /**
   * The txn log's zxids as TxnLog replays them: each txn follows the last one (the counter goes
   * up by one, or a new epoch starts at counter 1), truncations and restores move the end, and
   * the first txn after the newest snapshot follows that snapshot.
   */
  static final class Continuity {
    private final long snapshotZxid;
    private long last = -1;
    long txns;

    Continuity(long snapshotZxid) {
      this.snapshotZxid = snapshotZxid;
    }

    String next(Object event) {
      if (event instanceof TxnLog.Truncated t) {
        last = last < 0 ? t.zxid() : Math.min(last, t.zxid());
      } else if (event instanceof TxnLog.Restored r) {
        last = r.zxid();
      } else if (event instanceof TxnLog.Checkpoint c && last < 0) {
        last = c.lastZxid();
      } else if (event instanceof TxnLog.Batch b) {
        for (TxnEntry t : b.entries()) {
          long z = t.zxid();
          if (last >= 0 && z <= last) {
            continue;
          }
          long after = Math.max(last, -1);
          if (after < 0 && z > snapshotZxid) {
            after = snapshotZxid;
          }
          if (after >= 0 && !follows(after, z)) {
            String gap = "zxid 0x" + Long.toHexString(z) + " does not follow 0x"
                + Long.toHexString(after) + (after == snapshotZxid && last < 0
                    ? " (the newest snapshot): txns are missing" : ": txns are missing");
            last = z;
            return gap;
          }
          last = z;
          if (z > snapshotZxid) {
            txns++;
          }
        }
      }
      return null;
    }

    static boolean follows(long previous, long zxid) {
      return zxid == previous + 1
          || Zxid.epoch(zxid) > Zxid.epoch(previous) && Zxid.counter(zxid) == 1;
    }
  }
}
