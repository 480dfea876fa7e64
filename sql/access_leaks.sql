-- access_leaks.sql: every surface, tested for leaks (issue 13, section 4).  Operator O
-- ("Kaminari Power", code kaminari-power, electricity, CEPTOAR electricity, ministry meti)
-- files a report per TLP marking and a red one naming NISC and its CEPTOAR, with steps whose
-- notes name O, a link, verifications, deliveries, an alert, service instances of O and of
-- a bank that depends on them, and a revoked report.  For every kind of party:
--   o        O itself                        member   lk-member, another member of O's CEPTOAR
--   otherop  lk-rail, of another CEPTOAR     m        meti, O's competent ministry
--   otherm   mlit, another ministry          nisc     NISC
--   c        the CEPTOAR electricity         otherc   the CEPTOAR rail
--   public   the public                      nobody   a role that is no party
-- we search every relation the party may SELECT (found in the catalogue) and every function
-- result for O's identity (the regular expression 'kaminari|777100[12]': its code, name,
-- role, service-level rule set, the notes and descriptions, and its instances' ids) and for
-- the ids of O's red reports; compare the errors for invisible and nonexistent reports;
-- read pg_stats and the counts; and try to write as someone else.  A count of hits that is
-- not 0 where the party may not see who reported is a leak.  Rolled back; the roles are
-- created inside the transaction.
SET client_min_messages = warning;
SET search_path = public;
SET DateStyle = ISO;
SET TimeZone = 'UTC';
\set ON_ERROR_ROLLBACK on
BEGIN;
CREATE ROLE regress_lk_kaminari;
CREATE ROLE regress_lk_member;
CREATE ROLE regress_lk_otherop;
CREATE ROLE regress_lk_m;
CREATE ROLE regress_lk_otherm;
CREATE ROLE regress_lk_nisc;
CREATE ROLE regress_lk_c;
CREATE ROLE regress_lk_otherc;
CREATE ROLE regress_lk_public;
CREATE ROLE regress_lk_nobody;
CREATE TABLE pg_temp.who (party text PRIMARY KEY, role name, code text, ord int);
INSERT INTO pg_temp.who VALUES
  ('o', 'regress_lk_kaminari', 'kaminari-power', 1), ('member', 'regress_lk_member', 'lk-member', 2),
  ('otherop', 'regress_lk_otherop', 'lk-rail', 3), ('m', 'regress_lk_m', 'meti', 4),
  ('otherm', 'regress_lk_otherm', 'mlit', 5), ('nisc', 'regress_lk_nisc', 'nisc', 6),
  ('c', 'regress_lk_c', 'electricity', 7), ('otherc', 'regress_lk_otherc', 'rail', 8),
  ('public', 'regress_lk_public', NULL, 9), ('nobody', 'regress_lk_nobody', NULL, 10);
GRANT SELECT ON pg_temp.who TO PUBLIC;
-- what names O, and O's red reports
CREATE FUNCTION pg_temp.o_re() RETURNS text LANGUAGE sql IMMUTABLE RETURN 'kaminari|777100[12]';
CREATE FUNCTION pg_temp.red_re() RETURNS text LANGUAGE sql IMMUTABLE
  RETURN '1e000000-0000-0000-0000-0000000000c[45]';
GRANT EXECUTE ON FUNCTION pg_temp.o_re(), pg_temp.red_re() TO PUBLIC;

-- the seed
INSERT INTO ceptoar.rule_set (code, kind, title, owner) VALUES
  ('kaminari-sla', 'service_level', 'Kaminari Power''s own', 'kaminari-power');
INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('kaminari-sla', 'electricity', 'duration >= 5 min');
INSERT INTO ceptoar.operator (code, name, sector, ceptoar, contact, service_levels) VALUES
  ('kaminari-power', 'Kaminari Power KK', 'electricity', 'electricity', 'soc@kaminari.example', 'kaminari-sla'),
  ('lk-member', 'Member Power', 'electricity', 'electricity', NULL, NULL),
  ('lk-rail', 'Rail Co', 'rail', 'rail', NULL, NULL),
  ('lk-bank', 'Bank Co', 'finance', 'finance', NULL, NULL);
SELECT ceptoar.register_party(role::regrole, CASE party WHEN 'o' THEN 'operator' WHEN 'member' THEN 'operator'
         WHEN 'otherop' THEN 'operator' WHEN 'm' THEN 'ministry' WHEN 'otherm' THEN 'ministry' WHEN 'nisc' THEN 'nisc'
         WHEN 'c' THEN 'ceptoar' WHEN 'otherc' THEN 'ceptoar' ELSE 'public' END, code)
  FROM pg_temp.who WHERE party <> 'nobody' ORDER BY ord;
