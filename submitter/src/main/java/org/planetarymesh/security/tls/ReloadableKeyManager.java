package org.planetarymesh.security.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.planetarymesh.submitter.MeshException;

/**
 * The key material of an SSLContext that can be replaced while the context is in use: a renewed certificate
 * is {@linkplain #swap swapped} in, and every handshake that starts afterwards presents it. Connections that
 * already finished their handshake keep theirs; nothing is restarted.
 *
 * <p>A handshake asks for an alias first and for the chain and the key of that alias later. The alias names
 * the generation it came from ({@code <generation>:<alias>}), and the previous generation stays reachable, so
 * a handshake that straddles a swap still gets a chain and a key that belong together.
 */
public final class ReloadableKeyManager extends X509ExtendedKeyManager {
    private static final char[] IN_MEMORY_PASSWORD = "planetary-mesh".toCharArray();
    private static final String ALIAS = "node";

    private record Generation(long number, X509ExtendedKeyManager keys) {
    }

    /** The current generation and the one before it (null at first). */
    private record Generations(Generation current, Generation previous) {
        X509ExtendedKeyManager of(String alias) {
            int colon = alias == null ? -1 : alias.indexOf(':');
            if (colon < 0) {
                return null;
            }
            String number = alias.substring(0, colon);
            if (number.equals(Long.toString(current.number()))) {
                return current.keys();
            }
            return previous != null && number.equals(Long.toString(previous.number())) ? previous.keys() : null;
        }
    }

    private final AtomicReference<Generations> generations;

    private ReloadableKeyManager(X509ExtendedKeyManager first) {
        this.generations = new AtomicReference<>(new Generations(new Generation(1, first), null));
    }

    /** A key manager presenting {@code certificate} (with {@code key}) and its issuer {@code ca} as the chain. */
    public static ReloadableKeyManager of(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
        return new ReloadableKeyManager(keyManager(key, certificate, ca));
    }

    /** From now on, new handshakes present {@code certificate}; connections already open are not touched. */
    public void swap(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
        X509ExtendedKeyManager next = keyManager(key, certificate, ca);
        generations.updateAndGet(g -> new Generations(new Generation(g.current().number() + 1, next), g.current()));
    }

    /** The certificate new handshakes present. */
    public X509Certificate certificate() {
        return generations.get().current().keys().getCertificateChain(ALIAS)[0];
    }

    private static X509ExtendedKeyManager keyManager(PrivateKey key, X509Certificate certificate,
                                                     X509Certificate ca) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(ca, "ca");
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(ALIAS, key, IN_MEMORY_PASSWORD, new Certificate[] {certificate, ca});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, IN_MEMORY_PASSWORD);
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509ExtendedKeyManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the key manager factory made no X509ExtendedKeyManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new MeshException("cannot load the key of " + certificate.getSubjectX500Principal() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Chooses with the current generation and tags the alias with it. */
    private String choose(Function<X509ExtendedKeyManager, String> chooser) {
        Generation current = generations.get().current();
        String alias = chooser.apply(current.keys());
        return alias == null ? null : current.number() + ":" + alias;
    }

    private String[] tagged(Function<X509ExtendedKeyManager, String[]> lister) {
        Generation current = generations.get().current();
        String[] aliases = lister.apply(current.keys());
        if (aliases == null) {
            return null;
        }
        String[] result = new String[aliases.length];
        for (int i = 0; i < aliases.length; i++) {
            result[i] = current.number() + ":" + aliases[i];
        }
        return result;
    }

    private static String untagged(String alias) {
        return alias.substring(alias.indexOf(':') + 1);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return tagged(keys -> keys.getClientAliases(keyType, issuers));
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return choose(keys -> keys.chooseClientAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keys -> keys.chooseEngineClientAlias(keyType, issuers, engine));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return tagged(keys -> keys.getServerAliases(keyType, issuers));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keys -> keys.chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keys -> keys.chooseEngineServerAlias(keyType, issuers, engine));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        X509ExtendedKeyManager keys = generations.get().of(alias);
        return keys == null ? null : keys.getCertificateChain(untagged(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        X509ExtendedKeyManager keys = generations.get().of(alias);
        return keys == null ? null : keys.getPrivateKey(untagged(alias));
    }
}
