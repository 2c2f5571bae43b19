package org.planetarymesh.discovery;

import java.util.Objects;

/**
 * A coordinator found on the LAN: where its advert says it listens, and the advert.
 *
 * @param host   its IP address, as text
 * @param port   its member port
 * @param advert what its TXT record says
 */
public record FoundCoordinator(String host, int port, CoordinatorAdvert advert) {
    public FoundCoordinator {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(advert, "advert");
        CoordinatorAdvert.requirePort(port);
    }

    /** {@code host:port}, an IPv6 host in brackets, as {@code --join} takes it. */
    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
