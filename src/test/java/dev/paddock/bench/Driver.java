package dev.paddock.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client session issuing asynchronous requests: the typed Paddock client or the official
 * ZooKeeper client. Every call returns at once; {@code done} gets null on success or the name of
 * the error (a ZooKeeper error code, or a local failure).
 */
interface Driver extends AutoCloseable {
  interface Done {
    void done(String error);
  }

  /** Opens one session to the servers, tried in the order given. */
  interface Connector {
    Driver connect(List<String> servers) throws Exception;
  }

  /**
   * A kind of client: how it connects, whether it talks to a server's typed-client port
   * or its client port (the ZooKeeper wire protocol; {@code secure}: its TLS client port), and
   * its description for the tables.
   */
  record Factory(Connector connector, boolean typedPort, String describe, boolean secure) {
    Factory(Connector connector, boolean typedPort, String describe) {
      this(connector, typedPort, describe, false);
    }

    Driver connect(List<String> servers) throws Exception {
      return connector.connect(servers);
    }

    String address(Cluster cluster, int member) {
      return typedPort ? cluster.typedAddress(member)
          : secure ? cluster.secureClientAddress(member) : cluster.clientAddress(member);
    }
  }

  void create(String path, byte[] data, Done done);

  void setData(String path, byte[] data, Done done);

  void getData(String path, Done done);

  @Override
  void close();

  /** Creates a node and waits; an existing node counts as success. */
  static void ensure(Driver d, String path, Duration max) throws Exception {
    CompletableFuture<String> f = new CompletableFuture<>();
    d.create(path, new byte[0], f::complete);
    String err = f.get(max.toMillis(), TimeUnit.MILLISECONDS);
    if (err != null && !err.contains("NODE_EXISTS") && !err.contains("NODEEXISTS")) {
      throw new IllegalStateException("create " + path + " failed: " + err);
    }
  }
}
