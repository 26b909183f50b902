package org.raftref.core;

/** A node's role (§5.1). Spelled as the spec's constants. */
public enum Role {
  Follower,
  Candidate,
  Leader
}
