package com.leadforge.scraping.connector.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Third-party APIs as the HTTP connectors meet them, stubbed in-process (WireMock on a free loopback port): a generic
 * people API and Apollo's people search, each under a path of its own per test so request counts are exact.
 */
public final class SourceStubs implements AutoCloseable {

    public final WireMockServer server;

    public SourceStubs() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A fresh path, so this test's requests are counted apart from every other's. */
    public static String path(String name) {
        return "/" + name + "/" + UUID.randomUUID();
    }

    public int count(String path) {
        return server.countRequestsMatching(anyRequestedFor(urlPathEqualTo(path)).build()).getCount();
    }

    public List<LoggedRequest> requests(String path) {
        return server.findAll(anyRequestedFor(urlPathEqualTo(path)));
    }

    /** {@code {"data":[…], "meta":{…}}} with {@code count} people of page {@code page}: p{page}-{i}@example.com. */
    public static String page(int page, int count, String meta) {
        List<String> items = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            items.add(person(page, i));
        }
        return "{\"data\":[" + String.join(",", items) + "]" + (meta == null ? "" : ",\"meta\":" + meta) + "}";
    }

    public static String person(int page, int i) {
        return "{\"id\":\"" + page + "-" + i + "\",\"first\":\"Ann" + page + "_" + i + "\",\"email\":\"p" + page + "-"
                + i + "@example.com\",\"org\":{\"name\":\"Org " + page + "\"},\"rank\":" + i + "}";
    }

    public static String email(int page, int i) {
        return "p" + page + "-" + i + "@example.com";
    }

    /** A generic config over this server's {@code path}: records in /data, three mapped fields, one metadata. */
    public String config(String path, String paging) {
        return "{\"url\":\"" + base() + path + "\",\"records_pointer\":\"/data\","
                + "\"mapping\":{\"email\":\"/email\",\"first_name\":\"/first\",\"company\":\"/org/name\"},"
                + "\"metadata\":{\"rank\":\"/rank\"}" + (paging == null ? "" : ",\"paging\":" + paging) + "}";
    }

    /** Apollo's mixed_people/search answer for one page. */
    public static String apolloPage(int page, int totalPages, int perPage) {
        List<String> people = new ArrayList<>();
        for (int i = 1; i <= perPage; i++) {
            String id = page + "-" + i;
            // Every 5th person's e-mail is locked; every 3rd has no phone number; every 7th has only a full name.
            String email = i % 5 == 0 ? "email_not_unlocked@domain.com" : "ann." + id + "@example.com";
            String phones = i % 3 == 0 ? "[]"
                    : "[{\"raw_number\":\"+1 415-555-0" + i + "\",\"sanitized_number\":\"+1415555" + (1000 + i)
                            + "\",\"type\":\"work_direct\"}]";
            String names = i % 7 == 0 ? "\"first_name\":null,\"last_name\":null,\"name\":\"Zed Person" + id + "\""
                    : "\"first_name\":\"Ann\",\"last_name\":\"P" + id + "\",\"name\":\"Ann P" + id + "\"";
            people.add("{\"id\":\"ap" + id + "\"," + names + ",\"title\":\"CTO\",\"email\":\"" + email
                    + "\",\"linkedin_url\":\"http://www.linkedin.com/in/ann-" + id + "\",\"organization\":{\"name\":"
                    + "\"Org " + page + "\"},\"phone_numbers\":" + phones + "}");
        }
        return "{\"breadcrumbs\":[],\"people\":[" + String.join(",", people) + "],\"pagination\":{\"page\":" + page
                + ",\"per_page\":" + perPage + ",\"total_entries\":" + totalPages * perPage + ",\"total_pages\":"
                + totalPages + "}}";
    }

    /**
     * Apollo at {@code base}{@code /v1/mixed_people/search}: {@code pages} pages of {@code perPage} people; the first
     * request for page {@code rateLimitedPage} (if > 0) answers 429 without Retry-After, as Apollo does.
     */
    public void apollo(String base, int pages, int perPage, int rateLimitedPage) {
        String url = base + "/v1/mixed_people/search";
        for (int page = 1; page <= pages; page++) {
            var request = post(urlPathEqualTo(url)).withHeader("X-Api-Key", equalTo("apollo-key-123456789"))
                    .withRequestBody(matchingJsonPath("$.page", equalTo(String.valueOf(page))));
            var ok = aResponse().withHeader("Content-Type", "application/json")
                    .withBody(apolloPage(page, pages, perPage));
            if (page == rateLimitedPage) {
                String scenario = "apollo-429-" + url;
                server.stubFor(request.inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(aResponse().withStatus(429).withBody("{\"error\":\"rate limited\"}"))
                        .willSetStateTo("served"));
                server.stubFor(post(urlPathEqualTo(url)).withHeader("X-Api-Key", equalTo("apollo-key-123456789"))
                        .withRequestBody(matchingJsonPath("$.page", equalTo(String.valueOf(page))))
                        .inScenario(scenario).whenScenarioStateIs("served").willReturn(ok));
            } else {
                server.stubFor(request.willReturn(ok));
            }
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
