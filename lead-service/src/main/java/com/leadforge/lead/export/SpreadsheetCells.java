package com.leadforge.lead.export;

import java.util.regex.Pattern;

/**
 * Keeps CSV exports from running code in the spreadsheet that opens them (CSV/formula injection, OWASP): a text cell
 * that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return would be read as a formula,
 * so it is prefixed with a single quote, which spreadsheets show as plain text.
 *
 * <p>One exception keeps phone numbers usable: a cell that is exactly an international number in E.164 form
 * ({@code +} and 2-15 digits, the form lead-service stores every phone in, e.g. {@code +14155550100}) is left as it
 * is; a spreadsheet reads it as a number at worst, never as a formula, because it contains nothing but digits. Any
 * other text, including {@code +1 (415) 555-0100} or {@code -2+3}, is prefixed. Only CSV is treated this way: JSON and
 * NDJSON exports are data for programs and carry every value unchanged.
 */
final class SpreadsheetCells {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    static Object neutralise(Object value) {
        if (!(value instanceof String text) || text.isEmpty()) {
            return value;
        }
        char first = text.charAt(0);
        boolean formulaLike = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
                || first == '\r';
        if (!formulaLike || E164.matcher(text).matches()) {
            return text;
        }
        return "'" + text;
    }

    private SpreadsheetCells() {
    }
}