-- O's two substations, the bank's branch that depends on the first
INSERT INTO ceptoar.service_instance (id, service, operator, name, population) VALUES
  (7771001, 'electricity.supply', 'kaminari-power', 'substation 1', 1000),
  (7771002, 'electricity.supply', 'kaminari-power', 'substation 2', 500),
  (8881001, 'finance.bank.deposit', 'lk-bank', 'branch', 100);
INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (8881001, 7771001, '0');

-- O files its reports itself (changed_by names its role)
SET LOCAL ROLE regress_lk_kaminari;
INSERT INTO ceptoar.report (id, operator, kind, incident, instance, reported, tlp, summary, description)
SELECT ('1e000000-0000-0000-0000-0000000000c' || n)::uuid, 'kaminari-power', 'incident',
       format('service=electricity.supply, began=2024-06-01 10:0%s+09, lasted=1 hour, households=20', n)::ceptoar.incident,
       7771001, '2024-06-01 11:00+09', t::ceptoar.tlp, 'lk-' || t, 'Kaminari Power: ' || t || ', substation 1 tripped'
  FROM (VALUES (0, 'clear'), (1, 'green'), (2, 'amber'), (3, 'amber+strict'), (4, 'red'), (5, 'red')) v(n, t);
INSERT INTO ceptoar.report_recipient (report, recipient) VALUES
  ('1e000000-0000-0000-0000-0000000000c5', 'nisc'), ('1e000000-0000-0000-0000-0000000000c5', 'electricity');
INSERT INTO ceptoar.report_step (report, step, done_at, note)
  SELECT id, 'contact', reported, 'Kaminari Power called METI' FROM ceptoar.report;
INSERT INTO ceptoar.report_link (report, related, kind) VALUES
  ('1e000000-0000-0000-0000-0000000000c2', '1e000000-0000-0000-0000-0000000000c0', 'same_cause'),
  ('1e000000-0000-0000-0000-0000000000c4', '1e000000-0000-0000-0000-0000000000c0', 'same_cause');
SELECT ceptoar.revoke('1e000000-0000-0000-0000-0000000000c1', 'Kaminari Power withdrew it');
RESET ROLE;
-- the others' reports: member (amber, red), rail (green), the bank (clear, hit through O's power)
SET LOCAL ROLE regress_lk_member;
INSERT INTO ceptoar.report (id, operator, kind, reported, tlp, summary, description) VALUES
  ('1e000000-0000-0000-0000-0000000000b2', 'lk-member', 'threat', '2024-06-02 11:00+09', 'amber', 'lk-b2', 'Member: amber'),
  ('1e000000-0000-0000-0000-0000000000b4', 'lk-member', 'threat', '2024-06-02 11:00+09', 'red', 'lk-b4', 'Member: red');
RESET ROLE;
SET LOCAL ROLE regress_lk_otherop;
INSERT INTO ceptoar.report (id, operator, kind, reported, tlp, summary, description) VALUES
  ('1e000000-0000-0000-0000-0000000000d1', 'lk-rail', 'threat', '2024-06-02 11:00+09', 'green', 'lk-d1', 'Rail: green');
RESET ROLE;
INSERT INTO ceptoar.report (id, operator, kind, incident, instance, reported, tlp, summary, description) VALUES
  ('1e000000-0000-0000-0000-0000000000e0', 'lk-bank', 'incident', 'service=finance.bank.deposit, began=2024-06-01 10:30+09',
   8881001, '2024-06-01 11:00+09', 'clear', 'lk-e0', 'Bank: clear');
-- M verifies two of O's incidents; NISC alerts electricity, M forwards to its operators
SET LOCAL ROLE regress_lk_m;
SELECT ceptoar.verify(id, 'exceeds', 'checked by meti') FROM ceptoar.report
 WHERE id IN ('1e000000-0000-0000-0000-0000000000c2', '1e000000-0000-0000-0000-0000000000c4');
RESET ROLE;
SET LOCAL ROLE regress_lk_nisc;
CREATE TEMP TABLE a AS SELECT ceptoar.issue_alert('substations', 'check your relays', ARRAY['electricity']::ceptoar.sector[]) AS id;
RESET ROLE;
GRANT SELECT ON pg_temp.a TO PUBLIC;
SET LOCAL ROLE regress_lk_m;
SELECT ceptoar.forward_alert(id, 'meti') FROM pg_temp.a;
RESET ROLE;
SET LOCAL ROLE regress_lk_kaminari;
SELECT ceptoar.acknowledge_alert(id, 'kaminari-power') IS NOT NULL AS acknowledged FROM pg_temp.a;
RESET ROLE;
ANALYZE ceptoar.operator, ceptoar.report, ceptoar.report_revision, ceptoar.report_step, ceptoar.report_link,
  ceptoar.report_recipient, ceptoar.report_delivery, ceptoar.report_verification, ceptoar.report_verdicts,
  ceptoar.alert, ceptoar.alert_delivery, ceptoar.service_instance, ceptoar.dependency, ceptoar.identity_reads,
  ceptoar.party, ceptoar.pseudonym_key;

