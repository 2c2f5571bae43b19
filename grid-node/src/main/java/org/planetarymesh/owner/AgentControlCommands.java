package org.planetarymesh.owner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.planetarymesh.submitter.MeshClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mesh agent pause | resume | status}: the machine owner's "not now", through the running agent's local
 * control socket ({@link AgentControl}). Expected failures (no agent, several agents, an error reply) are thrown
 * with a message for people and no stack trace is wanted for them.
 */
public final class AgentControlCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentControlCommands() {
    }

    /** Which agent: by name, or the only one running under the mesh home. */
    abstract static class Target {
        @Option(names = "--name", paramLabel = "NODE",
                description = "The agent's node name (default: the only agent running under the mesh home).")
        String name;

        @Option(names = "--mesh-home", paramLabel = "DIR",
                description = "The mesh's state directory (default: $MESH_HOME or ~/.planetary-mesh).")
        Path meshHome;

        @Spec
        CommandSpec spec;

        Path home() {
            return meshHome != null ? meshHome : MeshClientOptions.defaultStateDir();
        }

        Path socket() {
            if (name != null) {
                return AgentControl.socketPath(home(), name);
            }
            Path agents = home().resolve("agents");
            List<Path> sockets;
            try (Stream<Path> files = Files.isDirectory(agents) ? Files.list(agents) : Stream.empty()) {
                sockets = files.filter(f -> f.getFileName().toString().endsWith(".sock")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + agents + ": " + e.getMessage(), e);
            }
            if (sockets.isEmpty()) {
                throw new IllegalStateException("no agent is running under " + agents + ": is it started?"
                        + " (or give --mesh-home DIR)");
            }
            if (sockets.size() > 1) {
                throw new IllegalArgumentException("several agents run under " + agents + " ("
                        + sockets.stream().map(AgentControlCommands::nodeOf).collect(Collectors.joining(", "))
                        + "): choose one with --name");
            }
            return sockets.get(0);
        }

        /** Sends the command and returns the status it answered; an error reply becomes the exception. */
        JsonNode send(String command) {
            String reply = AgentControlClient.send(socket(), command);
            JsonNode node;
            try {
                node = JSON.readTree(reply);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the agent answered something that is not JSON: " + reply);
            }
            if (node.has("error")) {
                throw new IllegalStateException("the agent refused '" + command + "': " + node.get("error").asText());
            }
            return node;
        }

        void print(String line) {
            spec.commandLine().getOut().println(line);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Not now: the agent takes no new work and suspends its running tasks at once; they resume"
                    + " with 'resume', or are given back to the mesh if the pause outlasts the grace period.")
    public static final class Pause extends Target implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode status = send("pause");
            int suspended = status.path("suspended").asInt();
            print("agent " + status.path("node").asText() + " paused: "
                    + (suspended > 0 ? tasks(suspended) + " suspended, no new work"
                    : "no new work (no task was running)"));
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Take the pause away: suspended tasks continue, and the agent takes work again (with"
                    + " --when-idle, once the machine has been idle long enough).")
    public static final class Resume extends Target implements Callable<Integer> {
        @Override
        public Integer call() {
            JsonNode status = send("resume");
            String node = status.path("node").asText();
            int running = status.path("running").asInt();
            String again = running > 0 ? ", " + tasks(running) + " running" : "";
            if (status.path("accepting").asBoolean()) {
                print("agent " + node + " resumed: taking work" + again);
            } else {
                print("agent " + node + " resumed" + again + "; no new work yet: " + status.path("reason").asText());
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Whether the agent takes work, and why not if it does not.")
    public static final class Status extends Target implements Callable<Integer> {
        @Option(names = "--json", description = "Print the agent's JSON reply for scripts.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode status = send("status");
            if (json) {
                print(status.toString());
                return 0;
            }
            boolean accepting = status.path("accepting").asBoolean();
            JsonNode load = status.path("load");
            print("agent " + status.path("node").asText() + ": " + status.path("state").asText() + ", "
                    + (accepting ? "taking work" : "no new work (" + status.path("reason").asText() + ")")
                    + "; " + status.path("running").asInt() + " running, " + status.path("suspended").asInt()
                    + " suspended" + (load.isNumber()
                    ? String.format(Locale.ROOT, "; owner load %.2f/core", load.asDouble()) : ""));
            return 0;
        }
    }

    private static String tasks(int count) {
        return count == 1 ? "1 task" : count + " tasks";
    }

    private static String nodeOf(Path socket) {
        String file = socket.getFileName().toString();
        return file.substring(0, file.length() - ".sock".length());
    }
}
