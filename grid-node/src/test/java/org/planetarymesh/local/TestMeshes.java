package org.planetarymesh.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Local meshes for integration tests: real JVM processes from the built jar, on 127.0.0.1 with free ports. */
public final class TestMeshes {
    private TestMeshes() {
    }

    /** The class path of a grid node built by Maven ({@code mesh.jar} and {@code mesh.libDir}, set by failsafe). */
    public static String nodeClasspath() {
        String jar = System.getProperty("mesh.jar");
        String lib = System.getProperty("mesh.libDir");
        if (jar == null || lib == null) {
            throw new IllegalStateException("run integration tests through Maven (failsafe sets mesh.jar and mesh.libDir)");
        }
        return jar + java.io.File.pathSeparator + lib + "/*";
    }

    /** The command that runs {@code mesh <args>} in a new JVM from the built jar, as {@code bin/mesh} does. */
    public static List<String> meshCommand(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LocalMesh.HAZELCAST_JVM_FLAGS);
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-Dmesh.log.level=INFO",
                "-cp", nodeClasspath(), "org.planetarymesh.node.Main"));
        command.addAll(args);
        return command;
    }

    public static LocalMesh in(Path stateDir) {
        return new LocalMesh(stateDir, nodeClasspath(), List.of("-Dmesh.log.level=INFO"));
    }
}
