package org.planetarymesh.shell;

import org.planetarymesh.grid.AsyncCallbacks;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration;
import org.springframework.boot.autoconfigure.hazelcast.HazelcastAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.reactor.ReactorAutoConfiguration;
import org.springframework.boot.autoconfigure.sql.init.SqlInitializationAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.shell.command.annotation.CommandScan;

/**
 * The console. With arguments, runs them as one command and exits with its {@link ExitCode}
 * ({@code MeshShell jobs --json}); with none, opens the interactive console.
 *
 * <p>The mesh is found through {@link MeshProperties}: {@code MESH_COORDINATORS} / {@code -Dmesh.coordinators},
 * else the local mesh of {@code MESH_HOME}.
 */
@SpringBootApplication(proxyBeanMethods = false, exclude = {
        // Never let Boot start a Hazelcast member or client from a stray hazelcast.xml: the console reaches
        // the mesh only through the submitter's MeshClient.
        HazelcastAutoConfiguration.class,
        // Spring Shell validates command parameters with its own validator; Boot's would bootstrap
        // Hibernate Validator a second time and proxy beans for method validation.
        ValidationAutoConfiguration.class,
        // Unused here, excluded to start faster: --json uses its own ObjectMapper (Json), nothing is cached,
        // scheduled, run on executors or reactive, and there is no database.
        JacksonAutoConfiguration.class, CacheAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
        TaskSchedulingAutoConfiguration.class, ReactorAutoConfiguration.class,
        SqlInitializationAutoConfiguration.class})
@CommandScan
@EnableConfigurationProperties(MeshProperties.class)
public class MeshShell {

    public static void main(String[] args) {
        AsyncCallbacks.usePoolOnSmallMachines();
        // Hazelcast logs through SLF4J, so its level is set with the others (WARN, application.properties).
        if (System.getProperty("hazelcast.logging.type") == null) {
            System.setProperty("hazelcast.logging.type", "slf4j");
        }
        System.exit(run(args));
    }

    /**
     * Runs the console and returns the process exit code. Spring Shell reports a failed one-command run by
     * throwing through Spring Boot; the code is read from what was thrown ({@link ExitCode#ofReportedFailure}).
     */
    static int run(String[] args) {
        return run(args, new Class<?>[0]);
    }

    /** {@link #run(String[])} with more configuration: tests put a fake mesh in. */
    static int run(String[] args, Class<?>... moreConfiguration) {
        Class<?>[] sources = new Class<?>[moreConfiguration.length + 1];
        sources[0] = MeshShell.class;
        System.arraycopy(moreConfiguration, 0, sources, 1, moreConfiguration.length);
        try {
            // The shell runners ran inside run(); closing the context disconnects from the mesh.
            new SpringApplication(sources).run(args).close();
            return ExitCode.OK.code();
        } catch (RuntimeException failure) {
            return ExitCode.ofReportedFailure(failure).orElseGet(() -> {
                // Not a command error (those were printed as one line): a failure to start, or a bug.
                System.err.println("error: the console failed: " + failure);
                failure.printStackTrace(System.err);
                return ExitCode.UNEXPECTED.code();
            });
        }
    }
}
