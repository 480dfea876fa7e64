-- classify.sql: every shipped rule on both sides of its boundaries, unknown measures,
-- descendant services, rule-set validity (every date, the same in classify() and exceeds()),
-- users' own rule sets, the per-backend cache following the statement's snapshot (seen from
-- two sessions, cursors, savepoints, parallel workers), and errors.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET DateStyle = ISO;
SET TimeZone = 'Asia/Tokyo';

\i sql/try.psql

-- The shipped rule sets
SELECT code, kind, valid_from, valid_to, owner, (SELECT count(*) FROM rule r WHERE r.rule_set = s.code) AS rules
FROM rule_set s ORDER BY code;
SELECT rule_set, service, criterion FROM rule ORDER BY rule_set, service;

-- nisc-2009 on both sides of every boundary (began 2024-01-15 09:00 Japan time)
CREATE TEMP TABLE cases (label text, i incident);
INSERT INTO cases VALUES
 ('telecom 30,000 users 2 h',          'service=telecom.telecommunications, began=2024-01-15 09:00, users=30000, lasted=2 h'),
 ('telecom 29,999 users 2 h',          'service=telecom.telecommunications, began=2024-01-15 09:00, users=29999, lasted=2 h'),
 ('telecom 30,000 users 1 h 59 min',   'service=telecom.telecommunications, began=2024-01-15 09:00, users=30000, lasted=1 h 59 min'),
 ('telecom 30,000 users, 1:59:59.999999', 'service=telecom.telecommunications, began=2024-01-15 09:00, users=30000, lasted=1 h 59 min 59.999999 s'),
 ('telecom users unknown 3 h',         'service=telecom.telecommunications, began=2024-01-15 09:00, lasted=3 h'),
 ('telecom users unknown 1 h',         'service=telecom.telecommunications, began=2024-01-15 09:00, lasted=1 h'),
 ('telecom 50,000 users ongoing',      'service=telecom.telecommunications, began=2024-01-15 09:00, users=50000, lasted=ongoing'),
 ('telecom voice (child) 45,000 3 h',  'service=telecom.telecommunications.voice, began=2024-01-15 09:00, users=45000, lasted=3 h 10 min'),
 ('broadcasting stop',                 'service=telecom.broadcasting, began=2024-01-15 09:00, effect=stop'),
 ('broadcasting degradation',          'service=telecom.broadcasting, began=2024-01-15 09:00, effect=degradation'),
 ('cable tv (child) stop',             'service=telecom.broadcasting.cable_tv, began=2024-01-15 09:00'),
 ('bank deposit delay',                'service=finance.bank.deposit, began=2024-01-15 09:00, effect=delay'),
 ('bank deposit degradation',          'service=finance.bank.deposit, began=2024-01-15 09:00, effect=degradation'),
 ('bank lending stop',                 'service=finance.bank.lending, began=2024-01-15 09:00, effect=stop'),
 ('bank remittance loss',              'service=finance.bank.remittance, began=2024-01-15 09:00, effect=loss'),
 ('life claims delay',                 'service=finance.life_insurance.claims, began=2024-01-15 09:00, effect=delay'),
 ('non-life claims degradation',       'service=finance.nonlife_insurance.claims, began=2024-01-15 09:00, effect=degradation'),
 ('securities custody stop',           'service=finance.securities.custody, began=2024-01-15 09:00'),
 ('securities trading delay',          'service=finance.securities.trading, began=2024-01-15 09:00, effect=delay'),
 ('finance.bank (scope) stop',         'service=finance.bank, began=2024-01-15 09:00'),
 ('flights 1 cancelled',               'service=aviation.scheduled_flights, began=2024-01-15 09:00, cancelled=1'),
 ('flights 0 cancelled',               'service=aviation.scheduled_flights, began=2024-01-15 09:00, cancelled=0, effect=delay'),
 ('flights cancellations unknown',     'service=aviation.scheduled_flights, began=2024-01-15 09:00'),
 ('trains 1 cancelled',                'service=rail.passenger, began=2024-01-15 09:00, cancelled=1'),
 ('trains 0 cancelled',                'service=rail.passenger, began=2024-01-15 09:00, cancelled=0'),
 ('power 100,000 kW 10 min',           'service=electricity.supply, began=2024-01-15 09:00, lost_kw=100000, lasted=10 min'),
 ('power 99,999 kW 10 min',            'service=electricity.supply, began=2024-01-15 09:00, lost_kw=99999, lasted=10 min'),
 ('power 100,000 kW 9 min 59 s',       'service=electricity.supply, began=2024-01-15 09:00, lost_kw=100000, lasted=9 min 59 s'),
 ('power 99,999 kW duration unknown',  'service=electricity.supply, began=2024-01-15 09:00, lost_kw=99999'),
 ('power kW unknown 1 h',              'service=electricity.supply, began=2024-01-15 09:00, lasted=1 h'),
 ('gas 30 households',                 'service=gas.supply, began=2024-01-15 09:00, households=30'),
 ('gas 29 households',                 'service=gas.supply, began=2024-01-15 09:00, households=29'),
 ('gas households unknown',            'service=gas.supply, began=2024-01-15 09:00'),
 ('government rights impaired',        'service=government.administration, began=2024-01-15 09:00, flags={rights_impaired}'),
 ('government no flag, 3 d',           'service=government.administration, began=2024-01-15 09:00, lasted=3 d'),
 ('medical records impaired',          'service=medical.records, began=2024-01-15 09:00, flags={records_impaired}'),
 ('medical not impaired',              'service=medical.records, began=2024-01-15 09:00, effect=degradation'),
 ('water stop',                        'service=water.supply, began=2024-01-15 09:00'),
 ('water quality only, delay',         'service=water.supply, began=2024-01-15 09:00, effect=delay, flags={water_quality}'),
 ('water delay',                       'service=water.supply, began=2024-01-15 09:00, effect=delay'),
 ('logistics stop',                    'service=logistics.freight, began=2024-01-15 09:00'),
 ('logistics cargo lost, delay',       'service=logistics.freight, began=2024-01-15 09:00, effect=delay, flags={cargo_lost}'),
 ('logistics delay',                   'service=logistics.freight, began=2024-01-15 09:00, effect=delay'),
 ('chemical (no rule)',                'service=chemical.production, began=2024-01-15 09:00'),
 ('before the 2nd plan',               'service=gas.supply, began=2009-02-02 23:59:59+09, households=100'),
 ('first day of the 2nd plan',         'service=gas.supply, began=2009-02-03 00:00:00+09, households=100');
