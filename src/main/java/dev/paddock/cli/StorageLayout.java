package dev.paddock.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * How a server lays out its storage, handed in by the node (which starts the tool): the
 * persistence ids and plugins of its log and tree snapshots, and the actor system configuration
 * that opens a data directory with them.
 *
 * @param systemConfig (data dir, log dir or null) to a configuration for a local actor system
 */
public record StorageLayout(String logId, String treeId, String journalPlugin,
    String snapshotPlugin, BiFunction<Path, Path, Config> systemConfig) {}
