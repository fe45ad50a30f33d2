package dev.paddock.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.HostProvider;
import org.apache.zookeeper.client.StaticHostProvider;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.Stat;

/**
 * One client of the cas scenario: its own session of the official client (synchronous API),
 * issuing one request at a time until stopped. Half the ops read a random key; the other half
 * compare-and-set it: getData for the version, then setData with that version. A CAS refused
 * with BadVersion is a completed op like a successful one; an error (connection loss, timeout,
 * ...) is not an op. An expired session is replaced by a new one.
 */
final class CasClient implements Runnable {
  static final int SESSION_TIMEOUT_MS = 10_000;
  /**
   * Bounds every synchronous request, so a server that keeps the connection alive but never
   * answers cannot hold a client for ever; longer than a pause, so a request only delayed by one
   * is not cut off. On expiry the client drops the connection and reconnects.
   */
  static final int REQUEST_TIMEOUT_MS = 10_000;
  private static final Duration CONNECT_WAIT = Duration.ofSeconds(30);
  /** After an error, so a client whose server fails every request at once does not spin. */
  private static final long ERROR_BACKOFF_MS = 10;

  private final int index;
  private final Cluster cluster;
  private final int pinned;
  private final List<String> keys;
  private final List<CasStats> windows;
  private final Random random;
  private final byte[] value;
  private final CountDownLatch stop;
  private volatile Handle zk;
  private volatile int firstServer = -1;
  private long writes;

  /** @param pinned the member this client's server list starts with */
  CasClient(int index, Cluster cluster, int pinned, List<String> keys, List<CasStats> windows,
      int dataSize, CountDownLatch stop) {
    this.index = index;
    this.cluster = cluster;
    this.pinned = pinned;
    this.keys = keys;
    this.windows = windows;
    this.random = new Random(1000L + index);
    this.value = new byte[dataSize];
    random.nextBytes(value);
    this.stop = stop;
  }

  /** Opens the first session; throws if none is established within 30 s. */
  void connect() throws Exception {
    zk = open(CONNECT_WAIT);
    if (zk == null) {
      throw new IllegalStateException("client " + index + ": no session with "
          + addresses() + " within " + CONNECT_WAIT.toSeconds() + " s");
    }
    firstServer = zk.member();
  }

  ZooKeeper handle() {
    return zk;
  }

  /** The member the first session connected to, or -1. */
  int firstServer() {
    return firstServer;
  }

  /** The member the current session is connected to now, or -1. */
  int currentServer() {
    Handle h = zk;
    return h == null ? -1 : h.member();
  }

  int negotiatedTimeout() {
    Handle h = zk;
    return h == null ? -1 : h.getSessionTimeout();
  }

  @Override
  public void run() {
    while (stop.getCount() > 0) {
      String key = keys.get(random.nextInt(keys.size()));
      boolean read = random.nextBoolean();
      long start = System.nanoTime();
      try {
        if (read) {
          zk.getData(key, false, null);
          done(CasStats.Kind.READ, start);
        } else {
          Stat stat = new Stat();
          zk.getData(key, false, stat);
          bump();
          try {
            zk.setData(key, value, stat.getVersion());
            done(CasStats.Kind.CAS_OK, start);
          } catch (KeeperException.BadVersionException e) {
            done(CasStats.Kind.CAS_FAIL, start);
          }
        }
      } catch (KeeperException.SessionExpiredException e) {
        error("SESSIONEXPIRED");
        renew();
      } catch (KeeperException e) {
        error(e.code().name());
        backOff();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        error(e.getClass().getSimpleName());
        backOff();
      }
    }
  }

