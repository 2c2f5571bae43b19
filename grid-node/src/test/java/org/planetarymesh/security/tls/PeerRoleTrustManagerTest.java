package org.planetarymesh.security.tls;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

class PeerRoleTrustManagerTest {
    private static final String AUTH = "EC";
    private static final String SERVER_AUTH = "ECDHE_ECDSA";

    private final TestPki meshCa = TestPki.newCa("mesh-ca");
    private final PeerRoleTrustManager members =
            new PeerRoleTrustManager(pkix(meshCa), MeshRoles.MEMBERS, MeshRoles.MEMBERS);

    @Test
    void when_theConnectingPeerIsACoordinatorOrAnAgent_then_aMemberEndpointTrustsIt() {
        for (String role : MeshRoles.MEMBERS) {
            assertThatCode(() -> members.checkClientTrusted(chain("n1", role), AUTH, (SSLEngine) null))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void when_theConnectingPeerHasAClientCertificate_then_aMemberEndpointRefusesItNamingTheRole() {
        X509Certificate[] alice = chain("alice", MeshRoles.CLIENT);
        assertThatThrownBy(() -> members.checkClientTrusted(alice, AUTH, (SSLEngine) null))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("connecting peer").hasMessageContaining("CN=alice")
                .hasMessageContaining("has the role client").hasMessageContaining("accepts agent or coordinator");
    }

    @Test
    void when_theServerHasAClientCertificate_then_theConnectingSideRefusesIt() {
        X509Certificate[] alice = chain("alice", MeshRoles.CLIENT);
        assertThatThrownBy(() -> members.checkServerTrusted(alice, SERVER_AUTH, (SSLEngine) null))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("server's certificate").hasMessageContaining("has the role client");
    }

    @Test
    void when_theCertificateCarriesNoRole_then_itIsRefusedInBothDirections() {
        X509Certificate[] roleless = chain("ghost", null);
        assertThatThrownBy(() -> members.checkClientTrusted(roleless, AUTH, (SSLEngine) null))
                .isInstanceOf(CertificateException.class).hasMessageContaining("carries no mesh role");
        assertThatThrownBy(() -> members.checkServerTrusted(roleless, SERVER_AUTH))
                .isInstanceOf(CertificateException.class).hasMessageContaining("carries no mesh role");
    }

    @Test
    void when_theEndpointAcceptsAnyRole_then_aClientCertificateIsTrustedButARolelessOneIsNot() throws Exception {
        PeerRoleTrustManager clientPort = new PeerRoleTrustManager(pkix(meshCa), MeshRoles.ANY_MESH_ROLE, null);
        clientPort.checkClientTrusted(chain("alice", MeshRoles.CLIENT), AUTH, (SSLEngine) null);
        assertThatThrownBy(() -> clientPort.checkClientTrusted(chain("ghost", null), AUTH, (SSLEngine) null))
                .isInstanceOf(CertificateException.class).hasMessageContaining("carries no mesh role");
    }

    @Test
    void when_aDirectionIsNotChecked_then_onlyPkixApplies() throws Exception {
        PeerRoleTrustManager unchecked = new PeerRoleTrustManager(pkix(meshCa), null, null);
        unchecked.checkServerTrusted(chain("ghost", null), SERVER_AUTH, (SSLEngine) null);
        unchecked.checkClientTrusted(chain("alice", MeshRoles.CLIENT), AUTH);
    }

    @Test
    void when_theChainComesFromAnotherCa_then_pkixRefusesItWhateverItsRole() {
        X509Certificate[] foreign = chain(TestPki.newCa("other-ca"), "n1", MeshRoles.COORDINATOR);
        assertThatThrownBy(() -> members.checkClientTrusted(foreign, AUTH, (SSLEngine) null))
                .isInstanceOf(CertificateException.class).hasMessageNotContaining("role");
    }

    private X509Certificate[] chain(String name, String role) {
        return chain(meshCa, name, role);
    }

    private static X509Certificate[] chain(TestPki ca, String name, String role) {
        TestPki.Leaf leaf = ca.leaf(name, role);
        return new X509Certificate[] {leaf.certificate(), leaf.ca()};
    }

    private static X509ExtendedTrustManager pkix(TestPki ca) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("mesh-ca", ca.caCertificate());
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
