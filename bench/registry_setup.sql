-- bench/registry_setup.sql: data of bench/registry.sh (run once in the bench database, after
-- bench/impact_setup.sql, which gives bench.u, bench.results and bench.time_ms).
--   bench.services         the services reported on, one operator each
--   bench.gen(n, fy0, fys) n reports, deterministic: the same rows on every run and machine
--   bench.plain_report, bench.plain_revision   the write path's plain tables (no triggers)
--   bench.plain_stats      annual_statistics' plain-column twin
CREATE TABLE bench.services (k int PRIMARY KEY, service ceptoar.service, operator text);
INSERT INTO bench.services VALUES
  (0, 'electricity.supply', 'op-electricity'), (1, 'gas.supply', 'op-gas'),
  (2, 'telecom.telecommunications', 'op-telecom'), (3, 'rail.passenger', 'op-rail'),
  (4, 'finance.bank.deposit', 'op-finance'), (5, 'water.supply', 'op-water'),
  (6, 'aviation.scheduled_flights', 'op-aviation');
INSERT INTO ceptoar.operator (code, name, sector)
  SELECT operator, operator, ceptoar.sector(service) FROM bench.services;

-- Report g: a service in turn, began anywhere in fiscal years fy0 .. fy0 + fys - 1 (Japan
-- time), about 20 % of each measure that applies to the service unknown, values on both sides of the thresholds, six
-- causes; 90 % incidents, 5 % near misses (with facts), 5 % threats (without), 2 % exercises.
CREATE FUNCTION bench.gen(n bigint, fy0 int, fys int)
  RETURNS TABLE (g bigint, operator text, kind text, incident ceptoar.incident,
                 detected timestamptz, reported timestamptz, exercise text, summary text)
  LANGUAGE sql STABLE AS $$
  SELECT g, s.operator, k.kind,
         CASE WHEN k.kind <> 'threat' THEN ceptoar.incident(s.service, b.began,
           CASE WHEN bench.u(g, 2) < 0.2 THEN NULL ELSE make_interval(secs => (bench.u(g, 3) * 36000)::int) END,
           'stop', (ARRAY['attack', 'failure', 'error', 'disaster', 'cascade', 'unknown'])[1 + (g % 6)::int],
           CASE WHEN bench.u(g, 4) < 0.2 THEN NULL ELSE (bench.u(g, 5) * 100000)::bigint END,
           CASE WHEN s.k <> 1 OR bench.u(g, 6) < 0.2 THEN NULL ELSE (bench.u(g, 7) * 60)::bigint END,
           CASE WHEN s.k <> 0 OR bench.u(g, 8) < 0.2 THEN NULL ELSE (bench.u(g, 9) * 200000)::bigint END,
           CASE WHEN s.k NOT IN (3, 6) OR bench.u(g, 10) < 0.2 THEN NULL ELSE (bench.u(g, 11) * 3)::bigint END) END,
         CASE WHEN bench.u(g, 12) < 0.1 THEN NULL ELSE b.began + bench.u(g, 13) * interval '1 hour' END,
         b.began + interval '1 hour' + bench.u(g, 14) * interval '2 hours',
         CASE WHEN bench.u(g, 15) < 0.02 THEN 'fy2008' END,
         'report ' || g
    FROM generate_series(1, n) AS g
    JOIN bench.services s ON s.k = (g % 7)::int
    CROSS JOIN LATERAL (SELECT make_date(fy0, 4, 1)::timestamp AT TIME ZONE 'Asia/Tokyo'
             + bench.u(g, 1) * (make_date(fy0 + fys, 4, 1) - make_date(fy0, 4, 1) - 1) * interval '1 day' AS began) b
    CROSS JOIN LATERAL (SELECT CASE WHEN bench.u(g, 16) < 0.05 THEN 'near_miss'
                                    WHEN bench.u(g, 16) < 0.10 THEN 'threat' ELSE 'incident' END AS kind) k
$$;

-- The write path without the registry: the same report rows (with the derived columns
-- given) and their first revision, the same keys, indexes and foreign keys, no triggers.
CREATE TABLE bench.plain_report (LIKE ceptoar.report INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
CREATE TABLE bench.plain_revision (LIKE ceptoar.report_revision INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
-- the same foreign keys as ceptoar.report and ceptoar.report_revision (LIKE copies none)
ALTER TABLE bench.plain_report ADD FOREIGN KEY (operator) REFERENCES ceptoar.operator (code) ON UPDATE CASCADE,
  ADD FOREIGN KEY (instance) REFERENCES ceptoar.service_instance (id),
  ADD FOREIGN KEY (exercise) REFERENCES ceptoar.exercises (code) ON UPDATE CASCADE;
ALTER TABLE bench.plain_revision ADD FOREIGN KEY (report) REFERENCES bench.plain_report (id),
  ADD FOREIGN KEY (operator) REFERENCES ceptoar.operator (code) ON UPDATE CASCADE,
  ADD FOREIGN KEY (instance) REFERENCES ceptoar.service_instance (id),
  ADD FOREIGN KEY (exercise) REFERENCES ceptoar.exercises (code) ON UPDATE CASCADE;

-- The derived columns as the registry's trigger sets them, written inline for a bulk load
-- with the triggers off (registry.sh checks them against the trigger's own on the write
-- path's rows).  The reports begin after 2009-02-03, so the plan in force is nisc-2009.
-- Used as: INSERT ... SELECT ..., :DERIVED FROM bench.gen(...) s JOIN ceptoar.operator o ...
-- annual_statistics' twin over plain columns, with the same index.
CREATE TABLE bench.plain_stats (
  sector_code text NOT NULL, fiscal_year int NOT NULL, kind text NOT NULL,
  is_exercise boolean NOT NULL, is_revoked boolean NOT NULL, cause text, level text,
  rule_set text, user_hours float8, delay interval, duration interval);