SELECT label, (classify(i)).outcome, exceeds(i), (classify(i)).rule_service
FROM cases;
SELECT label, (classify(i)).explanation FROM cases;

-- exceeds() and classify() agree on every case and every rule set
SELECT count(*) AS disagreements
FROM cases, (VALUES ('nisc-2009'), ('telecom-2015'), ('gas-report')) AS r(rs)
WHERE exceeds(i, rs) IS DISTINCT FROM
      CASE (classify(i, rs)).outcome WHEN 'exceeds' THEN true WHEN 'within' THEN false END;

-- telecom-2015: the Telecommunications Business Act by service class, both sides
SELECT svc, users, lasted, exceeds(incident(svc::service, '2024-01-15 09:00+09', lasted::interval, users => users), 'telecom-2015')
FROM (VALUES
  ('telecom.telecommunications.emergency_voice', 30000, '1 hour'),
  ('telecom.telecommunications.emergency_voice', 29999, '1 hour'),
  ('telecom.telecommunications.emergency_voice', 30000, '59 min'),
  ('telecom.telecommunications.voice', 30000, '2 hours'),
  ('telecom.telecommunications.voice', 30000, '1 hour 59 min'),
  ('telecom.telecommunications.voice', 100000, '1 hour'),
  ('telecom.telecommunications.voice', 99999, '1 hour'),
  ('telecom.telecommunications.voice', 100000, '59 min'),
  ('telecom.telecommunications.data', 30000, '2 hours'),
  ('telecom.telecommunications.data', 1000000, '1 hour'),
  ('telecom.telecommunications.data', 999999, '1 hour'),
  ('telecom.telecommunications.data', 1000000, '59 min'),
  ('telecom.telecommunications.free_internet', 100000, '24 hours'),
  ('telecom.telecommunications.free_internet', 99999, '24 hours'),
  ('telecom.telecommunications.free_internet', 100000, '23 hours 59 min'),
  ('telecom.telecommunications.free_internet', 1000000, '12 hours'),
  ('telecom.telecommunications.free_internet', 999999, '12 hours'),
  ('telecom.telecommunications.free_internet', 1000000, '11 hours 59 min'),
  ('telecom.telecommunications.free_internet', 30000, '48 hours'),
  ('telecom.telecommunications', 30000, '2 hours'),
  ('telecom.broadcasting', 50000, '5 hours')) AS t(svc, users, lasted);

