package com.leadforge.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RequestPathTest {

    @Test
    void percentEncodingsDotSegmentsAndDuplicateSlashesAreResolvedAsAServiceWouldReadThem() throws Exception {
        assertEquals("/api/v1/leads/export", RequestPath.of("/api/v1/leads/%65xport").decoded());
        assertEquals("/api/v1/leads/export", RequestPath.of("/api/v1/leads/%65%78%70%6F%72%74").decoded());
        assertEquals("/api/v1/leads/export", RequestPath.of("/api/v1//leads/./x/../export").decoded());
        assertEquals("/api/v1/leads/export", RequestPath.of("/api/v1/leads/%2e/export").decoded());
        assertEquals("/api/v1/leads/", RequestPath.of("/api/v1/leads/").decoded());
        assertEquals("/", RequestPath.of("/../..").decoded());
        assertEquals("/api/v1/leads/a%20b%C3%A9", RequestPath.of("/api/v1/leads/a%20b%c3%a9").encoded());
        assertEquals("/api/v1/leads/42", RequestPath.of("/api/v1/leads/42").encoded());
    }

    @Test
    void encodingsThatServersReadDifferentlyAreRefused() {
        for (String raw : new String[] { "/api/v1/leads%2Fexport", "/api/v1/leads/%2fexport", "/api/v1/leads/%5Cx",
                "/api/v1/leads/%2565xport", "/api/v1/leads/%00", "/api/v1/leads/%zz", "/api/v1/leads/%6",
                "/api/v1/leads/export;x=1", "/api/v1/leads/export%3Bx=1", "/api/v1/leads/%C3", "/api\\v1",
                "api/v1/leads" }) {
            assertThrows(RequestPath.Refused.class, () -> RequestPath.of(raw), raw);
        }
    }
}
