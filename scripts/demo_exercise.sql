-- scripts/demo_exercise.sql: the FY2009 cross-sector exercise (分野横断的演習, theme 広域停電)
-- played on the blackout of demo_blackout.sql, through the registry.  Included by demo.sql (\ir)
-- after demo_blackout.sql, whose tables (demo.blackout_instance ...) and psql variables
-- (:began, :lasted) it uses; expects search_path to hold ceptoar.
--
-- The demo's operators are rows of ceptoar.operator (demo_blackout.sql registers them before
-- their instances); as the blackout spreads (the onsets of impact()), every operator hit
-- files a report of exercise fy2009 with the facts of its row.  What the registry does with them is real: verification levels and verdicts,
-- suspected origins by the impact engine, revisions, verification, revocation.  The scenario's
-- day and every measure (kW lost, trains cancelled) are illustrative: seed 000 gives the
-- exercise's theme and goal, not its day or script.

\echo
\echo '== 11. The FY2009 cross-sector exercise (分野横断的演習), played on the blackout of 10 through the registry'
SELECT current_setting('TimeZone') AS saved_timezone \gset
SET TimeZone = 'Asia/Tokyo';
SELECT code, fiscal_year, theme_ja, theme_en, goal_ja FROM exercises WHERE code = 'fy2009';

\echo
\echo '(a) The demo''s operators in ceptoar.operator, with their sector''s CEPTOAR (ceptoar.ceptoars.code)'
SELECT o.sector, o.ceptoar, (SELECT DISTINCT c.name FROM ceptoars c WHERE c.code = o.ceptoar) AS ceptoar_name,
       count(*) AS operators,
       array_to_string((array_agg(o.code || ' ' || o.name_ja ORDER BY o.code))[1:3], ', ')
         || CASE WHEN count(*) > 3 THEN ', ...' ELSE '' END AS examples
FROM operator o
GROUP BY o.sector, o.ceptoar
ORDER BY min(o.registered), o.sector;

