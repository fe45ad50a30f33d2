package dev.paddock.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a journal directory behave like a full or failing disk, for tests of what a server does
 * when it cannot persist (it must stop acknowledging and recover once writes work again). Unset
 * in production; the check costs one set lookup per group commit.
 */
public final class JournalFaults {
  private static final Set<Path> FAILING = ConcurrentHashMap.newKeySet();

  private JournalFaults() {}

  public static void failWrites(Path journalDir, boolean failing) {
    Path key = journalDir.toAbsolutePath().normalize();
    if (failing) {
      FAILING.add(key);
    } else {
      FAILING.remove(key);
    }
  }

  static void check(Path journalDir) throws IOException {
    if (!FAILING.isEmpty() && FAILING.contains(journalDir.toAbsolutePath().normalize())) {
      throw new IOException("No space left on device (injected for " + journalDir + ")");
    }
  }
}
