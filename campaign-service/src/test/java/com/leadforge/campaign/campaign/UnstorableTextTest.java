package com.leadforge.campaign.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Text PostgreSQL cannot store (NUL; unpaired UTF-16 surrogates) is a 400 naming the field or parameter — in a JSON
 * body at any depth, a query parameter or a path parameter — never a 500. The rule comes from the shared module, so
 * this service gets it without code of its own.
 */
@QuarkusTest
class UnstorableTextTest {

    static final String ADMIN = TestTokens.token(TestTokens.AGENCY_ACME, "agency_admin");

    @Test
    void nulInABodyIsA400NamingTheField() {
        rejected(create("{\"name\":\"\\u0000\"}"), "name");
        rejected(create("{\"name\":\"Nul audience\",\"target_audience\":{\"industries\":[\"saas\",\"fin\\u0000tech\"]}}"),
                "target_audience.industries[1]");
        rejected(create("{\"name\":\"Lonely \\udbff surrogate\"}"), "name");
        String id = create("{\"name\":\"Nul update " + java.util.UUID.randomUUID() + "\"}").statusCode(201)
                .extract().path("id");
        rejected(admin().contentType(ContentType.JSON).body("{\"description\":\"a\\u0000\"}")
                .put("/api/v1/campaigns/" + id).then(), "description");
    }

    @Test
    void nulInAQueryOrPathParameterIsA400NamingTheParameter() {
        rejected(admin().urlEncodingEnabled(false).get("/api/v1/campaigns?search=a%00b").then(), "search");
        rejected(admin().urlEncodingEnabled(false).get("/api/v1/campaigns/a%00b").then(), "id");
        rejected(admin().urlEncodingEnabled(false)
                .put("/api/v1/campaigns/00000000-0000-0000-0000-000000000001/clients/u%00ser").then(), "userId");
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(ADMIN);
    }

    private static ValidatableResponse create(String body) {
        return admin().contentType(ContentType.JSON).body(body).post("/api/v1/campaigns").then();
    }

    private static void rejected(ValidatableResponse response, String field) {
        response.statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://leadforge.io/problems/validation"))
                .body("errors.field", contains(field))
                .body("errors[0].message", anyOf(containsString("U+0000"), containsString("surrogate")))
                .body(not(containsString("Exception")))
                .body(not(containsString("SQL")));
    }
}
