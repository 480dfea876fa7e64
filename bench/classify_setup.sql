-- classify_setup.sql: data and competitors for bench/classify.sh
--
-- psql variables: rows (number of incidents).
-- Makes, in the current database (search_path = public, ceptoar):
--   inc        N incidents: one ceptoar.incident column plus the same facts
--              in plain columns, generated deterministically
--   rules      the nisc-2009 levels as a user would keep them without the
--              extension: one row of thresholds per service
--   exceeds_plpgsql(...)  the levels hard-coded in PL/pgSQL
--   services, service_rule
--              the catalogue of services as a plain table, and each one's
--              rule (nearest ancestor), resolved once
--   v_exceeds, v_classify, v_rules, v_case, v_plpgsql
--              one view per way of classifying: (tid, x) where x is true,
--              false or NULL (undetermined or no rule), like exceeds().
--              The planner flattens a view, so
--                SELECT count(*) FILTER (WHERE x) FROM v_case
--              runs exactly as the expression written out would.

\set ON_ERROR_STOP 1

-- ---------------------------------------------------------------------------
-- The incidents.
--
-- Services: every one nisc-2009 has a rule for, descendants that take their
-- parent's rule (telecom.telecommunications.voice, ...cable_tv), and
-- services and sector roots without a rule (chemical.production, rail, ...).
-- Measures are set only where the type allows them: households for
-- electricity, gas, water, broadcasting (and the telecom root); lost_kw for
-- electricity; cancelled for aviation, airport, rail, port.  Every measure is
-- unknown (NULL) in 15-25 % of the rows that may carry it, and the known
-- values fall on both sides of the thresholds (30,000 users, 2 h, 10 min,
-- 100,000 kW, 30 households, 1 cancellation).  About 4 % of the incidents
-- began before nisc-2009 took effect (2009-02-03), when it gives no verdict.
-- ---------------------------------------------------------------------------

CREATE TABLE inc (
  i          ceptoar.incident NOT NULL,
  service    text NOT NULL,
  effect     text NOT NULL,
  began      timestamptz NOT NULL,
  lasted     interval,
  cause      text NOT NULL,
  users      bigint,
  households bigint,
  lost_kw    bigint,
  cancelled  bigint,
  flags      text[] NOT NULL
);

INSERT INTO inc
SELECT ceptoar.incident(f.service::ceptoar.service, f.began, f.lasted, f.effect, f.cause,
                        f.users, f.households, f.lost_kw, f.cancelled, f.flags),
       f.*
