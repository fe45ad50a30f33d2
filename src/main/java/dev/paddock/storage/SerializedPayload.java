package dev.paddock.storage;

/** An object as Pekko serialization represents it: serializer id, string manifest and bytes. */
record SerializedPayload(int serializerId, String manifest, byte[] bytes) {}
