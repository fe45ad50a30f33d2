package dev.paddock.cli;

import dev.paddock.txnlog.LogEventSerializer;
import dev.paddock.txnlog.StoredTree;
import dev.paddock.storage.StorageFiles;
import dev.paddock.tree.TreeSnapshot;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar node.jar <command>}: offline inspection, verification, backup, restore,
 * import from ZooKeeper, and certificates for peer TLS. Without a command the jar runs the server. Exit status: 0 done, 1 the
 * data is damaged or the operation failed, 2 the command line is wrong.
 */
@Command(name = "java -jar node.jar", mixinStandardHelpOptions = true,
    description = "Runs a Paddock server (no command), or one of these tools.",
    versionProvider = PaddockCli.Version.class)
public final class PaddockCli implements Runnable {
  /** Words that select the tool instead of the server. */
  public static final Set<String> COMMANDS = Set.of("snapshot", "log", "verify", "backup",
      "restore", "import-zookeeper", "gen-certs", "help", "--help", "-h", "--version", "-V");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  /** Runs a command line; returns the exit status. */
  public static int run(StorageLayout layout, PrintStream out, PrintStream err, String... args) {
    // Snapshot files hold the txn log's tree; the generic reader must know how to decode it.
    StoredTree.registerReader();
    CommandLine cli = new CommandLine(new PaddockCli());
    cli.addSubcommand(new InspectCommands.Snapshot(layout, out, err));
    cli.addSubcommand(new InspectCommands.Log(layout, out, err));
    cli.addSubcommand(new VerifyCommand(layout, out, err));
    cli.addSubcommand(new TransferCommands.Backup(out, err));
    cli.addSubcommand(new TransferCommands.Restore(layout, out, err));
    cli.addSubcommand(new TransferCommands.ImportZooKeeper(layout, out, err));
    cli.addSubcommand(new GenCertsCommand(out));
    cli.addSubcommand(new CommandLine.HelpCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      err.println("paddock: " + line.getCommandName() + ": "
          + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 1;
    });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PaddockCli.class.getPackage().getImplementationVersion();
      return new String[] {"Paddock " + (v == null ? "development build" : v)};
    }
  }

  // ---- shared by the commands ----

  /** A data directory: snapshots below it, the journal below it or in its own directory. */
  record DataDir(Path data, Path log) {
    static DataDir of(Path data, Path logDir) throws IOException {
      if (!Files.isDirectory(data)) {
        throw new IOException(data + " is not a directory");
      }
      return new DataDir(data, logDir != null ? logDir : data.resolve("log"));
    }

    Path snapshots() {
      return data.resolve("snapshots");
    }
  }

  /** The newest snapshot of the tree that can be read, or null when there is none. */
  record NewestTree(StorageFiles.SnapshotFile file, TreeSnapshot tree, List<Long> kept) {}

  static NewestTree newestTree(StorageLayout layout, DataDir dir, PrintStream err)
      throws IOException {
    List<StorageFiles.SnapshotFile> files = StorageFiles.snapshots(dir.snapshots(),
        layout.treeId());
    for (int i = files.size() - 1; i >= 0; i--) {
      StorageFiles.SnapshotFile f = files.get(i);
      try {
        Object stored = StorageFiles.readSnapshot(f, layout.treeId());
        TreeSnapshot tree = stored instanceof StoredTree t ? t.tree() : null;
        if (tree != null) {
          return new NewestTree(f, tree, ((dev.paddock.txnlog.StoredTree) stored).keptZxids());
        }
      } catch (IOException e) {
        err.println("paddock: skipping unreadable snapshot " + f.path() + ": " + e.getMessage());
      }
    }
    return null;
  }

  private static final LogEventSerializer EVENTS = new LogEventSerializer(null);

  /** A journal event of the txn log or the snapshotter, decoded. */
  static Object decode(StorageFiles.JournalEvent e) throws IOException {
    if (e.serializerId() != LogEventSerializer.ID) {
      throw new IOException(e.segment() + " at offset " + e.offset() + ": event of unknown "
          + "serializer " + e.serializerId());
    }
    try {
      return EVENTS.fromBinary(e.payload(), e.manifest());
    } catch (NotSerializableException x) {
      throw new IOException(e.segment() + " at offset " + e.offset() + ": " + x.getMessage(), x);
    }
  }
}