-- gas-report
SELECT h, exceeds(incident('gas.supply', '2024-01-15 09:00+09', households => h), 'gas-report')
FROM (VALUES (29), (30), (NULL)) AS t(h);

-- An operator's own service level, stricter than the verification level
INSERT INTO rule_set (code, title, kind, owner, valid_from, valid_to)
VALUES ('example-power-sla', 'Example utility: service level', 'service_level', 'Example Power Co.',
        '2024-01-01', '2025-01-01');
INSERT INTO rule (rule_set, service, criterion, clause_en)
VALUES ('example-power-sla', 'electricity', 'lost_kw >= 10000 or duration >= 5 min', 'our own target');
SELECT label, (classify(i, 'example-power-sla')).outcome,
       (classify(i, 'example-power-sla')).explanation
FROM cases WHERE label LIKE 'power%';
-- validity [valid_from, valid_to) by the day in Japan
SELECT d, (classify(incident('electricity.supply', d, '1 h'), 'example-power-sla')).outcome
FROM unnest('{2023-12-31 23:59:59+09,2024-01-01 00:00:00+09,2024-12-31 23:59:59+09,2025-01-01 00:00:00+09,2024-12-31 15:00:00+00}'::timestamptz[]) AS d;
SELECT (classify(incident('electricity.supply', '2025-06-01', '1 h'), 'example-power-sla')).explanation;

-- Shipped rule sets are read-only
SELECT stmt, e.state, e.message, e.hint
FROM (VALUES ($$UPDATE ceptoar.rule SET criterion = 'any' WHERE rule_set = 'nisc-2009' AND service = 'gas.supply'$$),
             ($$DELETE FROM ceptoar.rule_set WHERE code = 'nisc-2009'$$),
             ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('nisc-2009', 'chemical', 'any')$$),
             ($$INSERT INTO ceptoar.rule_set (code, kind, shipped) VALUES ('mine', 'service_level', true)$$),
             ($$INSERT INTO ceptoar.rule_set (code, kind) VALUES ('bad code', 'service_level')$$),
             ($$INSERT INTO ceptoar.rule_set (code, kind) VALUES ('x', 'wish')$$),
             ($$INSERT INTO ceptoar.rule_set (code, kind, valid_from, valid_to) VALUES ('x', 'service_level', '2024-01-01', '2023-01-01')$$),
             ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('nowhere', 'gas', 'any')$$),
             ($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('example-power-sla', 'gas', 'households >')$$)) AS t(stmt),
LATERAL pg_temp.try(stmt) AS e \gx

-- Unknown rule set
SELECT e.* FROM pg_temp.try($$SELECT ceptoar.classify('service=gas.supply, began=2024-01-15'::ceptoar.incident, 'nisc-2099')$$) AS e \gx
SELECT e.* FROM pg_temp.try($$SELECT ceptoar.exceeds('service=gas.supply, began=2024-01-15'::ceptoar.incident, 'gas')$$) AS e \gx

-- The cache: a change in this session is seen at once, even inside a transaction that rolls back
SELECT exceeds('service=gas.supply, began=2024-06-01, households=5'::incident, 'example-power-sla') AS before;
BEGIN;
INSERT INTO rule (rule_set, service, criterion) VALUES ('example-power-sla', 'gas', 'households >= 5');
SELECT exceeds('service=gas.supply, began=2024-06-01, households=5'::incident, 'example-power-sla') AS inside;
ROLLBACK;
SELECT exceeds('service=gas.supply, began=2024-06-01, households=5'::incident, 'example-power-sla') AS after_rollback;

-- ... and a change committed by another session is seen by this session's next query
SELECT exceeds('service=electricity.supply, began=2024-06-01, lost_kw=20000, lasted=1 min'::incident, 'example-power-sla') AS cached_before;
\! psql -X -q -d contrib_regression -c "UPDATE ceptoar.rule SET criterion = 'lost_kw >= 50000' WHERE rule_set = 'example-power-sla'"
SELECT exceeds('service=electricity.supply, began=2024-06-01, lost_kw=20000, lasted=1 min'::incident, 'example-power-sla') AS after_other_session;
\! psql -X -q -d contrib_regression -c "DELETE FROM ceptoar.rule_set WHERE code = 'example-power-sla'"
SELECT e.message FROM pg_temp.try($$SELECT ceptoar.exceeds('service=gas.supply, began=2024-01-15'::ceptoar.incident, 'example-power-sla')$$) AS e;

