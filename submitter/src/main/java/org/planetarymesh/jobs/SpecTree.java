package org.planetarymesh.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.submitter.InvalidJobSpecException.FieldError;

/**
 * A spec document read into a small tree that keeps every scalar's source text, so {@code 1.50},
 * {@code 007} and {@code no} reach a parameter as written (a generic tree would give 1.5, 7 and false).
 *
 * <p>Text that starts like JSON is read with the JSON parser first: YAML 1.1 refuses tab indentation, which
 * pretty-printed JSON often has. Anything else, or JSON-looking text the JSON parser refuses (a YAML flow
 * mapping such as {@code {name: a}}), is read as YAML. Duplicate keys, YAML aliases and a second document
 * are reported rather than silently resolved.
 */
final class SpecTree {
    static final String DOCUMENT = "(document)";

    sealed interface Node permits MapNode, ListNode, Scalar {
    }

    /** A mapping, keys in document order. */
    record MapNode(Map<String, Node> fields) implements Node {
    }

    record ListNode(List<Node> items) implements Node {
    }

    /** A scalar with its source text; {@code integer} is set for {@link Kind#INTEGER} only. */
    record Scalar(Kind kind, String text, BigInteger integer) implements Node {
        boolean isNull() {
            return kind == Kind.NULL;
        }
    }

    enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    private static final YAMLFactory YAML = new YAMLFactory();
    static final JsonFactory JSON = new JsonFactory();

    private SpecTree() {
    }

    /**
     * The document's root, or null after adding one {@value #DOCUMENT} error (malformed, empty, several
     * documents). Errors inside a well-formed document (duplicate keys, aliases) are added with their path
     * and the root is still returned.
     */
    static Node read(String text, List<FieldError> errors) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String start = body.stripLeading();
        if (start.startsWith("{") || start.startsWith("[")) {
            List<FieldError> jsonErrors = new ArrayList<>();
            try {
                Node root = readWith(JSON, body, jsonErrors);
                errors.addAll(jsonErrors);
                return root;
            } catch (JsonProcessingException json) {
                try {
                    return readWith(YAML, body, errors);
                } catch (JsonProcessingException yaml) {
                    // It looked like JSON and is neither: the JSON parser's complaint is the one to show.
                    errors.add(new FieldError(DOCUMENT, malformed(json)));
                    return null;
                }
            }
        }
        try {
            return readWith(YAML, body, errors);
        } catch (JsonProcessingException yaml) {
            errors.add(new FieldError(DOCUMENT, malformed(yaml)));
            return null;
        }
    }

    private static Node readWith(JsonFactory factory, String text, List<FieldError> errors)
            throws JsonProcessingException {
        try (JsonParser p = factory.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL && p.getText().isEmpty()) {
                errors.add(new FieldError(DOCUMENT, "is empty; a job spec needs at least 'name' and 'command', "
                        + "e.g. name: my-sweep / command: [python3, sweep.py, '{x}']"));
                return null;
            }
            List<FieldError> found = new ArrayList<>();
            Node root = node(p, "", found);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                int line = p.currentTokenLocation().getLineNr();
                errors.add(new FieldError(DOCUMENT, factory == YAML
                        ? "has more than one YAML document (more content after '---', at line " + line + "); "
                                + "put one job spec per file"
                        : "has more content after the spec ends, at line " + line));
                return null;
            }
            errors.addAll(found);
            return root;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a String failed", e);
        }
    }

    private static Node node(JsonParser p, String path, List<FieldError> errors) throws IOException {
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            errors.add(new FieldError(fieldOrDocument(path), "uses the YAML alias *" + p.getText()
                    + "; aliases and anchors are not supported, write the value out"));
        }
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Node> fields = new LinkedHashMap<>();
                Map<String, Integer> lines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int line = p.currentTokenLocation().getLineNr();
                    p.nextToken();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    Node child = node(p, childPath, errors);
                    Integer firstLine = lines.putIfAbsent(key, line);
                    if (firstLine != null) {
                        errors.add(new FieldError(childPath, "is given twice (lines " + firstLine + " and " + line
                                + "); keep one"));
                    } else {
                        fields.put(key, child);
                    }
                }
                return new MapNode(Collections.unmodifiableMap(fields));
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, path + "[" + items.size() + "]", errors));
                }
                return new ListNode(Collections.unmodifiableList(items));
            }
            case VALUE_NUMBER_INT:
                return new Scalar(Kind.INTEGER, p.getText(), p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                return new Scalar(Kind.FLOAT, p.getText(), null);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new Scalar(Kind.BOOLEAN, p.getText(), null);
            case VALUE_NULL:
                return new Scalar(Kind.NULL, p.getText(), null);
            default:
                // VALUE_STRING, and VALUE_EMBEDDED_OBJECT (YAML !!binary), kept as its text.
                return new Scalar(Kind.STRING, p.getText(), null);
        }
    }

    private static String fieldOrDocument(String path) {
        return path.isEmpty() ? DOCUMENT : path;
    }

    /** One line: where (line, column) and what the parser found wrong. */
    static String malformed(JsonProcessingException e) {
        Throwable cause = e.getCause();
        if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            String problem = yaml.getProblem() == null ? "malformed YAML" : yaml.getProblem();
            StringBuilder out = new StringBuilder("is not valid YAML or JSON: ")
                    .append(where(yaml.getProblemMark().getLine() + 1, yaml.getProblemMark().getColumn() + 1))
                    .append(": ").append(oneLine(problem));
            if (yaml.getContext() != null && yaml.getContextMark() != null) {
                out.append(" (").append(oneLine(yaml.getContext())).append(" started at ")
                        .append(where(yaml.getContextMark().getLine() + 1, yaml.getContextMark().getColumn() + 1))
                        .append(')');
            }
            return out.toString();
        }
        JsonLocation at = e.getLocation();
        String location = at == null ? "" : where(at.getLineNr(), at.getColumnNr()) + ": ";
        return "is not valid YAML or JSON: " + location + oneLine(e.getOriginalMessage());
    }

    private static String where(int line, int column) {
        return "line " + line + ", column " + column;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** How a node reads in an error message: "a list", "the string 'abc'", "the number 1.5", "null". */
    static String describe(Node node) {
        if (node instanceof MapNode) {
            return "a mapping";
        }
        if (node instanceof ListNode) {
            return "a list";
        }
        Scalar s = (Scalar) node;
        return switch (s.kind()) {
            case STRING -> "the string '" + abbreviate(s.text()) + "'";
            case INTEGER, FLOAT -> "the number " + s.text();
            case BOOLEAN -> "the boolean " + s.text();
            case NULL -> "null";
        };
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
