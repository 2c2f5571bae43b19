package org.planetarymesh.discovery.hazelcast;

import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryStrategyFactory;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.planetarymesh.discovery.MdnsBrowser;

/**
 * Makes the {@link MdnsDiscoveryStrategy} of one member around a browser the node already runs. Given to the
 * config as an instance ({@code new DiscoveryStrategyConfig(factory)}), never found by the service loader, so each
 * member of a JVM gets its own browser.
 */
public final class MdnsDiscoveryStrategyFactory implements DiscoveryStrategyFactory {
    private final MdnsBrowser browser;

    public MdnsDiscoveryStrategyFactory(MdnsBrowser browser) {
        this.browser = Objects.requireNonNull(browser, "browser");
    }

    @Override
    public Class<? extends DiscoveryStrategy> getDiscoveryStrategyType() {
        return MdnsDiscoveryStrategy.class;
    }

    // The SPI's signature has the raw Comparable.
    @SuppressWarnings("rawtypes")
    @Override
    public DiscoveryStrategy newDiscoveryStrategy(DiscoveryNode discoveryNode, ILogger logger,
                                                  Map<String, Comparable> properties) {
        return new MdnsDiscoveryStrategy(logger, properties, browser);
    }

    @Override
    public Collection<PropertyDefinition> getConfigurationProperties() {
        return List.of();
    }
}
