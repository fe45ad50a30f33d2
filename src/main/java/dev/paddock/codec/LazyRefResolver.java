package dev.paddock.codec;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * The typed ref resolver of a serializer's actor system. Serializers are made while the system
 * starts, before its typed view can be asked for, so it is looked up on first use.
 */
final class LazyRefResolver {
  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  LazyRefResolver(ExtendedActorSystem system) {
    this.system = system;
  }

  ActorRefResolver get() {
    ActorRefResolver r = resolver;
    if (r == null) {
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }
}
