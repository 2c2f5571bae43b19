package org.planetarymesh.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.submitter.MeshException;

/** Join tokens in the CA directory: hashed secrets, expiry against a fixed "now", uses, revocation, one spender. */
class TokenStoreTest {
    private static final String CA = "sha256:" + "cd".repeat(32);
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path caDir;

    private TokenStore store() {
        return new TokenStore(caDir);
    }

    private static String spend(TokenStore store, JoinToken token, Instant at) {
        return store.spend(token, at, () -> "issued");
    }

    private static TokenInfo info(TokenStore store, String id) {
        return store.list().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void when_aTokenIsCreated_then_theFileKeepsItsHashOwnerOnlyAndNeverItsSecret() throws Exception {
        JoinToken token = store().create(Duration.ofHours(1), 2, CA, T0);

        String file = Files.readString(caDir.resolve(TokenStore.FILE));
        assertThat(file).contains(token.id()).contains(StoredToken.sha256(token.secret()))
                .doesNotContain(token.secret());
        assertThat(Files.getPosixFilePermissions(caDir.resolve(TokenStore.FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(token.caFingerprint()).isEqualTo(CA);
        assertThat(info(store(), token.id())).isEqualTo(new TokenInfo(token.id(), T0, T0.plus(Duration.ofHours(1)),
                2, 2, java.util.Optional.empty()));
    }

    @Test
    void when_aTwoUseTokenIsSpent_then_eachUseCountsAndTheThirdIsRefusedAsUsedUp() {
        JoinToken token = store().create(Duration.ofHours(1), 2, CA, T0);

        assertThat(spend(store(), token, T0)).isEqualTo("issued");
        assertThat(info(store(), token.id()).usesLeft()).isEqualTo(1);
        assertThat(spend(store(), token, T0.plusSeconds(60))).isEqualTo("issued");

        assertThatThrownBy(() -> spend(store(), token, T0.plusSeconds(120)))
                .isInstanceOfSatisfying(TokenRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(TokenRefusal.USED_UP))
                .hasMessage("join token " + token.id() + " is used up (2 of 2 uses spent): ask the mesh admin for a"
                        + " new one ('bin/mesh token create')");
        assertThat(info(store(), token.id()).state(T0)).isEqualTo("used up");
    }

    @Test
    void when_theTokenIsSpentAtItsExpiry_then_itIsRefusedAsExpiredAndAMomentBeforeItWasNot() {
        JoinToken token = store().create(Duration.ofMinutes(10), 5, CA, T0);
        Instant expiry = T0.plus(Duration.ofMinutes(10));

        assertThat(spend(store(), token, expiry.minusMillis(1))).isEqualTo("issued");
        assertThatThrownBy(() -> spend(store(), token, expiry))
                .hasMessage("join token " + token.id() + " expired at 2026-11-26T10:10:00Z: ask the mesh admin for a"
                        + " new one ('bin/mesh token create')");
    }

    @Test
    void when_aTokenIsRevoked_then_itIsRefusedAsRevokedAndListedSo() {
        JoinToken token = store().create(Duration.ofHours(1), 1, CA, T0);

        assertThat(store().revoke(token.id(), T0.plusSeconds(5))).isTrue();

        assertThatThrownBy(() -> spend(store(), token, T0.plusSeconds(6)))
                .isInstanceOfSatisfying(TokenRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(TokenRefusal.REVOKED))
                .hasMessageContaining("was revoked at 2026-11-26T10:00:05Z");
        assertThat(info(store(), token.id()).state(T0)).isEqualTo("revoked");
        assertThat(store().revoke("zzzzzz", T0)).isFalse();
    }

    @Test
    void when_theIdIsUnknownOrTheSecretWrong_then_eachHasItsOwnRefusalAndTheStateStaysHidden() {
        JoinToken token = store().create(Duration.ofHours(1), 1, CA, T0);
        store().revoke(token.id(), T0);
        JoinToken wrongSecret = JoinToken.create(token.id(), CA);
        JoinToken unknown = JoinToken.create("zzzzzz", CA);

        assertThatThrownBy(() -> spend(store(), wrongSecret, T0)).isInstanceOfSatisfying(TokenRefusedException.class,
                e -> assertThat(e.reason()).isEqualTo(TokenRefusal.WRONG_SECRET)).hasMessageNotContaining("revoked");
        assertThatThrownBy(() -> spend(store(), unknown, T0)).isInstanceOfSatisfying(TokenRefusedException.class,
                e -> assertThat(e.reason()).isEqualTo(TokenRefusal.UNKNOWN)).hasMessageContaining("zzzzzz is unknown");
    }

    @Test
    void when_theUseFails_then_theTokenIsNotSpent() {
        JoinToken token = store().create(Duration.ofHours(1), 1, CA, T0);

        assertThatThrownBy(() -> store().spend(token, T0, () -> {
            throw new MeshException("bad CSR");
        })).hasMessage("bad CSR");

        assertThat(info(store(), token.id()).usesLeft()).isEqualTo(1);
    }

    @Test
    void when_manyEnrollmentsRaceForOneSingleUseToken_then_exactlyOneSpendsIt() throws Exception {
        JoinToken token = store().create(Duration.ofHours(1), 1, CA, T0);
        int racers = 8;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger usesRun = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                TokenStore own = store(); // each racer with its own store object, as separate requests would be
                Callable<String> racer = () -> {
                    start.await();
                    try {
                        return own.spend(token, T0, () -> "issued-" + usesRun.incrementAndGet());
                    } catch (TokenRefusedException e) {
                        return e.reason().name();
                    }
                };
                results.add(pool.submit(racer));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> result : results) {
                outcomes.add(result.get(10, TimeUnit.SECONDS));
            }

            assertThat(outcomes).containsOnlyOnce("issued-1").filteredOn(o -> !o.equals("issued-1"))
                    .hasSize(racers - 1).containsOnly(TokenRefusal.USED_UP.name());
            assertThat(usesRun).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void when_aTokenExpiredLongAgo_then_theNextChangeDropsIt() {
        JoinToken old = store().create(Duration.ofHours(1), 1, CA, T0);

        store().create(Duration.ofHours(1), 1, CA, T0.plus(TokenStore.KEEP_EXPIRED).plus(Duration.ofHours(2)));

        assertThat(store().list()).extracting(TokenInfo::id).doesNotContain(old.id()).hasSize(1);
    }

    @Test
    void when_theTtlOrUsesAreOutOfBounds_then_noTokenIsCreated() {
        assertThatThrownBy(() -> store().create(Duration.ZERO, 1, CA, T0)).hasMessageContaining("more than 0s");
        assertThatThrownBy(() -> store().create(Duration.ofDays(31), 1, CA, T0))
                .hasMessageContaining("at most 30 days");
        assertThatThrownBy(() -> store().create(Duration.ofHours(1), 0, CA, T0)).hasMessageContaining("at least 1 use");
        assertThat(store().list()).isEmpty();
    }
}
