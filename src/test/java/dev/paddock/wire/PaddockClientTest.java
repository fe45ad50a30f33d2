package dev.paddock.wire;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The client contract against Paddock's client port. */
class PaddockClientTest {
  @TempDir static Path dir;
  static PaddockServer server;

  @BeforeAll
  static void start() {
    server = PaddockServer.start(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Nested
  class NodeOps extends NodeOpsContract {
    @Override
    String connectString() {
      return server.connectString();
    }
  }

  @Nested
  class Watches extends WatchContract {
    @Override
    String connectString() {
      return server.connectString();
    }
  }

  @Nested
  class AclsAndMulti extends AclMultiContract {
    @Override
    String connectString() {
      return server.connectString();
    }
  }

  @Nested
  class Sessions extends SessionContract {
    @Override
    String connectString() {
      return server.connectString();
    }

    @Override
    int port() {
      return server.port;
    }
  }

  @Nested
  class RawProtocol extends RawProtocolContract {
    @Override
    String connectString() {
      return server.connectString();
    }

    @Override
    int port() {
      return server.port;
    }
  }
}
