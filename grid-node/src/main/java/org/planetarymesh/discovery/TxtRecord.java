package org.planetarymesh.discovery;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The DNS-SD TXT record of a coordinator advert: {@code mesh}, {@code ca} (absent for a plaintext mesh),
 * {@code node}, {@code role=coordinator} and, when enrollment is offered, {@code enroll}.
 *
 * <p>Anyone on the LAN can send any TXT record, so {@link #parse} takes nothing on trust: a record that is not
 * a well-formed coordinator advert is not one.
 */
public final class TxtRecord {
    public static final String MESH = "mesh";
    public static final String CA = "ca";
    public static final String NODE = "node";
    public static final String ROLE = "role";
    public static final String ENROLL = "enroll";
    public static final String COORDINATOR = "coordinator";

    /** RFC 6763 §6.1: one {@code key=value} string holds at most 255 bytes. */
    static final int MAX_ENTRY_BYTES = 255;
    private static final Pattern FINGERPRINT = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private TxtRecord() {
    }

    /** The TXT entries of {@code advert}, in a fixed order. */
    public static Map<String, String> of(CoordinatorAdvert advert) {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put(MESH, advert.mesh());
        advert.caFingerprint().ifPresent(ca -> txt.put(CA, ca));
        txt.put(NODE, advert.node());
        txt.put(ROLE, COORDINATOR);
        advert.enrollPort().ifPresent(port -> txt.put(ENROLL, String.valueOf(port)));
        txt.forEach((key, value) -> {
            if ((key + "=" + value).getBytes(StandardCharsets.UTF_8).length > MAX_ENTRY_BYTES) {
                throw new IllegalArgumentException("the TXT entry '" + key + "' is longer than " + MAX_ENTRY_BYTES
                        + " bytes");
            }
        });
        return Collections.unmodifiableMap(txt);
    }

    /**
     * The coordinator advert in a TXT record; empty unless the record says {@code role=coordinator} and carries a
     * mesh name, and its {@code ca} (if any) is a SHA-256 fingerprint and its {@code enroll} (if any) a port. An
     * empty {@code ca} means a plaintext mesh; a missing {@code node} reads as empty.
     */
    public static Optional<CoordinatorAdvert> parse(Map<String, String> txt) {
        String mesh = txt.get(MESH);
        if (!COORDINATOR.equals(txt.get(ROLE)) || mesh == null || mesh.isBlank()) {
            return Optional.empty();
        }
        String ca = txt.getOrDefault(CA, "").trim().toLowerCase(Locale.ROOT);
        if (!ca.isEmpty() && !FINGERPRINT.matcher(ca).matches()) {
            return Optional.empty();
        }
        OptionalInt enroll = OptionalInt.empty();
        String enrollText = txt.get(ENROLL);
        if (enrollText != null && !enrollText.isEmpty()) {
            if (!PORT.matcher(enrollText).matches()) {
                return Optional.empty();
            }
            int port = Integer.parseInt(enrollText);
            if (port < 1 || port > 65535) {
                return Optional.empty();
            }
            enroll = OptionalInt.of(port);
        }
        return Optional.of(new CoordinatorAdvert(mesh, Optional.of(ca), txt.getOrDefault(NODE, ""), enroll));
    }
}
