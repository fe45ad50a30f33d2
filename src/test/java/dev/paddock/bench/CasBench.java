package dev.paddock.bench;

import java.time.Duration;
import java.util.Set;

/** Compare-and-set plus reads, one request at a time per client, with and without pauses. */
final class CasBench {
  private CasBench() {}

  static void run(Cluster.ServerJvm jvm, Set<String> products, Duration plain, Duration paused) {
    throw new UnsupportedOperationException("the cas scenario is not written yet");
  }
}
