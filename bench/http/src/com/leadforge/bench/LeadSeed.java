package com.leadforge.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seeds leads straight into lead-service's {@code lead} table with {@code INSERT ... SELECT} over
 * {@code generate_series}, as bench/run.sh's LeadBench does, but with the variety a real agency has: weighted
 * statuses, qualification following the status, skewed scores and companies (a few companies hold many leads), eight
 * sources, ~20% of titles with the word "Engineer" (and no other text containing "engineer"), first and last names
 * from common lists, a rare last name {@value #RARE_TOKEN} on one row in 100,000 (at least one), unique emails, phones
 * on 60% and LinkedIn URLs on 40% (both unique), assignees on half, and created_at spread evenly over the last year.
 * <p>
 * The secondary indexes are dropped first and built again afterwards from their own definitions (one sort per index
 * instead of 1M index insertions each; the unique ones check the seed on the way), then the table is analysed.
 * Runs as the superuser, which row-level security does not apply to, before any load starts.
 */
final class LeadSeed {

    /** Matches one lead in 100,000 of an agency: what a search for a person's unusual surname finds. */
    static final String RARE_TOKEN = "Quillfeather";

    private static final String FIRST_NAMES = array("James", "Mary", "Robert", "Patricia", "John", "Jennifer",
            "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
            "Thomas", "Sarah", "Carlos", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark",
            "Ada", "Paul", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Kenji", "Donna", "Wei", "Michelle",
            "Olga", "Amira", "Lars", "Sofia", "Ahmed", "Chloe", "Mateo", "Priya", "Noah", "Fatima");
    private static final String LAST_NAMES = array("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia",
            "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
            "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
            "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
            "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
            "Roberts", "Schmidt", "Muller", "Rossi", "Kowalski", "Tanaka", "Kim", "Singh", "Patel", "Novak", "Larsen",
            "Dubois");
    private static final String ENGINEER_TITLES = array("Software Engineer", "Sales Engineer", "Data Engineer",
            "Senior Engineer", "Solutions Engineer");
    private static final String OTHER_TITLES = array("CEO", "CTO", "CFO", "VP Sales", "VP Marketing",
            "Head of Purchasing", "Buyer", "Sales Manager", "Marketing Manager", "Analyst", "Product Manager",
            "Account Executive", "Operations Director", "Founder", "HR Manager", "Procurement Lead");
    private static final String COMPANY_PREFIXES = array("Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne",
            "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Aperture", "Massive", "Oscorp", "Nakatomi",
            "Gringotts", "Monarch", "Pied", "Sterling", "Dunder", "Prestige", "Bluth", "Gekko", "Wolfram", "Duff",
            "Krusty", "Vortex", "Nimbus", "Quantum", "Apex", "Summit", "Harbor", "Cedar", "Falcon", "Orion", "Zenith",
            "Atlas", "Beacon", "Granite");
    private static final String COMPANY_CORES = array("Labs", "Systems", "Dynamics", "Logistics", "Analytics",
            "Foods", "Health", "Energy", "Robotics", "Media", "Retail", "Capital", "Networks", "Software", "Motors",
            "Pharma", "Textiles", "Security", "Studios", "Cloud", "Biotech", "Freight", "Foundry", "Materials",
            "Ventures");
    private static final String COMPANY_SUFFIXES = array("Inc", "GmbH", "Ltd", "LLC", "SA", "BV", "AB", "Group",
            "Co", "Partners", "Holdings", "AG", "SAS", "Oy", "KK", "Pty", "SpA", "AS", "NV", "PLC");

    private LeadSeed() {
    }

    private static String array(String... values) {
        StringBuilder sql = new StringBuilder("array[");
        for (int i = 0; i < values.length; i++) {
            sql.append(i == 0 ? "" : ",").append('\'').append(values[i]).append('\'');
        }
        return sql.append("]::text[]").toString();
    }

    /** A random element of a text array literal, chosen by {@code r} in [0, 1). */
    private static String pick(String array, String r) {
        return "(" + array + ")[1 + floor(" + r + " * cardinality(" + array + "))::int]";
    }

    /** Drops the lead table's secondary indexes; returns their definitions for {@link #restoreIndexes}. */
    static List<String> dropIndexes(Connection c) throws SQLException {
        List<String> definitions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) from pg_index i
                where i.indrelid = 'lead'::regclass
                  and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)""")) {
            while (rs.next()) {
                names.add(rs.getString(1));
                definitions.add(rs.getString(2));
            }
        }
        try (Statement s = c.createStatement()) {
            for (String name : names) {
                s.execute("drop index " + name);
            }
        }
        return definitions;
    }

    static void restoreIndexes(Connection c, List<String> definitions) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set maintenance_work_mem = '512MB'");
            for (String definition : definitions) {
                s.execute(definition);
            }
        }
    }

    /** Inserts {@code rows} leads for {@code agency} in batches of 100,000, printing progress. */
    static void seed(Connection c, String agency, int rows, String createdBy) throws SQLException {
        long start = System.nanoTime();
        int batch = 100_000;
        String sql = """
                insert into lead (id, agency_id, campaign_id, first_name, last_name, email, phone, company, title,
                    linkedin_url, source, status, qualification_status, priority, score, metadata, created_by,
                    assigned_to, last_contacted_at, qualified_at, consent_given, consent_at, created_at, updated_at)
                select gen_random_uuid(), ?, null, first_name, last_name,
                    lower(first_name) || '.' || lower(last_name) || '.' || g || '@' || lower(domain),
                    case when r_phone < 0.6 then '+1' || (2000000000 + g)::text end,
                    company, title,
                    case when r_linkedin < 0.4 then 'https://www.linkedin.com/in/' || lower(first_name) || '-'
                        || lower(last_name) || '-' || to_hex(g) end,
                    source, status,
                    case when status in ('qualified', 'converted') then 'qualified'
                         when status = 'disqualified' then 'disqualified'
                         when r_qualification < 0.1 then 'qualified' else 'pending' end,
                    case when r_priority < 0.30 then 'low' when r_priority < 0.75 then 'medium'
                         when r_priority < 0.95 then 'high' else 'urgent' end,
                    least(100, floor(101 * power(r_score, 1.6)))::smallint,
                    jsonb_build_object('seed', true, 'employees', (array[10, 50, 200, 1000, 5000])[1 + g %% 5]),
                    ?,
                    case when r_assigned < 0.5 then 'user-' || floor(r_assigned * 40)::int end,
                    case when status <> 'new' then created_at + (now() - created_at) * r_contacted end,
                    case when status in ('qualified', 'converted')
                        then created_at + (now() - created_at) * r_contacted end,
                    r_consent < 0.5, case when r_consent < 0.5 then created_at end,
                    created_at, created_at + (now() - created_at) * r_updated
                from (
                    select g, first_name,
                        case when g %% 100000 = 7 then '%s' else last_name end as last_name,
                        p || ' ' || k || ' ' || s as company, p || k || '.' || lower(s) as domain,
                        case when r_title < 0.2 then %s else %s end as title,
                        case when r_source < 0.30 then 'linkedin' when r_source < 0.50 then 'apollo'
                             when r_source < 0.65 then 'csv_import' when r_source < 0.77 then 'website'
                             when r_source < 0.85 then 'referral' when r_source < 0.91 then 'event'
                             when r_source < 0.97 then 'cold_outreach' else 'manual' end as source,
                        case when r_status < 0.35 then 'new' when r_status < 0.55 then 'contacted'
                             when r_status < 0.65 then 'responded' when r_status < 0.77 then 'qualified'
                             when r_status < 0.87 then 'nurturing' when r_status < 0.92 then 'converted'
                             else 'disqualified' end as status,
                        now() - r_created * interval '365 days' as created_at,
                        r_phone, r_linkedin, r_qualification, r_priority, r_score, r_assigned, r_contacted,
                        r_consent, r_updated
                    from (
                        select g, %s as first_name, %s as last_name,
                            (%s)[1 + company %% 40] as p, (%s)[1 + (company / 40) %% 25] as k,
                            (%s)[1 + (company / 1000) %% 20] as s,
                            random() as r_title, random() as r_title_pick, random() as r_source,
                            random() as r_status, random() as r_created, random() as r_phone,
                            random() as r_linkedin, random() as r_qualification, random() as r_priority,
                            random() as r_score, random() as r_assigned, random() as r_contacted,
                            random() as r_consent, random() as r_updated
                        from (select g, random() as r_first, random() as r_last,
                                  floor(20000 * power(random(), 2.5))::int as company
                              from generate_series(?::int, ?::int) g offset 0) base
                        offset 0) picked
                    offset 0) lead_rows
                """.formatted(RARE_TOKEN, pick(ENGINEER_TITLES, "r_title_pick"), pick(OTHER_TITLES, "r_title_pick"),
                pick(FIRST_NAMES, "r_first"), pick(LAST_NAMES, "r_last"), COMPANY_PREFIXES, COMPANY_CORES,
                COMPANY_SUFFIXES);
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int from = 1; from <= rows; from += batch) {
                int to = Math.min(rows, from + batch - 1);
                s.setString(1, agency);
                s.setString(2, createdBy);
                s.setInt(3, from);
                s.setInt(4, to);
                s.executeUpdate();
                System.out.printf(Locale.ROOT, "  seeded %,d / %,d leads of agency %s (%.0f s)%n", to, rows,
                        agency.substring(0, 8), (System.nanoTime() - start) / 1e9);
            }
        }
    }
}