-- 1. Tables and views.  Every relation of the schema the party may SELECT (from the catalogue:
-- has_any_column_privilege), each as rows visible / rows naming O / rows naming O's red
-- reports; blank where it may not read it at all.  (The catalogue views and rule tables,
-- PUBLIC's, are shown without their row count, which is other tests' business.)
CREATE FUNCTION pg_temp.surface(r name)
  RETURNS TABLE (rel text, nrows bigint, o_hits bigint, red_hits bigint, state text)
LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  EXECUTE format('SET LOCAL ROLE %I', r);
  FOR c IN SELECT cl.oid::regclass::text AS name, cl.relname FROM pg_class cl
            WHERE cl.relnamespace = 'ceptoar'::regnamespace AND cl.relkind IN ('r', 'v', 'm', 'p', 'f')
              AND cl.relname <> '_caller'     -- a proof of the caller's own party (internal)
              AND has_any_column_privilege(cl.oid, 'SELECT') ORDER BY cl.relname LOOP
    rel := c.relname;
    BEGIN
      EXECUTE format('SELECT count(*), count(*) FILTER (WHERE row_to_json(t)::text ~* %L),
                             count(*) FILTER (WHERE row_to_json(t)::text ~* %L) FROM %s t',
                     pg_temp.o_re(), pg_temp.red_re(), c.name) INTO nrows, o_hits, red_hits;
      state := NULL;
    EXCEPTION WHEN OTHERS THEN
      nrows := NULL; o_hits := NULL; red_hits := NULL; state := SQLSTATE;
    END;
    RETURN NEXT;
  END LOOP;
  RESET ROLE;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.surface(name) TO PUBLIC;
CREATE TEMP TABLE surf AS
  SELECT w.party, w.ord, s.* FROM pg_temp.who w, LATERAL pg_temp.surface(w.role) s;
CREATE FUNCTION pg_temp.cell(nrows bigint, o bigint, red bigint, state text, rel text) RETURNS text
  LANGUAGE sql IMMUTABLE
  RETURN COALESCE(state, CASE WHEN rel IN ('plans', 'plan_revisions', 'sectors', 'ministries', 'ministry_sectors',
                                           'ceptoars', 'services', 'exercises', 'rule_set', 'rule',
                                           'sector_dependency', 'sector_coefficient', 'sector_matrix_removed')
                              THEN '*' ELSE nrows::text END || '/' || o || '/' || red);
SELECT rel,
       max(pg_temp.cell(nrows, o_hits, red_hits, state, rel)) FILTER (WHERE party = 'o') AS o,
       max(pg_temp.cell(nrows, o_hits, red_hits, state, rel)) FILTER (WHERE party = 'member') AS member,
       max(pg_temp.cell(nrows, o_hits, red_hits, state, rel)) FILTER (WHERE party = 'otherop') AS otherop,
       max(pg_temp.cell(nrows, o_hits, red_hits, state, rel)) FILTER (WHERE party = 'm') AS m,
       max(pg_temp.cell(nrows, o_hits, red_hits, state, rel)) FILTER (WHERE party = 'otherm') AS otherm,
       max(pg_temp.cell(nrows, o_hits, red_hits, state, rel)) FILTER (WHERE party = 'nisc') AS nisc,
       max(pg_temp.cell(nrows, o_hits, red_hits, state, rel)) FILTER (WHERE party = 'c') AS c,
       max(pg_temp.cell(nrows, o_hits, red_hits, state, rel)) FILTER (WHERE party = 'otherc') AS otherc,
       max(pg_temp.cell(nrows, o_hits, red_hits, state, rel)) FILTER (WHERE party = 'public') AS public,
       max(pg_temp.cell(nrows, o_hits, red_hits, state, rel)) FILTER (WHERE party = 'nobody') AS nobody
  FROM pg_temp.surf GROUP BY rel ORDER BY rel;
