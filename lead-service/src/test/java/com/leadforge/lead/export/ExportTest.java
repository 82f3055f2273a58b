package com.leadforge.lead.export;

import static com.leadforge.lead.LeadApi.*;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import com.leadforge.lead.LeadApi;
import com.leadforge.testsupport.RealInfrastructure;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "leads"),
        @ResourceArg(name = "topics", value = LeadApi.TEST_TOPICS) })
class ExportTest {

    @Test
    void exportsTheFilteredLeadsAsCsvJsonAndNdjson() throws Exception {
        String source = "export-" + unique();
        String a = create("{\"first_name\":\"Comma, Quote \\\"Q\\\"\",\"source\":\"%s\"}".formatted(source));
        String b = create("{\"first_name\":\"Second\",\"source\":\"%s\",\"priority\":\"urgent\"}".formatted(source));
        create("{\"first_name\":\"Elsewhere\",\"source\":\"other-%s\"}".formatted(source));

        var csv = researcher().get("/api/v1/leads/export?format=csv&source=" + source).then().statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", matchesPattern("attachment; filename=\"leads-\\d{8}T\\d{6}Z\\.csv\""))
                .extract().asString();
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertEquals(2, rows.size());
        assertEquals(b, rows.get(0).get("id"));
        assertEquals("Comma, Quote \"Q\"", rows.get(1).get("first_name"));
        assertEquals("medium", rows.get(1).get("priority"));

        String json = researcher().get("/api/v1/leads/export?format=json&source=" + source).then().statusCode(200)
                .contentType(startsWith("application/json"))
                .header("Content-Disposition", matchesPattern(".*leads-\\d{8}T\\d{6}Z\\.json\""))
                .extract().asString();
        assertEquals(List.of(b, a), new JsonPath(json).getList("id"));

        String ndjson = researcher().get("/api/v1/leads/export?format=ndjson&priority=urgent&source=" + source)
                .then().statusCode(200).contentType(startsWith("application/x-ndjson")).extract().asString();
        String[] lines = ndjson.strip().split("\n");
        assertEquals(1, lines.length);
        assertEquals(b, new JsonPath(lines[0]).getString("id"));

        String empty = as(BEACON, "agency_admin").get("/api/v1/leads/export?format=json&source=" + source)
                .then().statusCode(200).extract().asString();
        assertTrue(new JsonPath(empty).getList("$").isEmpty());
    }

    /**
     * OWASP CSV injection: a cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) is prefixed with a
     * single quote in CSV, while an E.164 phone number stays usable; JSON and NDJSON carry the values untouched.
     */
    @Test
    void csvNeutralisesSpreadsheetFormulasButKeepsPhoneNumbersAndJsonRaw() throws Exception {
        String source = "formula-" + unique();
        String id = create("""
                {"first_name":"=HYPERLINK(\\"http://x\\",\\"y\\")","last_name":"+SUM(1,2)","company":"-2+3+cmd|' /C calc'!A0",
                 "title":"@SUM(A1)","phone":"+1 415 555 0100","source":"%s"}""".formatted(source));

        String csv = researcher().get("/api/v1/leads/export?format=csv&source=" + source).then().statusCode(200)
                .extract().asString();
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertEquals(1, rows.size());
        CSVRecord row = rows.get(0);
        assertEquals(id, row.get("id"));
        assertEquals("'=HYPERLINK(\"http://x\",\"y\")", row.get("first_name"));
        assertEquals("'+SUM(1,2)", row.get("last_name"));
        assertEquals("'-2+3+cmd|' /C calc'!A0", row.get("company"));
        assertEquals("'@SUM(A1)", row.get("title"));
        assertEquals("+14155550100", row.get("phone"), "a phone number stays dialable");

        String ndjson = researcher().get("/api/v1/leads/export?format=ndjson&source=" + source).then().statusCode(200)
                .extract().asString();
        JsonPath raw = new JsonPath(ndjson.strip());
        assertEquals("=HYPERLINK(\"http://x\",\"y\")", raw.getString("first_name"));
        assertEquals("+SUM(1,2)", raw.getString("last_name"));
        String json = researcher().get("/api/v1/leads/export?format=json&source=" + source).then().statusCode(200)
                .extract().asString();
        assertEquals("@SUM(A1)", new JsonPath(json).getString("[0].title"));
    }

    @Test
    void badExportParametersAreProblems() {
        researcher().get("/api/v1/leads/export?format=xml").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("format"));
        researcher().get("/api/v1/leads/export?status=won").then().statusCode(400).contentType(PROBLEM_JSON)
                .body("errors[0].field", equalTo("status"));
        io.restassured.RestAssured.given().get("/api/v1/leads/export").then().statusCode(401);
    }
}
