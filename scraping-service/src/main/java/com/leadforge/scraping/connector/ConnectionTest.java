package com.leadforge.scraping.connector;

/** Outcome of {@code POST /data-sources/{id}/test}: whether it worked, and a message a person can act on. */
public record ConnectionTest(boolean success, String message) {

    public static ConnectionTest ok(String message) {
        return new ConnectionTest(true, message);
    }

    public static ConnectionTest failed(String message) {
        return new ConnectionTest(false, message);
    }
}