-- The rules follow the statement's snapshot, as its own queries do.
-- READ COMMITTED inside a transaction block: a change another session commits is seen by
-- the next statement, by exceeds() and by a plain query alike (the cache was loaded and the
-- tables locked by this transaction before the change)
INSERT INTO rule_set (code, kind) VALUES ('moving-set', 'service_level');
INSERT INTO rule VALUES ('moving-set', 'gas', 'households >= 10');
BEGIN;
SELECT exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS before,
       (SELECT criterion FROM rule WHERE rule_set = 'moving-set') AS rule_before;
\! psql -X -q -d contrib_regression -c "UPDATE ceptoar.rule SET criterion = 'households >= 5' WHERE rule_set = 'moving-set'"
SELECT exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS after_commit,
       (classify('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set')).criterion,
       (SELECT criterion FROM rule WHERE rule_set = 'moving-set') AS plain_query;
COMMIT;

-- REPEATABLE READ: the transaction's snapshot, so a rule set committed meanwhile by another
-- session is unknown until the transaction ends, as it is to a plain query
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) AS rule_sets_in_snapshot FROM rule_set;
SELECT exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS in_snapshot;
\! psql -X -q -d contrib_regression -c "INSERT INTO ceptoar.rule_set (code, kind) VALUES ('late-set', 'service_level')" -c "INSERT INTO ceptoar.rule VALUES ('late-set', 'gas', 'households >= 1')" -c "UPDATE ceptoar.rule SET criterion = 'households >= 6' WHERE rule_set = 'moving-set'"
SELECT count(*) AS rule_sets_still_in_snapshot FROM rule_set;
SELECT exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS still_in_snapshot;
SELECT e.message FROM pg_temp.try($$SELECT ceptoar.exceeds('service=gas.supply, began=2024-01-15, households=2'::ceptoar.incident, 'late-set')$$) AS e;
COMMIT;
SELECT exceeds('service=gas.supply, began=2024-01-15, households=2'::incident, 'late-set') AS after_commit,
       exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS moved;

-- A cursor keeps the rules of its own snapshot, while later statements see the new ones
BEGIN;
DECLARE c CURSOR FOR
  SELECT g, exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set'),
         (SELECT criterion FROM rule WHERE rule_set = 'moving-set')
  FROM generate_series(1, 3) g;
FETCH 1 FROM c;
UPDATE rule SET criterion = 'households >= 1' WHERE rule_set = 'moving-set';
SELECT exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS own_change;
FETCH 1 FROM c;
SAVEPOINT s;
UPDATE rule SET criterion = 'households >= 100' WHERE rule_set = 'moving-set';
SELECT exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS in_savepoint;
ROLLBACK TO s;
SELECT exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS after_rollback_to;
FETCH 1 FROM c;
ROLLBACK;
SELECT exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS after_rollback;

-- Within one statement: a rule added and rolled back in a PL/pgSQL exception block (the
-- snapshot of the next statement may look the same, but the row is gone)
CREATE FUNCTION pg_temp.in_block() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  i ceptoar.incident := 'service=water.supply, began=2024-01-15';
  inside boolean;
BEGIN
  BEGIN
    INSERT INTO ceptoar.rule VALUES ('moving-set', 'water', 'any');
    inside := ceptoar.exceeds(i, 'moving-set');
    RAISE EXCEPTION 'undo';
  EXCEPTION WHEN raise_exception THEN
    RETURN format('inside %s, after %s', inside, coalesce(ceptoar.exceeds(i, 'moving-set')::text, 'NULL'));
  END;
END $$;
SELECT pg_temp.in_block();

-- Without the statement trigger (session_replication_role = replica: no trigger fires, no
-- invalidation is sent) a change is still seen, by the next statement
SET session_replication_role = replica;
UPDATE rule SET criterion = 'households >= 1' WHERE rule_set = 'moving-set';
SELECT exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS replica_change;
RESET session_replication_role;

