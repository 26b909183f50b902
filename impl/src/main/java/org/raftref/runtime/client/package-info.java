/**
 * The client protocol: how programs outside the cluster propose commands and read a server's status.
 * {@link org.raftref.runtime.client.ClientWire} is the wire format (docs/runtime.md, "The client protocol"),
 * {@link org.raftref.runtime.client.ClientService} serves it for one server, and
 * {@link org.raftref.runtime.client.RaftClient} finds the leader and retries.
 */
package org.raftref.runtime.client;
