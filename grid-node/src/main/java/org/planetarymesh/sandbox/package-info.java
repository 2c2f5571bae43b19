/**
 * The sandbox around every task attempt: which protections this host can give (detected at the agent's start and
 * advertised), and how one attempt is wrapped so that they hold — a cgroup per attempt for memory, CPU share and
 * processes; bubblewrap namespaces for the file system, pids and network; an unprivileged user when the agent is
 * root; rlimits where nothing stronger exists. See docs/adr/0020-sandbox-backends.md.
 */
package org.planetarymesh.sandbox;
