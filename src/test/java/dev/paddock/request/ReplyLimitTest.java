package dev.paddock.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.WatchManager;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads whose reply would exceed the limit fail before anything is assembled and leave no
 * watch behind; reads that fit, up to the limit, are served.
 */
class ReplyLimitTest {
  private static final int MIB = 1 << 20;
  private static final long LIMIT = 1_048_575 + ReplySize.HEADROOM;

  private final DataTree tree = new DataTree();
  private final WatchManager<String> watches = new WatchManager<>();
  private final TreeReads<String> reads = new TreeReads<>(tree, watches, LIMIT);
  private long counter;

  private void create(String path, byte[] data) {
    tree.apply(new TxnEntry(Zxid.of(1, ++counter), 1, 0, 0,
        new Txn.Create(path, data, Acl.OPEN_ACL_UNSAFE, 0, (int) counter)));
  }

  private Result read(Op.Read op) {
    return reads.read(op, "watcher", 1, List.of(), e -> { });
  }

  @Test
  void aMultiReadOfThousandsOfLargeNodesIsRefusedBeforeItIsBuilt() {
    create("/big", new byte[MIB - 200]);
    List<Op.Read> ops = new ArrayList<>(
        Collections.nCopies(3000, (Op.Read) new Op.GetData("/big", true)));
    Result r = read(new Op.MultiRead(ops));
    assertEquals(Code.MARSHALLING_ERROR, r.code());
    assertEquals(0, watches.watchCount(), "a refused read sets no watch");

    Result one = read(new Op.MultiRead(List.of(new Op.GetData("/big", true))));
    assertEquals(Code.OK, one.code());
    assertEquals(1, watches.watchCount());
    assertEquals(Code.OK, read(new Op.GetData("/big", false)).code());
  }

  @Test
  void theLimitFallsBetweenTheLastOpThatFitsAndTheNext() {
    create("/k", new byte[10_000]);
    // Reply: header 20, end header 9, then per op a 9-byte header, 4 + 10,000 data, 68 stat.
    long perOp = 9 + 4 + 10_000 + 68;
    int fits = (int) ((LIMIT - 20 - 9) / perOp);
    List<Op.Read> ops = new ArrayList<>(Collections.nCopies(fits,
        (Op.Read) new Op.GetData("/k", false)));
    Result ok = read(new Op.MultiRead(ops));
    assertInstanceOf(Result.Multi.class, ok);
    assertEquals(fits, ((Result.Multi) ok).results().size());
    ops.add(new Op.GetData("/k", false));
    assertEquals(Code.MARSHALLING_ERROR, read(new Op.MultiRead(ops)).code());
  }

  @Test
  void aChildListTooLongForOneReplyIsRefused() {
    create("/p", new byte[0]);
    // 64-character names: 68 bytes each in the reply; 16,000 of them are over 1 MiB.
    String pad = "x".repeat(58);
    for (int i = 0; i < 16_000; i++) {
      create(String.format("/p/%s%05d", pad, i), null);
    }
    assertEquals(Code.MARSHALLING_ERROR, read(new Op.GetChildren("/p", true)).code());
    assertEquals(0, watches.watchCount());
    assertEquals(Code.OK, read(new Op.GetData("/p", false)).code());
  }
}
