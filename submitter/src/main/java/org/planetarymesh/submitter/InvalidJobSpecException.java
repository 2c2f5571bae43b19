package org.planetarymesh.submitter;

import java.util.List;
import java.util.stream.Collectors;

/** A job spec was refused before anything was stored; {@link #errors()} names each field and why. */
public class InvalidJobSpecException extends MeshException {
    /** One problem: the field's path in the spec (e.g. {@code params.y}) and what is wrong with it. */
    public record FieldError(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final List<FieldError> errors;

    public InvalidJobSpecException(List<FieldError> errors) {
        super("invalid job spec: " + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
