package com.leadforge.scraping.connector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.leadforge.scraping.connector.ConnectorException;
import com.leadforge.scraping.datasource.DataSourceType;
import com.leadforge.shared.problem.Problem;
import com.leadforge.shared.problem.ProblemException;

/** The HTTP connectors' rules that need no network: config validation, Retry-After, address ranges, the breaker. */
class HttpConnectorRulesTest {

    final HttpConnector connector = new HttpConnector(null);
    final ApolloConnector apollo = new ApolloConnector(null);

    @Test
    void aConfigWithMistakesIsOne400NamingEveryField() {
        ProblemException problem = assertThrows(ProblemException.class, () -> connector.validateSourceConfig(
                DataSourceType.API, HttpRecordReaderTest.map("""
                        {"url":"ftp://example.com/x","method":"DELETE","headers":{"Authorization":"Bearer x",
                         "X-Ok":"fine"},"paging":{"type":"cursor","page_size":1000},"records_pointer":"data",
                         "mapping":{"shoe_size":"/s"},"max_pages":0,"recods":"typo"}""")));
        assertEquals(List.of("config.recods", "config.url", "config.method", "config.headers.Authorization",
                "config.paging.page_size", "config.paging.cursor_pointer", "config.records_pointer",
                "config.mapping.shoe_size", "config.max_pages"),
                problem.errors().stream().map(Problem.FieldError::field).toList());
        assertFalse(problem.errors().toString().contains("Bearer x"), "a header value echoed");
    }

    @Test
    void credentialsNeverGoIntoTheUrl() {
        ProblemException problem = assertThrows(ProblemException.class, () -> connector.validateSourceConfig(
                DataSourceType.CUSTOM, Map.of("url", "https://robot:secret@example.com/people",
                        "mapping", Map.of("email", "/email"))));
        assertEquals("config.url", problem.errors().get(0).field());
        assertFalse(problem.getMessage().contains("secret"));
    }

    @Test
    void presetsNeedOnlyTheUrlAndMayBeOverridden() {
        connector.validateSourceConfig(DataSourceType.LINKEDIN, Map.of("url", "https://partner.example.com/people"));
        connector.validateSourceConfig(DataSourceType.ZOOMINFO, Map.of("url", "https://api.zoominfo.com/search/contact",
                "mapping", Map.of("phone", "/directPhone")));
        var spec = connector.spec(DataSourceType.LINKEDIN, Map.of("url", "https://partner.example.com/people",
                "mapping", java.util.Collections.singletonMap("phone", null), "paging", Map.of("page_size", 10)))
                .orElseThrow();
        assertFalse(spec.mapping().containsKey("phone"), "null unmaps a preset field");
        assertEquals("/firstName", spec.mapping().get("first_name").toString());
        assertEquals(10, spec.paging().pageSize());
        assertEquals("start", spec.paging().param(), "the rest of the preset's paging stays");
        ProblemException noUrl = assertThrows(ProblemException.class,
                () -> connector.validateSourceConfig(DataSourceType.ZOOMINFO, Map.of("max_pages", 5)));
        assertEquals("config.url", noUrl.errors().get(0).field());
        // No config at all: created, not yet usable.
        assertEquals(Optional.empty(), connector.spec(DataSourceType.API, Map.of()));
    }

    @Test
    void apolloConfigIsOptionalAndBounded() {
        apollo.validateSourceConfig(DataSourceType.APOLLO, Map.of());
        var spec = apollo.spec(DataSourceType.APOLLO, Map.of()).orElseThrow();
        assertEquals("https://api.apollo.io/v1/mixed_people/search", spec.url().toString());
        assertEquals(100, spec.paging().pageSize());
        ProblemException problem = assertThrows(ProblemException.class, () -> apollo.validateSourceConfig(
                DataSourceType.APOLLO, Map.of("per_page", 500, "max_pages", 501, "base_url", "apollo.io")));
        assertEquals(List.of("config.base_url", "config.per_page", "config.max_pages"),
                problem.errors().stream().map(Problem.FieldError::field).toList());
    }

    @Test
    void anApiKeyMayNotNameAHeaderTheConnectorSetsItself() {
        for (String header : List.of("Host", "Content-Length", "Cookie", "X Bad")) {
            ConnectorException refused = assertThrows(ConnectorException.class, () -> HttpAuth.of(
                    Map.of("type", "api_key", "header", header, "value", "key-secret-77")));
            assertTrue(refused.getMessage().startsWith("credentials.header"), refused.getMessage());
            assertFalse(refused.getMessage().contains("key-secret-77"));
        }
        assertEquals("HttpAuth[Authorization: <redacted>]",
                HttpAuth.of(Map.of("type", "bearer", "token", "tok-secret-77")).toString());
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        ZonedDateTime now = ZonedDateTime.of(2026, 1, 15, 10, 0, 0, 0, ZoneOffset.UTC);
        assertEquals(Optional.of(Duration.ofSeconds(7)), SourceHttp.RetryAfter.parse(" 7 ", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                SourceHttp.RetryAfter.parse("Thu, 15 Jan 2026 10:00:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), SourceHttp.RetryAfter.parse("Thu, 15 Jan 2026 09:00:00 GMT", now));
        assertEquals(Optional.empty(), SourceHttp.RetryAfter.parse("soon", now));
        assertEquals(Optional.empty(), SourceHttp.RetryAfter.parse("-5", now));
    }

    @Test
    void privateLoopbackAndLinkLocalAddressesAreRecognised() throws Exception {
        for (String address : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1")) {
            assertTrue(SourceHttp.isPrivate(InetAddress.getByName(address)), address);
        }
        for (String address : List.of("8.8.8.8", "100.128.0.1", "2001:4860:4860::8888")) {
            assertFalse(SourceHttp.isPrivate(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void theBreakerOpensAtTheThresholdLetsOneTrialThroughAfterTheCooldownAndClosesOnSuccess() {
        MutableClock clock = new MutableClock();
        CircuitBreakers breakers = new CircuitBreakers(3, Duration.ofSeconds(60), clock);
        UUID source = UUID.randomUUID();
        breakers.failure(source);
        breakers.failure(source);
        breakers.check(source); // two failures: still closed
        breakers.failure(source);
        assertThrows(ConnectorException.class, () -> breakers.check(source));
        assertFalse(breakers.isOpen(UUID.randomUUID()), "per data source");
        clock.now = clock.now.plusSeconds(61);
        breakers.check(source); // half-open: one trial
        breakers.failure(source);
        assertTrue(breakers.isOpen(source), "a failed trial opens it again at once");
        clock.now = clock.now.plusSeconds(61);
        breakers.success(source);
        breakers.failure(source);
        assertFalse(breakers.isOpen(source), "a success starts the count again");
        breakers.failure(source);
        breakers.failure(source);
        breakers.reset(source);
        assertFalse(breakers.isOpen(source), "reset when the config or credentials change");
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-15T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
