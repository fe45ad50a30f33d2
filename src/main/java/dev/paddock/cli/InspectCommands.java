package dev.paddock.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paddock.api.Acl;
import dev.paddock.storage.StorageFiles;
import dev.paddock.txnlog.TreeSnapshotter;
import dev.paddock.txnlog.TxnLog;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code snapshot info|dump} and {@code log dump}: read a data directory, change nothing. */
final class InspectCommands {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private InspectCommands() {}

  @Command(name = "snapshot", mixinStandardHelpOptions = true,
      description = "Shows the newest tree snapshot of a data directory.")
  static final class Snapshot {
    private final StorageLayout layout;
    private final PrintStream out;
    private final PrintStream err;

    Snapshot(StorageLayout layout, PrintStream out, PrintStream err) {
      this.layout = layout;
      this.out = out;
      this.err = err;
    }

    @Command(name = "info", description = "zxid, node and session counts, digest, files.")
    int info(@Parameters(paramLabel = "DIR", description = "the server's data-dir") Path dir,
        @Option(names = "--json", description = "print JSON") boolean json) throws IOException {
      PaddockCli.DataDir d = PaddockCli.DataDir.of(dir, null);
      PaddockCli.NewestTree newest = PaddockCli.newestTree(layout, d, err);
      if (newest == null) {
        err.println("paddock: no tree snapshot in " + d.snapshots());
        return 1;
      }
      TreeSnapshot t = newest.tree();
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("file", newest.file().path().toString());
      info.put("bytes", newest.file().size());
      info.put("written", Instant.ofEpochMilli(newest.file().timestamp()).toString());
      info.put("zxid", "0x" + Long.toHexString(t.zxid()));
      info.put("nodes", t.nodeCount());
      info.put("sessions", t.sessions().size());
      info.put("approximate_data_size", DataTree.fromSnapshot(t).snapshot()
          .approximateDataSize());
      info.put("digest", DataTree.fromSnapshot(t).digest());
      info.put("kept_snapshot_zxids", newest.kept().stream().map(z -> "0x" + Long.toHexString(z))
          .toList());
      print(out, json, info);
      return 0;
    }

