package com.leadforge.gateway.routing;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body streamed to a service that stops at {@code limit} bytes: bodies without a Content-Length are not
 * checked up front, so they are counted on their way through.
 */
final class LimitedBody implements ReadStream<Buffer> {

    /** The body went over the limit; nothing more of it was forwarded. */
    static final class TooLargeException extends RuntimeException {
        private final long maxBytes;

        TooLargeException(long limit) {
            super("Request body larger than " + limit + " bytes", null, false, false);
            this.maxBytes = limit;
        }

        long maxBytes() {
            return maxBytes;
        }
    }

    private final ReadStream<Buffer> source;
    private final long limit;
    private final Runnable onExceeded;
    private long received;
    private boolean exceeded;

    LimitedBody(ReadStream<Buffer> source, long limit, Runnable onExceeded) {
        this.source = source;
        this.limit = limit;
        this.onExceeded = onExceeded;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        source.handler(handler == null ? null : buffer -> {
            if (exceeded) {
                return;
            }
            received += buffer.length();
            if (received > limit) {
                exceeded = true;
                onExceeded.run();
                return;
            }
            handler.handle(buffer);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler == null ? null : end -> {
            if (!exceeded) {
                endHandler.handle(end);
            }
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        source.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        source.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        source.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        source.fetch(amount);
        return this;
    }
}
