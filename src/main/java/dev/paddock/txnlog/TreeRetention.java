package dev.paddock.txnlog;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;

/**
 * What the tree snapshotter deletes once a snapshot is durable: every marker event up to it
 * (a marker only says a save was asked for) and the snapshots beyond the newest {@code keep}.
 * Each marker has its own snapshot, under the marker's sequence number, so the ones to keep are
 * the last {@code keep} sequence numbers. Asked of the plugins directly with the messages the
 * persistence runtime itself sends; nothing waits for the answer, as a deletion that does not
 * happen only costs disk space until the next one.
 */
final class TreeRetention {
  private final ActorContext<?> ctx;
  private final String persistenceId;
  private final String journalPluginId;
  private final String snapshotPluginId;
  private final int keep;

  TreeRetention(ActorContext<?> ctx, String persistenceId, String journalPluginId,
      String snapshotPluginId, int keep) {
    this.ctx = ctx;
    this.persistenceId = persistenceId;
    this.journalPluginId = journalPluginId;
    this.snapshotPluginId = snapshotPluginId;
    this.keep = keep;
  }

  void afterSnapshot(long sequenceNr) {
    Persistence persistence = Persistence.get(Adapter.toClassic(ctx.getSystem()));
    org.apache.pekko.actor.ActorRef ignore = Adapter.toClassic(ctx.getSystem().ignoreRef());
    persistence.journalFor(journalPluginId, ConfigFactory.empty())
        .tell(new JournalProtocol.DeleteMessagesTo(persistenceId, sequenceNr, ignore), ignore);
    if (sequenceNr > keep) {
      persistence.snapshotStoreFor(snapshotPluginId, ConfigFactory.empty())
          .tell(new SnapshotProtocol.DeleteSnapshots(persistenceId,
              SnapshotSelectionCriteria.create(sequenceNr - keep, Long.MAX_VALUE)), ignore);
    }
  }
}
