package dev.paddock.txnlog;

import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;

/** About what a txn takes serialized: its data and paths, and a little for the rest. */
final class TxnSizes {
  private TxnSizes() {}

  static long of(TxnEntry e) {
    return 32 + of(e.txn());
  }

  private static long of(Txn t) {
    if (t instanceof Txn.Create c) {
      return 32 + c.path().length() + (c.data() == null ? 0 : c.data().length);
    } else if (t instanceof Txn.SetData s) {
      return 16 + s.path().length() + (s.data() == null ? 0 : s.data().length);
    } else if (t instanceof Txn.Multi m) {
      long sum = 8;
      for (Txn op : m.ops()) {
        sum += of(op);
      }
      return sum;
    } else if (t instanceof Txn.Delete d) {
      return 8 + d.path().length();
    }
    return 32;
  }
}
