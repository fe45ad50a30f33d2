package dev.paddock.wire;

import dev.paddock.session.ClientLimits;
import dev.paddock.session.DataTreeActor;
import dev.paddock.session.RequestGate;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.storage.JournalStats;
import dev.paddock.zab.ZabStats;
import dev.paddock.tree.TreeView;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What every connection of the client port shares: where sessions open, the tree for
 * four-letter words and the zxid of replies it writes itself, the server's current mode,
 * statistics, limits and the server's request gate.
 *
 * @param words four-letter words this server answers (the whitelist)
 * @param boundPort the port actually bound, for conf
 * @param secureBoundPort the TLS port actually bound, -1 without one
 */
record ClientPortEnv(
    ClientPortSettings settings,
    ActorRef<SessionTrackerActor.Command> sessions,
    ActorRef<DataTreeActor.Command> tree,
    TreeView view,
    Supplier<String> mode,
    WireStats stats,
    Set<String> words,
    int boundPort,
    int secureBoundPort,
    JournalStats journal,
    ZabStats leader,
    ClientLimits limits,
    RequestGate gate) {

  /**
   * Requests one connection may have in flight before it stops reading from its socket,
   * whatever room the server-wide gate has.
   */
  static final int MAX_OUTSTANDING = 1000;
}