-- Every operator hit files a report at its onset: one per instance hit.  The first reports do
-- not know how long the failure will last (ongoing); those hit through another sector say it
-- cascaded.  Detection and reporting delays and the measures are illustrative.
SELECT max(id) FILTER (WHERE key = 'electricity/tokyo') AS tepco FROM demo.blackout_instance \gset
INSERT INTO report (operator, incident, instance, detected, reported, tlp, exercise, summary)
SELECT b.operator_code,
       format('service=%s, began=%s+09, lasted=ongoing, effect=stop, cause=%s%s',
              x.service, to_char(x.onset AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI'),
              CASE WHEN x.depth = 0 THEN 'unknown' ELSE 'cascade' END,
              CASE b.kind
                WHEN 'electricity' THEN ', lost_kw=40000000, users=' || x.population
                WHEN 'telecom' THEN ', users=' || x.population
                WHEN 'water' THEN ', users=' || x.population
                WHEN 'rail' THEN ', cancelled=' || CASE b.operator_code WHEN 'rail.jr-east' THEN 7000 ELSE 18000 END
                WHEN 'medical' THEN ', flags={records_impaired}'
                ELSE '' END)::incident,
       x.instance, x.onset + d.detect, x.onset + d.detect + d.report, 'amber', 'fy2009',
       CASE WHEN b.kind = 'bank' AND v.kind = 'electricity' THEN 'deposits: the data centre''s generator is out of fuel'
            ELSE d.summary END
FROM impact(:tepco, :'began', :'lasted') x
JOIN demo.blackout_instance b ON b.id = x.instance
LEFT JOIN demo.blackout_instance v ON v.id = x.via
JOIN (VALUES
  ('electricity', interval '0',      interval '20 min', 'supply lost over the whole service area'),
  ('rail',        interval '0',      interval '30 min', 'trains stopped: no traction power'),
  ('telecom',     interval '5 min',  interval '20 min', 'exchange and base-station batteries exhausted'),
  ('bank',        interval '10 min', interval '20 min', 'deposits: branches and ATMs offline'),
  ('water',       interval '15 min', interval '30 min', 'pumps lost remote control (SCADA)'),
  ('medical',     interval '20 min', interval '40 min', 'electronic medical records unreachable'))
  AS d(kind, detect, report, summary) ON d.kind = b.kind
ORDER BY x.onset, x.depth, x.instance;

\echo
\echo '(b) As the blackout spreads, each operator hit files a report (exercise fy2009), one per service instance hit:'
\echo '    the verification level of the 2nd plan (nisc-2009) is computed on filing, "undetermined" while the'
\echo '    duration is not known; ministry: the competent ministry on the day'
SELECT to_char(r.reported, 'MM-DD HH24:MI') AS reported,
       extract(epoch FROM began(r.incident) - :'began'::timestamptz)::integer / 3600 AS "+h",
       r.operator, o.name_ja, count(*) AS reports, service(r.incident) AS service,
       cause(r.incident) AS cause, r.ministry_code AS ministry, r.level, r.summary
FROM report r JOIN operator o ON o.code = r.operator
WHERE r.exercise = 'fy2009'
GROUP BY r.reported, began(r.incident), r.operator, o.name_ja, service(r.incident), cause(r.incident),
         r.ministry_code, r.level, r.summary
ORDER BY r.reported, r.operator;

SELECT max(id::text) FILTER (WHERE operator = 'power.tokyo') AS r_tepco,
       max(id::text) FILTER (WHERE operator = 'telecom.carrier') AS r_telecom,
       max(id::text) FILTER (WHERE operator = 'water.13') AS r_water_tokyo,
       max(id::text) FILTER (WHERE operator = 'hospitals.tokyo') AS r_hospitals,
       max(id::text) FILTER (WHERE operator = 'bank.a' AND instance =
         (SELECT id FROM demo.blackout_instance WHERE key = 'bank/kyushu')) AS r_bank_kyushu,
       max(id::text) FILTER (WHERE operator = 'rail.kanto-private') AS r_private_rail
FROM report WHERE exercise = 'fy2009' \gset

\echo
\echo '(c) What each rule set that applies says of three of them (report_verdicts): the verification level,'
\echo '    and for telecommunications also the legal reporting threshold of the day (telecom-2008)'
SELECT o.name_ja AS operator, v.rule_set, v.kind, v.outcome, v.explanation
FROM report r JOIN operator o ON o.code = r.operator
JOIN report_verdicts v ON v.report = r.id AND v.revision = r.revision
WHERE r.id IN (:'r_tepco', :'r_telecom', :'r_private_rail')
ORDER BY r.reported, v.kind DESC, v.rule_set;

\echo
\echo '(d) Suspected origins, found by the impact engine: the earlier reports of other sectors whose failure'
\echo '    reaches the report''s service instance by the time it began (depth, and the supplier it comes via);'
\echo '    東京電力''s own report has none: the cascade starts there'
SELECT si.name AS "report of (instance hit)", to_char(began(r.incident), 'MM-DD HH24:MI') AS began,
       oo.name_ja AS suspected_origin, s.origin_sector, s.depth, vi.name AS via,
       to_char(s.expected_onset, 'MM-DD HH24:MI') AS expected
FROM report r JOIN service_instance si ON si.id = r.instance
LEFT JOIN LATERAL suspected_origins(r.id) s ON true
LEFT JOIN report c ON c.id = s.origin
LEFT JOIN operator oo ON oo.code = c.operator
LEFT JOIN service_instance vi ON vi.id = s.via
WHERE r.id IN (:'r_tepco', :'r_telecom', :'r_water_tokyo', :'r_hospitals', :'r_bank_kyushu')
ORDER BY r.reported, s.expected_onset, s.depth DESC;

\echo
\echo '(e) 東京電力''s emergency response (seed 003): the steps taken, with the time since detection'
INSERT INTO report_step (report, step, done_at, note)
SELECT :'r_tepco', s.step, :'began'::timestamptz + s.after::interval, s.note
FROM (VALUES
  ('contact',     '15 min',  'first report to METI and 電力 CEPTOAR'),
  ('containment', '40 min',  'area isolated from the 50 Hz interconnections'),
  ('evidence',    '2 hours', 'control-system logs and event records preserved'),
  ('recovery',    '30 hours', 'supply restored in the whole area')) AS s(step, after, note);
SELECT step_no, step, to_char(done_at, 'MM-DD HH24:MI') AS done_at, elapsed, missing, note
FROM response_timeline(:'r_tepco');

\echo
\echo '(f) Supply is back at 11-11 16:00: 東京電力 revises its report with the duration (30 h), the ministry'
\echo '    (METI) confirms the level with verify(), the report is closed; every revision is kept (report_revision)'
UPDATE report SET incident = incident(service(incident), began(incident), :'lasted'::interval,
                                      effect(incident), cause(incident), users(incident),
                                      households(incident), lost_kw(incident), cancelled(incident),
                                      flags(incident)),
       description = 'restored at 11-11 16:00 after 30 hours'
WHERE id = :'r_tepco';
SELECT verify(:'r_tepco', 'exceeds') \gset
-- (\gset: the void result is not printed)
UPDATE report SET status = 'closed' WHERE id = :'r_tepco';
SELECT rv.revision, rv.status, lasted(rv.incident) AS lasted, rv.level, v.explanation
FROM report_revision rv
JOIN report_verdicts v ON v.report = rv.report AND v.revision = rv.revision AND v.rule_set = 'nisc-2009'
WHERE rv.report = :'r_tepco'
ORDER BY rv.revision;

\echo
\echo '(g) The ministry may also override the computed level, with a reason: MHLW on the Kanto hospitals'' report'
SELECT verify(:'r_hospitals', 'within', 'paper records kept during the outage; no record was lost') \gset
SELECT o.name_ja AS operator, r.ministry_code AS ministry, v.revision, v.computed, v.outcome, v.reason, r.status
FROM report_verification v JOIN report r ON r.id = v.report JOIN operator o ON o.code = r.operator
ORDER BY v.verified_at;

\echo
\echo '(h) A second desk of the Tokyo-area private railways files the same report again: it is linked as a'
\echo '    duplicate and revoked; the tombstone stays (reports are never deleted), and revoked reports are'
\echo '    never suspected origins'
INSERT INTO report (operator, incident, instance, detected, reported, tlp, exercise, summary)
SELECT operator, incident, instance, detected, reported + interval '12 min', tlp, exercise, summary
FROM report WHERE id = :'r_private_rail'
RETURNING id AS r_duplicate \gset
INSERT INTO report_link (report, related, kind) VALUES (:'r_duplicate', :'r_private_rail', 'duplicate');
SELECT revoke(:'r_duplicate', 'duplicate of the report filed at 10:30') \gset
SELECT to_char(r.reported, 'MM-DD HH24:MI') AS reported, r.operator, r.revision, r.status,
       r.is_revoked, r.revoked_reason, l.kind AS link
FROM report r LEFT JOIN report_link l ON l.report = r.id
WHERE r.operator = 'rail.kanto-private'
ORDER BY r.reported;

\echo
\echo '(i) The exercise in the registry: its reports are records of the scenario (is_exercise), never counted'
\echo '    as real failures; verified: the ministry has confirmed or overridden the level'
SELECT r.sector_code AS sector, count(*) AS reports, count(*) FILTER (WHERE r.is_revoked) AS revoked,
       count(*) FILTER (WHERE r.level = 'exceeds') AS exceeds,
       count(*) FILTER (WHERE r.level = 'undetermined') AS undetermined,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM report_verification v WHERE v.report = r.id)) AS verified,
       count(*) FILTER (WHERE r.status = 'closed') AS closed,
       (SELECT count(*) FROM report_revision rv JOIN report x ON x.id = rv.report
         WHERE x.sector_code = r.sector_code AND x.exercise = 'fy2009') AS revisions
