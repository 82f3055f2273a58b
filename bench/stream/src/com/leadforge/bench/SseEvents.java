package com.leadforge.bench;

import java.util.function.BiConsumer;

/**
 * The event-stream format's lines put back together into events: {@code event:} names the event, {@code data:} lines
 * make its data, a blank line hands it out. (Ids and comments are not needed by the bench.)
 */
final class SseEvents {

    private final BiConsumer<String, String> onEvent;
    private String name = "";
    private final StringBuilder data = new StringBuilder();

    SseEvents(BiConsumer<String, String> onEvent) {
        this.onEvent = onEvent;
    }

    /** One line of the body, without its line end. */
    void line(String line) {
        if (line.isEmpty()) {
            if (data.length() > 0) {
                onEvent.accept(name.isEmpty() ? "message" : name, data.toString());
            }
            name = "";
            data.setLength(0);
        } else if (line.startsWith("event:")) {
            name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
            if (data.length() > 0) {
                data.append('\n');
            }
            data.append(line.substring(5).stripLeading());
        }
    }
}
