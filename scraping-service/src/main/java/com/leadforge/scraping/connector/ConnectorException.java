package com.leadforge.scraping.connector;

/**
 * A source failure the reader could not get past (after its retries, or one no retry can fix: refused credentials,
 * a malformed page, a missing file). The job fails with this message; it must never carry credentials.
 */
public class ConnectorException extends RuntimeException {

    public ConnectorException(String message) {
        super(message);
    }

    public ConnectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
