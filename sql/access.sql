-- access.sql: who sees and writes the registry's tables (issue 13, section 2), cell by cell,
-- under SET ROLE.  Report R of operator O (power-a: electricity, CEPTOAR electricity,
-- competent ministry meti), one per TLP marking; every kind of party on both sides:
--   o        O itself                          member   power-b, another member of O's CEPTOAR
--   otherop  rail-c, of another CEPTOAR        m        meti, O's competent ministry
--   otherm   mlit, another ministry            nisc     NISC
--   ceptoar  the CEPTOAR electricity           public   the public
--   nobody   a role that is no party
-- Everything is rolled back (reports cannot be deleted); the roles are dropped at the end.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'UTC';
\i sql/try.psql
-- a statement under a role: its SQLSTATE and message, or '00000' and its first column
CREATE FUNCTION pg_temp.as_role(r name, stmt text, OUT state text, OUT result text)
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE pg_catalog.format('SET LOCAL ROLE %I', r);
  BEGIN
    EXECUTE stmt INTO result;
    state := '00000';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, result = MESSAGE_TEXT;
  END;
  RESET ROLE;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.as_role(name, text) TO PUBLIC;

CREATE ROLE regress_access_o;
CREATE ROLE regress_access_member;
CREATE ROLE regress_access_otherop;
CREATE ROLE regress_access_m;
CREATE ROLE regress_access_m_staff IN ROLE regress_access_m;   -- acts as meti
CREATE ROLE regress_access_otherm;
CREATE ROLE regress_access_nisc;
CREATE ROLE regress_access_ceptoar;
CREATE ROLE regress_access_public;
CREATE ROLE regress_access_nobody;
CREATE TABLE pg_temp.who (party text PRIMARY KEY, role name, ord int);
INSERT INTO pg_temp.who VALUES
  ('o', 'regress_access_o', 1), ('member', 'regress_access_member', 2),
  ('otherop', 'regress_access_otherop', 3), ('m', 'regress_access_m', 4),
  ('m_staff', 'regress_access_m_staff', 5), ('otherm', 'regress_access_otherm', 6),
  ('nisc', 'regress_access_nisc', 7), ('ceptoar', 'regress_access_ceptoar', 8),
  ('public', 'regress_access_public', 9), ('nobody', 'regress_access_nobody', 10);
GRANT SELECT ON pg_temp.who TO PUBLIC;

BEGIN;
INSERT INTO operator (code, name, sector, ceptoar) VALUES
  ('power-a', 'Power A', 'electricity', 'electricity'),
  ('power-b', 'Power B', 'electricity', 'electricity'),
  ('rail-c', 'Rail C', 'rail', 'rail');
SELECT register_party('regress_access_o', 'operator', 'power-a');
SELECT register_party('regress_access_member', 'operator', 'power-b');
SELECT register_party('regress_access_otherop', 'operator', 'rail-c');
SELECT register_party('regress_access_m', 'ministry', 'meti');
SELECT register_party('regress_access_otherm', 'ministry', 'mlit');
SELECT register_party('regress_access_nisc', 'nisc');
SELECT register_party('regress_access_ceptoar', 'ceptoar', 'electricity');
SELECT register_party('regress_access_public', 'public');

