package org.planetarymesh.security;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.planetarymesh.submitter.MeshClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mesh ca init} and {@code mesh cert issue}: the mesh CA and node certificates on the command line. */
public final class CaCommands {
    private CaCommands() {
    }

    /** {@code $MESH_HOME/ca}: where the mesh CA lives unless {@code --dir}/{@code --ca-dir} says otherwise. */
    public static Path defaultCaDir() {
        return MeshClientOptions.defaultStateDir().resolve("ca");
    }

    @Command(name = "ca", mixinStandardHelpOptions = true, description = "The mesh's certificate authority.",
            subcommands = Init.class)
    public static final class Ca {
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the mesh CA (EC P-256, valid 10 years) and print its fingerprint, which identifies"
                    + " the mesh.")
    public static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to create it (default: $MESH_HOME/ca).")
        Path dir;

        @Option(names = "--name", paramLabel = "MESHNAME", defaultValue = MeshClientOptions.DEFAULT_CLUSTER_NAME,
                description = "The mesh's name, in the CA's subject (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            Path target = dir != null ? dir : defaultCaDir();
            MeshCa ca = MeshCa.init(target, name, Clock.systemUTC());
            PrintWriter out = spec.commandLine().getOut();
            out.printf("mesh CA '%s' created in %s, valid until %s%n", ca.meshName(), target,
                    ca.certificate().getNotAfter().toInstant());
            out.printf("  %s: the CA key (owner-only); keep it private and backed up, it is never printed%n",
                    MeshCa.KEY_FILE);
            out.printf("  %s: the CA certificate, every node's trust anchor%n", MeshCa.CERT_FILE);
            out.printf("fingerprint: %s%n", ca.fingerprint());
            out.flush();
            return 0;
        }
    }

    @Command(name = "cert", mixinStandardHelpOptions = true, description = "Certificates of nodes and clients.",
            subcommands = Issue.class)
    public static final class Cert {
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Write a key and a certificate signed by the mesh CA: node.key (owner-only), node.crt,"
                    + " ca.crt.")
    public static final class Issue implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The node's (or client's) name.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "coordinator, agent or client.")
        String role;

        @Option(names = "--days", paramLabel = "DAYS", description = "Validity in days (default: 90).")
        Integer days;

        @Option(names = "--out", paramLabel = "DIR",
                description = "Where to write the bundle (default: $MESH_HOME/certs/NAME).")
        Path out;

        @Option(names = "--ca-dir", paramLabel = "DIR", description = "The mesh CA (default: $MESH_HOME/ca).")
        Path caDir;

        @Option(names = "--san", split = ",", paramLabel = "IP|DNS",
                description = "Extra subject alternative names: IP addresses or DNS names, comma-separated.")
        List<String> sans = new ArrayList<>();

        @Override
        public Integer call() {
            CertRequest request = new CertRequest(name, CertificateRole.parse(role),
                    days != null ? Duration.ofDays(days) : CertRequest.DEFAULT_VALIDITY, sans);
            Path target = out != null ? out : MeshClientOptions.defaultStateDir().resolve("certs").resolve(name);
            MeshIdentity.refuseExisting(target);
            MeshCa ca = MeshCa.load(caDir != null ? caDir : defaultCaDir());
            IssuedCertificate issued = ca.issue(request);
            issued.writeTo(target);
            PrintWriter printer = spec.commandLine().getOut();
            printer.printf("issued a certificate for %s (role %s), valid until %s, in %s%n", name,
                    request.role().wireName(), issued.certificate().getNotAfter().toInstant(), target);
            printer.printf("  %s (owner-only), %s, %s%n", MeshIdentity.KEY_FILE, MeshIdentity.CERT_FILE,
                    MeshIdentity.CA_FILE);
            printer.printf("certificate: %s%n", Fingerprints.sha256(issued.certificate()));
            printer.printf("mesh CA:     %s%n", ca.fingerprint());
            printer.flush();
            return 0;
        }
    }
}
