package org.planetarymesh.enroll;

import org.planetarymesh.submitter.MeshException;

/**
 * A {@code HOST:PORT} to connect to: the enrollment endpoint, or a coordinator's member address.
 *
 * @param host a host name or IP address (an IPv6 address without brackets)
 * @param port 1 to 65535
 */
public record Endpoint(String host, int port) {
    public Endpoint {
        if (host == null || host.isBlank()) {
            throw new MeshException("an address needs a host");
        }
        if (port < 1 || port > 65_535) {
            throw new MeshException("port " + port + " of " + host + " is out of range (1 to 65535)");
        }
    }

    /** Reads {@code HOST:PORT} or {@code [IPv6]:PORT}. */
    public static Endpoint parse(String text) {
        String address = text == null ? "" : text.strip();
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new MeshException("'" + address + "' is not HOST:PORT");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new Endpoint(host, Integer.parseInt(address.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new MeshException("'" + address + "' is not HOST:PORT: the port is not a number");
        }
    }

    /** The same host at {@code port + offset}: the enrollment endpoint next to a member port. */
    public Endpoint plus(int offset) {
        return new Endpoint(host, port + offset);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
