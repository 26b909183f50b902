package org.raftref.cli;

import java.security.SecureRandom;
import java.time.Duration;
import org.raftref.runtime.client.RaftClient;
import picocli.CommandLine.Option;

/** The options every client command shares: where the cluster is, and how long to try. */
final class ClientOptions {

  /** The clients' addresses of the cluster that {@code raftref cluster start} starts by default. */
  static final String DEFAULT_CLUSTER = "1=127.0.0.1:8001,2=127.0.0.1:8002,3=127.0.0.1:8003";

  @Option(names = "--cluster", paramLabel = "ID=HOST:PORT,...", converter = PeerList.Converter.class,
      defaultValue = DEFAULT_CLUSTER,
      description = "The nodes' client addresses (default: ${DEFAULT-VALUE}, the default local cluster).")
  PeerList cluster = PeerList.parse(DEFAULT_CLUSTER);

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
      description = "Give up after this long without a leader applying the command (default: ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofSeconds(10);

  /** How long to wait for one node's reply before trying another. */
  Duration attemptTimeout() {
    return timeout.compareTo(Duration.ofSeconds(3)) < 0 ? timeout : Duration.ofSeconds(3);
  }

  RaftClient raftClient() {
    return new RaftClient(cluster.asMap(), attemptTimeout());
  }

  KvClient kvClient() {
    return new KvClient(raftClient(), new SecureRandom().nextLong());
  }
}
