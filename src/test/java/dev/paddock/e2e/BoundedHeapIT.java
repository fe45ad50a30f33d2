package dev.paddock.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.paddock.node.TestNodes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * node.jar with a 512 MiB heap takes 5,000 setData of 1 MiB on one node, pipelined deeper than
 * its request byte bound, without running out of memory; the live heap after collections stays
 * well under the maximum, and after kill -9 a restart (same heap) recovers the last write.
 */
class BoundedHeapIT {
  private static final int WRITES = 5000;
  private static final int DATA = 1 << 20;
  private static final long MIB = 1 << 20;

  @TempDir Path dir;

  @Test
  void fiveThousandOneMebibyteWritesInFiveHundredTwelveMebibytes() throws Exception {
    int[] ports = TestNodes.freePorts(2);
    int peerPort = ports[0];
    int clientPort = ports[1];
    Path conf = dir.resolve("node.conf");
    // The log keeps every txn since the newest snapshot in memory, and the leader its recent
    // history: snap-size-limit and the history's byte bound (64 MiB each by default) would
    // allow more than this heap has room for beside the tree, so a snapshot every 10 to 20
    // txns and a history of 20 keep both to a few dozen MiB here. max-buffer lets a request
    // carry 1 MiB of data plus its headers.
    Files.writeString(conf, "paddock {\n  data-dir = \"data\"\n  peer-port = " + peerPort
        + "\n  client-port = " + clientPort + "\n  typed-client-port = 0\n  snap-count = 20\n  diff-window = 20\n"
        + "  max-buffer = " + (DATA + 4096) + "\n}\n");
    try (NodeProcess node = new NodeProcess(conf, dir.resolve("node.log"), clientPort)) {
      node.start();
      node.awaitMode(Duration.ofSeconds(60), "standalone");
      Heap heap = new Heap(node.pid());
      AtomicLong liveMax = new AtomicLong();
      long acknowledged;
      try (ZooKeeper zk = connect(clientPort)) {
        zk.create("/big", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Semaphore window = new Semaphore(128);
        AtomicInteger done = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicInteger highestVersion = new AtomicInteger();
        for (int i = 1; i <= WRITES; i++) {
          assertTrue(window.tryAcquire(60, TimeUnit.SECONDS), "no reply within a minute");
          zk.setData("/big", stamped(i), -1, (rc, path, ctx, stat) -> {
            if (rc != 0) {
              failure.compareAndSet(null, "setData failed: " + KeeperException.Code.get(rc));
            } else {
              highestVersion.accumulateAndGet(stat.getVersion(), Math::max);
            }
            done.incrementAndGet();
            window.release();
          }, null);
          if (i % 500 == 0) {
            liveMax.accumulateAndGet(heap.liveAfterGc(), Math::max);
          }
        }
        assertTrue(window.tryAcquire(128, 120, TimeUnit.SECONDS), "replies outstanding");
        assertEquals(null, failure.get(), node.log());
        assertEquals(WRITES, done.get());
        assertEquals(WRITES, highestVersion.get());
        acknowledged = highestVersion.get();
        liveMax.accumulateAndGet(heap.liveAfterGc(), Math::max);
      }
      heap.close();
      System.out.printf("bounded heap: max live heap after GC %d MiB of %d MiB%n",
          liveMax.get() / MIB, heap.max / MIB);
      assertTrue(liveMax.get() > 0, "no heap figures read");
      // Each 1 MiB array is a humongous object that takes two 1 MiB regions of the heap, so
      // what is measured is about twice the data held: the requests in flight (bounded by
      // max-outstanding-request-bytes), the log's tail, the history, the batch being written.
      assertTrue(liveMax.get() < heap.max * 3 / 4, "live heap after collections: "
          + liveMax.get() / MIB + " MiB of " + heap.max / MIB);

      node.kill9();
      node.start();
      node.awaitMode(Duration.ofSeconds(120), "standalone");
      try (ZooKeeper zk = connect(clientPort)) {
        Stat stat = new Stat();
        byte[] data = zk.getData("/big", false, stat);
        assertEquals(acknowledged, stat.getVersion(), "the last acknowledged write survives");
        assertEquals(WRITES, ByteBuffer.wrap(data).getInt());
        assertEquals(DATA, data.length);
      }
    }
  }

  /** 1 MiB whose first bytes say which write it is. */
  private static byte[] stamped(int i) {
    byte[] data = new byte[DATA];
    ByteBuffer.wrap(data).putInt(i);
    return data;
  }

  /**
   * The node's heap through its MemoryMXBean, over the JDK's attach API: a collection first,
   * so that what is measured is what the node holds, not garbage it has yet to collect.
   */
  private static final class Heap implements AutoCloseable {
    private final JMXConnector connector;
    private final MemoryMXBean memory;
    final long max;

    Heap(long pid) throws Exception {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        connector = JMXConnectorFactory.connect(new JMXServiceURL(
            vm.startLocalManagementAgent()));
      } finally {
        vm.detach();
      }
      memory = ManagementFactory.newPlatformMXBeanProxy(
          connector.getMBeanServerConnection(), ManagementFactory.MEMORY_MXBEAN_NAME,
          MemoryMXBean.class);
      max = memory.getHeapMemoryUsage().getMax();
    }

    long liveAfterGc() {
      memory.gc();
      return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() throws IOException {
      connector.close();
    }
  }

  private static ZooKeeper connect(int port) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZKClientConfig config = new ZKClientConfig();
    // The client must read replies of 1 MiB of data plus headers.
    config.setProperty("jute.maxbuffer", String.valueOf(DATA + 8192));
    ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 30_000, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    }, config);
    if (!connected.await(30, TimeUnit.SECONDS)) {
      zk.close();
      throw new AssertionError("client did not connect");
    }
    return zk;
  }
}