FROM (
  SELECT
    s.service,
    (ARRAY['stop', 'stop', 'stop', 'stop', 'stop', 'stop', 'stop', 'stop',
           'degradation', 'degradation', 'degradation', 'degradation', 'degradation',
           'delay', 'delay', 'delay', 'delay', 'delay', 'loss', 'loss'])[1 + r.b % 20] AS effect,
    timestamptz '2008-06-01 00:00:00+09'
      + (r.c % (17 * 365 * 86400)) * interval '1 second' AS began,
    CASE WHEN r.d % 20 < 3 THEN NULL                                   -- 15 % unknown
         WHEN r.d % 20 < 8 THEN ((r.d / 20) % 86400) * interval '1 second'   -- up to a day
         ELSE ((r.d / 20) % 14400) * interval '1 second'                   -- up to 4 h
    END AS lasted,
    (ARRAY['attack', 'failure', 'error', 'disaster', 'cascade', 'unknown'])[1 + r.b / 20 % 6] AS cause,
    CASE WHEN r.e % 5 = 0 THEN NULL                                    -- 20 % unknown
         WHEN r.e % 5 = 1 THEN (r.e / 5) % 1000
         ELSE (r.e / 5) % 120000
    END AS users,
    CASE WHEN NOT (s.service LIKE ANY (ARRAY['electricity%', 'gas%', 'water%', 'telecom.broadcasting%'])
                   OR s.service = 'telecom') THEN NULL
         WHEN r.f % 4 = 0 THEN NULL                                    -- 25 % unknown
         ELSE (r.f / 4) % 100
    END AS households,
    CASE WHEN s.service NOT LIKE 'electricity%' THEN NULL
         WHEN r.g % 5 = 0 THEN NULL                                    -- 20 % unknown
         ELSE (r.g / 5) % 300000
    END AS lost_kw,
    CASE WHEN NOT (s.service LIKE ANY (ARRAY['aviation%', 'airport%', 'rail%', 'port%'])) THEN NULL
         WHEN r.g % 5 = 0 THEN NULL                                    -- 20 % unknown
         ELSE (r.g / 5) % 4
    END AS cancelled,
    array_remove(ARRAY[
      CASE WHEN r.h % 100 < CASE s.service WHEN 'government.administration' THEN 30 ELSE 1 END
           THEN 'rights_impaired' END,
      CASE WHEN r.h / 100 % 100 < CASE s.service WHEN 'water.supply' THEN 15 ELSE 1 END
           THEN 'water_quality' END,
      CASE WHEN r.h / 10000 % 100 < CASE s.service WHEN 'logistics.freight' THEN 20 ELSE 1 END
           THEN 'cargo_lost' END,
      CASE WHEN r.h / 1000000 % 100 < CASE s.service WHEN 'medical.records' THEN 30 ELSE 1 END
           THEN 'records_impaired' END], NULL) AS flags
  FROM generate_series(1, :rows) AS n,
       LATERAL (SELECT hashint8extended(n, 1) & 2147483647 AS a,
                       hashint8extended(n, 2) & 2147483647 AS b,
                       hashint8extended(n, 3) & 2147483647 AS c,
                       hashint8extended(n, 4) & 2147483647 AS d,
                       hashint8extended(n, 5) & 2147483647 AS e,
                       hashint8extended(n, 6) & 2147483647 AS f,
                       hashint8extended(n, 7) & 2147483647 AS g,
                       hashint8extended(n, 8) & 2147483647 AS h) AS r,
       LATERAL (SELECT (ARRAY[
         'telecom.telecommunications', 'telecom.telecommunications.voice',
         'telecom.telecommunications.data', 'telecom.telecommunications.emergency_voice',
         'telecom.broadcasting', 'telecom.broadcasting.cable_tv', 'telecom',
         'finance.bank.deposit', 'finance.bank.lending', 'finance.bank.remittance', 'finance.bank',
         'finance.life_insurance.claims', 'finance.nonlife_insurance.claims',
         'finance.securities.custody', 'finance.securities.trading',
         'aviation.scheduled_flights', 'airport.operations', 'rail.passenger', 'rail',
         'electricity.supply', 'gas.supply', 'government.administration', 'medical.records',
         'water.supply', 'logistics.freight',
         'chemical.production', 'credit.card_payment', 'petroleum.supply',
         'port.terminal_operations'])[1 + r.a % 29] AS service) AS s
) AS f;

VACUUM (FREEZE, ANALYZE) inc;

-- ---------------------------------------------------------------------------
-- 1. The extension: the shipped rule set, cached and evaluated in C.
-- ---------------------------------------------------------------------------

CREATE VIEW v_exceeds AS
SELECT i.ctid AS tid, ceptoar.exceeds(i.i) AS x
FROM inc i;

-- classify(): the whole verdict (outcome, rule, clause, criterion and the
-- explanation, a sentence) for every row; x as exceeds() gives it.
CREATE VIEW v_classify AS
SELECT i.ctid AS tid,
       CASE (ceptoar.classify(i.i)).outcome WHEN 'exceeds' THEN true WHEN 'within' THEN false END AS x
FROM inc i;

-- ---------------------------------------------------------------------------
-- 2. Data-driven SQL: what a user would write without the extension.  The
-- levels are rows of a table; a service without a row of its own takes the
-- row of its nearest ancestor (longest prefix of the dotted code); a rule is
-- met when its flag is set, or when every threshold given is met (a NULL
-- column is no condition; effects NULL = any effect, '{}' = none).  An
-- unknown measure makes its comparison NULL and SQL's AND/OR do the rest.
-- ---------------------------------------------------------------------------

CREATE TABLE rules (
  service        text PRIMARY KEY,
  min_users      bigint,
  min_duration   interval,
  min_kw         bigint,
  min_households bigint,
  min_cancelled  bigint,
  effects        text[],
  flag           text
);

