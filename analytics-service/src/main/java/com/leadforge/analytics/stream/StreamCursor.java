package com.leadforge.analytics.stream;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in the stream log: the writing transaction's id and the row id. Rows are delivered in (xid, id) order, and
 * only once no transaction older than the row's is still running, so a reader never sees a smaller position after a
 * larger one. It is the SSE {@code id:} of each event, and what {@code Last-Event-ID} brings back.
 */
public record StreamCursor(long xid, long id) implements Comparable<StreamCursor> {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,19})-(\\d{1,19})");

    public static Optional<StreamCursor> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StreamCursor(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public int compareTo(StreamCursor other) {
        int byXid = Long.compare(xid, other.xid);
        return byXid != 0 ? byXid : Long.compare(id, other.id);
    }

    public boolean isAfter(StreamCursor other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return xid + "-" + id;
    }
}
