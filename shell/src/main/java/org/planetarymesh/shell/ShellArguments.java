package org.planetarymesh.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the process arguments into the one command line a non-interactive run executes.
 *
 * <p>Spring Boot reads {@code --name=value} arguments as properties ({@code --mesh.coordinators=a:5701}),
 * but Spring Shell's non-interactive runner would read them as the command. Arguments that look like a
 * property, a dotted name with a value, are therefore dropped here: none of the console's options has a dot in
 * its name. Arguments with spaces or quotes are quoted again, since the runner joins and re-parses them.
 */
public final class ShellArguments {
    private static final Pattern PROPERTY = Pattern.compile("--[A-Za-z][\\w-]*(\\.[\\w-]+)+=.*", Pattern.DOTALL);

    private ShellArguments() {
    }

    /** True for an argument Spring Boot takes as a property, e.g. {@code --mesh.coordinators=a:5701}. */
    public static boolean isProperty(String arg) {
        return PROPERTY.matcher(arg).matches();
    }

    /** The command line to run, or none (then the interactive console opens). */
    public static List<String> toCommands(String[] args) {
        List<String> words = new ArrayList<>();
        for (String arg : args) {
            if (!isProperty(arg)) {
                words.add(quoteIfNeeded(arg));
            }
        }
        return words.isEmpty() ? List.of() : List.of(String.join(" ", words));
    }

    static String quoteIfNeeded(String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\''
                || c == '\\')) {
            return arg;
        }
        return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
