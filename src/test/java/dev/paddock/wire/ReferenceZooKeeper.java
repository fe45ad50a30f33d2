package dev.paddock.wire;

import java.nio.file.Path;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/** A real standalone ZooKeeper 3.9 (curator-test) with the same tick as Paddock's tests. */
final class ReferenceZooKeeper {
  private ReferenceZooKeeper() {}

  static TestingServer start(Path dir) throws Exception {
    // TTL nodes are off by default in ZooKeeper; Paddock always has them.
    System.setProperty("zookeeper.extendedTypesEnabled", "true");
    InstanceSpec spec = new InstanceSpec(dir.toFile(), -1, -1, -1, true, -1, 200, 1000);
    return new TestingServer(spec, true);
  }
}
