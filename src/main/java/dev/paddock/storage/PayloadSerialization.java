package dev.paddock.storage;

import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.Serialization$;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Thin wrapper over Pekko's {@link SerializationExtension} so both plugins store payloads the
 * same way (serializer id + manifest + bytes) and never fall back to Java serialization of
 * their own structures.
 */
final class PayloadSerialization {
  private final ExtendedActorSystem system;
  private final org.apache.pekko.serialization.Serialization serialization;

  PayloadSerialization(ActorSystem system) {
    this.system = (ExtendedActorSystem) system;
    this.serialization = SerializationExtension.get(system);
  }

  /**
   * Throws (typically {@link java.io.NotSerializableException}) when no serializer is bound, so
   * the journal can reject just that write instead of failing the whole batch.
   */
  SerializedPayload serialize(Object value) {
    Serializer serializer = serialization.findSerializerFor(value);
    String manifest = Serializers.manifestFor(serializer, value);
    // Transport information lets serializers that embed ActorRefs produce full addresses.
    byte[] bytes =
        Serialization$.MODULE$.withTransportInformation(
            system, (scala.Function0<byte[]>) () -> serializer.toBinary(value));
    return new SerializedPayload(serializer.identifier(), manifest, bytes);
  }

  Object deserialize(SerializedPayload payload) {
    return serialization
        .deserialize(payload.bytes(), payload.serializerId(), payload.manifest())
        .get();
  }
}
