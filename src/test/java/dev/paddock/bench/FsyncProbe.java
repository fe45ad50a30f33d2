package dev.paddock.bench;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Transactions per fsync (the group-commit ratio) of one server, read from the server itself
 * through four-letter words on its client port, from 1.5 s before a measurement window to its
 * end (see {@link Load}).
 *
 * <ul>
 *   <li>fsyncs: Paddock's {@code paddock_log_fsyncs} from mntr (one
 *       fsync per group commit); ZooKeeper's {@code zk_cnt_fsynctime} (one sample per fsync of
 *       the transaction log).
 *   <li>transactions: Paddock's {@code paddock_txns_logged} when mntr has it; otherwise the
 *       difference of srvr's {@code Zxid} (its low 32 bits count transactions within an epoch).
 * </ul>
 * Keys are matched with or without mntr's {@code zk_} prefix.
 */
final class FsyncProbe {
  private FsyncProbe() {}

  /** Counters of one server at one moment ({@code at}: wall clock, to match JFR events). */
  record Sample(boolean answered, long zxid, Map<String, String> mntr, Instant at) {}

  static Sample sample(Cluster c, int member) {
    int port = c.members.get(member).clientPort();
    Instant at = Instant.now();
    long zxid = FourLetter.zxid(port);
    Map<String, String> m = FourLetter.mntr(port);
    return new Sample(!m.isEmpty() || zxid >= 0, zxid, m, at);
  }

  /** Transactions between two samples from srvr's Zxid, or -1 if that cannot tell. */
  static long txns(Sample a, Sample b) {
    if (a == null || b == null || a.zxid() < 0 || b.zxid() < 0
        || (a.zxid() >>> 32) != (b.zxid() >>> 32)) {
      return -1;
    }
    return b.zxid() - a.zxid();
  }

  /** "12.3 (txns 45000 / fsyncs 3650)" or "n/a (why)". */
  static String ratio(Sample a, Sample b) {
    if (a == null || b == null) {
      return "n/a (not sampled)";
    }
    if (!a.answered() || !b.answered()) {
      return "n/a (the server's client port does not answer mntr/srvr)";
    }
    String fsyncKey = null;
    for (String k : new String[] {"paddock_log_fsyncs", "cnt_fsynctime"}) {
      if (value(a.mntr(), k) != null && value(b.mntr(), k) != null) {
        fsyncKey = k;
        break;
      }
    }
    if (fsyncKey == null) {
      return "n/a (mntr has no paddock_log_fsyncs or cnt_fsynctime; "
          + (txns(a, b) >= 0 ? txns(a, b) + " txns by srvr Zxid; " : "")
          + "--jfr counts fsyncs instead)";
    }
    long fsyncs = value(b.mntr(), fsyncKey) - value(a.mntr(), fsyncKey);
    long txns;
    String txnSource;
    Long la = value(a.mntr(), "paddock_txns_logged");
    Long lb = value(b.mntr(), "paddock_txns_logged");
    if (la != null && lb != null) {
      txns = lb - la;
      txnSource = "paddock_txns_logged";
    } else if (txns(a, b) >= 0) {
      txns = txns(a, b);
      txnSource = "srvr Zxid";
    } else {
      return "n/a (no transaction count: mntr has no paddock_txns_logged, srvr no usable Zxid)";
    }
    if (fsyncs <= 0) {
      return "n/a (" + fsyncKey + " did not move; " + txns + " txns)";
    }
    return String.format(Locale.ROOT, "%.1f  (%d txns [%s] / %d fsyncs [%s])",
        (double) txns / fsyncs, txns, txnSource, fsyncs, fsyncKey);
  }

  private static Long value(Map<String, String> m, String key) {
    for (Map.Entry<String, String> e : m.entrySet()) {
      String k = e.getKey();
      if (k.equals(key) || k.equals("zk_" + key)) {
        try {
          return (long) Double.parseDouble(e.getValue());
        } catch (NumberFormatException ex) {
          return null;
        }
      }
    }
    return null;
  }
}