-- O files its reports itself, one per marking (as the operator: INSERT under WITH CHECK)
SET LOCAL ROLE regress_access_o;
INSERT INTO report (id, operator, kind, incident, reported, tlp, summary, description) VALUES
  ('00000000-0000-0000-0000-0000000000c0', 'power-a', 'incident', 'service=electricity.supply, began=2024-05-01 10:00+09, lost_kw=200000, lasted=1 h', '2024-05-01 11:00+09', 'clear', 'clear', 'O clear'),
  ('00000000-0000-0000-0000-0000000000c1', 'power-a', 'incident', 'service=electricity.supply, began=2024-05-01 10:00+09, lost_kw=200000, lasted=1 h', '2024-05-01 11:00+09', 'green', 'green', 'O green'),
  ('00000000-0000-0000-0000-0000000000c2', 'power-a', 'incident', 'service=electricity.supply, began=2024-05-01 10:00+09, lost_kw=200000, lasted=1 h', '2024-05-01 11:00+09', 'amber', 'amber', 'O amber'),
  ('00000000-0000-0000-0000-0000000000c3', 'power-a', 'incident', 'service=electricity.supply, began=2024-05-01 10:00+09, lost_kw=200000, lasted=1 h', '2024-05-01 11:00+09', 'amber+strict', 'amber+strict', 'O amber+strict'),
  ('00000000-0000-0000-0000-0000000000c4', 'power-a', 'incident', 'service=electricity.supply, began=2024-05-01 10:00+09, lost_kw=200000, lasted=1 h', '2024-05-01 11:00+09', 'red', 'red', 'O red'),
  ('00000000-0000-0000-0000-0000000000c5', 'power-a', 'threat', NULL, '2024-05-01 11:00+09', 'red', 'red named', 'O red, NISC and power-b named');
-- O names NISC and power-b... power-b it cannot see: an unknown recipient, like one that does not exist
SELECT * FROM pg_temp.try($$INSERT INTO ceptoar.report_recipient (report, recipient) VALUES ('00000000-0000-0000-0000-0000000000c5', 'power-b')$$);
SELECT * FROM pg_temp.try($$INSERT INTO ceptoar.report_recipient (report, recipient) VALUES ('00000000-0000-0000-0000-0000000000c5', 'no-such-op')$$);
INSERT INTO report_recipient (report, recipient) VALUES
  ('00000000-0000-0000-0000-0000000000c5', 'nisc'), ('00000000-0000-0000-0000-0000000000c5', 'electricity');
RESET ROLE;
-- M names power-b (one of its operators) on the same report
SET LOCAL ROLE regress_access_m;
INSERT INTO report_recipient (report, recipient) VALUES ('00000000-0000-0000-0000-0000000000c5', 'power-b');
RESET ROLE;
-- reports of the others, filed by themselves
SET LOCAL ROLE regress_access_member;
INSERT INTO report (id, operator, kind, reported, tlp, summary, description) VALUES
  ('00000000-0000-0000-0000-0000000000b2', 'power-b', 'threat', '2024-05-02 11:00+09', 'amber', 'B amber', 'B amber');
RESET ROLE;
SET LOCAL ROLE regress_access_otherop;
INSERT INTO report (id, operator, kind, reported, tlp, summary, description) VALUES
  ('00000000-0000-0000-0000-0000000000d1', 'rail-c', 'threat', '2024-05-02 11:00+09', 'green', 'C green', 'C green');
RESET ROLE;

-- the upward deliveries follow the table: M always, the CEPTOAR up to amber, NISC unless red,
-- the named parties of a red report
SELECT r.summary, string_agg(d.recipient || ':' || d.recipient_kind, ', ' ORDER BY d.recipient_kind, d.recipient) AS delivered_to
  FROM report r JOIN report_delivery d ON d.report = r.id
 GROUP BY r.summary, r.operator, r.tlp_rank ORDER BY r.operator, r.tlp_rank, r.summary;

