package dev.paddock.node;

/** Invalid configuration: names the key and what is wrong with it. */
public final class ConfigError extends RuntimeException {
  private final String key;

  public ConfigError(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
