package dev.paddock.wire;

import java.nio.file.Path;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The same client contract against a real ZooKeeper: proves the expectations are its own. */
class ZooKeeperReferenceClientTest {
  @TempDir static Path dir;
  static TestingServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ReferenceZooKeeper.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Nested
  class NodeOps extends NodeOpsContract {
    @Override
    String connectString() {
      return server.getConnectString();
    }

    @Override
    boolean isPaddock() {
      return false;
    }
  }

  @Nested
  class Watches extends WatchContract {
    @Override
    String connectString() {
      return server.getConnectString();
    }

    @Override
    boolean isPaddock() {
      return false;
    }
  }

  @Nested
  class AclsAndMulti extends AclMultiContract {
    @Override
    String connectString() {
      return server.getConnectString();
    }

    @Override
    boolean isPaddock() {
      return false;
    }
  }

  @Nested
  class Sessions extends SessionContract {
    @Override
    String connectString() {
      return server.getConnectString();
    }

    @Override
    int port() {
      return server.getPort();
    }

    @Override
    boolean isPaddock() {
      return false;
    }
  }

  @Nested
  class RawProtocol extends RawProtocolContract {
    @Override
    String connectString() {
      return server.getConnectString();
    }

    @Override
    int port() {
      return server.getPort();
    }

    @Override
    boolean isPaddock() {
      return false;
    }
  }
}
