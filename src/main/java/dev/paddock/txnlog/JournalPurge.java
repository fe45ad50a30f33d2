package dev.paddock.txnlog;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;

/**
 * Deletes a prefix of one persistence id's journal. Typed persistence only deletes events as a
 * side effect of its count-based snapshot retention, which cannot express "everything up to the
 * oldest tree snapshot we keep", so the log asks its journal plugin directly with the same
 * message the persistence runtime itself sends. Nothing waits for the journal's answer, because a
 * purge that does not happen only costs disk space until the next one.
 */
final class JournalPurge {
  private final ActorContext<?> ctx;
  private final String persistenceId;
  private final String journalPluginId;

  JournalPurge(ActorContext<?> ctx, String persistenceId, String journalPluginId) {
    this.ctx = ctx;
    this.persistenceId = persistenceId;
    this.journalPluginId = journalPluginId;
  }

  String journalPluginId() {
    return journalPluginId;
  }

  void deleteTo(long sequenceNr) {
    org.apache.pekko.actor.ActorRef journal = Persistence.get(Adapter.toClassic(ctx.getSystem()))
        .journalFor(journalPluginId, ConfigFactory.empty());
    org.apache.pekko.actor.ActorRef ignore = Adapter.toClassic(ctx.getSystem().ignoreRef());
    journal.tell(new JournalProtocol.DeleteMessagesTo(persistenceId, sequenceNr, ignore), ignore);
    ctx.getLog().info("purged transaction log events up to sequence number {}", sequenceNr);
  }
}
