package io.vigil.app;

import java.util.List;

/** Left-aligned columns separated by two spaces, like kumactl's tables. */
final class TextTable {

    private TextTable() {
    }

    /** The first row is the header. */
    static String render(List<List<String>> rows) {
        return render(rows, 0);
    }

    /**
     * @param invisible characters of colour escapes in each data cell that contains one: they
     *                  take no room on screen, so they do not count for the width
     */
    static String render(List<List<String>> rows, int invisible) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], visible(row.get(i), invisible));
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                String cell = row.get(i);
                out.append(cell);
                if (i < columns - 1) {
                    out.append(" ".repeat(widths[i] - visible(cell, invisible) + 2));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static int visible(String cell, int invisible) {
        return cell.indexOf('\u001b') >= 0 ? cell.length() - invisible : cell.length();
    }
}
