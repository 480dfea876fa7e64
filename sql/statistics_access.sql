-- statistics_access.sql: the statistics for every party (issue 13, section 5): cells of
-- fewer than k reports (ceptoar.statistics_min_reports, default 3) hidden from the public and
-- from every party but NISC for the sectors not its own, with complementary suppression; the
-- setting superuser-only.  FY2025, sectors gas (METI) and rail (MLIT); rolled back.
SET client_min_messages = warning;
SET search_path = public, ceptoar;
SET TimeZone = 'UTC';
\set ON_ERROR_ROLLBACK on
BEGIN;
CREATE ROLE regress_stat_public;
CREATE ROLE regress_stat_meti;
CREATE ROLE regress_stat_mlit;
CREATE ROLE regress_stat_gasop;
CREATE ROLE regress_stat_gas_ceptoar;
CREATE ROLE regress_stat_nisc;
CREATE ROLE regress_stat_nobody;
INSERT INTO operator (code, name, sector, ceptoar) VALUES
  ('stat-gas', 'Gas Co', 'gas', 'gas'), ('stat-rail', 'Rail Co', 'rail', 'rail');
SELECT register_party('regress_stat_public', 'public'), register_party('regress_stat_meti', 'ministry', 'meti'),
       register_party('regress_stat_mlit', 'ministry', 'mlit'), register_party('regress_stat_gasop', 'operator', 'stat-gas'),
       register_party('regress_stat_gas_ceptoar', 'ceptoar', 'gas'), register_party('regress_stat_nisc', 'nisc');

-- gas: failure 5, error 4, attack 1 (all within); rail: error 3, failure 3, attack 2
INSERT INTO report (operator, incident, detected, reported)
SELECT 'stat-gas', format('service=gas.supply, began=2025-06-%s 10:00+09, households=10, lasted=1 h, cause=%s', to_char(1 + g, 'FM00'), c)::incident,
       format('2025-06-%s 10:05+09', to_char(1 + g, 'FM00'))::timestamptz, format('2025-06-%s 10:30+09', to_char(1 + g, 'FM00'))::timestamptz
  FROM (VALUES ('failure', 5), ('error', 4), ('attack', 1)) v(c, n), generate_series(1, n) g;
INSERT INTO report (operator, incident, detected, reported)
SELECT 'stat-rail', format('service=rail.passenger, began=2025-07-%s 07:00+09, cancelled=0, lasted=10 min, cause=%s', to_char(1 + g, 'FM00'), c)::incident,
       format('2025-07-%s 07:05+09', to_char(1 + g, 'FM00'))::timestamptz, format('2025-07-%s 07:30+09', to_char(1 + g, 'FM00'))::timestamptz
  FROM (VALUES ('error', 3), ('failure', 3), ('attack', 2)) v(c, n), generate_series(1, n) g;
-- one near miss in gas: a part of 1 in annual_exclusions
INSERT INTO report (operator, kind, incident, reported) VALUES
  ('stat-gas', 'near_miss', 'service=gas.supply, began=2025-08-01 10:00+09', '2025-08-01 11:00+09');

CREATE FUNCTION pg_temp.cells() RETURNS TABLE (sector text, cause text, incidents bigint, suppressed boolean)
  LANGUAGE sql AS $$SELECT sector::text, cause, incidents, suppressed FROM ceptoar.annual_statistics(2025)
                     WHERE sector IN ('gas', 'rail') ORDER BY sector, cause$$;
GRANT EXECUTE ON FUNCTION pg_temp.cells() TO PUBLIC;
CREATE FUNCTION pg_temp.parts() RETURNS TABLE (sector text, reports bigint, counted bigint, near_misses bigint, suppressed boolean)
  LANGUAGE sql AS $$SELECT sector::text, reports, counted, near_misses, suppressed FROM ceptoar.annual_exclusions(2025)
                     WHERE sector IN ('gas', 'rail') ORDER BY sector$$;
GRANT EXECUTE ON FUNCTION pg_temp.parts() TO PUBLIC;

-- the owner (here a superuser) sees every figure
SELECT * FROM pg_temp.cells();
SELECT * FROM pg_temp.parts();
-- the public: attack (1) hidden, and error (4), the smallest other cell, so that gas's
-- counted (10) minus failure (5) gives neither back; rail: attack (2) and error (3, the first
-- of the two smallest by cause); the gas near miss (1) and with it gas's total
SET ROLE regress_stat_public;
SELECT * FROM pg_temp.cells();
SELECT * FROM pg_temp.parts();
-- the setting is not the parties' to lower
SET ceptoar.statistics_min_reports = 1;
-- METI sees gas, its sector, whole, and rail as the public does; MLIT the other way round
SET ROLE regress_stat_meti;
SELECT * FROM pg_temp.cells();
SELECT * FROM pg_temp.parts();
SET ROLE regress_stat_mlit;
SELECT * FROM pg_temp.cells();
-- an operator and a CEPTOAR see their sector whole
SET ROLE regress_stat_gasop;
SELECT * FROM pg_temp.cells();
SET ROLE regress_stat_gas_ceptoar;
SELECT * FROM pg_temp.cells();
-- NISC sees everything; a role that is no party, nothing
SET ROLE regress_stat_nisc;
SELECT count(*) AS cells, count(*) FILTER (WHERE suppressed) AS hidden FROM pg_temp.cells();
SET ROLE regress_stat_nobody;
SELECT count(*) AS cells FROM pg_temp.cells();
SELECT count(*) AS parts FROM pg_temp.parts();
RESET ROLE;

-- k on both sides of rail's failure (3): at k = 3 it is shown, at k = 4 every rail cell is
-- hidden (3, 3 and 2 are all below); at k = 1 nothing is
SET LOCAL ceptoar.statistics_min_reports = 4;
SET ROLE regress_stat_public;
SELECT * FROM pg_temp.cells() WHERE sector = 'rail';
RESET ROLE;
SET LOCAL ceptoar.statistics_min_reports = 1;
SET ROLE regress_stat_public;
SELECT count(*) FILTER (WHERE suppressed) AS hidden FROM pg_temp.cells();
RESET ROLE;
ROLLBACK;
\set ON_ERROR_ROLLBACK off
