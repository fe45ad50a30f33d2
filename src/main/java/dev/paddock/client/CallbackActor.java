package dev.paddock.client;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Hands every message to a plain Java callback, so the facade can offer Consumer-style APIs. */
final class CallbackActor {
  private CallbackActor() {}

  static <T> Behavior<T> create(Consumer<T> callback) {
    return Behaviors.setup(ctx -> Behaviors.receiveMessage(m -> {
      try {
        callback.accept(m);
      } catch (RuntimeException e) {
        // A failing user callback must not stop later events from being delivered.
        ctx.getLog().warn("callback failed for {}", m, e);
      }
      return Behaviors.same();
    }));
  }
}
