package org.planetarymesh.discovery;

import java.util.Locale;

/** The DNS names a node uses in mDNS, made from its node name. */
final class MdnsNames {
    /** RFC 1035: a DNS label holds at most 63 bytes; so does a DNS-SD instance name (RFC 6763 §4.1.1). */
    static final int MAX_LABEL = 63;

    private MdnsNames() {
    }

    /**
     * The host label ({@code <label>.local.}) of the node's JmDNS: letters, digits and hyphens only. Node names
     * are unique in a mesh, so two nodes on one machine do not fight over one host name (which costs a
     * conflict round of probing).
     */
    static String hostLabel(String nodeName) {
        String label = nodeName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        label = label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL).replaceAll("-+$", "") : label;
        return label.isEmpty() ? "planetary-mesh-node" : label;
    }

    /** The DNS-SD instance name of a coordinator's advert: its node name, cut to 63 characters. */
    static String instanceName(String nodeName) {
        String name = nodeName.isBlank() ? "coordinator" : nodeName.strip();
        return name.length() > MAX_LABEL ? name.substring(0, MAX_LABEL) : name;
    }
}
