package dev.paddock.wire;

import java.util.List;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * The client port's figures (ZooKeeper's ServerStats and per-connection stats) for the admin
 * server and metrics, one per actor system: the same counters the four-letter words print.
 */
public final class ClientPortStats {
  private final WireStats stats = new WireStats();
  private volatile int secureClientPort = -1;

  /** Receives every answered request's latency; must be quick and must not throw. */
  @FunctionalInterface
  public interface LatencyObserver {
    /** @param update whether ZooKeeper counts the request as an update rather than a read */
    void observe(boolean update, long millis);
  }

  /** ServerStats: packets, requests in flight, latency in whole milliseconds. */
  public record Summary(long packetsReceived, long packetsSent, long outstanding,
      int connections, long minLatency, double avgLatency, long maxLatency,
      long authFailed, long uptimeMillis, long traceMask) {}

  /** One connection, with the fields of ZooKeeper's connection info. */
  public record Connection(String remote, boolean reading, int queued, long packetsReceived,
      long packetsSent, long sessionId, int sessionTimeout, String lastOperation,
      long established, long lastCxid, long lastZxid, long lastResponseTime, long lastLatency,
      long minLatency, long avgLatency, long maxLatency) {}

  ClientPortStats() {}

  public static ClientPortStats get(ActorSystem<?> system) {
    return Registry.ID.get(Adapter.toClassic(system)).stats;
  }

  /** What srvr and mntr report as the version: the ZooKeeper protocol level Paddock speaks. */
  public static String version() {
    return FourLetterWords.VERSION;
  }

  /** Bytes in the files under {@code dir}, as conf and dirs count a data directory. */
  public static long directorySize(java.nio.file.Path dir) {
    return FourLetterWords.size(dir);
  }

  /** The TLS client port as bound, -1 while there is none: conf reports it. */
  public int secureClientPort() {
    return secureClientPort;
  }

  void secureClientPort(int port) {
    secureClientPort = port;
  }

  WireStats wire() {
    return stats;
  }

  public Summary summary() {
    WireStats.Latency l = stats.latency();
    return new Summary(stats.received(), stats.sent(), stats.outstanding(),
        stats.connectionCount(), l.min(), l.avg(), l.max(), stats.authFailedCount(),
        stats.uptimeMs(), stats.traceMask());
  }

  public List<Connection> connections() {
    return stats.connections().stream().map(ConnectionStats::view).toList();
  }

  /** srst. */
  public void reset() {
    stats.reset();
  }

  /** crst. */
  public void resetConnections() {
    stats.connections().forEach(ConnectionStats::reset);
  }

  public long traceMask() {
    return stats.traceMask();
  }

  public void traceMask(long mask) {
    stats.traceMask(mask);
  }

  public void onLatency(LatencyObserver observer) {
    stats.onLatency(observer);
  }

  static final class Registry implements Extension {
    static final RegistryId ID = new RegistryId();
    final ClientPortStats stats = new ClientPortStats();
  }

  static final class RegistryId extends AbstractExtensionId<Registry> {
    @Override
    public Registry createExtension(ExtendedActorSystem system) {
      return new Registry();
    }
  }
}
