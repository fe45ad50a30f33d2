package dev.paddock.txnlog;

import dev.paddock.txn.BytesIn;
import dev.paddock.txn.BytesOut;
import dev.paddock.txn.TxnCodec;
import dev.paddock.txn.TxnEntry;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/** Binary form of the journal's events, sharing the txn codec with peer messages. */
public final class LogEventSerializer extends SerializerWithStringManifest {
  public static final int ID = 7_430_001;

  private static final String BATCH = "B";
  private static final String EPOCH_ACCEPTED = "EA";
  private static final String EPOCH_CURRENT = "EC";
  private static final String TRUNCATED = "T";
  private static final String RESTORED = "R";
  private static final String CHECKPOINT = "C";
  private static final String TAKEN = "S";
  private static final String PURGED = "P";

  public LogEventSerializer(ExtendedActorSystem system) {}

  @Override
  public int identifier() {
    return ID;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof TxnLog.Batch) {
      return BATCH;
    } else if (o instanceof TxnLog.EpochAccepted) {
      return EPOCH_ACCEPTED;
    } else if (o instanceof TxnLog.EpochCurrent) {
      return EPOCH_CURRENT;
    } else if (o instanceof TxnLog.Truncated) {
      return TRUNCATED;
    } else if (o instanceof TxnLog.Restored) {
      return RESTORED;
    } else if (o instanceof TxnLog.Purged) {
      return PURGED;
    } else if (o instanceof TxnLog.Checkpoint) {
      return CHECKPOINT;
    } else if (o instanceof TreeSnapshotter.Taken) {
      return TAKEN;
    }
    throw new IllegalArgumentException("cannot serialize " + o.getClass());
  }

  @Override
  public byte[] toBinary(Object o) {
    BytesOut out = new BytesOut(128);
    try {
      if (o instanceof TxnLog.Batch b) {
        out.writeInt(b.entries().size());
        for (TxnEntry e : b.entries()) {
          TxnCodec.writeEntry(out, e);
        }
      } else if (o instanceof TxnLog.EpochAccepted e) {
        out.writeLong(e.epoch());
      } else if (o instanceof TxnLog.EpochCurrent e) {
        out.writeLong(e.epoch());
      } else if (o instanceof TxnLog.Truncated t) {
        out.writeLong(t.zxid());
      } else if (o instanceof TxnLog.Restored r) {
        out.writeLong(r.zxid());
      } else if (o instanceof TxnLog.Checkpoint c) {
        out.writeLong(c.acceptedEpoch());
        out.writeLong(c.currentEpoch());
        out.writeLong(c.lastZxid());
      } else if (o instanceof TreeSnapshotter.Taken t) {
        out.writeLong(t.zxid());
      } else if (o instanceof TxnLog.Purged p) {
        out.writeLong(p.zxid());
      } else {
        throw new IllegalArgumentException("cannot serialize " + o.getClass());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      BytesIn in = new BytesIn(bytes);
      return switch (manifest) {
        case BATCH -> {
          int n = TxnCodec.readCount(in);
          List<TxnEntry> entries = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            entries.add(TxnCodec.readEntry(in));
          }
          yield new TxnLog.Batch(entries);
        }
        case EPOCH_ACCEPTED -> new TxnLog.EpochAccepted(in.readLong());
        case EPOCH_CURRENT -> new TxnLog.EpochCurrent(in.readLong());
        case TRUNCATED -> new TxnLog.Truncated(in.readLong());
        case RESTORED -> new TxnLog.Restored(in.readLong());
        case CHECKPOINT -> new TxnLog.Checkpoint(in.readLong(), in.readLong(), in.readLong());
        case TAKEN -> new TreeSnapshotter.Taken(in.readLong());
        case PURGED -> new TxnLog.Purged(in.readLong());
        default -> throw new NotSerializableException("unknown manifest " + manifest);
      };
    } catch (IOException e) {
      NotSerializableException n = new NotSerializableException(
          "corrupt " + manifest + " event: " + e.getMessage());
      n.initCause(e);
      throw n;
    }
  }
}