INSERT INTO rules (service, min_users, min_duration, min_kw, min_households, min_cancelled, effects, flag) VALUES
  ('telecom.telecommunications',       30000, '2 hours',    NULL, NULL, NULL, NULL, NULL),
  ('telecom.broadcasting',             NULL, NULL,          NULL, NULL, NULL, '{stop}', NULL),
  ('finance.bank.deposit',             NULL, NULL,          NULL, NULL, NULL, '{stop,delay}', NULL),
  ('finance.bank.lending',             NULL, NULL,          NULL, NULL, NULL, '{stop,delay}', NULL),
  ('finance.bank.remittance',          NULL, NULL,          NULL, NULL, NULL, '{stop,delay}', NULL),
  ('finance.life_insurance.claims',    NULL, NULL,          NULL, NULL, NULL, '{stop,delay}', NULL),
  ('finance.nonlife_insurance.claims', NULL, NULL,          NULL, NULL, NULL, '{stop,delay}', NULL),
  ('finance.securities.custody',       NULL, NULL,          NULL, NULL, NULL, '{stop,delay}', NULL),
  ('finance.securities.trading',       NULL, NULL,          NULL, NULL, NULL, '{stop,delay}', NULL),
  ('aviation.scheduled_flights',       NULL, NULL,          NULL, NULL, 1,    NULL, NULL),
  ('rail.passenger',                   NULL, NULL,          NULL, NULL, 1,    NULL, NULL),
  ('electricity.supply',               NULL, '10 minutes',  100000, NULL, NULL, NULL, NULL),
  ('gas.supply',                       NULL, NULL,          NULL, 30,   NULL, NULL, NULL),
  ('government.administration',        NULL, NULL,          NULL, NULL, NULL, '{}', 'rights_impaired'),
  ('medical.records',                  NULL, NULL,          NULL, NULL, NULL, '{}', 'records_impaired'),
  ('water.supply',                     NULL, NULL,          NULL, NULL, NULL, '{stop,degradation}', 'water_quality'),
  ('logistics.freight',                NULL, NULL,          NULL, NULL, NULL, '{stop}', 'cargo_lost');
ANALYZE rules;

-- The nearest ancestor is resolved once per service, not once per row: the
-- catalogue of services (a plain copy of ceptoar.services, as a user would
-- keep one) joined with its rule by longest prefix, kept in a small table
-- (service -> rule).  The query joins it to the incidents with a hash join.
-- (The bench until 0.5 looked the rule up with a LATERAL longest-prefix
-- subquery under a Memoize node: 21-26 % slower than this.)
CREATE TABLE services (code text PRIMARY KEY);
INSERT INTO services SELECT code::text FROM ceptoar.services;

CREATE TABLE service_rule AS
SELECT c.code AS service, r.min_users, r.min_duration, r.min_kw, r.min_households,
       r.min_cancelled, r.effects, r.flag
FROM services c
CROSS JOIN LATERAL (
  SELECT r.*
  FROM rules r
  WHERE c.code = r.service OR c.code LIKE r.service || '.%'
  ORDER BY length(r.service) DESC
  LIMIT 1
) r;
ALTER TABLE service_rule ADD PRIMARY KEY (service);
ANALYZE services, service_rule;

CREATE VIEW v_rules AS
SELECT i.ctid AS tid,
       CASE WHEN r.service IS NULL OR i.began < timestamptz '2009-02-03 00:00:00+09' THEN NULL
            ELSE (r.flag IS NOT NULL AND i.flags @> ARRAY[r.flag])
                 OR ((r.effects IS NULL OR i.effect = ANY (r.effects))
                     AND (r.min_users IS NULL OR i.users >= r.min_users)
                     AND (r.min_duration IS NULL OR i.lasted >= r.min_duration)
                     AND (r.min_kw IS NULL OR i.lost_kw >= r.min_kw)
                     AND (r.min_households IS NULL OR i.households >= r.min_households)
                     AND (r.min_cancelled IS NULL OR i.cancelled >= r.min_cancelled))
       END AS x
