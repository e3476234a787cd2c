package io.crema.transport.aeron;

/**
 * A UDP endpoint a node listens on: a host (name, IPv4 address, or bracketed IPv6 address) and a
 * port.
 *
 * @param host the host, as Aeron channel URIs accept it
 * @param port 1..65535
 */
public record Endpoint(String host, int port) {
  /**
   * @throws IllegalArgumentException if the host is blank or the port out of range
   */
  public Endpoint {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("endpoint host must not be blank, was '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port must be in 1..65535, was " + port);
    }
  }

  /**
   * Parses {@code host:port} (IPv6 as {@code [addr]:port}).
   *
   * @throws IllegalArgumentException naming the text when it is not of that form
   */
  public static Endpoint parse(String hostPort) {
    if (hostPort == null) {
      throw new IllegalArgumentException("endpoint must be host:port, was null");
    }
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("endpoint must be host:port, was '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon);
    if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
      throw new IllegalArgumentException(
          "IPv6 endpoint host must be in brackets ([addr]:port), was '" + hostPort + "'");
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "endpoint port must be a number, was '" + hostPort + "'", e);
    }
    return new Endpoint(host, port);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
