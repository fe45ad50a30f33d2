package dev.paddock.storage;

import java.io.IOException;

/**
 * Stored data failed validation in a way that cannot be repaired without risking the loss of
 * acknowledged writes. The message names the file and byte offset so an operator can inspect
 * the damage before deciding what to do; the plugins never repair such damage silently.
 */
public final class StorageCorruptedException extends IOException {
  private static final long serialVersionUID = 1L;

  public StorageCorruptedException(String message) {
    super(message);
  }

  public StorageCorruptedException(String message, Throwable cause) {
    super(message, cause);
  }
}
