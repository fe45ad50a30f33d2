package dev.paddock.bench;

import java.util.Set;

/** Heap per znode after a full GC, and restart time until serving, with many znodes. */
final class MemoryBench {
  private MemoryBench() {}

  static void run(Cluster.ServerJvm jvm, Set<String> products, int znodes, int dataSize) {
    throw new UnsupportedOperationException("the memory scenario is not written yet");
  }
}
