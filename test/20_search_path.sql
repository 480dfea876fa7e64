-- 20_search_path.sql: a hostile search_path cannot redirect what the extension runs.
-- A schema placed before pg_catalog shadows the operators and functions our SQL and
-- SPI queries use with versions that raise; every call must still work.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS ceptoar_registry CASCADE;
SELECT plan(9);

CREATE SCHEMA regress_evil;
CREATE FUNCTION regress_evil.trap_tt(text, text) RETURNS boolean LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'trapped: text = text'; END $$;
CREATE OPERATOR regress_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = regress_evil.trap_tt);
CREATE FUNCTION regress_evil.trap_ii(integer, integer) RETURNS integer LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'trapped: integer - integer'; END $$;
CREATE OPERATOR regress_evil.- (LEFTARG = integer, RIGHTARG = integer, FUNCTION = regress_evil.trap_ii);
CREATE FUNCTION regress_evil.trap_bb(bigint, bigint) RETURNS boolean LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'trapped: bigint = bigint'; END $$;
CREATE OPERATOR regress_evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = regress_evil.trap_bb);
CREATE FUNCTION regress_evil.date_part(text, timestamp) RETURNS double precision LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'trapped: date_part'; END $$;
CREATE FUNCTION regress_evil.date_part(text, date) RETURNS double precision LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'trapped: date_part'; END $$;
CREATE FUNCTION regress_evil.coalesce_trap() RETURNS void LANGUAGE sql AS 'SELECT NULL';

-- a user rule set, so the rule cache is (re)loaded under the hostile path
INSERT INTO ceptoar.rule_set (code, kind) VALUES ('regress-sla', 'service_level');
INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('regress-sla', 'gas', 'households >= 1');
INSERT INTO ceptoar.operator (code, name, sector) VALUES ('p', 'P', 'electricity'), ('g', 'G', 'gas');
INSERT INTO ceptoar.service_instance (id, service, operator, population) VALUES
  (1, 'electricity.supply', 'p', 10), (2, 'gas.supply', 'g', 5);
INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (2, 1, '1 hour');

-- pgTAP itself is not search_path-proof, so the calls run first and the checks after.
SET LOCAL search_path = regress_evil, pg_catalog, ceptoar, public;
CREATE TEMP TABLE got AS SELECT
  ceptoar.fiscal_year('2024-03-31 15:00+00'::timestamptz) AS fy_ts,
  ceptoar.fiscal_year('2024-03-31'::date) AS fy_date,
  ceptoar.exceeds('service=gas.supply, began=2024-01-15, households=2'::ceptoar.incident, 'regress-sla') AS exceeds,
  (ceptoar.classify('service=gas.supply, began=2024-01-15, households=30'::ceptoar.incident)).outcome AS outcome,
  (SELECT count(*) FROM ceptoar.impact(1::bigint, '2024-01-15 09:00+09', '2 hours')) AS impact_rows,
  (SELECT count(*) FROM ceptoar.impact_timeline(1::bigint, '2024-01-15 09:00+09', '2 hours')) AS timeline_rows,
  (SELECT count(*) FROM ceptoar.sector_impact('electricity', '2 hours')) AS sector_rows,
  (SELECT count(*) FROM ceptoar.sectors_on('2024-04-01')) AS sectors;
UPDATE ceptoar.rule SET criterion = 'households >= 2' WHERE rule_set OPERATOR(pg_catalog.=) 'regress-sla';
SET LOCAL search_path = public;

SELECT is(fy_ts, 2024, 'fiscal_year(timestamptz) under a hostile search_path') FROM got;
SELECT is(fy_date, 2023, 'fiscal_year(date)') FROM got;
SELECT is(exceeds, true, 'exceeds loads the rules') FROM got;
SELECT is(outcome, 'exceeds', 'classify') FROM got;
SELECT is(impact_rows, 2::bigint, 'impact loads the graph') FROM got;
SELECT is(timeline_rows, 4::bigint, 'impact_timeline') FROM got;
SELECT is(sector_rows, 5::bigint, 'sector_impact') FROM got;
SELECT is(sectors, 15::bigint, 'sectors_on') FROM got;
SELECT is((SELECT criterion::text FROM ceptoar.rule WHERE rule_set = 'regress-sla'), 'households >= 2',
          'the rule guard trigger ran under the hostile path');

SELECT * FROM finish();
ROLLBACK;