FROM inc i
LEFT JOIN service_rule r ON r.service = i.service;

-- ---------------------------------------------------------------------------
-- 3. The levels hard-coded in a CASE over the plain columns.
-- ---------------------------------------------------------------------------

CREATE VIEW v_case AS
SELECT i.ctid AS tid,
       CASE
         WHEN i.began < timestamptz '2009-02-03 00:00:00+09' THEN NULL
         WHEN i.service = 'telecom.telecommunications' OR i.service LIKE 'telecom.telecommunications.%'
           THEN i.users >= 30000 AND i.lasted >= interval '2 hours'
         WHEN i.service = 'telecom.broadcasting' OR i.service LIKE 'telecom.broadcasting.%'
           THEN i.effect = 'stop'
         WHEN i.service IN ('finance.bank.deposit', 'finance.bank.lending', 'finance.bank.remittance',
                            'finance.life_insurance.claims', 'finance.nonlife_insurance.claims',
                            'finance.securities.custody', 'finance.securities.trading')
           THEN i.effect IN ('stop', 'delay')
         WHEN i.service IN ('aviation.scheduled_flights', 'rail.passenger')
           THEN i.cancelled >= 1
         WHEN i.service = 'electricity.supply'
           THEN i.lost_kw >= 100000 AND i.lasted >= interval '10 minutes'
         WHEN i.service = 'gas.supply' THEN i.households >= 30
         WHEN i.service = 'government.administration' THEN 'rights_impaired' = ANY (i.flags)
         WHEN i.service = 'medical.records' THEN 'records_impaired' = ANY (i.flags)
         WHEN i.service = 'water.supply'
           THEN 'water_quality' = ANY (i.flags) OR i.effect IN ('stop', 'degradation')
         WHEN i.service = 'logistics.freight'
           THEN 'cargo_lost' = ANY (i.flags) OR i.effect = 'stop'
       END AS x
FROM inc i;

-- ---------------------------------------------------------------------------
-- 4. The same, as a PL/pgSQL function of the plain columns.
-- ---------------------------------------------------------------------------

CREATE FUNCTION exceeds_plpgsql(service text, effect text, began timestamptz, lasted interval,
                                users bigint, households bigint, lost_kw bigint,
                                cancelled bigint, flags text[])
  RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF began < timestamptz '2009-02-03 00:00:00+09' THEN
    RETURN NULL;
  ELSIF service = 'telecom.telecommunications' OR service LIKE 'telecom.telecommunications.%' THEN
    RETURN users >= 30000 AND lasted >= interval '2 hours';
  ELSIF service = 'telecom.broadcasting' OR service LIKE 'telecom.broadcasting.%' THEN
    RETURN effect = 'stop';
  ELSIF service IN ('finance.bank.deposit', 'finance.bank.lending', 'finance.bank.remittance',
                    'finance.life_insurance.claims', 'finance.nonlife_insurance.claims',
                    'finance.securities.custody', 'finance.securities.trading') THEN
    RETURN effect IN ('stop', 'delay');
  ELSIF service IN ('aviation.scheduled_flights', 'rail.passenger') THEN
    RETURN cancelled >= 1;
  ELSIF service = 'electricity.supply' THEN
    RETURN lost_kw >= 100000 AND lasted >= interval '10 minutes';
  ELSIF service = 'gas.supply' THEN
    RETURN households >= 30;
  ELSIF service = 'government.administration' THEN
    RETURN 'rights_impaired' = ANY (flags);
  ELSIF service = 'medical.records' THEN
    RETURN 'records_impaired' = ANY (flags);
  ELSIF service = 'water.supply' THEN
    RETURN 'water_quality' = ANY (flags) OR effect IN ('stop', 'degradation');
  ELSIF service = 'logistics.freight' THEN
    RETURN 'cargo_lost' = ANY (flags) OR effect = 'stop';
  END IF;
  RETURN NULL;
END
$$;

CREATE VIEW v_plpgsql AS
SELECT i.ctid AS tid,
       exceeds_plpgsql(i.service, i.effect, i.began, i.lasted, i.users, i.households,
                       i.lost_kw, i.cancelled, i.flags) AS x
FROM inc i;
