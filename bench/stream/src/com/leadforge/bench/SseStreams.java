package com.leadforge.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * Many server-sent-event streams read the way a load generator reads them: a few threads, each multiplexing its share
 * of the connections on one selector (as wrk does), so the client's CPU and its runnable threads stay small beside
 * the server's on the same two cores. Each connection is parsed incrementally (HTTP/1.1 head, chunked or plain body,
 * SSE lines), and {@code onEvent} gets each event's name and data as soon as the read that completed it returns.
 */
final class SseStreams implements AutoCloseable {

    private final List<Loop> loops = new ArrayList<>();
    private int next;

    SseStreams(int threads) {
        for (int i = 0; i < threads; i++) {
            Loop loop = new Loop("sse-streams-" + i);
            loops.add(loop);
            loop.start();
        }
    }

    void open(URI server, String path, String token, BiConsumer<String, String> onEvent, IntConsumer onStatus) {
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n";
        Loop loop = loops.get(next++ % loops.size());
        loop.add(new Stream(new InetSocketAddress(server.getHost(), server.getPort()),
                ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)), onEvent, onStatus));
    }

    @Override
    public void close() {
        loops.forEach(Loop::shutdown);
    }

    private static final class Loop extends Thread {

        private final Selector selector;
        private final Queue<Stream> added = new ConcurrentLinkedQueue<>();
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        private volatile boolean running = true;

        Loop(String name) {
            super(name);
            setDaemon(true);
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new IllegalStateException("No selector", e);
            }
        }

        void add(Stream stream) {
            added.add(stream);
            selector.wakeup();
        }

        void shutdown() {
            running = false;
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select();
                    for (Stream stream = added.poll(); stream != null; stream = added.poll()) {
                        stream.connect(selector);
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        Stream stream = (Stream) key.attachment();
                        try {
                            if (key.isConnectable()) {
                                stream.connected(key);
                            } else if (key.isWritable()) {
                                stream.sendRequest(key);
                            } else if (key.isReadable()) {
                                stream.read(key, buffer);
                            }
                        } catch (IOException | RuntimeException e) {
                            stream.broke(key, e, running);
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                System.err.println("A stream reader stopped: " + e);
            } finally {
                for (SelectionKey key : selector.keys()) {
                    try {
                        key.channel().close();
                    } catch (IOException ignored) {
                        // closing at the end of the run: nothing left to read
                    }
                }
            }
        }
    }

    private static final class Stream {

        private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, PLAIN, ENDED }

        private final InetSocketAddress address;
        private final ByteBuffer request;
        private final IntConsumer onStatus;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private final ByteArrayOutputStream sseLine = new ByteArrayOutputStream(512);
        private State state = State.HEAD;
        private int status = -1;
        private boolean chunked;
        private long chunkLeft;
        private boolean reported;
        private final SseEvents events;

        Stream(InetSocketAddress address, ByteBuffer request, BiConsumer<String, String> onEvent,
                IntConsumer onStatus) {
            this.address = address;
            this.request = request;
            this.events = new SseEvents(onEvent);
            this.onStatus = onStatus;
        }

        void connect(Selector selector) {
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                if (channel.connect(address)) {
                    connected(key);
                }
            } catch (IOException e) {
                report(0);
            }
        }

        void connected(SelectionKey key) throws IOException {
            ((SocketChannel) key.channel()).finishConnect();
            key.interestOps(SelectionKey.OP_WRITE);
            sendRequest(key);
        }

        void sendRequest(SelectionKey key) throws IOException {
            ((SocketChannel) key.channel()).write(request);
            if (!request.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        void read(SelectionKey key, ByteBuffer buffer) throws IOException {
            buffer.clear();
            int read = ((SocketChannel) key.channel()).read(buffer);
            if (read < 0) {
                report(0);
                key.cancel();
                key.channel().close();
                return;
            }
            buffer.flip();
            while (buffer.hasRemaining() && state != State.ENDED) {
                consume(buffer);
            }
        }

        void broke(SelectionKey key, Exception e, boolean running) {
            if (!reported) {
                report(0);
            } else if (running) {
                System.err.println("A stream broke: " + e);
            }
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // already broken
            }
        }

        private void report(int code) {
            if (!reported) {
                reported = true;
                onStatus.accept(code);
            }
        }

        /** Takes what the current state can from {@code buffer}. */
        private void consume(ByteBuffer buffer) {
            switch (state) {
                case HEAD -> {
                    String header = rawLine(buffer);
                    if (header == null) {
                        return;
                    }
                    if (status < 0) {
                        status = header.length() >= 12 ? Integer.parseInt(header.substring(9, 12)) : 0;
                    } else if (header.isEmpty()) {
                        report(status);
                        state = status != 200 ? State.ENDED : chunked ? State.CHUNK_SIZE : State.PLAIN;
                    } else {
                        String lower = header.toLowerCase(Locale.ROOT);
                        chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
                    }
                }
                case CHUNK_SIZE -> {
                    String size = rawLine(buffer);
                    if (size == null || size.isEmpty()) {
                        return;
                    }
                    int extension = size.indexOf(';');
                    chunkLeft = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                    state = chunkLeft == 0 ? State.ENDED : State.CHUNK_DATA;
                }
                case CHUNK_DATA -> {
                    int take = (int) Math.min(chunkLeft, buffer.remaining());
                    ByteBuffer part = buffer.slice();
                    part.limit(take);
                    body(part);
                    buffer.position(buffer.position() + take);
                    chunkLeft -= take;
                    if (chunkLeft == 0) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    if (rawLine(buffer) != null) {
                        state = State.CHUNK_SIZE;
                    }
                }
                case PLAIN -> body(buffer);
                case ENDED -> buffer.position(buffer.limit());
            }
        }

        /** A line of the connection (head, chunk framing), or null when it is not complete yet. */
        private String rawLine(ByteBuffer buffer) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return take(line);
                }
                line.write(b);
            }
            return null;
        }

        /** Bytes of the event stream: split into SSE lines, each complete event handed out. */
        private void body(ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
                byte b = bytes.get();
                if (b != '\n') {
                    sseLine.write(b);
                    continue;
                }
                events.line(take(sseLine));
            }
        }

        private static String take(ByteArrayOutputStream bytes) {
            byte[] raw = bytes.toByteArray();
            bytes.reset();
            int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
            return new String(raw, 0, length, StandardCharsets.UTF_8);
        }
    }
}
