package dev.paddock.bench;

import dev.paddock.api.Acl;
import dev.paddock.tree.DataTree;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What applying one committed txn to the tree costs, in this JVM: creates of 100-byte znodes,
 * a thousand under each parent as in the memory scenario, then setData on them, then getData.
 * Every server applies every txn, and the leader runs the same node changes once more when it
 * prepares a request, so this is a floor under the CPU each write takes. Txns are built before
 * the clock starts; each round takes a fresh tree, and the figures are the best and the median
 * round.
 */
final class TreeApplyBench {
  private static final int ROUNDS = 8;
  private static final int CHILDREN = 1000;

  private TreeApplyBench() {}

  static void run(int znodes) {
    int parents = Math.max(1, znodes / CHILDREN);
    System.out.println("\n=== tree: applying txns to one tree in the benchmark's JVM, "
        + parents * CHILDREN + " znodes x 100 B, " + ROUNDS + " rounds ===");
    double[][] us = new double[3][ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      List<TxnEntry> creates = new ArrayList<>();
      List<TxnEntry> sets = new ArrayList<>();
      List<String> paths = new ArrayList<>();
      long zxid = 0x1_0000_0000L;
      creates.add(create(++zxid, "/bench", new byte[0], 1));
      for (int p = 0; p < parents; p++) {
        String parent = "/bench/p" + p;
        creates.add(create(++zxid, parent, new byte[0], p + 2));
        for (int c = 0; c < CHILDREN; c++) {
          String path = String.format(Locale.ROOT, "%s/n%010d", parent, c);
          paths.add(path);
          creates.add(create(++zxid, path, new byte[100], c + 1));
        }
      }
      for (int i = 0; i < paths.size(); i++) {
        // A stride through the parents, so consecutive changes touch different leaves.
        String path = paths.get((int) ((i * 7919L) % paths.size()));
        sets.add(new TxnEntry(++zxid, 1, i, 1, new Txn.SetData(path, new byte[100], -1)));
      }
      DataTree tree = new DataTree();
      long t0 = System.nanoTime();
      for (TxnEntry e : creates) {
        tree.apply(e);
      }
      long t1 = System.nanoTime();
      for (TxnEntry e : sets) {
        tree.apply(e);
      }
      long t2 = System.nanoTime();
      long found = 0;
      for (int i = 0; i < paths.size(); i++) {
        found += tree.get(paths.get((int) ((i * 7919L) % paths.size()))).dataLength();
      }
      long t3 = System.nanoTime();
      if (found != 100L * paths.size()) {
        throw new IllegalStateException("a znode went missing: " + found + " bytes read");
      }
      us[0][round] = (t1 - t0) / 1e3 / creates.size();
      us[1][round] = (t2 - t1) / 1e3 / sets.size();
      us[2][round] = (t3 - t2) / 1e3 / paths.size();
    }
    String[] ops = {"create", "setData", "getData (lookup only)"};
    for (int i = 0; i < ops.length; i++) {
      double[] sorted = us[i].clone();
      Arrays.sort(sorted);
      System.out.printf(Locale.ROOT, "%-22s best %.2f us/txn, median %.2f us/txn%n", ops[i],
          sorted[0], sorted[ROUNDS / 2]);
    }
  }

  private static TxnEntry create(long zxid, String path, byte[] data, int parentCreateCount) {
    // A list equal to the open ACL but not the shared instance, as a txn read from the log has.
    return new TxnEntry(zxid, 1, (int) zxid, 1, new Txn.Create(path, data,
        new ArrayList<>(Acl.OPEN_ACL_UNSAFE), 0, parentCreateCount));
  }
}
