package dev.paddock.node;

/** One ensemble member as configured. */
public record ServerSpec(int id, String host, int peerPort, int clientPort, boolean observer) {}