    @Command(name = "dump", description = "Every node with its Stat, ACL and data.")
    int dump(@Parameters(paramLabel = "DIR", description = "the server's data-dir") Path dir,
        @Option(names = "--json", description = "print JSON (data in base64)") boolean json)
        throws IOException {
      PaddockCli.DataDir d = PaddockCli.DataDir.of(dir, null);
      PaddockCli.NewestTree newest = PaddockCli.newestTree(layout, d, err);
      if (newest == null) {
        err.println("paddock: no tree snapshot in " + d.snapshots());
        return 1;
      }
      TreeSnapshot t = newest.tree();
      TreeMap<String, DataNode> sorted = new TreeMap<>();
      t.nodes().forEachNode(sorted::put);
      List<Map<String, Object>> nodes = new ArrayList<>();
      for (Map.Entry<String, DataNode> e : sorted.entrySet()) {
        DataNode n = e.getValue();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("path", e.getKey());
          m.put("stat", n.stat());
          m.put("acl", n.acl());
          m.put("data", n.data() == null ? null : Base64.getEncoder().encodeToString(n.data()));
          nodes.add(m);
        } else {
          out.println(e.getKey() + "\tczxid=0x" + Long.toHexString(n.czxid()) + " mzxid=0x"
              + Long.toHexString(n.mzxid()) + " pzxid=0x" + Long.toHexString(n.pzxid())
              + " version=" + n.version() + " cversion=" + n.stat().cversion() + " aversion="
              + n.aversion() + " owner=0x" + Long.toHexString(n.ephemeralOwner()) + " bytes="
              + n.dataLength() + " acl=" + acl(n.acl()));
        }
      }
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("zxid", "0x" + Long.toHexString(t.zxid()));
        doc.put("nodes", nodes);
        out.println(JSON.writeValueAsString(doc));
      }
      return 0;
    }
  }

  @Command(name = "log", mixinStandardHelpOptions = true,
      description = "Shows the transaction log of a data directory.")
  static final class Log {
    private final StorageLayout layout;
    private final PrintStream out;
    private final PrintStream err;

    Log(StorageLayout layout, PrintStream out, PrintStream err) {
      this.layout = layout;
      this.out = out;
      this.err = err;
    }

    @Command(name = "dump", description = "Txns and log markers in log order.")
    int dump(@Parameters(paramLabel = "DIR", description = "the server's data-dir") Path dir,
        @Option(names = "--log-dir", description = "the server's data-log-dir, if separate")
        Path logDir,
        @Option(names = "--from-zxid", description = "skip txns below this zxid (hex or decimal)",
            converter = ZxidConverter.class) Long fromZxid) throws IOException {
      PaddockCli.DataDir d = PaddockCli.DataDir.of(dir, logDir);
      long from = fromZxid == null ? 0 : fromZxid;
      List<StorageFiles.Damage> damage = StorageFiles.scanJournal(d.log(), e -> {
        Object event = PaddockCli.decode(e);
        if (e.persistenceId().equals(layout.logId())) {
          print(event, from);
        } else if (event instanceof TreeSnapshotter.Taken taken) {
          out.println("snapshot taken at 0x" + Long.toHexString(taken.zxid()));
        }
      });
      for (StorageFiles.Damage x : damage) {
        err.println("paddock: " + x.file() + " at offset " + x.offset() + ": " + x.reason());
      }
      return damage.isEmpty() ? 0 : 1;
    }

    private void print(Object event, long from) {
      if (event instanceof TxnLog.Batch b) {
        for (TxnEntry t : b.entries()) {
          if (t.zxid() >= from) {
            out.println("0x" + Long.toHexString(t.zxid()) + "\tsession=0x"
                + Long.toHexString(t.sessionId()) + " cxid=" + t.cxid() + " time="
                + Instant.ofEpochMilli(t.time()) + " " + describe(t.txn()));
          }
        }
      } else if (event instanceof TxnLog.EpochAccepted e) {
        out.println("epoch " + e.epoch() + " accepted");
      } else if (event instanceof TxnLog.EpochCurrent e) {
        out.println("epoch " + e.epoch() + " current");
      } else if (event instanceof TxnLog.Truncated t) {
        out.println("truncated to 0x" + Long.toHexString(t.zxid()));
      } else if (event instanceof TxnLog.Restored r) {
        out.println("restored from a snapshot at 0x" + Long.toHexString(r.zxid()));
      } else if (event instanceof TxnLog.Checkpoint c) {
        out.println("checkpoint: accepted epoch " + c.acceptedEpoch() + ", current epoch "
            + c.currentEpoch() + ", last zxid 0x" + Long.toHexString(c.lastZxid()));
      }
    }
  }

  static String describe(Txn txn) {
    if (txn instanceof Txn.Create c) {
      return "create " + c.path() + " bytes=" + (c.data() == null ? 0 : c.data().length)
          + " owner=0x" + Long.toHexString(c.ephemeralOwner()) + " acl=" + acl(c.acl());
    } else if (txn instanceof Txn.Delete d) {
      return "delete " + d.path();
    } else if (txn instanceof Txn.SetData s) {
      return "setData " + s.path() + " version=" + s.version() + " bytes="
          + (s.data() == null ? 0 : s.data().length);
    } else if (txn instanceof Txn.SetAcl s) {
      return "setACL " + s.path() + " aversion=" + s.version() + " acl=" + acl(s.acl());
    } else if (txn instanceof Txn.Check c) {
      return "check " + c.path() + " version=" + c.version();
    } else if (txn instanceof Txn.Error e) {
      return "error " + e.code();
    } else if (txn instanceof Txn.CreateSession s) {
      return "createSession timeout=" + s.timeoutMs() + "ms";
    } else if (txn instanceof Txn.CloseSession) {
      return "closeSession";
    } else if (txn instanceof Txn.Multi m) {
      return "multi [" + String.join("; ", m.ops().stream().map(InspectCommands::describe)
          .toList()) + "]";
    }
    return txn.toString();
  }

  static String acl(List<Acl> acl) {
    return String.join(",", acl.stream().map(a -> a.id().scheme() + ":" + a.id().id() + ":"
        + a.perms()).toList());
  }

  static void print(PrintStream out, boolean json, Map<String, Object> values)
      throws IOException {
    if (json) {
      out.println(JSON.writeValueAsString(values));
    } else {
      values.forEach((k, v) -> out.println(k + ": " + v));
    }
  }

  /** Reads a zxid given as 0x-prefixed hex or as a decimal number. */
  static final class ZxidConverter implements picocli.CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return value.startsWith("0x") || value.startsWith("0X")
            ? Long.parseUnsignedLong(value.substring(2), 16) : Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value
            + "' is not a zxid (hex 0x... or decimal)");
      }
    }
  }
}
