package com.leadforge.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * One server-sent-event stream read the way a browser tab reads it: its own connection and its own reader thread,
 * blocking on the socket, so that no stream waits for another's. (The JDK's HttpClient reads every connection on one
 * selector thread and hands each body line across threads: with hundreds of streams that client, not the server,
 * decides when the last stream sees an event.) HTTP/1.1 with chunked or plain bodies; calls {@code onEvent} with each
 * event's name and data, in order.
 */
final class SseReader extends Thread {

    private final URI server;
    private final String path;
    private final String token;
    private final BiConsumer<String, String> onEvent;
    private final IntConsumer onStatus;
    private volatile Socket socket;
    private volatile boolean closing;

    SseReader(URI server, String path, String token, BiConsumer<String, String> onEvent, IntConsumer onStatus) {
        super(null, null, "sse-reader", 256 * 1024);
        setDaemon(true);
        this.server = server;
        this.path = path;
        this.token = token;
        this.onEvent = onEvent;
        this.onStatus = onStatus;
    }

    @Override
    public void run() {
        boolean reported = false;
        try (Socket connection = new Socket(server.getHost(), server.getPort())) {
            socket = connection;
            connection.setTcpNoDelay(true);
            OutputStream out = connection.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Lines in = new Lines(connection.getInputStream());
            String statusLine = line(in);
            int status = statusLine == null || statusLine.length() < 12 ? 0
                    : Integer.parseInt(statusLine.substring(9, 12));
            boolean chunked = false;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            onStatus.accept(status);
            reported = true;
            if (status != 200) {
                return;
            }
            if (chunked) {
                in.chunked();
            }
            SseEvents events = new SseEvents(onEvent);
            for (String line = line(in); line != null; line = line(in)) {
                events.line(line);
            }
        } catch (IOException | RuntimeException e) {
            if (!reported) {
                onStatus.accept(0);
            } else if (!closing) {
                System.err.println("A stream broke: " + e);
            }
        }
    }

    void close() {
        closing = true;
        Socket connection = socket;
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing at the end of the run: nothing left to read
            }
        }
    }

    /** One line without its CR LF (or LF), or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        return in instanceof Lines lines ? lines.next() : new Lines(in).next();
    }

    /**
     * Lines of a byte stream, read a buffer at a time (a per-byte read of a shared stream costs more CPU than the
     * server spends on the event, on the same two cores). Decodes a chunked body too: chunk sizes are read as lines
     * and chunk data handed out as bytes, so an event split across chunks comes out whole.
     */
    private static final class Lines extends InputStream {

        private final InputStream in;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;
        private boolean chunked;
        private long chunkLeft;
        private boolean ended;

        Lines(InputStream in) {
            this.in = in;
        }

        void chunked() {
            chunked = true;
        }

        @Override
        public int read() throws IOException {
            throw new UnsupportedOperationException("read lines");
        }

        private boolean fill() throws IOException {
            if (position < limit) {
                return true;
            }
            int read = in.read(buffer);
            if (read <= 0) {
                return false;
            }
            position = 0;
            limit = read;
            return true;
        }

        /** A raw line of the connection (headers, chunk sizes). */
        private String rawLine() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            while (fill()) {
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                bytes.write(buffer, start, position - start);
                if (position < limit) {
                    position++;
                    return strip(bytes);
                }
            }
            return bytes.size() == 0 ? null : strip(bytes);
        }

        /** A line of the body: across chunk boundaries when the body is chunked. */
        String next() throws IOException {
            if (!chunked) {
                return rawLine();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            while (!ended) {
                if (chunkLeft == 0) {
                    String size = rawLine();
                    while (size != null && size.isEmpty()) {
                        size = rawLine(); // the CR LF that ends the previous chunk
                    }
                    if (size == null) {
                        ended = true;
                        break;
                    }
                    int extension = size.indexOf(';');
                    chunkLeft = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                    if (chunkLeft == 0) {
                        ended = true;
                        break;
                    }
                }
                if (!fill()) {
                    ended = true;
                    break;
                }
                int end = (int) Math.min(limit, position + chunkLeft);
                int start = position;
                while (position < end && buffer[position] != '\n') {
                    position++;
                }
                bytes.write(buffer, start, position - start);
                chunkLeft -= position - start;
                if (position < end) {
                    position++;
                    chunkLeft--;
                    return strip(bytes);
                }
            }
            return bytes.size() == 0 ? null : strip(bytes);
        }

        private static String strip(ByteArrayOutputStream bytes) {
            byte[] raw = bytes.toByteArray();
            int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
            return new String(raw, 0, length, StandardCharsets.UTF_8);
        }
    }
}
