package org.raftref.storage;

/**
 * A storage operation could not be done. The message is one line that names the file or directory and
 * what is wrong; it is meant to be shown to an operator as it is.
 */
public class StorageException extends Exception {

  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
