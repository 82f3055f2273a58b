package com.leadforge.shared.text;

/**
 * What PostgreSQL can store as text: any string except those holding the NUL character (U+0000, refused by
 * {@code text}, {@code varchar} and {@code jsonb} alike) or an unpaired UTF-16 surrogate (it has no UTF-8 form, so the
 * driver would corrupt or refuse it). Every other character, emoji included, is fine. Input is checked against this
 * where it enters (JSON bodies: {@link StorableTextJson}; query, path and header parameters:
 * {@link StorableTextParameters}), so such text is a 400 naming the field, never a database error.
 */
public final class StorableText {

    public static final String NUL_MESSAGE = "must not contain the NUL character (U+0000)";
    public static final String SURROGATE_MESSAGE = "must not contain an unpaired UTF-16 surrogate (invalid Unicode)";

    /** Why {@code text} cannot be stored, or null when it can. */
    public static String problem(CharSequence text) {
        if (text == null) {
            return null;
        }
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return NUL_MESSAGE;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return SURROGATE_MESSAGE;
            }
            if (Character.isLowSurrogate(c)) {
                return SURROGATE_MESSAGE;
            }
        }
        return null;
    }

    /** {@code text} safe to show in a problem: NUL and lone surrogates written as {@code \}{@code uXXXX}. */
    public static String printable(String text) {
        if (problem(text) == null) {
            return text;
        }
        StringBuilder printable = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                printable.append(c).append(text.charAt(++i));
            } else if (c == '\u0000' || Character.isSurrogate(c)) {
                printable.append(String.format("\\u%04x", (int) c));
            } else {
                printable.append(c);
            }
        }
        return printable.toString();
    }

    private StorableText() {
    }
}
