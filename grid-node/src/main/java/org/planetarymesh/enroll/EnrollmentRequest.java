package org.planetarymesh.enroll;

/**
 * What a node sends to the enrollment endpoint: one JSON object on one line, one per connection.
 *
 * @param type  {@value #ENROLL} (with a join token) or {@value #RENEW} (with the current certificate as TLS
 *              client certificate)
 * @param token for {@value #ENROLL}: the join token as printed
 * @param name  for {@value #ENROLL}: the node name the certificate should carry
 * @param role  for {@value #ENROLL}: {@code agent}, the only role enrollment issues (absent means agent)
 * @param csr   the PKCS#10 request in PEM, signed with the node's new key
 */
public record EnrollmentRequest(String type, String token, String name, String role, String csr) {
    public static final String ENROLL = "enroll";
    public static final String RENEW = "renew";

    static EnrollmentRequest enroll(JoinToken token, String name, String csr) {
        return new EnrollmentRequest(ENROLL, token.format(), name, "agent", csr);
    }

    static EnrollmentRequest renew(String csr) {
        return new EnrollmentRequest(RENEW, null, null, null, csr);
    }

    /** Never the token: requests end up in logs by accident. */
    @Override
    public String toString() {
        return "EnrollmentRequest[" + type + ", name=" + name + ", role=" + role + "]";
    }
}
