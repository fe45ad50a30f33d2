package dev.paddock.session;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * One server's client limits and its request gate, shared by every front door of its actor
 * system: the client port's connections and the sessions of typed clients. Read from the
 * system's configuration (a node has checked it at start; a bad value here falls back to the
 * default rather than failing a running system).
 */
public final class ClientLoad implements Extension {
  private static final Id ID = new Id();

  private final ClientLimits limits;
  private final RequestGate gate;

  private ClientLoad(ClientLimits limits) {
    this.limits = limits;
    this.gate = new RequestGate(limits.maxRequests(), limits.maxRequestBytes());
  }

  public static ClientLoad get(ActorSystem<?> system) {
    return ID.get(Adapter.toClassic(system));
  }

  public ClientLimits limits() {
    return limits;
  }

  public RequestGate gate() {
    return gate;
  }

  private static final class Id extends AbstractExtensionId<ClientLoad> {
    @Override
    public ClientLoad createExtension(ExtendedActorSystem system) {
      ClientLimits limits;
      try {
        limits = ClientLimits.from(system.settings().config());
      } catch (ClientLimits.Invalid e) {
        system.log().warning("ignoring {}: {}", e.key(), e.getMessage());
        limits = ClientLimits.DEFAULT;
      }
      return new ClientLoad(limits);
    }
  }
}
