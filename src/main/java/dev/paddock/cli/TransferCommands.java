package dev.paddock.cli;

import dev.paddock.backup.BackupFile;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeSnapshot;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backup}, {@code restore} and {@code import-zookeeper}. */
final class TransferCommands {
  private TransferCommands() {}

  @Command(name = "backup", mixinStandardHelpOptions = true,
      description = "Takes a consistent backup (tree, zxid, digest) from a running server.")
  static final class Backup implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--server", required = true, paramLabel = "HOST:ADMINPORT",
        description = "the server's admin address (paddock.admin)")
    String server;

    @Option(names = "--to", required = true, paramLabel = "FILE", description = "backup file")
    Path to;

    Backup(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() throws Exception {
      if (!server.matches("[^:/\\s]+:\\d{1,5}")) {
        throw new IllegalArgumentException("--server must be HOST:ADMINPORT, was " + server);
      }
      if (Files.exists(to)) {
        throw new IOException(to + " exists; refusing to overwrite it");
      }
      Path part = to.resolveSibling(to.getFileName() + ".part");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(
          URI.create("http://" + server + "/backup")).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        String body;
        try (InputStream in = r.body()) {
          body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        }
        throw new IOException("the server answered " + r.statusCode() + ": " + body);
      }
      Progress progress = new Progress(err, "bytes", -1);
      try (InputStream in = r.body(); OutputStream file = Files.newOutputStream(part)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          file.write(buf, 0, n);
          progress.add(n);
        }
      }
      progress.finish();
      BackupFile.Backup b;
      try (InputStream in = Files.newInputStream(part)) {
        b = BackupFile.read(in);
      } catch (IOException e) {
        Files.deleteIfExists(part);
        throw new IOException("the downloaded backup is not valid: " + e.getMessage(), e);
      }
      Files.move(part, to, StandardCopyOption.ATOMIC_MOVE);
      out.println(String.format(Locale.ROOT, "backup of %s at zxid 0x%x: %d nodes, digest %d, "
          + "%,d bytes in %.1f s -> %s", server, b.zxid(), b.nodeCount(), b.digest(),
          progress.done(), progress.seconds(), to));
      return 0;
    }
  }

  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Restores a backup into an empty data directory.")
  static final class Restore implements Callable<Integer> {
    private final StorageLayout layout;
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--from", required = true, paramLabel = "FILE", description = "backup file")
    Path from;

    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "the new server's data-dir (must be empty or absent)")
    Path data;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "its data-log-dir, if separate")
    Path logDir;

    Restore(StorageLayout layout, PrintStream out, PrintStream err) {
      this.layout = layout;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() throws Exception {
      requireEmpty(data);
      requireEmpty(logDir);
      long size = Files.size(from);
      Progress progress = new Progress(err, "bytes", size);
      BackupFile.Backup b;
      try (InputStream in = new Counting(Files.newInputStream(from), progress)) {
        b = BackupFile.read(in);
      } catch (IOException e) {
        throw new IOException(from + ": " + e.getMessage(), e);
      }
      progress.finish();
      DataDirWriter.write(layout, data, logDir, b.tree());
      out.println(String.format(Locale.ROOT, "restored zxid 0x%x: %d nodes, digest %d -> %s",
          b.zxid(), b.nodeCount(), b.digest(), data));
      return 0;
    }
  }

  @Command(name = "import-zookeeper", mixinStandardHelpOptions = true,
      description = "Converts a stopped ZooKeeper's snapshot and logs into a data directory.")
  static final class ImportZooKeeper implements Callable<Integer> {
    private final StorageLayout layout;
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = "--snap-dir", required = true, paramLabel = "DIR",
        description = "ZooKeeper's dataDir")
    Path snapDir;

    @Option(names = "--log-dir", required = true, paramLabel = "DIR",
        description = "ZooKeeper's dataLogDir (often the same as its dataDir)")
    Path zkLogDir;

    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "the Paddock server's data-dir (must be empty or absent)")
    Path data;

    ImportZooKeeper(StorageLayout layout, PrintStream out, PrintStream err) {
      this.layout = layout;
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() throws Exception {
      requireEmpty(data);
      Progress progress = new Progress(err, "nodes and txns", -1);
      ZooKeeperImport.Result r = ZooKeeperImport.read(snapDir, zkLogDir, progress);
      progress.finish();
      TreeSnapshot tree = r.tree();
      DataDirWriter.write(layout, data, null, tree);
      out.println(String.format(Locale.ROOT, "imported %s (zxid 0x%x) and %d txns from %d log "
          + "file(s): %d nodes at zxid 0x%x, digest %d; left out %d sessions and %d ephemeral "
          + "nodes -> %s", r.snapshot().getFileName(), r.snapshotZxid(), r.txnsApplied(),
          r.logFiles(), tree.nodeCount(), tree.zxid(), DataTree.fromSnapshot(tree).digest(),
          r.sessionsDropped(), r.ephemeralsDropped(), data));
      return 0;
    }
  }

  static void requireEmpty(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IOException(dir + " is not empty; restore only into an empty data directory");
      }
    }
  }

  /** Reports bytes read to a progress line. */
  private static final class Counting extends FilterInputStream {
    private final Progress progress;

    Counting(InputStream in, Progress progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        progress.add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        progress.add(n);
      }
      return n;
    }
  }
}