-- the same, as a verdict: the relations that name O (or its red reports) to a party that may
-- not see who reported them.  The configuration tables (rules, the graph: no row-level
-- security, section 6) name O's existence, its instances and its service levels, but no
-- report: a known channel (README, "Channels PostgreSQL itself leaks").
SELECT party, string_agg(rel || CASE WHEN red_hits > 0 THEN '(red)' ELSE '' END, ' ' ORDER BY rel) AS names_o
  FROM pg_temp.surf
 WHERE (o_hits > 0 AND party NOT IN ('o', 'm', 'nisc')) OR (red_hits > 0 AND party NOT IN ('o', 'm', 'nisc', 'c'))
 GROUP BY party, ord ORDER BY ord;

-- counts: SELECT count(*) on ceptoar.report is the reports the party sees with identity in
-- shared_reports, for every party (those without SELECT on report: the error)
CREATE FUNCTION pg_temp.as_role(r name, stmt text, OUT state text, OUT result text)
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('SET LOCAL ROLE %I', r);
  BEGIN
    EXECUTE stmt INTO result;
    state := '00000';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, result = MESSAGE_TEXT;
  END;
  RESET ROLE;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.as_role(name, text) TO PUBLIC;
SELECT w.party, x.result AS report_count,
       (pg_temp.as_role(w.role, $$SELECT count(*) FILTER (WHERE identified) || ' identified, ' || count(*) || ' in all' FROM ceptoar.shared_reports$$)).result AS shared,
       (pg_temp.as_role(w.role, $$SELECT count(*)::text FROM ceptoar.operator$$)).result AS operators
  FROM pg_temp.who w, LATERAL pg_temp.as_role(w.role, $$SELECT count(*)::text FROM ceptoar.report$$) x
 ORDER BY w.ord;
-- the roster, the pseudonym key and the audit: nobody's but the owner's
SELECT w.party, t.tbl, x.state, x.result
  FROM pg_temp.who w,
       (VALUES (1, 'party'), (2, 'pseudonym_key'), (3, 'identity_reads')) AS t(ord, tbl),
       LATERAL pg_temp.as_role(w.role, format('SELECT count(*)::text FROM ceptoar.%I', t.tbl)) x
 ORDER BY t.ord, w.ord;
-- my_party(): the party itself, and nothing of anyone else
SELECT w.party, x.state, x.result
  FROM pg_temp.who w, LATERAL pg_temp.as_role(w.role, $$SELECT row_to_json(p)::text FROM ceptoar.my_party() p$$) x
 ORDER BY w.ord;

-- pg_stats: the statistics of the schema's tables each party may read (no row of a table
-- under row-level security, which PostgreSQL hides from the roles it applies to), and how
-- many name O
SELECT w.party, x.result AS tables_with_stats,
       (pg_temp.as_role(w.role, format($$SELECT count(*)::text FROM pg_catalog.pg_stats s WHERE s.schemaname = 'ceptoar'
                                          AND row_to_json(s)::text ~* %L$$, pg_temp.o_re()))).result AS naming_o
  FROM pg_temp.who w,
       LATERAL pg_temp.as_role(w.role, $$SELECT coalesce(string_agg(DISTINCT tablename, ' ' ORDER BY tablename), '-')
                                         FROM pg_catalog.pg_stats WHERE schemaname = 'ceptoar'
                                          AND tablename NOT IN ('rule_set', 'rule', 'sector_dependency', 'sector_coefficient', 'sector_matrix_removed', 'exercises')$$) x
 ORDER BY w.ord;

