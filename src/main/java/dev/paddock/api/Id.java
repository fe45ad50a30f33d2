package dev.paddock.api;

/** An identity within an ACL scheme, e.g. ("digest", "alice:base64hash") or ("world", "anyone"). */
public record Id(String scheme, String id) {
  public static final Id ANYONE = new Id("world", "anyone");
  public static final Id AUTH_IDS = new Id("auth", "");
}
