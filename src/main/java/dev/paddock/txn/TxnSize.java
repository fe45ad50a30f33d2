package dev.paddock.txn;

/** Rough in-memory / on-wire size of a txn, for batching and bounds. */
public final class TxnSize {
  private TxnSize() {}

  public static long of(TxnEntry e) {
    return 64 + of(e.txn());
  }

  private static long of(Txn t) {
    if (t instanceof Txn.Create c) {
      return c.key().length * 2L + (c.data() == null ? 0 : c.data().length) + 32;
    } else if (t instanceof Txn.SetData s) {
      return s.path().length() * 2L + (s.data() == null ? 0 : s.data().length);
    } else if (t instanceof Txn.Multi m) {
      long sum = 0;
      for (Txn op : m.ops()) {
        sum += of(op);
      }
      return sum;
    } else if (t instanceof Txn.Delete d) {
      return d.path().length() * 2L;
    }
    return 16;
  }
}
