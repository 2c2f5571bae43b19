package org.planetarymesh.enroll;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.planetarymesh.submitter.MeshException;

/**
 * The join tokens of a mesh, in {@value #FILE} next to the CA key that enrollment needs anyway: one
 * JSON file, owner-only ({@code 0600}), holding each token's id, secret hash, expiry and uses left.
 *
 * <p>Every change runs under two locks, so two enrollments can never both spend a single-use token: a lock
 * per file inside this JVM (a {@link FileLock} is held per process, not per thread) and an exclusive
 * {@link FileLock} on {@value #LOCK_FILE} against other processes ({@code token create} on the command line
 * while a coordinator enrolls). A change is written to a temporary file, flushed, and renamed over the old one,
 * so a crash leaves the old file or the new one, never half of one. Tokens expired more than
 * {@link #KEEP_EXPIRED} ago are dropped at the next change; until then a late try gets "expired", not "unknown".
 */
public final class TokenStore {
    public static final String FILE = "tokens.json";
    static final String LOCK_FILE = "tokens.lock";
    static final Duration KEEP_EXPIRED = Duration.ofDays(7);
    /** A token lives at most this long: a join token is for joining now, not a standing credential. */
    public static final Duration MAX_TTL = Duration.ofDays(30);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /** The file's content. */
    record Tokens(List<StoredToken> tokens) {
        Tokens {
            tokens = tokens == null ? List.of() : List.copyOf(tokens);
        }
    }

    private final Path dir;
    private final Path file;

    /** The store in {@code caDir} (the directory of the mesh CA); the file is created on the first token. */
    public TokenStore(Path caDir) {
        this.dir = caDir;
        this.file = caDir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /**
     * A new token valid for {@code ttl} from {@code now}, for {@code uses} enrollments, naming the CA whose
     * fingerprint is given. The returned token holds the secret; the store keeps only its hash.
     */
    public JoinToken create(Duration ttl, int uses, String caFingerprint, Instant now) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new MeshException("a join token must live more than 0s and at most " + MAX_TTL.toDays()
                    + " days, not " + ttl);
        }
        if (uses < 1) {
            throw new MeshException("a join token allows at least 1 use, not " + uses);
        }
        return change(now, tokens -> {
            String id = JoinToken.randomId();
            while (find(tokens, id).isPresent()) {
                id = JoinToken.randomId();
            }
            JoinToken token = JoinToken.create(id, caFingerprint);
            tokens.add(StoredToken.of(token, now, now.plus(ttl), uses));
            return token;
        });
    }

    /** Every token kept, oldest first, without secrets. */
    public List<TokenInfo> list() {
        return locked(() -> read().tokens().stream()
                .sorted(Comparator.comparing(StoredToken::created))
                .map(StoredToken::info)
                .toList());
    }

    /** Revokes the token {@code id}; false if there is none. Revoking twice keeps the first time. */
    public boolean revoke(String id, Instant now) {
        return change(now, tokens -> {
            Optional<StoredToken> token = find(tokens, id);
            token.ifPresent(t -> tokens.set(tokens.indexOf(t), t.revokedAt(now)));
            return token.isPresent();
        });
    }

    /**
     * Checks {@code token} at {@code now}, runs {@code use} and spends one use of the token if {@code use}
     * returns normally, all under the store's locks: a certificate is issued only for a use that is recorded,
     * and a failed {@code use} (a bad CSR) costs nothing.
     *
     * @throws TokenRefusedException unknown id, wrong secret, revoked, expired or used up; nothing runs
     */
    public <T> T spend(JoinToken token, Instant now, Supplier<T> use) {
        return change(now, tokens -> {
            StoredToken stored = find(tokens, token.id()).orElseThrow(() -> new TokenRefusedException(
                    TokenRefusal.UNKNOWN, "join token " + token.id() + " is unknown to this coordinator (it was"
                    + " never created with this mesh's CA here, or expired long ago): ask the mesh admin for a"
                    + " new one"));
            Optional<TokenRefusedException> refusal = stored.refusal(token.secret(), now);
            if (refusal.isPresent()) {
                throw refusal.get();
            }
            T result = use.get();
            tokens.set(tokens.indexOf(stored), stored.spent());
            return result;
        });
    }

    private static Optional<StoredToken> find(List<StoredToken> tokens, String id) {
        return tokens.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** A step that may change the list of tokens and returns a result. */
    private interface Change<T> {
        T apply(List<StoredToken> tokens);
    }

    /** Reads, applies {@code change}, and writes the result if anything changed; under both locks. */
    private <T> T change(Instant now, Change<T> change) {
        return locked(() -> {
            Tokens before = read();
            List<StoredToken> tokens = new ArrayList<>(before.tokens());
            T result = change.apply(tokens);
            tokens.removeIf(t -> t.expires().plus(KEEP_EXPIRED).isBefore(now));
            if (!tokens.equals(before.tokens())) {
                write(new Tokens(tokens));
            }
            return result;
        });
    }

    private <T> T locked(Supplier<T> action) {
        ReentrantLock inProcess =
                IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock());
        inProcess.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK_FILE), Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE), ownerOnly())) {
                FileLock held = lockFile.lock();
                try {
                    return action.get();
                } finally {
                    held.release();
                }
            }
        } catch (IOException e) {
            throw new MeshException("cannot lock the join tokens in " + dir + ": " + e.getMessage(), e);
        } finally {
            inProcess.unlock();
        }
    }

    private Tokens read() {
        try {
            return JSON.readValue(Files.readAllBytes(file), Tokens.class);
        } catch (NoSuchFileException e) {
            return new Tokens(List.of());
        } catch (IOException e) {
            throw new MeshException("cannot read the join tokens in " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(Tokens tokens) {
        Path temporary = dir.resolve(FILE + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            try (FileChannel out = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), ownerOnly())) {
                ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(tokens));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new MeshException("cannot write the join tokens to " + file + ": " + e.getMessage(), e);
        }
    }

    private FileAttribute<?>[] ownerOnly() {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }
}