-- Section 2, "sees R when", in ceptoar.report and every table that hangs off a report:
-- the reports each party sees (by summary), or the error
SELECT w.party, t.tbl, x.state, x.result
  FROM pg_temp.who w
 CROSS JOIN (VALUES
   ('report', $$SELECT coalesce(string_agg(summary, ',' ORDER BY operator, tlp_rank, summary), '-') FROM ceptoar.report$$),
   ('report_revision', $$SELECT coalesce(string_agg(DISTINCT summary, ',' ORDER BY summary), '-') FROM ceptoar.report_revision$$),
   ('report_verdicts', $$SELECT coalesce(string_agg(DISTINCT r.summary, ',' ORDER BY r.summary), '-') FROM ceptoar.report_verdicts v JOIN ceptoar.report_revision r ON (r.report, r.revision) = (v.report, v.revision)$$),
   ('report_recipient', $$SELECT coalesce(string_agg(recipient, ',' ORDER BY recipient), '-') FROM ceptoar.report_recipient$$),
   ('report_delivery', $$SELECT coalesce(string_agg(right(report::text, 2) || ':' || recipient, ',' ORDER BY report, recipient), '-') FROM ceptoar.report_delivery$$),
   ('operator', $$SELECT coalesce(string_agg(code, ',' ORDER BY code), '-') FROM ceptoar.operator$$),
   ('_named_reports', $$SELECT coalesce(string_agg(right(report::text, 2), ',' ORDER BY report), '-') FROM ceptoar._named_reports$$)
 ) AS t(tbl, stmt)
 CROSS JOIN LATERAL pg_temp.as_role(w.role, t.stmt) x
 ORDER BY t.tbl, w.ord;

-- counts and planner statistics: the same rows, and no statistics of tables under RLS
ANALYZE report;
SELECT w.party, x.state, x.result AS counted,
       (pg_temp.as_role(w.role, $$SELECT count(*)::text FROM pg_catalog.pg_stats WHERE schemaname = 'ceptoar' AND tablename = 'report'$$)).result AS report_stats
  FROM pg_temp.who w, LATERAL pg_temp.as_role(w.role, $$SELECT count(*)::text FROM ceptoar.report$$) x
 ORDER BY w.ord;

-- What register_party granted each kind (and the no-party role nothing)
SELECT w.party,
       string_agg(t.tbl || ':' || concat_ws('', CASE WHEN has_table_privilege(w.role, 'ceptoar.' || t.tbl, 'SELECT') THEN 's' END,
                                                CASE WHEN has_table_privilege(w.role, 'ceptoar.' || t.tbl, 'INSERT') THEN 'i' END,
                                                CASE WHEN has_table_privilege(w.role, 'ceptoar.' || t.tbl, 'UPDATE') THEN 'u' END,
                                                CASE WHEN has_any_column_privilege(w.role, 'ceptoar.' || t.tbl, 'UPDATE')
                                                      AND NOT has_table_privilege(w.role, 'ceptoar.' || t.tbl, 'UPDATE') THEN 'u(col)' END,
                                                CASE WHEN has_table_privilege(w.role, 'ceptoar.' || t.tbl, 'DELETE') THEN 'd' END),
                  ' ' ORDER BY t.ord) FILTER (WHERE has_any_column_privilege(w.role, 'ceptoar.' || t.tbl, 'SELECT, INSERT, UPDATE')) AS tables
  FROM pg_temp.who w,
       (VALUES (1, 'operator'), (2, 'report'), (3, 'report_revision'), (4, 'report_verdicts'), (5, 'report_verification'),
               (6, 'report_link'), (7, 'report_step'), (8, 'report_recipient'), (9, 'report_delivery'), (10, 'alert'),
               (11, 'alert_delivery'), (12, 'unacknowledged'), (13, 'party')) AS t(ord, tbl)
 GROUP BY w.party, w.ord ORDER BY w.ord;
SELECT w.party, string_agg(f.fn, ' ' ORDER BY f.ord) FILTER (WHERE has_function_privilege(w.role, 'ceptoar.' || f.sig, 'EXECUTE')) AS functions
  FROM pg_temp.who w,
       (VALUES (1, 'revoke', 'revoke(uuid,text)'), (2, 'verify', 'verify(uuid,text,text)'),
               (3, 'acknowledge_report', 'acknowledge_report(uuid,text)'),
               (4, 'issue_alert', 'issue_alert(text,text,ceptoar.sector[],ceptoar.tlp)'),
               (5, 'forward_alert', 'forward_alert(uuid,text)'), (6, 'acknowledge_alert', 'acknowledge_alert(uuid,text)')) AS f(ord, fn, sig)
 GROUP BY w.party, w.ord ORDER BY w.ord;

