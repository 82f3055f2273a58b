package com.leadforge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A real {@code redis-server} (the binary shipped in the {@code com.github.codemonstur:embedded-redis} jar from Maven
 * Central) on a free loopback port, without persistence. For tests of anything that shares state through Redis, such
 * as the gateway's rate limits across replicas.
 */
public final class RedisServer implements AutoCloseable {

    private final redis.embedded.RedisServer server;
    private final int port;

    private RedisServer(redis.embedded.RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static RedisServer startEphemeral() {
        int port = Ports.free();
        try {
            redis.embedded.RedisServer server = redis.embedded.RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory 64mb")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            Await.until("redis-server on port " + port, Duration.ofSeconds(30), () -> Ports.isOpen(port));
            return new RedisServer(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server did not start", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, the form Lettuce and most clients accept. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
