package io.vigil.app;

import java.util.List;

/** Left-aligned columns separated by two spaces, like kumactl's tables. */
final class TextTable {

    private TextTable() {
    }

    /** The first row is the header. */
    static String render(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                String cell = row.get(i);
                out.append(cell);
                if (i < columns - 1) {
                    out.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