-- 2. Functions.  For each seeded report (its summary's last part; ff: no report) and each
-- party, response_timeline, suspected_origins and verdicts: rows / rows naming O, or the
-- SQLSTATE.  The bank's report (e0) is hit through O's substation: its suspected origins are
-- O's incidents, with O's instance only where the party sees who reported them.
CREATE TEMP TABLE reports (tag text, id uuid, ord int);
INSERT INTO pg_temp.reports VALUES
  ('c0', '1e000000-0000-0000-0000-0000000000c0', 1), ('c1', '1e000000-0000-0000-0000-0000000000c1', 2),
  ('c2', '1e000000-0000-0000-0000-0000000000c2', 3), ('c3', '1e000000-0000-0000-0000-0000000000c3', 4),
  ('c4', '1e000000-0000-0000-0000-0000000000c4', 5), ('c5', '1e000000-0000-0000-0000-0000000000c5', 6),
  ('b2', '1e000000-0000-0000-0000-0000000000b2', 7), ('b4', '1e000000-0000-0000-0000-0000000000b4', 8),
  ('d1', '1e000000-0000-0000-0000-0000000000d1', 9), ('e0', '1e000000-0000-0000-0000-0000000000e0', 10),
  ('ff', '1e000000-0000-0000-0000-0000000000ff', 11);
GRANT SELECT ON pg_temp.reports TO PUBLIC;
CREATE TEMP TABLE fns (fn text, call text, ord int);
INSERT INTO pg_temp.fns VALUES
  ('response_timeline', 'SELECT * FROM ceptoar.response_timeline(%L)', 1),
  ('suspected_origins', 'SELECT * FROM ceptoar.suspected_origins(%L)', 2),
  ('verdicts', 'SELECT * FROM ceptoar.verdicts(%L)', 3);
GRANT SELECT ON pg_temp.fns TO PUBLIC;
CREATE TEMP TABLE fres AS
SELECT w.party, w.ord AS word, f.fn, f.ord AS ford, r.tag, r.ord AS rord,
       CASE WHEN x.state = '00000' THEN x.result ELSE x.state END AS res
  FROM pg_temp.who w, pg_temp.fns f, pg_temp.reports r,
       LATERAL pg_temp.as_role(w.role, format($$SELECT count(*) || '/' || count(*) FILTER (WHERE row_to_json(t)::text ~* %L)
                                                  FROM (%s) t$$, pg_temp.o_re(), format(f.call, r.id))) x;
SELECT fn, tag,
       max(res) FILTER (WHERE party = 'o') AS o, max(res) FILTER (WHERE party = 'member') AS member,
       max(res) FILTER (WHERE party = 'otherop') AS otherop, max(res) FILTER (WHERE party = 'm') AS m,
       max(res) FILTER (WHERE party = 'otherm') AS otherm, max(res) FILTER (WHERE party = 'nisc') AS nisc,
       max(res) FILTER (WHERE party = 'c') AS c, max(res) FILTER (WHERE party = 'otherc') AS otherc,
       max(res) FILTER (WHERE party = 'public') AS public, max(res) FILTER (WHERE party = 'nobody') AS nobody
  FROM pg_temp.fres GROUP BY fn, ford, tag, rord ORDER BY ford, rord;
-- what suspected_origins of the bank's report gives each party: the origins (by summary),
-- and whether it names O's instance
SELECT w.party, x.state, x.result
  FROM pg_temp.who w,
       LATERAL pg_temp.as_role(w.role, $$SELECT coalesce(string_agg(right(s.origin::text, 2) || ':' || s.origin_sector
                                                  || ':' || coalesce(s.origin_instance::text, '-') || ':' || coalesce(s.via::text, '-'),
                                                  ' ' ORDER BY s.origin), '-')
                                          FROM ceptoar.suspected_origins('1e000000-0000-0000-0000-0000000000e0') s$$) x
 ORDER BY w.ord;

-- statistics: counts only, for every party; nothing names O (rows / naming O)
SELECT w.party, x.state, x.result AS annual_statistics,
       (pg_temp.as_role(w.role, format($$SELECT count(*) || '/' || count(*) FILTER (WHERE row_to_json(t)::text ~* %L)
                                         FROM ceptoar.annual_exclusions(2024) t$$, pg_temp.o_re()))).result AS annual_exclusions
  FROM pg_temp.who w,
       LATERAL pg_temp.as_role(w.role, format($$SELECT count(*) || '/' || count(*) FILTER (WHERE row_to_json(t)::text ~* %L)
                                                 FROM ceptoar.annual_statistics(2024) t$$, pg_temp.o_re())) x
 ORDER BY w.ord;

-- impact() on another operator's instances: what it reveals is the graph (instances, their
-- services, sectors, populations: the configuration every party but the public reads), never
-- a report: no row holds a report's id, and the failure given is the caller's hypothesis.
SELECT w.party, x.state, x.result AS instances_hit,
       (pg_temp.as_role(w.role, $$SELECT count(*)::text FROM ceptoar.impact(7771001, '2024-06-01 10:00+09', '1 hour') t
                                   WHERE row_to_json(t)::text ~ '[0-9a-f]{8}-[0-9a-f]{4}-'
                                      OR row_to_json(t)::text ~* 'lk-|kaminari'$$)).result AS naming_a_report_or_operator
  FROM pg_temp.who w,
       LATERAL pg_temp.as_role(w.role, $$SELECT string_agg(instance || ':' || sector || ':' || population, ' ' ORDER BY instance)
                                         FROM ceptoar.impact(7771001, '2024-06-01 10:00+09', '1 hour')$$) x
 ORDER BY w.ord;

-- 3. Errors.  For each party, every report it does not see in shared_reports and a report
-- that does not exist, under each function and each statement naming it: the SQLSTATE,
-- message, detail, hint and context, with the id replaced, are one and the same (distinct = 1).
CREATE FUNCTION pg_temp.err(r name, stmt text, OUT state text, OUT message text, OUT detail text, OUT full_error text)
LANGUAGE plpgsql AS $$
DECLARE
  m text; d text; h text; x text;
