package dev.paddock.api;

/** A znode's metadata exactly as ZooKeeper reports it to clients. */
public record Stat(
    long czxid,
    long mzxid,
    long ctime,
    long mtime,
    int version,
    int cversion,
    int aversion,
    long ephemeralOwner,
    int dataLength,
    int numChildren,
    long pzxid) {}