-- In a parallel worker the rules are read with the leader's snapshot
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
UPDATE rule SET criterion = 'households >= 50' WHERE rule_set = 'moving-set';
SELECT exceeds('service=gas.supply, began=2024-01-15, households=5'::incident, 'moving-set') AS in_worker;
RESET force_parallel_mode;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
DELETE FROM rule_set WHERE code IN ('late-set', 'moving-set');

-- A rule set given by a variable: every call is looked up anew (PL/pgSQL evaluates a simple
-- expression with one state while the variable changes)
CREATE FUNCTION pg_temp.each_set() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  rs text;
  i ceptoar.incident := 'service=gas.supply, began=2024-01-15 09:00+09, households=30';
BEGIN
  FOREACH rs IN ARRAY ARRAY['nisc-2009', 'gas-report', 'telecom-2015'] LOOP
    RETURN NEXT format('%s: exceeds %s, classify %s by %s', rs, ceptoar.exceeds(i, rs),
                       (ceptoar.classify(i, rs)).outcome, (ceptoar.classify(i, rs)).rule_set);
  END LOOP;
END $$;
SELECT * FROM pg_temp.each_set();

-- Validity by the day in Japan, the same in exceeds() and classify() for every date:
-- beyond the timestamp range (year 294277 on), infinity, and the extremes of date
INSERT INTO rule_set (code, kind, valid_from, valid_to) VALUES
  ('far-future', 'service_level', '2024-01-01', '300000-01-01'),
  ('to-infinity', 'service_level', '-infinity', 'infinity'),
  ('from-infinity', 'service_level', '-infinity', '2024-01-01'),
  ('date-extremes', 'service_level', '4713-11-24 BC', '5874897-12-31'),
  ('timestamp-edge', 'service_level', '294276-12-31', '294277-01-01'),
  ('one-day', 'service_level', '2024-02-29', '2024-03-01'),
  ('year-1', 'service_level', '0001-01-01', '0001-01-02'),
  ('year-9999', 'service_level', '9999-12-31', '10000-01-01');
INSERT INTO rule SELECT code, 'gas', 'any' FROM rule_set
WHERE code IN ('far-future', 'to-infinity', 'from-infinity', 'date-extremes', 'timestamp-edge',
               'one-day', 'year-1', 'year-9999');
CREATE TEMP TABLE validity AS
SELECT r.ord, r.rs, b.began, exceeds(incident('gas.supply', b.began), r.rs) AS x,
       CASE (classify(incident('gas.supply', b.began), r.rs)).outcome
         WHEN 'exceeds' THEN true WHEN 'within' THEN false END AS c
FROM (VALUES (1, 'far-future'), (2, 'to-infinity'), (3, 'from-infinity'), (4, 'date-extremes'),
             (5, 'timestamp-edge'), (6, 'one-day'), (7, 'year-1'), (8, 'year-9999')) AS r(ord, rs),
     unnest('{0001-01-01 00:00:00+09, 0001-01-01 23:59:59.999999+09, 0001-01-02 00:00:00+09,
              2023-12-31 23:59:59.999999+09, 2024-01-01 00:00:00+09,
              2024-02-28 23:59:59.999999+09, 2024-02-29 00:00:00+09, 2024-02-29 23:59:59.999999+09,
              2024-03-01 00:00:00+09, 9999-12-31 00:00:00+09, 9999-12-31 23:59:59.999999+09}'::timestamptz[]) AS b(began);
-- one column per rule set, in the order above: T exceeds, . no verdict (outside the validity)
SELECT (began AT TIME ZONE 'JST-9')::text AS began_in_japan,
       string_agg(CASE WHEN x THEN 'T' WHEN NOT x THEN 'F' ELSE '.' END, '' ORDER BY ord)
         AS "far,inf,-inf,ext,edge,day,1,9999"
FROM validity GROUP BY began ORDER BY began;
SELECT count(*) AS cases, count(*) FILTER (WHERE x IS DISTINCT FROM c) AS disagreements FROM validity;
SELECT (classify(incident('gas.supply', '2024-01-01 00:00+09'), 'timestamp-edge')).explanation;
DELETE FROM rule_set WHERE code IN ('far-future', 'to-infinity', 'from-infinity', 'date-extremes',
                                    'timestamp-edge', 'one-day', 'year-1', 'year-9999');

-- NULL in, NULL out
SELECT classify(NULL::incident) IS NULL AS classify_strict, exceeds(NULL::incident) IS NULL AS exceeds_strict;
