package dev.paddock.wire;

/**
 * One connection's figures for cons/stat/dump, in ZooKeeper's dumpConnectionInfo format. Its
 * connection actor writes; four-letter words read from other connections' actors.
 */
final class ConnectionStats {
  private final long id;
  private final String remote;
  private final long established = System.currentTimeMillis();
  private long sessionId;
  private int timeoutMs;
  private String lastOp = "NA";
  private long lastCxid = -1;
  private long lastZxid = -1;
  private long lastResponseTime;
  private long lastLatency;
  private final WireStats.Latency latency = new WireStats.Latency();
  private long received;
  private long sent;
  private int queued;
  private boolean reading = true;

  ConnectionStats(long id, String remote) {
    this.id = id;
    this.remote = remote;
  }

  long id() {
    return id;
  }

  String remote() {
    return remote;
  }

  synchronized void session(long sessionId, int timeoutMs) {
    this.sessionId = sessionId;
    this.timeoutMs = timeoutMs;
  }

  synchronized long sessionId() {
    return sessionId;
  }

  synchronized void received() {
    received++;
  }

  synchronized void sent() {
    sent++;
  }

  synchronized void queued(int n, boolean reading) {
    this.queued = n;
    this.reading = reading;
  }

  synchronized void responded(int cxid, long zxid, int opcode, long latencyMs) {
    // Pings and other negative xids leave lcxid alone, as in ZooKeeper.
    if (cxid >= 0) {
      lastCxid = cxid;
    }
    lastZxid = zxid;
    lastOp = OpCodes.lastOpName(opcode);
    lastResponseTime = System.currentTimeMillis();
    lastLatency = latencyMs;
    latency.add(latencyMs);
  }

  synchronized ClientPortStats.Connection view() {
    return new ClientPortStats.Connection(remote, reading, queued, received, sent, sessionId,
        timeoutMs, lastOp, established, lastCxid, lastZxid, lastResponseTime, lastLatency,
        latency.min(), latency.avgWhole(), latency.max());
  }

  /** crst. */
  synchronized void reset() {
    received = 0;
    sent = 0;
    lastCxid = -1;
    lastZxid = -1;
    lastOp = "NA";
    lastResponseTime = 0;
    lastLatency = 0;
    latency.reset();
  }

  /** ZooKeeper's ServerCnxn.dumpConnectionInfo, without the trailing newline. */
  synchronized String describe(boolean brief) {
    StringBuilder sb = new StringBuilder();
    sb.append(' ').append(remote).append('[').append(reading ? "1" : "0").append("](queued=")
        .append(queued).append(",recved=").append(received).append(",sent=").append(sent);
    if (!brief && sessionId != 0) {
      sb.append(",sid=0x").append(Long.toHexString(sessionId))
          .append(",lop=").append(lastOp)
          .append(",est=").append(established)
          .append(",to=").append(timeoutMs);
      if (lastCxid >= 0) {
        sb.append(",lcxid=0x").append(Long.toHexString(lastCxid));
      }
      sb.append(",lzxid=0x").append(Long.toHexString(lastZxid))
          .append(",lresp=").append(lastResponseTime)
          .append(",llat=").append(lastLatency)
          .append(",minlat=").append(latency.min())
          .append(",avglat=").append(latency.avgWhole())
          .append(",maxlat=").append(latency.max());
    }
    return sb.append(')').toString();
  }
}
