package org.planetarymesh.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.planetarymesh.submitter.MeshClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesh up | status | down | demo}: a local mesh of separate processes on 127.0.0.1. */
public final class LocalMeshCommands {
    private LocalMeshCommands() {
    }

    /** Plaintext is a choice someone made on purpose, and it says so where they look. */
    static void warnIfInsecure(boolean insecure) {
        if (insecure) {
            System.err.println("mesh: WARNING --insecure: plaintext connections; any process that can reach the ports"
                    + " can join the mesh, read its jobs and run tasks on its agents");
        }
    }

    static class Home {
        @Option(names = "--home", description = "State directory of the local mesh (default: $MESH_HOME or ~/.planetary-mesh).")
        Path home;

        Path dir() {
            return home != null ? home : MeshClientOptions.defaultStateDir();
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start a local mesh in the background.")
    public static final class Up extends Home implements Callable<Integer> {
        @Option(names = "--agents", defaultValue = "3", description = "Agents to start (default: ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--coordinators", defaultValue = "1", description = "Coordinators (default: ${DEFAULT-VALUE}).")
        int coordinators;

        @Option(names = "--slots", defaultValue = "2", description = "Slots per agent (default: ${DEFAULT-VALUE}).")
        int slots;

        @Option(names = "--insecure", description = "Plaintext connections instead of mutual TLS: anyone who can reach"
                + " the ports can join the mesh and read its jobs. Default: a CA in <home>/ca (created if absent)"
                + " issues each node and the local client (the shell) a certificate in <home>/certs.")
        boolean insecure;

        @Override
        public Integer call() {
            LocalMesh mesh = LocalMesh.forThisJvm(dir());
            warnIfInsecure(insecure);
            mesh.up(coordinators, agents, slots, !insecure, Duration.ofSeconds(90), System.out);
            System.out.println("state and logs: " + dir());
            System.out.println("try: bin/mesh shell nodes   |   bin/mesh shell submit config/examples/sweep.yaml --wait"
                    + "   |   bin/mesh down");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "List the local mesh's processes.")
    public static final class Status extends Home implements Callable<Integer> {
        @Option(names = "--json", description = "Print JSON for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Optional<LocalMesh.State> state = LocalMesh.forThisJvm(dir()).read();
            if (state.isEmpty()) {
                System.out.println(json ? "{\"running\":false,\"nodes\":[]}" : "no local mesh in " + dir());
                return json ? 0 : 3;
            }
            if (json) {
                var out = state.get().nodes().stream().map(n -> new NodeStatus(n.name(), n.role(), n.pid(), n.address(),
                        n.alive(), n.log())).toList();
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(new StatusReport(true, state.get().clusterName(), out)));
                return 0;
            }
            System.out.printf("mesh '%s' in %s%n", state.get().clusterName(), dir());
            System.out.printf("%-16s %-12s %-8s %-22s %s%n", "NAME", "ROLE", "PID", "ADDRESS", "STATE");
            for (LocalMesh.NodeProcess node : state.get().nodes()) {
                System.out.printf("%-16s %-12s %-8d %-22s %s%n", node.name(), node.role(), node.pid(), node.address(),
                        node.alive() ? "running" : "exited");
            }
            return 0;
        }

        record NodeStatus(String name, String role, long pid, String address, boolean running, String log) {
        }

        record StatusReport(boolean running, String clusterName, java.util.List<NodeStatus> nodes) {
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process of the local mesh.")
    public static final class Down extends Home implements Callable<Integer> {
        @Override
        public Integer call() {
            int stopped = LocalMesh.forThisJvm(dir()).down(Duration.ofSeconds(20));
            System.out.println(stopped == 0 ? "no local mesh was running" : "local mesh down: " + stopped + " process(es) stopped");
            return 0;
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Start a local mesh, run a sample sweep, print a summary, stop the mesh.")
    public static final class Demo extends Home implements Callable<Integer> {
        @Option(names = "--agents", defaultValue = "3", description = "Agents to start (default: ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--insecure", description = "Run the demo mesh in plaintext instead of mutual TLS.")
        boolean insecure;

        @Option(names = "--spec", defaultValue = "config/examples/sweep.yaml",
                description = "The job to run (default: ${DEFAULT-VALUE}).")
        Path spec;

        @Override
        public Integer call() {
            Path file = spec;
            String root = System.getProperty("mesh.root");
            if (!file.isAbsolute() && !java.nio.file.Files.exists(file) && root != null) {
                file = Path.of(root).resolve(spec); // bin/mesh may be run from any directory
            }
            warnIfInsecure(insecure);
            return new DemoRun(LocalMesh.forThisJvm(dir().resolve("demo")), file, agents, !insecure, System.out).run();
        }
    }
}
