package org.planetarymesh.enroll;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import org.planetarymesh.jobs.Durations;
import org.planetarymesh.security.CaCommands;
import org.planetarymesh.security.MeshCa;
import org.planetarymesh.submitter.MeshException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mesh token create|list|revoke}: join tokens, run where the mesh CA is (a coordinator's machine). */
public final class TokenCommands {
    private TokenCommands() {
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Join tokens: one string that lets a new machine enroll as an agent.",
            subcommands = {Create.class, ListTokens.class, Revoke.class})
    public static final class Token {
    }

    /** Where the CA, and so the token store, is. */
    static final class CaDirOption {
        @Option(names = "--ca-dir", paramLabel = "DIR", description = "The mesh CA (default: $MESH_HOME/ca).")
        Path caDir;

        Path resolve() {
            return caDir != null ? caDir : CaCommands.defaultCaDir();
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a join token and print it once (only a hash of its secret is kept).")
    public static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CaDirOption ca;

        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h",
                description = "How long it is accepted (default: ${DEFAULT-VALUE}; " + Durations.FORMS + ").")
        String ttl;

        @Option(names = "--uses", paramLabel = "N", defaultValue = "1",
                description = "How many machines may enroll with it (default: ${DEFAULT-VALUE}).")
        int uses;

        @Option(names = {"-q", "--quiet"}, description = "Print the token only (for scripts).")
        boolean quiet;

        @Override
        public Integer call() {
            Duration lifetime = Durations.parse(ttl)
                    .orElseThrow(() -> new MeshException("--ttl " + ttl + ": not a duration (" + Durations.FORMS
                            + ")"));
            Path caDir = ca.resolve();
            // Loading the CA (not only its certificate) checks that enrollment could sign here at all.
            MeshCa meshCa = MeshCa.load(caDir);
            TokenStore store = new TokenStore(caDir);
            Instant now = Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS);
            JoinToken token = store.create(lifetime, uses, meshCa.fingerprint(), now);
            PrintWriter out = spec.commandLine().getOut();
            if (quiet) {
                out.println(token.format());
            } else {
                out.printf("join token %s for mesh CA %s: valid until %s, %d use%s; shown only now:%n%n", token.id(),
                        meshCa.fingerprint(), now.plus(lifetime), uses, uses == 1 ? "" : "s");
                out.printf("  %s%n%n", token.format());
                out.printf("on the machine to join:%n  bin/mesh agent --join <coordinator HOST:PORT> --token %s%n",
                        token.format());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List join tokens: id, state, expiry and uses left (never a secret).")
    public static final class ListTokens implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CaDirOption ca;

        @Override
        public Integer call() {
            List<TokenInfo> tokens = new TokenStore(ca.resolve()).list();
            Instant now = Clock.systemUTC().instant();
            PrintWriter out = spec.commandLine().getOut();
            if (tokens.isEmpty()) {
                out.println("no join tokens (create one with 'bin/mesh token create')");
            } else {
                out.printf("%-7s %-8s %-21s %s%n", "ID", "STATE", "EXPIRES", "USES LEFT");
                for (TokenInfo token : tokens) {
                    out.printf("%-7s %-8s %-21s %d/%d%n", token.id(), token.state(now), token.expires(),
                            token.usesLeft(), token.uses());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a join token: no machine can enroll with it any more.")
    public static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CaDirOption ca;

        @Parameters(paramLabel = "ID", description = "The token's id (the part after 'pmt1.').")
        String id;

        @Override
        public Integer call() {
            if (!new TokenStore(ca.resolve()).revoke(id, Clock.systemUTC().instant())) {
                throw new MeshException("no join token " + id + " in " + ca.resolve() + " ('bin/mesh token list')");
            }
            spec.commandLine().getOut().printf("join token %s revoked%n", id);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
