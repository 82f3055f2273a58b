package com.leadforge.shared.inbox;

/** A record that no amount of retrying can process; it belongs on the dead-letter topic. */
public class PoisonEventException extends RuntimeException {

    public PoisonEventException(String message) {
        super(message);
    }
}
