package com.leadforge.campaign.campaign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import com.leadforge.testsupport.ForgedTokens;
import com.leadforge.testsupport.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A service called directly (past the gateway) verifies every token itself: forged, expired, premature, foreign
 * and tampered tokens are refused with 401 problem+json; valid tokens without an agency or with a read-only role
 * are refused with 403.
 */
@QuarkusTest
class TokenAttackTest {

    static final String ACME = TestTokens.AGENCY_ACME;

    static List<Object[]> forgedTokens() {
        String genuine = TestTokens.token(ACME, "agency_admin");
        return List.of(
                new Object[] { "alg none", ForgedTokens.algNone(genuine) },
                new Object[] { "HS256 signed with the RSA public key", ForgedTokens.hs256WithPublicKey(genuine, TestTokens.publicKeyPem()) },
                new Object[] { "expired", TestTokens.user("late").agency(ACME).roles("agency_admin").shiftedBySeconds(-3600).sign() },
                new Object[] { "not yet valid", TestTokens.user("early").agency(ACME).roles("agency_admin").shiftedBySeconds(3600).sign() },
                new Object[] { "wrong issuer", TestTokens.user("elsewhere").agency(ACME).roles("agency_admin")
                        .claim("iss", "https://evil.example/realms/leadforge").sign() },
                new Object[] { "wrong audience", TestTokens.user("other-api").agency(ACME).roles("agency_admin")
                        .claim("aud", "some-other-api").sign() },
                new Object[] { "tampered agency", ForgedTokens.tampered(genuine, "agency_id", TestTokens.AGENCY_BEACON) },
                new Object[] { "tampered roles", ForgedTokens.tampered(TestTokens.token(ACME, "client"), "realm_access",
                        Map.of("roles", List.of("super_admin"))) },
                new Object[] { "unknown signing key", ForgedTokens.signedByUnknownKey(genuine) },
                new Object[] { "garbage", "not.a.token" });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedTokens")
    void forgedOrInvalidTokensAreUnauthorized(String attack, String token) {
        given().auth().oauth2(token)
                .when().get("/api/v1/campaigns")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("https://leadforge.io/problems/unauthorized"));
        given().auth().oauth2(token)
                .contentType(ContentType.JSON).body("{\"name\":\"forged " + attack + "\"}")
                .when().post("/api/v1/campaigns")
                .then().statusCode(401);
    }

    @Test
    void genuineTokensWithoutAgencyOrWithAReadOnlyRoleAreForbidden() {
        given().auth().oauth2(TestTokens.user("homeless").roles("agency_admin").sign())
                .when().get("/api/v1/campaigns")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.token(ACME, "client"))
                .contentType(ContentType.JSON).body("{\"name\":\"client write\"}")
                .when().post("/api/v1/campaigns")
                .then().statusCode(403).contentType("application/problem+json");
        // The control case: the genuine token these forgeries were made from is accepted.
        given().auth().oauth2(TestTokens.token(ACME, "agency_admin"))
                .when().get("/api/v1/campaigns")
                .then().statusCode(200);
    }
}