BEGIN
  EXECUTE format('SET LOCAL ROLE %I', r);
  BEGIN
    EXECUTE stmt;
    state := '00000';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL,
                            h = PG_EXCEPTION_HINT, x = PG_EXCEPTION_CONTEXT;
    message := m;
    detail := d;
    full_error := regexp_replace(concat_ws(' | ', m, d, h, x), '1e000000-0000-0000-0000-0000000000[0-9a-f]{2}', '<id>', 'g');
  END;
  RESET ROLE;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.err(name, text) TO PUBLIC;
CREATE TEMP TABLE unseen AS
SELECT w.party, w.ord, r.tag, r.id
  FROM pg_temp.who w, pg_temp.reports r
 WHERE r.tag = 'ff' OR (pg_temp.as_role(w.role, format($$SELECT count(*)::text FROM ceptoar.shared_reports WHERE id = %L$$, r.id))).result = '0';
CREATE TEMP TABLE stmts (what text, stmt text, ord int);
INSERT INTO pg_temp.stmts VALUES
  ('verify', $$SELECT ceptoar.verify(%L, 'exceeds', 'x')$$, 1),
  ('revoke', $$SELECT ceptoar.revoke(%L, 'x')$$, 2),
  ('response_timeline', $$SELECT * FROM ceptoar.response_timeline(%L)$$, 3),
  ('suspected_origins', $$SELECT * FROM ceptoar.suspected_origins(%L)$$, 4),
  ('verdicts', $$SELECT * FROM ceptoar.verdicts(%L)$$, 5),
  ('acknowledge_report', $$SELECT ceptoar.acknowledge_report(%L, (SELECT code FROM ceptoar.my_party()))$$, 6),
  ('insert report_link', $$INSERT INTO ceptoar.report_link (report, related, kind) VALUES ('1e000000-0000-0000-0000-0000000000c0', %L, 'same_cause')$$, 7),
  ('insert report_step', $$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES (%L, 'evidence', now())$$, 8),
  ('insert report_recipient', $$INSERT INTO ceptoar.report_recipient (report, recipient) VALUES (%L, 'nisc')$$, 9),
  ('update report', $$UPDATE ceptoar.report SET summary = 'x' WHERE id = %L$$, 10);
GRANT SELECT ON pg_temp.stmts, pg_temp.unseen TO PUBLIC;
CREATE TEMP TABLE errs AS
SELECT u.party, u.ord AS word, s.what, s.ord AS sord, u.tag, e.state, e.full_error
  FROM pg_temp.unseen u, pg_temp.stmts s, LATERAL pg_temp.err((SELECT role FROM pg_temp.who WHERE party = u.party), format(s.stmt, u.id)) e;
-- the reports each party does not see
SELECT party, string_agg(tag, ' ' ORDER BY tag) AS unseen FROM pg_temp.unseen GROUP BY party, ord ORDER BY ord;
-- one outcome per party and statement (an UPDATE of a row one cannot see updates nothing: 00000)
SELECT what, party, count(DISTINCT (state, full_error)) AS distinct_outcomes, max(state) AS state,
       max(split_part(full_error, ' | ', 1)) AS message
  FROM pg_temp.errs GROUP BY what, sord, party, word ORDER BY sord, word;

