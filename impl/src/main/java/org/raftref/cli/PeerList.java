package org.raftref.cli;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.raftref.runtime.client.RaftClient;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A list of nodes and their addresses, as written on the command line: {@code 1=127.0.0.1:7001,2=host:7002}.
 * Ids are positive and distinct; a host is a name, an IPv4 address or an IPv6 address in brackets
 * ({@code [::1]:7001}); a port is 1..65535. Used for {@code --peers} (where servers talk to each other) and
 * {@code --cluster} (where clients reach them).
 */
record PeerList(SortedMap<Integer, InetSocketAddress> nodes) {

  PeerList {
    nodes = Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the entry and what is wrong with it
   */
  static PeerList parse(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("the list is empty; expected ID=HOST:PORT,ID=HOST:PORT,...");
    }
    SortedMap<Integer, InetSocketAddress> nodes = new TreeMap<>();
    for (String entry : text.split(",", -1)) {
      String item = entry.strip();
      int eq = item.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("entry \"" + item + "\" is not ID=HOST:PORT");
      }
      int id = parseId(item, item.substring(0, eq).strip());
      if (nodes.containsKey(id)) {
        throw new IllegalArgumentException("node id " + id + " appears twice");
      }
      nodes.put(id, parseAddress(item, item.substring(eq + 1).strip()));
    }
    return new PeerList(nodes);
  }

  private static int parseId(String entry, String digits) {
    try {
      int id = Integer.parseInt(digits);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("entry \"" + entry + "\": node id \"" + digits + "\" is not a positive integer");
  }

  private static InetSocketAddress parseAddress(String entry, String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("entry \"" + entry + "\": \"" + address + "\" is not HOST:PORT");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String digits = address.substring(colon + 1);
    int port;
    try {
      port = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("entry \"" + entry + "\": port \"" + digits + "\" is not in 1..65535");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("entry \"" + entry + "\": the host is empty");
    }
    InetSocketAddress resolved = new InetSocketAddress(host, port);
    if (resolved.isUnresolved()) {
      throw new IllegalArgumentException("entry \"" + entry + "\": host \"" + host + "\" cannot be resolved");
    }
    return resolved;
  }

  /** The address of node {@code id}, which must be in the list. */
  InetSocketAddress address(int id) {
    InetSocketAddress address = nodes.get(id);
    if (address == null) {
      throw new IllegalArgumentException("node " + id + " is not in " + this);
    }
    return address;
  }

  List<Integer> ids() {
    return List.copyOf(nodes.keySet());
  }

  Map<Integer, InetSocketAddress> asMap() {
    return nodes;
  }

  @Override
  public String toString() {
    return RaftClient.describe(nodes);
  }

  /** picocli's converter: a bad list becomes "Invalid value for option '--peers': ..." on one line. */
  static final class Converter implements ITypeConverter<PeerList> {
    @Override
    public PeerList convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(String.valueOf(e.getMessage()));
      }
    }
  }
}
