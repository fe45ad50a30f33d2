package dev.paddock.admin;

import dev.paddock.session.SessionTrackerActor;
import dev.paddock.session.DataTreeActor;
import dev.paddock.tree.TreeView;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What the admin server needs from the node it serves, handed in by the node (which imports
 * this package, not the other way round).
 */
public interface NodeAccess {

  /** Facts fixed at start-up. */
  NodeFacts facts();

  /** The server's current state; fails when the server does not answer in time. */
  CompletionStage<NodeStatus> status();

  /** Epochs and the last logged zxid; fails while storage is down. */
  CompletionStage<LogState> logState();

  /** Where the ZooKeeper client port listens; fails before it is bound. */
  CompletionStage<InetSocketAddress> clientPort();

  /** A session of this server for the console's changes, opened on first use. */
  CompletionStage<TreeWriter> writer();

  /**
   * Changes to the tree, made through a session like any client's: versions are checked and
   * failures carry ZooKeeper's error code in their message.
   */
  interface TreeWriter {
    CompletionStage<String> create(String path, byte[] data);

    /** @return the node's new data version */
    CompletionStage<Integer> setData(String path, byte[] data, int version);

    CompletionStage<Void> delete(String path, int version);
  }

  /**
   * @param role leader, follower, observer, standalone or looking, whether serving or not
   * @param tree null until the tree is recovered
   */
  record NodeStatus(boolean serving, String mode, String role, int myId, int leaderId,
      ActorRef<DataTreeActor.Command> tree, TreeView view,
      ActorRef<SessionTrackerActor.Command> sessions) {}

  record LogState(long acceptedEpoch, long currentEpoch, long lastLoggedZxid) {}

  /** One configured ensemble member; {@code admin} is its admin address, or null if unknown. */
  record Member(int id, String host, int peerPort, int clientPort, boolean observer,
      InetSocketAddress admin) {}

  /**
   * @param conf ZooKeeper's configuration keys (conf command) with this server's values
   * @param initialConfiguration the server's settings as text, secrets masked
   * @param members the ensemble; empty when standalone
   * @param journalPlugin and {@code snapshotPlugin}: config paths of the node's storage plugins
   */
  record NodeFacts(int myId, boolean standalone, Path dataDir, Path dataLogDir,
      int configuredClientPort, Map<String, Object> conf, String initialConfiguration,
      List<Member> members, String journalPlugin, String snapshotPlugin) {}
}
