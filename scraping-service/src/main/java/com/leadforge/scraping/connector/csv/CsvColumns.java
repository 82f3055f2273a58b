package com.leadforge.scraping.connector.csv;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which CSV column feeds which lead field. A job's {@code config.mapping} ({@code {"email": "E-Mail Address"}}) wins;
 * any field it does not name is matched by header synonyms, case, spaces, dashes and underscores ignored
 * ({@code First Name}, {@code first_name}, {@code firstname}, {@code Given name}). Columns feeding no field go to the
 * lead's metadata under their header (at most {@link #MAX_METADATA} of them).
 */
public final class CsvColumns {

    public static final List<String> FIELDS = List.of("first_name", "last_name", "email", "phone", "company", "title",
            "linkedin_url");
    static final int MAX_METADATA = 50;

    private static final Map<String, Set<String>> SYNONYMS = Map.of(
            "first_name", Set.of("firstname", "first", "givenname", "forename"),
            "last_name", Set.of("lastname", "last", "surname", "familyname"),
            "email", Set.of("email", "emailaddress", "mail", "workemail", "businessemail"),
            "phone", Set.of("phone", "phonenumber", "mobile", "mobilephone", "telephone", "tel", "directphone"),
            "company", Set.of("company", "companyname", "organization", "organisation", "organizationname",
                    "employer", "account", "accountname"),
            "title", Set.of("title", "jobtitle", "position", "role"),
            "linkedin_url", Set.of("linkedinurl", "linkedin", "linkedinprofile", "linkedinprofileurl", "profileurl"));

    /** Lead field → column index. */
    final Map<String, Integer> fieldColumns = new HashMap<>();
    /** Column index → header, for the columns that go to metadata. */
    final Map<Integer, String> metadataColumns = new LinkedHashMap<>();

    private CsvColumns() {
    }

    /** @throws IllegalArgumentException naming a mapped column that is not in the header */
    public static CsvColumns of(List<String> header, Map<String, String> explicit) {
        CsvColumns columns = new CsvColumns();
        Map<String, Integer> byHeader = new HashMap<>();
        Map<String, Integer> byKey = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            byHeader.putIfAbsent(header.get(i).trim(), i);
            byKey.putIfAbsent(key(header.get(i)), i);
        }
        for (var entry : explicit.entrySet()) {
            Integer index = byHeader.get(entry.getValue().trim());
            if (index == null) {
                throw new IllegalArgumentException("mapping." + entry.getKey() + " names column '" + entry.getValue()
                        + "', which the file's header does not have");
            }
            columns.fieldColumns.put(entry.getKey(), index);
        }
        for (String field : FIELDS) {
            if (columns.fieldColumns.containsKey(field)) {
                continue;
            }
            for (String synonym : SYNONYMS.get(field)) {
                Integer index = byKey.get(synonym);
                if (index != null && !columns.fieldColumns.containsValue(index)) {
                    columns.fieldColumns.put(field, index);
                    break;
                }
            }
        }
        for (int i = 0; i < header.size() && columns.metadataColumns.size() < MAX_METADATA; i++) {
            if (!columns.fieldColumns.containsValue(i) && !header.get(i).isBlank()) {
                columns.metadataColumns.put(i, header.get(i).trim());
            }
        }
        return columns;
    }

    public boolean mapsAnyIdentity() {
        return !fieldColumns.isEmpty();
    }

    private static String key(String header) {
        return header.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
