package dev.paddock.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * One session of the official ZooKeeper 3.9.5 client (asynchronous API) on a client port; the
 * same code runs against Paddock and against ZooKeeper.
 */
final class WireDriver implements Driver {
  static final int SESSION_TIMEOUT_MS = 30_000;

  private final ZooKeeper zk;

  private WireDriver(ZooKeeper zk) {
    this.zk = zk;
  }

  static final Factory FACTORY = new Factory(WireDriver::connect, false,
      "official ZooKeeper 3.9.5 client, async API, on the client port");

  /** The same client on the servers' TLS client ports, presenting a client certificate. */
  static Factory overTls(BenchTls tls) {
    return new Factory(servers -> connect(servers, tls.clientConfig()), false,
        "official ZooKeeper 3.9.5 client (Netty), async API, on the TLS client port", true);
  }

  /** Several servers: the client picks among them (it shuffles its list) and fails over. */
  static WireDriver connect(List<String> servers) throws Exception {
    return connect(servers, new ZKClientConfig());
  }

  private static WireDriver connect(List<String> servers, ZKClientConfig config)
      throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(String.join(",", servers), SESSION_TIMEOUT_MS, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    }, config);
    if (!connected.await(SESSION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      zk.close(2000);
      throw new IllegalStateException("ZooKeeper client: no session with " + servers
          + " within " + SESSION_TIMEOUT_MS + " ms");
    }
    return new WireDriver(zk);
  }

  private static String error(int rc) {
    return rc == KeeperException.Code.OK.intValue() ? null : KeeperException.Code.get(rc).name();
  }

  @Override
  public void create(String path, byte[] data, Done done) {
    zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
        (rc, p, ctx, name) -> done.done(error(rc)), null);
  }

  @Override
  public void setData(String path, byte[] data, Done done) {
    zk.setData(path, data, -1, (rc, p, ctx, stat) -> done.done(error(rc)), null);
  }

  @Override
  public void getData(String path, Done done) {
    zk.getData(path, false, (rc, p, ctx, data, stat) -> done.done(error(rc)), null);
  }

  @Override
  public void close() {
    try {
      zk.close(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