FROM report r
WHERE r.exercise = 'fy2009' AND r.is_exercise
GROUP BY r.sector_code
ORDER BY min(r.reported);

\echo
\echo '(j) Who sees what (the access layer): the DBA registers three roles as parties; each reads the'
\echo '    same reports through shared_reports. The reports are TLP:AMBER: METI sees its sectors'' reports'
\echo '    with the operators named; the telecommunications CEPTOAR sees its members'' reports under'
\echo '    pseudonyms (stable for it, different for every other party); the public sees none of them'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_meti') THEN CREATE ROLE demo_meti; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_telecom_ceptoar') THEN CREATE ROLE demo_telecom_ceptoar; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_public') THEN CREATE ROLE demo_public; END IF;
END $$;
SELECT register_party('demo_meti', 'ministry', 'meti'), register_party('demo_telecom_ceptoar', 'ceptoar', 'telecommunications'),
       register_party('demo_public', 'public') \gset
SELECT min(fiscal_year) AS exercise_fy FROM report WHERE exercise = 'fy2009' \gset
SET ROLE demo_meti;
SELECT sector_code AS sector, operator, identified, count(*) AS reports
FROM shared_reports WHERE exercise = 'fy2009' GROUP BY 1, 2, 3 ORDER BY 1, 2;
SET ROLE demo_telecom_ceptoar;
SELECT sector_code AS sector, operator, identified, description IS NULL AS no_description, count(*) AS reports
FROM shared_reports WHERE exercise = 'fy2009' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2;
SET ROLE demo_public;
SELECT count(*) AS reports_the_public_sees FROM shared_reports;
\echo '    ... and its statistics: the year''s exercise reports per sector, small cells hidden (k = 3)'
SELECT sector, reports, exercises, suppressed
FROM annual_exclusions(:exercise_fy);
RESET ROLE;
SET TimeZone = :'saved_timezone';
