package org.planetarymesh.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.submitter.Protection;

/**
 * What {@code --check-sandbox} prints: each protection, active or missing, and how or why not.
 *
 * @param layers  one line per layer found or missing ("cgroup v1 (memory, cpu, ...)", "bubblewrap: not installed")
 * @param active  the protections every task gets here
 * @param why     per protection, how it is enforced when active or why it is missing
 */
public record SandboxReport(List<String> layers, Set<Protection> active, Map<Protection, String> why) {

    public SandboxReport {
        layers = List.copyOf(layers);
        active = Set.copyOf(active);
        why = Map.copyOf(why);
    }

    /** The report as lines for a terminal. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Sandbox layers on this host:");
        layers.forEach(l -> lines.add("  " + l));
        lines.add("Protections for every task:");
        for (Protection p : Protection.values()) {
            String mark = active.contains(p) ? "active " : "MISSING";
            lines.add(String.format("  %-7s %-21s %s", mark, p.wireName(), why.getOrDefault(p, "")));
        }
        return lines;
    }
}
