package com.leadforge.scraping.connector.http;

import java.net.URI;
import java.util.Map;

/**
 * One request to a source, fully built (auth header included). {@link #toString()} shows method and URL only: the
 * headers may carry credentials.
 *
 * @param body the JSON body of a POST, null for a GET
 */
record SourceRequest(String method, URI uri, Map<String, String> headers, byte[] body) {

    @Override
    public String toString() {
        return method + " " + uri;
    }
}
