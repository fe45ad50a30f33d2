package dev.paddock.api;

/**
 * A fired watch: what happened to which path, and the zxid of the change that fired it
 * (ZooKeeper's notification header carries that zxid).
 */
public record WatchEvent(EventType type, String path, long zxid) {}
