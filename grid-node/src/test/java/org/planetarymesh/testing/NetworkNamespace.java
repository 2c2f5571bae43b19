package org.planetarymesh.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace joined to this one by a veth pair, for tests that need a real link they can cut: this end
 * is {@link #hereAddress()}, the namespace's end {@link #thereAddress()}. Needs root and {@code ip}; otherwise
 * {@link #create} skips the test with the reason. Names and the /30 subnet carry this JVM's pid and a tag, so
 * parallel builds do not collide; {@link #close} removes both ends and the namespace, also after a half-done set-up.
 */
public final class NetworkNamespace implements AutoCloseable {
    private final String namespace;
    private final String here;
    private final String there;
    private final String subnet;
    private boolean created;

    private NetworkNamespace(String tag, int subnetSalt) {
        long pid = ProcessHandle.current().pid();
        this.namespace = "pm-" + tag + "-" + pid;
        this.here = "pm" + tag.charAt(0) + pid % 1_000_000 + "a";
        this.there = "pm" + tag.charAt(0) + pid % 1_000_000 + "b";
        this.subnet = "10." + (200 + subnetSalt) + "." + pid % 250 + ".";
    }

    /**
     * Creates the namespace and the link, up, or skips the calling test (JUnit assumption) where that is not
     * possible here. {@code tag}: a few letters naming the test; {@code subnetSalt}: 0–50, unique per test class.
     */
    public static NetworkNamespace create(String tag, int subnetSalt) {
        String uid = run("id", "-u").output().trim();
        Assumptions.assumeTrue(uid.equals("0"), "network namespaces need root; this build runs as uid " + uid);
        Assumptions.assumeTrue(run("ip", "-V").exit() == 0, "the 'ip' command (iproute2) is not installed");
        NetworkNamespace ns = new NetworkNamespace(tag, subnetSalt);
        int added = run("ip", "netns", "add", ns.namespace).exit();
        Assumptions.assumeTrue(added == 0, "cannot create a network namespace here (ip netns add: exit " + added + ")");
        ns.created = true;
        try {
            sh("ip", "link", "add", ns.here, "type", "veth", "peer", "name", ns.there);
            sh("ip", "link", "set", ns.there, "netns", ns.namespace);
            sh("ip", "addr", "add", ns.hereAddress() + "/30", "dev", ns.here);
            sh("ip", "link", "set", ns.here, "up");
            sh(ns.inside("ip", "addr", "add", ns.thereAddress() + "/30", "dev", ns.there).toArray(String[]::new));
            sh(ns.inside("ip", "link", "set", ns.there, "up").toArray(String[]::new));
            sh(ns.inside("ip", "link", "set", "lo", "up").toArray(String[]::new));
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String hereAddress() {
        return subnet + "1";
    }

    public String thereAddress() {
        return subnet + "2";
    }

    /** {@code command} run inside the namespace ({@code ip netns exec}). */
    public List<String> inside(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(List.of(command));
        return all;
    }

    /** Cuts the link: this end goes down, nothing passes either way (sockets stay open, as in a real cut). */
    public void cut() {
        sh("ip", "link", "set", here, "down");
    }

    /** Heals the link. */
    public void heal() {
        sh("ip", "link", "set", here, "up");
    }

    @Override
    public void close() {
        if (created) {
            // Deleting our end removes both ends of the pair; deleting the namespace then frees it.
            run("ip", "link", "del", here);
            run("ip", "netns", "del", namespace);
            created = false;
        }
    }

    private record Ran(int exit, String output) {
    }

    private static void sh(String... command) {
        Ran ran = run(command);
        if (ran.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": exit " + ran.exit() + ": " + ran.output());
        }
    }

    /** Runs a short command; one that cannot start (not installed) exits 127, as in a shell. */
    private static Ran run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 20 s");
            }
            return new Ran(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Ran(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
