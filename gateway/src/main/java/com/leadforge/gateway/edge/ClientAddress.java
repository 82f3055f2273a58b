package com.leadforge.gateway.edge;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.leadforge.gateway.routing.GatewayConfig;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Who the client really is. {@code X-Forwarded-For} is believed only as far as it was written by proxies the gateway
 * trusts ({@code leadforge.gateway.trusted-proxies}, from {@code LEADFORGE_TRUSTED_PROXIES}: IP addresses or CIDR
 * ranges; none by default): starting from the socket peer, the chain is walked right to left while each hop is a
 * trusted proxy, and the first address that is not is the client. Anything left of it was written by the client
 * and is dropped. The chain forwarded to the services starts with that client, so a service that trusts the gateway
 * can take the first entry.
 * <p>
 * Quarkus's own proxy-address forwarding is not used here: it takes the leftmost {@code X-Forwarded-For} entry, which
 * the client chooses whenever a proxy appends to the header instead of replacing it.
 */
@Singleton
public class ClientAddress {

    /** The client and the chain to forward ({@code client, proxy1, ..., peer}). */
    public record Resolved(String client, List<String> chain, boolean fromTrustedProxy) {

        public String forwardedFor() {
            return String.join(", ", chain);
        }
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final List<Range> trusted;

    @Inject
    public ClientAddress(GatewayConfig config) {
        this(config.trustedProxies());
    }

    ClientAddress(Optional<List<String>> proxies) {
        this.trusted = proxies.orElse(List.of()).stream().map(String::trim).filter(p -> !p.isEmpty())
                .map(Range::parse).toList();
    }

    public Resolved resolve(HttpServerRequest request) {
        SocketAddress socket = request.connection() != null ? request.connection().remoteAddress()
                : request.remoteAddress();
        String peer = socket == null || socket.hostAddress() == null ? "unknown" : socket.hostAddress();
        List<String> chain = new ArrayList<>();
        chain.add(peer);
        if (!isTrusted(peer)) {
            return new Resolved(peer, chain, false);
        }
        List<String> forwarded = new ArrayList<>();
        for (String header : request.headers().getAll("X-Forwarded-For")) {
            for (String entry : header.split(",")) {
                forwarded.add(entry.trim());
            }
        }
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            String hop = literal(forwarded.get(i));
            if (hop == null) {
                // Not an address: whatever the last trusted proxy received it from is all that is known.
                break;
            }
            chain.add(0, hop);
            if (!isTrusted(hop)) {
                break;
            }
        }
        return new Resolved(chain.get(0), chain, true);
    }

    /** Whether {@code request} came straight from a trusted proxy (its other X-Forwarded-* headers may be believed). */
    public boolean fromTrustedProxy(HttpServerRequest request) {
        SocketAddress socket = request.connection() != null ? request.connection().remoteAddress()
                : request.remoteAddress();
        return socket != null && isTrusted(socket.hostAddress());
    }

    boolean isTrusted(String address) {
        if (trusted.isEmpty() || address == null) {
            return false;
        }
        InetAddress parsed = parse(address);
        return parsed != null && trusted.stream().anyMatch(range -> range.contains(parsed));
    }

    /** The address in canonical form when {@code entry} is an IP literal (an IPv6 one may be bracketed). */
    private static String literal(String entry) {
        String value = entry.startsWith("[") && entry.endsWith("]") ? entry.substring(1, entry.length() - 1) : entry;
        InetAddress parsed = parse(value);
        return parsed == null ? null : parsed.getHostAddress();
    }

    /** Parses IP literals only, never a host name (no DNS look-up on a request path). */
    private static InetAddress parse(String value) {
        if (value == null || !(IPV4.matcher(value).matches() || IPV6.matcher(value).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Range(BigInteger network, BigInteger mask, int length) {

        static Range parse(String text) {
            String[] parts = text.split("/", 2);
            InetAddress address = ClientAddress.parse(parts[0].toLowerCase(Locale.ROOT));
            if (address == null) {
                throw new IllegalArgumentException("leadforge.gateway.trusted-proxies: '" + text
                        + "' is not an IP address or CIDR range (host names are not accepted)");
            }
            int bits = address.getAddress().length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("leadforge.gateway.trusted-proxies: bad prefix in '" + text + "'");
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new Range(new BigInteger(1, address.getAddress()).and(mask), mask, address.getAddress().length);
        }

        boolean contains(InetAddress address) {
            return address.getAddress().length == length
                    && new BigInteger(1, address.getAddress()).and(mask).equals(network);
        }
    }
}
