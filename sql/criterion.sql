-- criterion.sql: type ceptoar.criterion: the language, its canonical form,
-- syntax errors with positions, and three-valued evaluation.
SET client_min_messages = warning;
SET search_path = public, ceptoar;

\i sql/try.psql

-- Canonical text: the issue's examples and a few harder ones; output parses to the same value
SELECT input, input::criterion AS canonical, input::criterion::text::criterion = input::criterion AS stable
FROM (VALUES ('users >= 30000 and duration >= 2 h'), ('lost_kw >= 100000 and duration >= 10 min'),
             ('households >= 30'), ('cancelled >= 1'), ('effect in (stop, delay)'),
             ('water_quality or effect in (stop, degradation)'), ('any'),
             ('USERS>=30_000 AND DURATION>=120min'), ('duration >= 1 d 2 h'), ('duration < 90 s'),
             ('not not any'), ('not (users > 5 or households <> 3)')) AS t(input);
SELECT '(users >= 30000 and duration >= 2 h) or (users >= 100000 and duration >= 1 h)'::criterion AS or_of_ands,
       'users >= 1 and (households >= 1 or lost_kw >= 1)'::criterion AS and_of_or,
       'users >= 1 or (households >= 1 or lost_kw >= 1)'::criterion AS right_nested_or,
       'effect in (delay, stop, stop)'::criterion AS effect_set;

-- Syntax errors point at the offending position
SELECT input, e.*
FROM (VALUES ('users >= '), ('users => 5'), ('users >= 5 h'), ('duration >= 2'), ('duration >= 2 weeks'),
             ('effect in (stop, boom)'), ('effect = stop'), ('(users >= 1'), ('users >= 1)'),
             ('users >= 1 and'), ('water'), (''), ('users >= 99999999999999999999'),
             (repeat('(', 70) || 'any' || repeat(')', 70))) AS t(input),
LATERAL pg_temp.try(format('SELECT %L::ceptoar.criterion', input)) AS e \gx

-- Kleene logic: unknown measures make comparisons unknown (NULL), not false
SELECT c, i, evaluate(c::criterion, i::incident)
FROM (VALUES ('users >= 30000'), ('users >= 30000 and duration >= 2 h'),
             ('users >= 30000 or duration >= 2 h'), ('not users >= 30000'),
             ('users >= 30000 and effect in (delay)'), ('users >= 30000 or effect in (stop)'),
             ('any'), ('rights_impaired'), ('not rights_impaired')) AS cs(c),
     (VALUES ('service=telecom.telecommunications, began=2024-01-15 09:00, users=30000, lasted=1 h 59 min'),
             ('service=telecom.telecommunications, began=2024-01-15 09:00, lasted=2 h'),
             ('service=telecom.telecommunications, began=2024-01-15 09:00, users=29999')) AS ins(i)
ORDER BY c, i;

-- Binary round trip
CREATE TEMP TABLE crit_src (c criterion);
INSERT INTO crit_src VALUES ('users >= 30000 and duration >= 2 h'), ('water_quality or effect in (stop, degradation)'), ('not any');
CREATE TEMP TABLE crit_dst (c criterion);
\copy crit_src TO 'results/criterion.bin' WITH (FORMAT binary)
\copy crit_dst FROM 'results/criterion.bin' WITH (FORMAT binary)
SELECT count(*) AS rows, bool_and(EXISTS (SELECT 1 FROM crit_src s WHERE s.c = d.c)) AS all_equal FROM crit_dst d;

-- Nesting: at most 64 levels of "(" and "not" together, refused cleanly beyond
-- (110,000 "not"s once ran the parser out of stack and crashed the server)
SELECT n, e.state, e.message, e.detail
FROM (VALUES (64), (65), (110000)) AS t(n),
LATERAL pg_temp.try(format('SELECT %L::ceptoar.criterion', repeat('not ', n) || 'any')) AS e;
SELECT (repeat('not (', 32) || 'any' || repeat(')', 32))::criterion IS NOT NULL AS deepest_ok;
SELECT e.state, e.message FROM pg_temp.try(format('SELECT %L::ceptoar.criterion',
  repeat('not (', 32) || 'not any' || repeat(')', 32))) AS e;
-- the same through binary input: a bytea field (version byte 1, then the text) read back
-- by COPY FROM ... binary as a criterion
CREATE TEMP TABLE deep_src (b bytea);
INSERT INTO deep_src VALUES ('\x01'::bytea || convert_to(repeat('not ', 110000) || 'any', 'UTF8'));
\copy deep_src TO 'results/criterion_deep.bin' WITH (FORMAT binary)
CREATE TEMP TABLE deep_dst (c criterion);
\copy deep_dst FROM 'results/criterion_deep.bin' WITH (FORMAT binary)
SELECT count(*) AS loaded FROM deep_dst;

-- An error's detail never cuts a character in half, and counts characters, not bytes
SELECT e.detail FROM pg_temp.try($$SELECT 'あいうえおかきくけこ'::ceptoar.criterion$$) AS e;
SELECT e.detail FROM pg_temp.try($$SELECT 'users >= 1 and 停電'::ceptoar.criterion$$) AS e;