-- Writes, section 2's "may": each statement under each role that matters, with its outcome.
-- Unknown reports are shown with the id masked: an invisible report and one that does not
-- exist give the same SQLSTATE and message.
CREATE FUNCTION pg_temp.w(who text, stmt text, OUT state text, OUT result text)
LANGUAGE sql AS $$
  SELECT x.state, regexp_replace(x.result, '[0-9a-f]{8}-[0-9a-f-]{27}', '<id>', 'g')
    FROM pg_temp.who w, pg_temp.as_role(w.role, stmt) x WHERE w.party = who $$;
CREATE TABLE pg_temp.cases (n serial, party text, what text, stmt text);
GRANT SELECT ON pg_temp.cases TO PUBLIC;
INSERT INTO pg_temp.cases (party, what, stmt) VALUES
  -- insert: O for itself only
  ('o', 'insert as another operator', $$INSERT INTO ceptoar.report (operator, kind, summary) VALUES ('power-b', 'threat', 'x') RETURNING 'inserted'$$),
  ('member', 'insert as O', $$INSERT INTO ceptoar.report (operator, kind, summary) VALUES ('power-a', 'threat', 'x') RETURNING 'inserted'$$),
  ('m', 'insert (M does not file)', $$INSERT INTO ceptoar.report (operator, kind, summary) VALUES ('power-a', 'threat', 'x') RETURNING 'inserted'$$),
  ('nisc', 'insert (NISC does not file)', $$INSERT INTO ceptoar.report (operator, kind, summary) VALUES ('power-a', 'threat', 'x') RETURNING 'inserted'$$),
  ('ceptoar', 'insert', $$INSERT INTO ceptoar.report (operator, kind, summary) VALUES ('power-a', 'threat', 'x') RETURNING 'inserted'$$),
  ('nobody', 'insert', $$INSERT INTO ceptoar.report (operator, kind, summary) VALUES ('power-a', 'threat', 'x') RETURNING 'inserted'$$),
  -- revise: O its own, M on O's behalf, NISC what it sees; the others change nothing
  ('o', 'revise amber', $$WITH u AS (UPDATE ceptoar.report SET summary = 'amber' WHERE id = '00000000-0000-0000-0000-0000000000c2' RETURNING changed_by) SELECT count(*) || ' by ' || string_agg(changed_by, ',') FROM u$$),
  ('m_staff', 'revise amber', $$WITH u AS (UPDATE ceptoar.report SET summary = 'amber' WHERE id = '00000000-0000-0000-0000-0000000000c2' RETURNING changed_by) SELECT count(*) || ' by ' || string_agg(changed_by, ',') FROM u$$),
  ('nisc', 'revise amber', $$WITH u AS (UPDATE ceptoar.report SET summary = 'amber' WHERE id = '00000000-0000-0000-0000-0000000000c2' RETURNING changed_by) SELECT count(*) || ' by ' || string_agg(changed_by, ',') FROM u$$),
  ('nisc', 'revise red', $$WITH u AS (UPDATE ceptoar.report SET summary = 'red' WHERE id = '00000000-0000-0000-0000-0000000000c4' RETURNING 1) SELECT count(*)::text FROM u$$),
  ('nisc', 'revise red, named', $$WITH u AS (UPDATE ceptoar.report SET summary = 'red named' WHERE id = '00000000-0000-0000-0000-0000000000c5' RETURNING 1) SELECT count(*)::text FROM u$$),
  ('nisc', 'mark amber red', $$UPDATE ceptoar.report SET tlp = 'red' WHERE id = '00000000-0000-0000-0000-0000000000c2'$$),
  ('member', 'revise amber', $$WITH u AS (UPDATE ceptoar.report SET summary = 'amber' WHERE id = '00000000-0000-0000-0000-0000000000c2' RETURNING 1) SELECT count(*)::text FROM u$$),
  ('otherm', 'revise amber', $$WITH u AS (UPDATE ceptoar.report SET summary = 'amber' WHERE id = '00000000-0000-0000-0000-0000000000c2' RETURNING 1) SELECT count(*)::text FROM u$$),
  ('ceptoar', 'revise amber', $$UPDATE ceptoar.report SET summary = 'amber' WHERE id = '00000000-0000-0000-0000-0000000000c2'$$),
  ('public', 'revise amber', $$UPDATE ceptoar.report SET summary = 'amber' WHERE id = '00000000-0000-0000-0000-0000000000c2'$$),
  -- steps
  ('o', 'step', $$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('00000000-0000-0000-0000-0000000000c2', 'contact', '2024-05-01 10:10+09') RETURNING step$$),
  ('m', 'step', $$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('00000000-0000-0000-0000-0000000000c2', 'containment', '2024-05-01 10:20+09') RETURNING step$$),
  ('nisc', 'step', $$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('00000000-0000-0000-0000-0000000000c2', 'evidence', '2024-05-01 10:30+09') RETURNING step$$),
  ('nisc', 'step of red', $$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('00000000-0000-0000-0000-0000000000c4', 'evidence', '2024-05-01 10:30+09') RETURNING step$$),
  ('nisc', 'step of none', $$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('00000000-0000-0000-0000-0000000000ff', 'evidence', '2024-05-01 10:30+09') RETURNING step$$),
  ('member', 'step', $$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('00000000-0000-0000-0000-0000000000c2', 'recovery', '2024-05-01 10:30+09') RETURNING step$$),
  ('ceptoar', 'step', $$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('00000000-0000-0000-0000-0000000000c2', 'recovery', '2024-05-01 10:30+09') RETURNING step$$),
  -- links: both ends visible
  ('o', 'link', $$INSERT INTO ceptoar.report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-0000000000c1', 'same_cause') RETURNING kind$$),
  ('o', 'link to B', $$INSERT INTO ceptoar.report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-0000000000b2', 'same_cause') RETURNING kind$$),
  ('o', 'link to none', $$INSERT INTO ceptoar.report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-0000000000ff', 'same_cause') RETURNING kind$$),
  ('m', 'link to B', $$INSERT INTO ceptoar.report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-0000000000c3', '00000000-0000-0000-0000-0000000000b2', 'same_cause') RETURNING kind$$),
  ('nisc', 'link to red', $$INSERT INTO ceptoar.report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000c4', 'same_cause') RETURNING kind$$),
  ('member', 'link', $$INSERT INTO ceptoar.report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-0000000000b2', '00000000-0000-0000-0000-0000000000c2', 'same_cause') RETURNING kind$$),
  -- recipients: O and M name, as themselves
  ('o', 'name, as another', $$INSERT INTO ceptoar.report_recipient (report, recipient, named_by) VALUES ('00000000-0000-0000-0000-0000000000c4', 'mlit', 'regress_access_m') RETURNING recipient$$),
  ('nisc', 'name', $$INSERT INTO ceptoar.report_recipient (report, recipient) VALUES ('00000000-0000-0000-0000-0000000000c3', 'mlit') RETURNING recipient$$),
  ('member', 'name on O''s', $$INSERT INTO ceptoar.report_recipient (report, recipient) VALUES ('00000000-0000-0000-0000-0000000000c4', 'nisc') RETURNING recipient$$),
  ('otherm', 'name on O''s', $$INSERT INTO ceptoar.report_recipient (report, recipient) VALUES ('00000000-0000-0000-0000-0000000000c4', 'nisc') RETURNING recipient$$),
  -- verification: by verify() only in effect; a direct INSERT cannot state another verifier
  ('m', 'verification as another', $$INSERT INTO ceptoar.report_verification (report, revision, outcome, computed, verified_by, verified_at) SELECT id, revision, 'within', level, 'regress_access_nisc', clock_timestamp() FROM ceptoar.report WHERE id = '00000000-0000-0000-0000-0000000000c1'$$),
  ('m', 'verification, back-dated', $$INSERT INTO ceptoar.report_verification (report, revision, outcome, computed, verified_by, verified_at) SELECT id, revision, 'within', level, current_user, '2024-01-01' FROM ceptoar.report WHERE id = '00000000-0000-0000-0000-0000000000c1'$$),
  ('o', 'verification', $$INSERT INTO ceptoar.report_verification (report, revision, outcome, computed, verified_by, verified_at) SELECT id, revision, 'within', level, current_user, clock_timestamp() FROM ceptoar.report WHERE id = '00000000-0000-0000-0000-0000000000c1'$$),
  -- verify(): M or NISC, of a report it sees
  ('m_staff', 'verify amber', $$SELECT ceptoar.verify('00000000-0000-0000-0000-0000000000c2', 'within', 'checked by meti')::text$$),
  ('nisc', 'verify amber+strict', $$SELECT ceptoar.verify('00000000-0000-0000-0000-0000000000c3', 'within', 'checked by nisc')::text$$),
  ('nisc', 'verify red', $$SELECT ceptoar.verify('00000000-0000-0000-0000-0000000000c4', 'within', 'x')::text$$),
  ('nisc', 'verify none', $$SELECT ceptoar.verify('00000000-0000-0000-0000-0000000000ff', 'within', 'x')::text$$),
  ('otherm', 'verify amber', $$SELECT ceptoar.verify('00000000-0000-0000-0000-0000000000c2', 'within', 'x')::text$$),
  ('otherm', 'verify none', $$SELECT ceptoar.verify('00000000-0000-0000-0000-0000000000ff', 'within', 'x')::text$$),
  ('o', 'verify own', $$SELECT ceptoar.verify('00000000-0000-0000-0000-0000000000c2', 'within', 'x')::text$$),
  ('ceptoar', 'verify', $$SELECT ceptoar.verify('00000000-0000-0000-0000-0000000000c2', 'within', 'x')::text$$),
  -- revoke(): O, and M or NISC on O's behalf
  ('o', 'revoke clear', $$SELECT ceptoar.revoke('00000000-0000-0000-0000-0000000000c0', 'filed by mistake')::text$$),
  ('m', 'revoke green', $$SELECT ceptoar.revoke('00000000-0000-0000-0000-0000000000c1', 'a duplicate, for O')::text$$),
  ('nisc', 'revoke red', $$SELECT ceptoar.revoke('00000000-0000-0000-0000-0000000000c4', 'x')::text$$),
  ('nisc', 'revoke none', $$SELECT ceptoar.revoke('00000000-0000-0000-0000-0000000000ff', 'x')::text$$),
  ('member', 'revoke O''s', $$SELECT ceptoar.revoke('00000000-0000-0000-0000-0000000000c2', 'x')::text$$),
  ('member', 'revoke none', $$SELECT ceptoar.revoke('00000000-0000-0000-0000-0000000000ff', 'x')::text$$),
  ('otherm', 'revoke amber', $$SELECT ceptoar.revoke('00000000-0000-0000-0000-0000000000c2', 'x')::text$$),
  ('ceptoar', 'revoke', $$SELECT ceptoar.revoke('00000000-0000-0000-0000-0000000000c2', 'x')::text$$),
  -- acknowledge_report(): a recipient, for itself, of a report delivered to it
  ('ceptoar', 'acknowledge amber', $$SELECT (ceptoar.acknowledge_report('00000000-0000-0000-0000-0000000000c2', 'electricity') = now())::text$$),
  ('ceptoar', 'acknowledge amber as meti', $$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-0000000000c2', 'meti')::text$$),
  ('ceptoar', 'acknowledge amber+strict', $$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-0000000000c3', 'electricity')::text$$),
  ('ceptoar', 'acknowledge none', $$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-0000000000ff', 'electricity')::text$$),
  ('ceptoar', 'acknowledge directly as meti', $$WITH u AS (UPDATE ceptoar.report_delivery SET acknowledged_at = now() WHERE report = '00000000-0000-0000-0000-0000000000c3' RETURNING 1) SELECT count(*)::text FROM u$$),
  ('member', 'acknowledge red, named', $$SELECT (ceptoar.acknowledge_report('00000000-0000-0000-0000-0000000000c5', 'power-b') = now())::text$$),
  ('m', 'acknowledge red', $$SELECT (ceptoar.acknowledge_report('00000000-0000-0000-0000-0000000000c4', 'meti') = now())::text$$),
  ('nisc', 'acknowledge red', $$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-0000000000c4', 'nisc')::text$$),
  ('nisc', 'acknowledge none', $$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-0000000000ff', 'nisc')::text$$),
  ('public', 'acknowledge', $$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-0000000000c0', 'electricity')::text$$),
  ('ceptoar', 'unacknowledged', $$SELECT string_agg(right(id::text, 2) || ':' || recipient, ',' ORDER BY id) FROM ceptoar.unacknowledged$$);
SELECT c.n, c.party, c.what, x.state, x.result
  FROM pg_temp.cases c, LATERAL pg_temp.w(c.party, c.stmt) x ORDER BY c.n;
-- what the writes left: revisions with their writers, verifications, deliveries acknowledged
SELECT right(report::text, 2) AS report, revision, summary, changed_by, revoked_reason FROM report_revision
 WHERE revision > 1 ORDER BY report, revision;
SELECT right(report::text, 2) AS report, revision, outcome, computed, reason, verified_by FROM report_verification ORDER BY report;
SELECT right(report::text, 2) AS report, recipient, acknowledged_by FROM report_delivery WHERE acknowledged_at IS NOT NULL ORDER BY 1, 2;

-- Alerts: NISC issues; a ministry forwards to its operators, as itself; each acknowledges its own
SET LOCAL ROLE regress_access_nisc;
CREATE TEMP TABLE a AS SELECT issue_alert('regress access', 'body', ARRAY['electricity', 'rail']::sector[], 'amber') AS id;
RESET ROLE;
GRANT SELECT ON pg_temp.a TO PUBLIC;
TRUNCATE pg_temp.cases;
INSERT INTO pg_temp.cases (party, what, stmt) VALUES
  ('m', 'issue', $$SELECT ceptoar.issue_alert('x', 'y', ARRAY['electricity']::ceptoar.sector[])::text$$),
  ('nisc', 'issue as another', $$INSERT INTO ceptoar.alert (title, sectors, issued_by) VALUES ('x', ARRAY['gas']::ceptoar.sector[], 'regress_access_m')$$),
  ('m', 'forward as mlit', $$SELECT ceptoar.forward_alert(id, 'mlit')::text FROM pg_temp.a$$),
  ('m_staff', 'forward', $$SELECT ceptoar.forward_alert(id, 'meti')::text FROM pg_temp.a$$),
  ('m', 'deliver to rail-c', $$INSERT INTO ceptoar.alert_delivery (alert, recipient, recipient_kind, delivered_at, forwarded_by) SELECT id, 'rail-c', 'operator', now(), 'meti' FROM pg_temp.a$$),
  ('m', 'deliver as mlit', $$INSERT INTO ceptoar.alert_delivery (alert, recipient, recipient_kind, delivered_at, forwarded_by) SELECT id, 'rail-c', 'operator', now(), 'mlit' FROM pg_temp.a$$),
  ('nisc', 'forward for mlit', $$SELECT ceptoar.forward_alert(id, 'mlit')::text FROM pg_temp.a$$),
  ('o', 'acknowledge', $$SELECT (ceptoar.acknowledge_alert(id, 'power-a') = now())::text FROM pg_temp.a$$),
  ('o', 'acknowledge as power-b', $$SELECT ceptoar.acknowledge_alert(id, 'power-b')::text FROM pg_temp.a$$),
  ('otherm', 'acknowledge', $$SELECT (ceptoar.acknowledge_alert(id, 'mlit') = now())::text FROM pg_temp.a$$),
  ('ceptoar', 'acknowledge', $$SELECT ceptoar.acknowledge_alert(id, 'electricity')::text FROM pg_temp.a$$);
SELECT c.n, c.party, c.what, x.state, x.result
  FROM pg_temp.cases c, LATERAL pg_temp.w(c.party, c.stmt) x ORDER BY c.n;
-- who sees the alert and which of its deliveries
SELECT w.party, x.state, x.result AS alerts,
       (pg_temp.as_role(w.role, $$SELECT coalesce(string_agg(recipient || coalesce('<' || forwarded_by, '') || CASE WHEN acknowledged_at IS NULL THEN '' ELSE '+' END, ',' ORDER BY recipient_kind, recipient), '-') FROM ceptoar.alert_delivery$$)).result AS deliveries
  FROM pg_temp.who w, LATERAL pg_temp.as_role(w.role, $$SELECT coalesce(string_agg(title, ','), '-') FROM ceptoar.alert$$) x
 ORDER BY w.ord;
-- an alert NOT delivered to a ministry is unknown to it, like one that does not exist
SET LOCAL ROLE regress_access_nisc;
CREATE TEMP TABLE a2 AS SELECT issue_alert('rail only', 'body', ARRAY['rail']::sector[]) AS id;
RESET ROLE;
GRANT SELECT ON pg_temp.a2 TO PUBLIC;
SELECT x.* FROM pg_temp.w('m', $$SELECT ceptoar.forward_alert(id, 'meti')::text FROM pg_temp.a2$$) x
UNION ALL
SELECT x.* FROM pg_temp.w('m', $$SELECT ceptoar.forward_alert('00000000-0000-0000-0000-0000000000ff', 'meti')::text$$) x;

-- a role granted a writer function by hand is still refused unless it is the right party
GRANT EXECUTE ON FUNCTION issue_alert(text, text, sector[], tlp), verify(uuid, text, text) TO regress_access_nobody, regress_access_o;
SELECT * FROM pg_temp.w('nobody', $$SELECT ceptoar.issue_alert('x', 'y', ARRAY['gas']::ceptoar.sector[])::text$$);
SELECT * FROM pg_temp.w('o', $$SELECT ceptoar.verify('00000000-0000-0000-0000-0000000000c2', 'within', 'x')::text$$);
REVOKE EXECUTE ON FUNCTION issue_alert(text, text, sector[], tlp), verify(uuid, text, text) FROM regress_access_nobody, regress_access_o;

-- unregister_party takes back everything; registering as another kind leaves nothing of the old
SELECT unregister_party('regress_access_o');
SELECT register_party('regress_access_member', 'ceptoar', 'electricity');
SELECT w.party, has_table_privilege(w.role, 'ceptoar.report', 'SELECT') AS report_select,
       has_table_privilege(w.role, 'ceptoar.report', 'INSERT') AS report_insert,
       has_table_privilege(w.role, 'ceptoar.report_step', 'INSERT') AS step_insert,
       has_function_privilege(w.role, 'ceptoar.revoke(uuid,text)', 'EXECUTE') AS revoke,
       has_function_privilege(w.role, 'ceptoar.acknowledge_report(uuid,text)', 'EXECUTE') AS acknowledge
  FROM pg_temp.who w WHERE w.party IN ('o', 'member') ORDER BY w.ord;
SELECT * FROM pg_temp.w('o', $$SELECT count(*)::text FROM ceptoar.report$$);
ROLLBACK;

DROP ROLE regress_access_o, regress_access_member, regress_access_otherop, regress_access_m_staff,
  regress_access_m, regress_access_otherm, regress_access_nisc, regress_access_ceptoar,
  regress_access_public, regress_access_nobody;
