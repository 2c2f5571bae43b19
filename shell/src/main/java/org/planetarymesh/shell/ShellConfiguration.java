package org.planetarymesh.shell;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.planetarymesh.submitter.JobSpec;
import org.planetarymesh.submitter.MeshClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.shell.boot.NonInteractiveShellRunnerCustomizer;
import org.springframework.shell.jline.PromptProvider;

/** The wiring: what the commands are given. Nothing here decides anything. */
@Configuration(proxyBeanMethods = false)
class ShellConfiguration {

    /** The mesh client, connected by the first command that needs it and closed with the context. */
    @Bean
    MeshConnection meshConnection(MeshProperties properties) {
        return new MeshConnection(properties::toOptions, MeshClient::connect);
    }

    @Bean
    Console console(Terminal terminal) {
        return new Console(terminal.writer(), new PrintWriter(System.err, true, Charset.defaultCharset()));
    }

    @Bean
    Clock clock() {
        return Clock.systemDefaultZone();
    }

    @Bean
    JobFollower jobFollower(Clock clock) {
        return new JobFollower(clock, duration -> Thread.sleep(duration.toMillis()),
                JobFollower.DEFAULT_POLL_INTERVAL);
    }

    @Bean
    JobCommands.SpecReader specReader() {
        return JobSpec::read;
    }

    @Bean
    CommandErrors commandErrors(Console console) {
        return new CommandErrors(console);
    }

    /** Keeps {@code --mesh.coordinators=...} and other property arguments out of the command line. */
    @Bean
    NonInteractiveShellRunnerCustomizer propertyArgumentsAreNotCommands() {
        return runner -> runner.setCommandsFromArgs(ShellArguments::toCommands);
    }

    @Bean
    PromptProvider promptProvider() {
        return () -> new AttributedString("mesh:> ", AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN));
    }
}
