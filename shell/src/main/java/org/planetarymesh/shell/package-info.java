/**
 * The console of the mesh: a Spring Shell application on the submitter API.
 *
 * <p>Run one command and exit ({@code MeshShell jobs --json}) or, with no command, open the interactive console.
 * The commands ({@link org.planetarymesh.shell.JobCommands}, {@link org.planetarymesh.shell.NodeCommands}) are
 * thin: they ask a {@link org.planetarymesh.submitter.MeshClient} and hand what it says to the pure renderers
 * ({@link org.planetarymesh.shell.JobViews}, {@link org.planetarymesh.shell.NodeViews},
 * {@link org.planetarymesh.shell.Json}). The process exit code is decided in one place,
 * {@link org.planetarymesh.shell.ExitCode}.
 */
package org.planetarymesh.shell;
