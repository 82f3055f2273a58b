package com.leadforge.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway keeps connections to each service and sends the next request on one as soon as the previous answer
 * has ended. A service that then closes that connection without having said so ({@code Connection: close}) makes the
 * gateway answer the next, unrelated request 502, and a POST is never retried. So every service, whatever it refuses
 * and however early (before reading a large body: no token, a wrong content type, an id that is not one), either
 * answers the next request on the same connection or said it would close it.
 */
@ExtendWith(RunningStack.class)
class KeepAliveTest {

    /** Below every service's body limit (analytics takes 64 KB), above what one read of a socket takes. */
    static final Map<String, Integer> BODY_BYTES = Map.of("lead-service", 900_000, "campaign-service", 900_000,
            "scraping-service", 900_000, "analytics-service", 60_000);
    static final Map<String, String> COLLECTION = Map.of("lead-service", "/api/v1/leads",
            "campaign-service", "/api/v1/campaigns", "scraping-service", "/api/v1/data-sources",
            "analytics-service", "/api/v1/notifications");

    @Test
    void aServiceThatRefusesARequestEarlyKeepsTheConnectionOrSaysItCloses(Stack stack) throws Exception {
        String token = KeycloakTokens.of(stack, "admin-acme");
        List<String> answers = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        for (String service : COLLECTION.keySet().stream().sorted().toList()) {
            String collection = COLLECTION.get(service);
            Map<String, String[]> refusals = new LinkedHashMap<>();
            refusals.put("no token", new String[] { "POST", collection, null, "application/json" });
            refusals.put("wrong content type", new String[] { "POST", collection, token, "text/plain" });
            refusals.put("an id that is not one", new String[] { "PUT", collection + "/not-an-id", token,
                    "application/json" });
            for (Map.Entry<String, String[]> refusal : refusals.entrySet()) {
                String[] request = refusal.getValue();
                String outcome = refuseThenAskAgain(URI.create(stack.serviceUrl(service)), request[0], request[1],
                        request[2], request[3], BODY_BYTES.get(service), token, collection);
                String line = service + " " + refusal.getKey() + ": " + outcome;
                answers.add(line);
                if (outcome.startsWith("BROKEN")) {
                    broken.add(line);
                }
            }
        }
        answers.forEach(line -> System.out.println("KeepAliveTest: " + line));
        assertEquals(List.of(), broken, "connections closed without Connection: close");
    }

    /**
     * Sends the refused request with a large JSON body (written by a thread of its own: the service may answer before
     * reading it), reads its answer, then asks {@code GET collection} on the same connection.
     */
    private static String refuseThenAskAgain(URI service, String method, String path, String token,
            String contentType, int bodyBytes, String nextToken, String collection) throws Exception {
        byte[] body = ("{\"padding\":\"" + "a".repeat(bodyBytes) + "\"}").getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(service.getHost(), service.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + service.getAuthority() + "\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                    + "Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n";
            Thread writer = new Thread(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // The service stopped reading and closed: what the answer says decides whether that was allowed.
                }
            });
            writer.start();
            Answer first;
            try {
                first = Answer.read(in);
            } catch (IOException e) {
                return "BROKEN: no answer to the refused request (" + e + ")";
            } finally {
                writer.join(15_000);
            }
            boolean saidClose = "close".equalsIgnoreCase(first.headers.getOrDefault("connection", ""));
            String firstPart = first.status + (saidClose ? " (Connection: close)" : "");
            try {
                out.write(("GET " + collection + " HTTP/1.1\r\nHost: " + service.getAuthority()
                        + "\r\nAuthorization: Bearer " + nextToken + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Answer second = Answer.read(in);
                return firstPart + ", then " + second.status + " on the same connection";
            } catch (IOException e) {
                return (saidClose ? "" : "BROKEN: ") + firstPart + ", then the connection was gone (" + e + ")";
            }
        }
    }

    /** One HTTP/1.1 response: status, headers (lower-case names), body read by Content-Length or chunks. */
    private record Answer(int status, Map<String, String> headers) {

        static Answer read(InputStream in) throws IOException {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed before an answer");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
            if (headers.containsKey("content-length")) {
                in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).trim(), 16)) {
                    in.readNBytes(size);
                    line(in);
                }
                line(in);
            }
            return new Answer(Integer.parseInt(statusLine.substring(9, 12)), headers);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b == '\n') {
                    String text = bytes.toString(StandardCharsets.US_ASCII);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                bytes.write(b);
            }
            return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.US_ASCII);
        }
    }
}
