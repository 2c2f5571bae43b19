package org.planetarymesh.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A plain-text table for people: upper-case headers, columns two spaces apart, numbers right-aligned, no
 * borders and no wrapping, so it reads the same in a terminal, a pipe and a log file.
 */
final class Table {
    private static final String GAP = "  ";

    private final List<String> headers;
    private final Set<Integer> rightAligned = new HashSet<>();
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> headers) {
        this.headers = headers.stream().map(h -> h.toUpperCase(Locale.ROOT)).toList();
    }

    static Table withColumns(String... headers) {
        return new Table(Arrays.asList(headers));
    }

    /** Right-aligns the columns with these headers (case-insensitive). */
    Table rightAlign(String... columns) {
        for (String column : columns) {
            int index = headers.indexOf(column.toUpperCase(Locale.ROOT));
            if (index < 0) {
                throw new IllegalArgumentException("no column " + column);
            }
            rightAligned.add(index);
        }
        return this;
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : String.valueOf(c)).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        var text = new StringBuilder();
        appendLine(text, headers, widths);
        rows.forEach(row -> appendLine(text, row, widths));
        return text.toString().stripTrailing();
    }

    private void appendLine(StringBuilder text, List<String> cells, int[] widths) {
        var line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(GAP);
            }
            String cell = cells.get(i);
            String padding = " ".repeat(widths[i] - cell.length());
            line.append(rightAligned.contains(i) ? padding + cell : cell + padding);
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}
