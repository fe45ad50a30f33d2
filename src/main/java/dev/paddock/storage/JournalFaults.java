package dev.paddock.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a journal directory behave like a full, failing or hanging disk, for tests of what a
 * server does when it cannot persist (it must stop acknowledging and recover once writes work
 * again, and hold no more requests than its limits while it waits). Unset in production; the
 * checks cost a set lookup or two per group commit.
 */
public final class JournalFaults {
  private static final Set<Path> FAILING = ConcurrentHashMap.newKeySet();
  private static final Set<Path> STALLED = ConcurrentHashMap.newKeySet();

  private JournalFaults() {}

  public static void failWrites(Path journalDir, boolean failing) {
    Path key = journalDir.toAbsolutePath().normalize();
    if (failing) {
      FAILING.add(key);
    } else {
      FAILING.remove(key);
    }
  }

  /**
   * Makes the journal's writes hang (a disk that stops answering) until released: nothing is
   * written or acknowledged meanwhile, so requests pile up in front of the log.
   */
  public static void stallWrites(Path journalDir, boolean stalled) {
    Path key = journalDir.toAbsolutePath().normalize();
    synchronized (STALLED) {
      if (stalled) {
        STALLED.add(key);
      } else {
        STALLED.remove(key);
      }
      STALLED.notifyAll();
    }
  }

  /** Blocks the writer thread while its directory is stalled. */
  static void awaitUnstalled(Path journalDir) throws InterruptedException {
    if (STALLED.isEmpty()) {
      return;
    }
    Path key = journalDir.toAbsolutePath().normalize();
    synchronized (STALLED) {
      while (STALLED.contains(key)) {
        STALLED.wait();
      }
    }
  }

  static void check(Path journalDir) throws IOException {
    if (!FAILING.isEmpty() && FAILING.contains(journalDir.toAbsolutePath().normalize())) {
      throw new IOException("No space left on device (injected for " + journalDir + ")");
    }
  }
}
