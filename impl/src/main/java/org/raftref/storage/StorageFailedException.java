package org.raftref.storage;

/**
 * A write or an fsync failed earlier, or this storage was closed: it refuses every further operation.
 *
 * <p>After a failed fsync the kernel may already have dropped the dirty pages it could not write, so a
 * second fsync could report success for data that never reached the disk ("fsyncgate"). The only safe
 * continuation is the one a crash takes: stop the node, and restart it from what {@link Storage#load()}
 * finds on disk.
 */
public final class StorageFailedException extends StorageException {

  private static final long serialVersionUID = 1L;

  public StorageFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageFailedException(String message) {
    super(message);
  }
}
