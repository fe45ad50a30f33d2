package dev.paddock.admin;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Where this actor system's admin server listens, once it does (a configured port 0 picks a
 * free one). Completes exceptionally when the server could not bind.
 */
public final class AdminBinding {
  private final CompletableFuture<InetSocketAddress> address = new CompletableFuture<>();

  AdminBinding() {}

  public static CompletionStage<InetSocketAddress> of(ActorSystem<?> system) {
    return Registry.ID.get(Adapter.toClassic(system)).binding.address;
  }

  static AdminBinding get(ActorSystem<?> system) {
    return Registry.ID.get(Adapter.toClassic(system)).binding;
  }

  void bound(InetSocketAddress a) {
    address.complete(a);
  }

  void failed(Throwable t) {
    address.completeExceptionally(t);
  }

  static final class Registry implements Extension {
    static final RegistryId ID = new RegistryId();
    final AdminBinding binding = new AdminBinding();
  }

  static final class RegistryId extends AbstractExtensionId<Registry> {
    @Override
    public Registry createExtension(ExtendedActorSystem system) {
      return new Registry();
    }
  }
}