  /** Closes the session, waiting at most {@code maxMs} for the server to confirm. */
  void close(int maxMs) {
    Handle h = zk;
    if (h != null) {
      try {
        h.close(maxMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void done(CasStats.Kind kind, long start) {
    long now = System.nanoTime();
    for (CasStats w : windows) {
      if (w.covers(now)) {
        w.op(kind, index, start, now);
      }
    }
  }

  private void error(String kind) {
    long now = System.nanoTime();
    for (CasStats w : windows) {
      if (w.covers(now)) {
        w.error(kind);
      }
    }
  }

  private void event(Watcher.Event.KeeperState state) {
    long now = System.nanoTime();
    for (CasStats w : windows) {
      if (w.covers(now) && state == Watcher.Event.KeeperState.Disconnected) {
        w.disconnected();
      }
    }
  }

  private void bump() {
    writes++;
    for (int i = 0; i < 8; i++) {
      value[i] = (byte) (writes >>> (8 * i));
    }
  }

  private void backOff() {
    try {
      stop.await(ERROR_BACKOFF_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A new session in place of an expired one, retried until one is established or stopped. */
  private void renew() {
    Handle old = zk;
    Thread closer = new Thread(() -> {
      try {
        old.close(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "cas-close-" + index);
    closer.setDaemon(true);
    closer.start();
    while (stop.getCount() > 0) {
      try {
        Handle h = open(CONNECT_WAIT);
        if (h != null) {
          zk = h;
          long now = System.nanoTime();
          for (CasStats w : windows) {
            if (w.covers(now)) {
              w.newSession();
            }
          }
          return;
        }
        error("no-session-in-30s");
      } catch (IOException | RuntimeException e) {
        error("connect:" + e.getClass().getSimpleName());
        backOff();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A session whose server list starts with {@link #pinned}, or null after {@code wait}. */
  private Handle open(Duration wait) throws IOException, InterruptedException {
    List<InetSocketAddress> servers = addresses();
    ZKClientConfig config = new ZKClientConfig();
    config.setProperty(ZKClientConfig.ZOOKEEPER_REQUEST_TIMEOUT,
        Integer.toString(REQUEST_TIMEOUT_MS));
    CountDownLatch connected = new CountDownLatch(1);
    Handle h = new Handle(servers, pinnedFirst(servers, servers.get(pinned)), e -> {
      if (e.getType() == Watcher.Event.EventType.None) {
        if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
          connected.countDown();
        }
        event(e.getState());
      }
    }, config);
    long deadline = System.nanoTime() + wait.toNanos();
    while (!connected.await(200, TimeUnit.MILLISECONDS)) {
      if (System.nanoTime() - deadline > 0 || stop.getCount() == 0) {
        h.close(1000);
        return null;
      }
    }
    return h;
  }

  private List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (Cluster.Member m : cluster.members) {
      out.add(InetSocketAddress.createUnresolved("127.0.0.1", m.clientPort()));
    }
    return out;
  }

  /**
   * The official host provider (it shuffles its list with a seeded Random and fails over in
   * that order), with a seed that puts {@code first} first: the clients start spread over the
   * servers, yet behave as any client given the whole ensemble.
   */
  private static HostProvider pinnedFirst(List<InetSocketAddress> servers,
      InetSocketAddress first) {
    for (long seed = 0; seed < 10_000; seed++) {
      StaticHostProvider p = new StaticHostProvider(servers, seed);
      if (p.getServerAtIndex(0).getPort() == first.getPort()) {
        return p;
      }
    }
    throw new IllegalStateException("no seed puts " + first + " first");
  }

  /** The official client, able to say which server it is connected to. */
  private final class Handle extends ZooKeeper {
    Handle(List<InetSocketAddress> servers, HostProvider hosts, Watcher watcher,
        ZKClientConfig config) throws IOException {
      super(String.join(",", servers.stream().map(a -> a.getHostString() + ":" + a.getPort())
          .toList()), SESSION_TIMEOUT_MS, watcher, false, hosts, config);
    }

    int member() {
      SocketAddress a = testableRemoteSocketAddress();
      if (!(a instanceof InetSocketAddress remote)) {
        return -1;
      }
      for (int i = 0; i < cluster.members.size(); i++) {
        if (cluster.members.get(i).clientPort() == remote.getPort()) {
          return i;
        }
      }
      return -1;
    }
  }
}