-- 4. The write side: nobody writes as someone else.
CREATE TEMP TABLE cases (n serial, party text, what text, stmt text);
GRANT SELECT ON pg_temp.cases TO PUBLIC;
INSERT INTO pg_temp.cases (party, what, stmt) VALUES
  ('o', 'report for another operator', $$INSERT INTO ceptoar.report (operator, kind, summary) VALUES ('lk-member', 'threat', 'x')$$),
  ('o', 'move its report to another', $$UPDATE ceptoar.report SET operator = 'lk-member' WHERE id = '1e000000-0000-0000-0000-0000000000c0'$$),
  ('member', 'report for O', $$INSERT INTO ceptoar.report (operator, kind, summary) VALUES ('kaminari-power', 'threat', 'x')$$),
  ('o', 'name a recipient as another', $$INSERT INTO ceptoar.report_recipient (report, recipient, named_by) VALUES ('1e000000-0000-0000-0000-0000000000c4', 'mlit', 'regress_lk_m')$$),
  ('m', 'verification as another', $$INSERT INTO ceptoar.report_verification (report, revision, outcome, computed, verified_by, verified_at) SELECT id, revision, 'within', level, 'regress_lk_nisc', clock_timestamp() FROM ceptoar.report WHERE id = '1e000000-0000-0000-0000-0000000000c2'$$),
  ('otherm', 'verify another''s report', $$SELECT ceptoar.verify('1e000000-0000-0000-0000-0000000000c2', 'within', 'x')$$),
  ('c', 'acknowledge for meti', $$SELECT ceptoar.acknowledge_report('1e000000-0000-0000-0000-0000000000c2', 'meti')$$),
  ('c', 'acknowledge meti''s delivery directly', $$WITH u AS (UPDATE ceptoar.report_delivery SET acknowledged_at = now() WHERE recipient = 'meti' RETURNING 1) SELECT count(*) FROM u$$),
  ('c', 'redirect a delivery', $$UPDATE ceptoar.report_delivery SET recipient = 'electricity' WHERE recipient = 'meti'$$),
  ('member', 'acknowledge an alert for O', $$SELECT ceptoar.acknowledge_alert(id, 'kaminari-power') FROM pg_temp.a$$),
  ('member', 'acknowledge O''s alert delivery directly', $$WITH u AS (UPDATE ceptoar.alert_delivery SET acknowledged_at = now() WHERE recipient = 'kaminari-power' RETURNING 1) SELECT count(*) FROM u$$),
  ('otherm', 'deliver an alert to O', $$INSERT INTO ceptoar.alert_delivery (alert, recipient, recipient_kind, delivered_at, forwarded_by) SELECT id, 'kaminari-power', 'operator', now(), 'mlit' FROM pg_temp.a$$),
  ('m', 'deliver an alert as mlit', $$INSERT INTO ceptoar.alert_delivery (alert, recipient, recipient_kind, delivered_at, forwarded_by) SELECT id, 'lk-rail', 'operator', now(), 'mlit' FROM pg_temp.a$$),
  ('m', 'deliver to a ministry', $$INSERT INTO ceptoar.alert_delivery (alert, recipient, recipient_kind, delivered_at) SELECT id, 'mlit', 'ministry', now() FROM pg_temp.a$$),
  ('o', 'deliver an alert', $$INSERT INTO ceptoar.alert_delivery (alert, recipient, recipient_kind, delivered_at, forwarded_by) SELECT id, 'lk-member', 'operator', now(), 'meti' FROM pg_temp.a$$),
  ('nisc', 'issue as another', $$INSERT INTO ceptoar.alert (title, sectors, issued_by) VALUES ('x', ARRAY['gas']::ceptoar.sector[], 'regress_lk_m')$$),
  ('member', 'O''s instance', $$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (7771003, 'electricity.supply', 'kaminari-power')$$),
  ('member', 'move O''s instance', $$UPDATE ceptoar.service_instance SET operator = 'lk-member' WHERE id = 7771002$$),
  ('member', 'a dependency of O''s instance', $$INSERT INTO ceptoar.dependency (dependent, supplier) VALUES (7771002, 8881001)$$),
  ('otherm', 'an instance in O''s sector', $$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (7771004, 'electricity.supply', 'lk-rail')$$),
  ('member', 'O''s operator row', $$WITH u AS (UPDATE ceptoar.operator SET contact = 'x' WHERE code = 'kaminari-power' RETURNING 1) SELECT count(*) FROM u$$),
  ('o', 'move itself to another ministry', $$UPDATE ceptoar.operator SET sector = 'rail' WHERE code = 'kaminari-power'$$),
  ('member', 'O''s service levels', $$UPDATE ceptoar.rule SET criterion = 'duration >= 1 min' WHERE rule_set = 'kaminari-sla'$$),
  ('c', 'a step', $$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('1e000000-0000-0000-0000-0000000000c2', 'recovery', now())$$),
  ('public', 'a report', $$INSERT INTO ceptoar.report (operator, kind, summary) VALUES ('kaminari-power', 'threat', 'x')$$),
  ('nobody', 'a report', $$INSERT INTO ceptoar.report (operator, kind, summary) VALUES ('kaminari-power', 'threat', 'x')$$);
SELECT c.n, c.party, c.what, x.state, regexp_replace(x.result, '1e000000-0000-0000-0000-0000000000[0-9a-f]{2}', '<id>', 'g') AS result
  FROM pg_temp.cases c, LATERAL pg_temp.as_role((SELECT role FROM pg_temp.who w WHERE w.party = c.party), c.stmt) x
 ORDER BY c.n;
-- what the writes left: O's rows as they were
SELECT right(id::text, 2) AS report, operator, revision FROM ceptoar.report WHERE operator = 'kaminari-power' ORDER BY id;
SELECT report_delivery.recipient, count(*) FILTER (WHERE acknowledged_at IS NOT NULL) AS acknowledged
  FROM ceptoar.report_delivery GROUP BY recipient ORDER BY recipient;
