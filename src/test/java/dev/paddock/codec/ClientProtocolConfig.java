package dev.paddock.codec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The serializer lines for the client protocol, as proposed for reference.conf; tests add them
 * on top of their own configuration until reference.conf carries them.
 */
public final class ClientProtocolConfig {
  public static final String SERIALIZATION = String.join("\n",
      "pekko.actor {",
      "  serializers {",
      "    paddock-client = \"dev.paddock.codec.ClientProtocolSerializer\"",
      "  }",
      "  serialization-bindings {",
      "    \"dev.paddock.session.SessionTrackerActor$Connect\" = paddock-client",
      "    \"dev.paddock.session.SessionActor$Submit\" = paddock-client",
      "    \"dev.paddock.session.SessionActor$Ping\" = paddock-client",
      "    \"dev.paddock.session.SessionActor$AddAuth\" = paddock-client",
      "    \"dev.paddock.session.SessionOutput\" = paddock-client",
      "  }",
      "}");

  private ClientProtocolConfig() {}

  public static Config withSerialization(Config config) {
    return ConfigFactory.parseString(SERIALIZATION).withFallback(config);
  }
}
