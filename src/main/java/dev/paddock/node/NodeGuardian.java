package dev.paddock.node;

import com.typesafe.config.Config;
import dev.paddock.admin.AdminServer;
import dev.paddock.admin.AdminSettings;
import dev.paddock.zab.CrashPoints;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root behavior of a node's actor system: the {@link QuorumPeer}, with the admin server
 * beside it when {@code paddock.admin.enabled}.
 */
public final class NodeGuardian {
  private NodeGuardian() {}

  public static Behavior<QuorumPeer.Command> create(Settings settings) {
    return Behaviors.setup(ctx -> {
      Config config = ctx.getSystem().settings().config();
      AdminSettings admin = AdminSettings.from(config);
      if (admin.enabled()) {
        ctx.spawn(AdminServer.create(admin,
            new NodeBridge(ctx.getSelf(), ctx.getSystem(), settings, admin, config)), "admin");
      }
      return QuorumPeer.create(settings, CrashPoints.NONE);
    });
  }
}