SELECT recipient, acknowledged_at IS NOT NULL AS acknowledged FROM ceptoar.alert_delivery ORDER BY recipient;
SELECT id, operator FROM ceptoar.service_instance WHERE id IN (7771001, 7771002, 8881001) ORDER BY id;

-- 5. Channels PostgreSQL itself leaks (README): shown, not closed.
-- A unique key ignores row-level security: inserting a report with the id of one the party
-- cannot see fails where a fresh id goes in, and ON CONFLICT DO NOTHING tells the same by
-- its row count (the party must know the uuid: 122 random bits).  PostgreSQL leaves the key
-- out of the DETAIL under row-level security.
SELECT state, message, detail FROM pg_temp.err('regress_lk_otherop', $$INSERT INTO ceptoar.report (id, operator, kind, summary) VALUES ('1e000000-0000-0000-0000-0000000000c4', 'lk-rail', 'threat', 'x')$$);
SELECT state, message, detail FROM pg_temp.err('regress_lk_otherop', $$INSERT INTO ceptoar.report (id, operator, kind, summary) VALUES ('1e000000-0000-0000-0000-0000000000fe', 'lk-rail', 'threat', 'x')$$);
SELECT * FROM pg_temp.as_role('regress_lk_otherop', $$WITH i AS (INSERT INTO ceptoar.report (id, operator, kind, summary) VALUES ('1e000000-0000-0000-0000-0000000000c5', 'lk-rail', 'threat', 'x') ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::text FROM i$$);
-- The privileges that register_party granted are in the catalogue (relacl), readable by
-- every role: the public learns which roles are operators (INSERT on report), ministries
-- (INSERT on report_verification), NISC (INSERT on alert) and CEPTOARs, not their codes.
SELECT x.state, x.result
  FROM pg_temp.as_role('regress_lk_public', $$SELECT string_agg(r.rolname || ':' ||
          CASE WHEN has_table_privilege(r.oid, 'ceptoar.alert', 'INSERT') THEN 'nisc'
               WHEN has_table_privilege(r.oid, 'ceptoar.report', 'INSERT') THEN 'operator'
               WHEN has_table_privilege(r.oid, 'ceptoar.report_verification', 'INSERT') THEN 'ministry'
               ELSE 'ceptoar' END, ' ' ORDER BY r.rolname)
     FROM pg_catalog.pg_roles r WHERE r.rolname LIKE 'regress_lk_%' AND has_table_privilege(r.oid, 'ceptoar.report_delivery', 'SELECT')$$) x;
-- the table's size is everyone's: pg_class.reltuples after ANALYZE (read by the public,
-- which reads no row of it; 10 reports were there)
SELECT * FROM pg_temp.as_role('regress_lk_public', $$SELECT reltuples::bigint::text FROM pg_catalog.pg_class WHERE oid = 'ceptoar.report'::regclass$$);
-- EXPLAIN ANALYZE: the scan of ceptoar.report and the rows its filter removed
CREATE FUNCTION pg_temp.scan(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  l text;
  on_report boolean := false;
  found text := '';
BEGIN
  EXECUTE format('SET LOCAL ROLE %I', r);
  FOR l IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    IF l ~ 'Scan on report ' THEN
      on_report := true;
      found := found || regexp_replace(l, '^.*(Seq Scan on report\S*).*(actual rows=[0-9]+).*$', '\1 \2');
    ELSIF on_report AND l ~ 'Rows Removed by Filter' THEN
      found := found || ', ' || btrim(l);
      on_report := false;
    ELSIF on_report AND l ~ '->' THEN
      on_report := false;
    END IF;
  END LOOP;
  RESET ROLE;
  RETURN found;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.scan(name, text) TO PUBLIC;
SET LOCAL enable_indexscan = off;
SET LOCAL enable_bitmapscan = off;
-- under row-level security the policy is a filter of the scan: CEPTOAR electricity reads no
-- row of ceptoar.report, and counts 11 (the ten and the one just inserted)
SELECT pg_temp.scan('regress_lk_c', 'SELECT * FROM ceptoar.report');
-- through the view: a leakproof condition (sector_code = ...) is pushed into the scan, and
-- the other CEPTOAR, which sees 2 of O's sector's reports, learns that there are 8
SELECT pg_temp.scan('regress_lk_otherc', $$SELECT * FROM ceptoar.shared_reports WHERE sector_code = 'electricity'$$),
       (pg_temp.as_role('regress_lk_otherc', $$SELECT count(*)::text FROM ceptoar.shared_reports WHERE sector_code = 'electricity'$$)).result AS sees;
ROLLBACK;
