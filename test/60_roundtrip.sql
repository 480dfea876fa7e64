-- test/60_roundtrip.sql: round trips across the whole range, as a property test.
-- Random values of every type, extremes included (setseed: a failure reproduces):
--   * the literal reads as the value it was generated from;
--   * the value prints text that reads back equal (same bytes on the wire), and
--     prints the same text again;
--   * its binary form (COPY ... FORMAT binary: typsend, then typreceive) reads
--     back equal;
--   * a criterion means what its text says: evaluate() agrees, on random
--     incidents, with the same tree written as a SQL expression, whose AND, OR
--     and NOT on NULL are Kleene's logic too.
-- The binary round trips write a file into the data directory, so they need a
-- superuser (or pg_write_server_files and pg_read_server_files); they are skipped
-- otherwise.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS ceptoar_registry CASCADE;
SET LOCAL search_path = public, ceptoar;
SET LOCAL client_min_messages = warning;

SELECT plan(22);
DO $$ BEGIN PERFORM setseed(0.6060); END $$;

-- ---------------------------------------------------------------------------
-- Random helpers

-- uniform in [lo, hi], exact over the whole bigint range
CREATE FUNCTION pg_temp.rnd(lo numeric, hi numeric) RETURNS numeric LANGUAGE sql AS $$
  SELECT lo + mod(floor(random() * 4294967296)::numeric * 4294967296 * 4294967296
                  + floor(random() * 4294967296)::numeric * 4294967296
                  + floor(random() * 4294967296)::numeric, hi - lo + 1)
$$;

-- like rnd, but a third of the time an end of the range or close to one
CREATE FUNCTION pg_temp.rnd_extreme(lo numeric, hi numeric) RETURNS numeric LANGUAGE sql AS $$
  SELECT CASE floor(random() * 9)::int
           WHEN 0 THEN lo
           WHEN 1 THEN hi
           WHEN 2 THEN least(hi, lo + pg_temp.rnd(0, 1000))
           WHEN 3 THEN greatest(lo, hi - pg_temp.rnd(0, 1000))
           WHEN 4 THEN least(hi, lo + pg_temp.rnd(0, 100000000))
           ELSE pg_temp.rnd(lo, hi)
         END
$$;

CREATE FUNCTION pg_temp.pick(VARIADIC a text[]) RETURNS text LANGUAGE sql AS $$
  SELECT a[1 + floor(random() * cardinality(a))::int]
$$;

-- blanks around a literal: ASCII, tabs, the ideographic space
CREATE FUNCTION pg_temp.pad(s text) RETURNS text LANGUAGE sql AS $$
  SELECT pg_temp.pick('', '', '', ' ', E'\t', U&'\3000', ' ' || U&'\3000')
         || s || pg_temp.pick('', '', '', ' ', E'\n', U&'\3000')
$$;

-- random letter case of ASCII words
CREATE FUNCTION pg_temp.cased(s text) RETURNS text LANGUAGE sql AS $$
  SELECT CASE floor(random() * 4)::int WHEN 0 THEN upper(s) WHEN 1 THEN initcap(s) ELSE s END
$$;

-- 30000 as "30000" or "30_000"
CREATE FUNCTION pg_temp.count_text(n numeric) RETURNS text LANGUAGE sql AS $$
  SELECT CASE WHEN random() < 0.2 AND n >= 1000
              THEN regexp_replace(n::text, '(\d)(?=(\d{3})+$)', '\1_', 'g')
              ELSE n::text END
$$;

-- a duration of usec microseconds, in one of the spellings the parsers read
CREATE FUNCTION pg_temp.duration_text(usec numeric) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  d numeric := div(usec, 86400000000);
  h numeric := div(mod(usec, 86400000000), 3600000000);
  m numeric := div(mod(usec, 3600000000), 60000000);
  s numeric := mod(usec, 60000000);
  secs text := div(s, 1000000) || CASE WHEN mod(s, 1000000) = 0 THEN ''
                                        ELSE '.' || lpad(mod(s, 1000000)::text, 6, '0') END;
BEGIN
  IF random() < 0.3 THEN
    RETURN div(usec, 1000000) || CASE WHEN mod(usec, 1000000) = 0 THEN ''
                                      ELSE '.' || lpad(mod(usec, 1000000)::text, 6, '0') END
           || pg_temp.pick(' s', 's', ' sec', ' SECONDS');
  END IF;
  RETURN concat_ws(' ',
    CASE WHEN d > 0 THEN d || pg_temp.pick(' d', 'd', ' day', ' days', ' D') END,
    CASE WHEN h > 0 THEN h || pg_temp.pick(' h', 'h', ' hr', ' hours', ' Hour') END,
    CASE WHEN m > 0 THEN m || pg_temp.pick(' min', 'min', ' mins', ' minutes') END,
    CASE WHEN s > 0 OR usec = 0 THEN secs || pg_temp.pick(' s', ' secs', ' second') END);
END
$$;

-- binary round trip of table src through a COPY file into dst (same columns)
CREATE FUNCTION pg_temp.copy_binary(src text, dst text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  f text := current_setting('data_directory') || '/ceptoar_60_roundtrip.bin';
BEGIN
  EXECUTE format('COPY %I TO %L (FORMAT binary)', src, f);
  EXECUTE format('COPY %I FROM %L (FORMAT binary)', dst, f);
  EXECUTE format('COPY (SELECT) TO %L', f);         -- leave an empty file, not the values
END
$$;

CREATE FUNCTION pg_temp.can_copy() RETURNS boolean LANGUAGE sql AS $$
  SELECT rolsuper OR (pg_has_role(current_user, 'pg_write_server_files', 'USAGE')
                      AND pg_has_role(current_user, 'pg_read_server_files', 'USAGE')
                      AND pg_has_role(current_user, 'pg_read_all_settings', 'USAGE'))
  FROM pg_roles WHERE rolname = current_user
$$;

-- pgTAP: no failing rows of query q (shows the first few), or a skip
CREATE FUNCTION pg_temp.none(q text, description text, needs_copy boolean DEFAULT false)
  RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  IF needs_copy AND NOT pg_temp.can_copy() THEN
    RETURN skip('COPY to a server file needs a superuser', 1);
  END IF;
  EXECUTE format('SELECT string_agg(x::text, E''\n'') FROM (SELECT x FROM (%s) x LIMIT 5) x', q) INTO bad;
  RETURN is(bad, NULL, description);
END
$$;

-- ---------------------------------------------------------------------------
-- sector: every sector, spelled every way input reads it

CREATE TEMP TABLE rt_sector AS
SELECT g AS id, s.code AS expect,
       pg_temp.pad(CASE floor(random() * 3)::int
                     WHEN 0 THEN s.code::text
                     WHEN 1 THEN pg_temp.cased(s.code::text)
                     ELSE s.name_ja END) AS literal
FROM generate_series(1, 2000) g
CROSS JOIN LATERAL (SELECT code, name_ja FROM sectors
                    ORDER BY random() + g * 0 LIMIT 1) s;
ALTER TABLE rt_sector ADD COLUMN v sector;
UPDATE rt_sector SET v = literal::sector;

SELECT pg_temp.none($$SELECT id, literal, v, expect FROM rt_sector WHERE v IS DISTINCT FROM expect$$,
                    'sector: 2,000 random spellings read as the sector they spell');
SELECT pg_temp.none($$SELECT id, v FROM rt_sector
                      WHERE v::text::sector <> v OR v::text::sector::text <> v::text
                         OR sector_send(v::text::sector) <> sector_send(v)$$,
                    'sector: text reads back equal and prints the same');
CREATE TEMP TABLE rt_sector_src AS SELECT id, v FROM rt_sector;
CREATE TEMP TABLE rt_sector_bin (id int, v sector);
DO $$ BEGIN IF pg_temp.can_copy() THEN PERFORM pg_temp.copy_binary('rt_sector_src', 'rt_sector_bin'); END IF; END $$;
SELECT pg_temp.none($$SELECT a.id, a.v, b.v FROM rt_sector_src a LEFT JOIN rt_sector_bin b USING (id)
                      WHERE b.v IS DISTINCT FROM a.v$$,
                    'sector: binary COPY reads back equal', true);

-- ---------------------------------------------------------------------------
-- service: every catalogue entry, sector roots included

CREATE TEMP TABLE rt_service AS
SELECT g AS id, s.code AS expect,
       pg_temp.pad(CASE WHEN random() < 0.7 THEN s.code::text ELSE pg_temp.cased(s.code::text) END)
         AS literal
FROM generate_series(1, 3000) g
CROSS JOIN LATERAL (SELECT code FROM services ORDER BY random() + g * 0 LIMIT 1) s;
ALTER TABLE rt_service ADD COLUMN v service;
UPDATE rt_service SET v = literal::service;

SELECT is((SELECT count(DISTINCT expect) FROM rt_service), (SELECT count(*) FROM services),
          'service: the sample covers every catalogue entry');
SELECT pg_temp.none($$SELECT id, literal, v, expect FROM rt_service WHERE v IS DISTINCT FROM expect$$,
                    'service: 3,000 random spellings read as the service they spell');
SELECT pg_temp.none($$SELECT id, v FROM rt_service
                      WHERE v::text::service <> v OR v::text::service::text <> v::text
                         OR service_send(v::text::service) <> service_send(v)$$,
                    'service: text reads back equal and prints the same');
CREATE TEMP TABLE rt_service_src AS SELECT id, v FROM rt_service;
CREATE TEMP TABLE rt_service_bin (id int, v service);
DO $$ BEGIN IF pg_temp.can_copy() THEN PERFORM pg_temp.copy_binary('rt_service_src', 'rt_service_bin'); END IF; END $$;
SELECT pg_temp.none($$SELECT a.id, a.v, b.v FROM rt_service_src a LEFT JOIN rt_service_bin b USING (id)
                      WHERE b.v IS DISTINCT FROM a.v$$,
                    'service: binary COPY reads back equal', true);

-- ---------------------------------------------------------------------------
-- incident: every service, began anywhere in years 1-9999 Japan time, durations up
-- to the largest number of microseconds, measures up to the largest bigint

CREATE FUNCTION pg_temp.incident_or_null(t text) RETURNS incident LANGUAGE plpgsql AS $$
BEGIN
  RETURN t::incident;
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN NULL;                  -- a measure that does not apply to the service
END
$$;

-- the ISO text of an instant (microseconds since 1970) at an offset in minutes
CREATE FUNCTION pg_temp.began_text(e numeric, off_min int, style int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  local numeric := e + off_min * 60000000::numeric;
  days numeric := floor(local / 86400000000);
  ts timestamp := (date '1970-01-01' + days::int)
                  + ((local - days * 86400000000)::text || ' microseconds')::interval;
  o text := CASE WHEN off_min < 0 THEN '-' ELSE '+' END
            || lpad((abs(off_min) / 60)::text, 2, '0')
            || CASE WHEN abs(off_min) % 60 <> 0 OR style = 2
                    THEN pg_temp.pick(':', '') || lpad((abs(off_min) % 60)::text, 2, '0') ELSE '' END;
BEGIN
  RETURN to_char(ts, 'YYYY-MM-DD') || pg_temp.pick(' ', 'T')
         || CASE WHEN to_char(ts, 'SS.US') = '00.000000' AND style = 1 THEN to_char(ts, 'HH24:MI')
                 WHEN to_char(ts, 'US') = '000000' THEN to_char(ts, 'HH24:MI:SS')
                 ELSE rtrim(to_char(ts, 'HH24:MI:SS.US'), '0') END
         || CASE WHEN off_min = 540 AND style = 0 THEN ''       -- no offset: Japan time
                 WHEN off_min = 0 AND style = 1 THEN pg_temp.pick('Z', ' UTC', 'utc')
                 ELSE pg_temp.pick('', ' ') || o END;
END
$$;

CREATE TEMP TABLE rt_gen AS
SELECT g AS id,
       (SELECT code FROM services ORDER BY random() + g * 0 LIMIT 1) AS service,
       floor(random() * 4)::int AS effect,
       floor(random() * 6)::int AS cause,
       pg_temp.rnd_extreme(extract(epoch FROM timestamptz '0001-01-01 00:00:00+09') * 1000000,
                           extract(epoch FROM timestamptz '9999-12-31 23:59:59.999999+09') * 1000000) AS began,
       CASE floor(random() * 4)::int WHEN 0 THEN 'unknown' WHEN 1 THEN 'ongoing' ELSE 'known' END AS lasted_kind,
       pg_temp.rnd_extreme(0, 9223372036854775807) AS lasted,
       ARRAY(SELECT CASE WHEN random() < 0.5 THEN pg_temp.rnd_extreme(0, 9223372036854775807) END
             FROM generate_series(1, 4) m WHERE g > 0) AS measures,
       ARRAY(SELECT f FROM unnest('{rights_impaired,water_quality,cargo_lost,records_impaired}'::text[]) f
             WHERE random() < 0.3 + g * 0) AS flags,
       floor(random() * 3)::int AS style,
       CASE WHEN random() < 0.5 THEN 540 ELSE (pg_temp.rnd(-959, 959))::int END AS off_min
FROM generate_series(1, 3000) g;
-- the edges exactly: first and last microsecond, longest duration, largest measures
UPDATE rt_gen SET began = extract(epoch FROM timestamptz '0001-01-01 00:00:00+09') * 1000000, off_min = 540 WHERE id = 1;
UPDATE rt_gen SET began = extract(epoch FROM timestamptz '9999-12-31 23:59:59.999999+09') * 1000000, off_min = 540 WHERE id = 2;
UPDATE rt_gen SET lasted_kind = 'known', lasted = 9223372036854775807, service = 'electricity.supply',
                  measures = '{9223372036854775807,9223372036854775807,9223372036854775807,NULL}' WHERE id = 3;
UPDATE rt_gen SET lasted_kind = 'known', lasted = 0, measures = '{0,NULL,NULL,NULL}' WHERE id = 4;
-- another offset only where the local date stays within years 1-9999
UPDATE rt_gen SET off_min = 540
WHERE began < extract(epoch FROM timestamptz '0001-01-03 00:00:00+09') * 1000000
   OR began > extract(epoch FROM timestamptz '9999-12-29 00:00:00+09') * 1000000;

CREATE FUNCTION pg_temp.incident_text(r rt_gen, with_measures boolean) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(f, pg_temp.pick(', ', ',', ' , ') ORDER BY random())
  FROM (VALUES
    ('service' || pg_temp.pick('=', ' = ') || pg_temp.cased(r.service::text)),
    ('began=' || pg_temp.began_text(r.began, r.off_min, r.style)),
    ('effect=' || pg_temp.cased((ARRAY['stop','degradation','delay','loss'])[r.effect + 1])),
    ('cause=' || (ARRAY['attack','failure','error','disaster','cascade','unknown'])[r.cause + 1]),
    ('lasted=' || CASE r.lasted_kind WHEN 'known' THEN pg_temp.duration_text(r.lasted)
                                     ELSE pg_temp.cased(r.lasted_kind) END),
    ('flags={' || array_to_string(r.flags, pg_temp.pick(',', ', ')) || '}')
    UNION ALL
    SELECT (ARRAY['users','households','lost_kw','cancelled'])[m] || '='
           || CASE WHEN with_measures AND r.measures[m] IS NOT NULL THEN pg_temp.count_text(r.measures[m])
                   ELSE 'unknown' END
    FROM generate_series(1, 4) m
  ) v(f)
$$;

CREATE TEMP TABLE rt_incident AS
SELECT g.*, t AS literal, pg_temp.incident_or_null(t) AS v
FROM rt_gen g, LATERAL pg_temp.incident_text(g, true) t;
-- where a measure does not apply to the service: the same incident with users only
UPDATE rt_gen g SET measures = ARRAY[g.measures[1], NULL, NULL, NULL]
FROM rt_incident i WHERE g.id = i.id AND i.v IS NULL;
UPDATE rt_incident i SET measures = g.measures, literal = pg_temp.incident_text(g, true)
FROM rt_gen g WHERE g.id = i.id AND i.v IS NULL;
UPDATE rt_incident SET v = literal::incident WHERE v IS NULL;

SELECT cmp_ok((SELECT count(*) FROM rt_incident WHERE measures[2:4] <> '{NULL,NULL,NULL}'), '>=', 100::bigint,
              'incident: of 3,000 random incidents, over a hundred carry measures other than users');
SELECT pg_temp.none($$
  SELECT id, literal, v FROM rt_incident
  WHERE service(v) <> service
     OR effect(v) <> (ARRAY['stop','degradation','delay','loss'])[effect + 1]
     OR cause(v) <> (ARRAY['attack','failure','error','disaster','cascade','unknown'])[cause + 1]
     OR extract(epoch FROM began(v)) * 1000000 <> began
     OR ongoing(v) <> (lasted_kind = 'ongoing')
     OR (lasted_kind = 'known') <> (lasted(v) IS NOT NULL)
     OR extract(epoch FROM lasted(v)) * 1000000 <> lasted
     OR users(v) IS DISTINCT FROM measures[1] OR households(v) IS DISTINCT FROM measures[2]
     OR lost_kw(v) IS DISTINCT FROM measures[3] OR cancelled(v) IS DISTINCT FROM measures[4]
     OR flags(v) <> ARRAY(SELECT f FROM unnest('{rights_impaired,water_quality,cargo_lost,records_impaired}'::text[]) f
                          WHERE f = ANY (flags))$$,
  'incident: every random literal reads as the facts it was written from');
SELECT pg_temp.none($$SELECT id, v FROM rt_incident
                      WHERE v::text::incident <> v OR incident_send(v::text::incident) <> incident_send(v)$$,
                    'incident: text reads back equal, byte for byte');
SELECT pg_temp.none($$SELECT id, v FROM rt_incident WHERE v::text::incident::text <> v::text$$,
                    'incident: text prints the same again');
SELECT pg_temp.none($$SELECT id, v FROM rt_incident WHERE id <= 4 AND v::text !~ '^service=.*, began=(0001-01-01 00:00:00|9999-12-31 23:59:59.999999|\d{4}-\d\d-\d\d [\d:.]+)\+09, '$$,
                    'incident: the edges print in Japan time with four-digit years');
CREATE TEMP TABLE rt_incident_src AS SELECT id, v FROM rt_incident;
CREATE TEMP TABLE rt_incident_bin (id int, v incident);
DO $$ BEGIN IF pg_temp.can_copy() THEN PERFORM pg_temp.copy_binary('rt_incident_src', 'rt_incident_bin'); END IF; END $$;
SELECT pg_temp.none($$SELECT a.id, a.v, b.v FROM rt_incident_src a LEFT JOIN rt_incident_bin b USING (id)
                      WHERE b.v IS NULL OR b.v <> a.v OR incident_send(b.v) <> incident_send(a.v)$$,
                    'incident: binary COPY reads back equal, byte for byte', true);

-- ---------------------------------------------------------------------------
-- criterion: random trees, written with as few parentheses as the grammar needs
-- (sometimes more), next to the same tree as a SQL expression over incident i

CREATE TYPE pg_temp.crit AS (txt text, sqlx text, prec int);

CREATE FUNCTION pg_temp.gen_criterion(depth int) RETURNS pg_temp.crit LANGUAGE plpgsql AS $$
DECLARE
  k int := floor(random() * CASE WHEN depth <= 0 THEN 5 ELSE 9 END)::int;
  a pg_temp.crit;
  b pg_temp.crit;
  word text;
  op text;
  v numeric;
  sp text := pg_temp.pick(' ', ' ', '  ', E'\t');
BEGIN
  CASE k
    WHEN 0 THEN
      RETURN ROW(pg_temp.cased('any'), 'true'::text, 4);
    WHEN 1 THEN
      word := pg_temp.pick('rights_impaired', 'water_quality', 'cargo_lost', 'records_impaired');
      RETURN ROW(word, format('(%L = ANY (flags(i)))', word), 4);
    WHEN 2 THEN
      word := pg_temp.pick('users', 'households', 'lost_kw', 'cancelled');
      op := pg_temp.pick('>=', '>', '<=', '<', '=', '<>', '!=');
      v := pg_temp.rnd_extreme(0, 9223372036854775807);
      RETURN ROW(pg_temp.cased(word) || pg_temp.pick(' ', '') || op || pg_temp.pick(' ', '') || pg_temp.count_text(v),
                 format('(%s(i) %s %s)', word, replace(op, '!=', '<>'), v), 4);
    WHEN 3 THEN
      op := pg_temp.pick('>=', '>', '<=', '<', '=', '<>', '!=');
      v := CASE WHEN random() < 0.5 THEN pg_temp.rnd(0, 7 * 86400) * 1000000
                ELSE pg_temp.rnd_extreme(0, 9223372036854775807) END;
      RETURN ROW(pg_temp.cased('duration') || ' ' || op || ' ' || pg_temp.duration_text(v),
                 format('(extract(epoch FROM lasted(i)) * 1000000 %s %s)', replace(op, '!=', '<>'), v), 4);
    WHEN 4 THEN
      SELECT string_agg(e, pg_temp.pick(',', ', ', ' , ')) INTO word
      FROM (SELECT e FROM unnest('{stop,degradation,delay,loss}'::text[]) e
            ORDER BY random() LIMIT 1 + floor(random() * 4)::int) x;
      RETURN ROW('effect in (' || word || ')',
                 format('(effect(i) = ANY (%L::text[]))', '{' || replace(word, ' ', '') || '}'), 4);
    WHEN 5 THEN
      a := pg_temp.gen_criterion(depth - 1);
      RETURN ROW(pg_temp.cased('not') || ' ' ||
                   CASE WHEN a.prec < 3 OR random() < 0.1 THEN '(' || a.txt || ')' ELSE a.txt END,
                 '(NOT ' || a.sqlx || ')', 3);
    WHEN 6, 7 THEN
      a := pg_temp.gen_criterion(depth - 1);
      b := pg_temp.gen_criterion(depth - 1);
      RETURN ROW(CASE WHEN a.prec < 2 OR random() < 0.1 THEN '(' || a.txt || ')' ELSE a.txt END
                   || sp || pg_temp.cased('and') || sp ||
                   CASE WHEN b.prec < 3 OR random() < 0.1 THEN '(' || b.txt || ')' ELSE b.txt END,
                 '(' || a.sqlx || ' AND ' || b.sqlx || ')', 2);
    ELSE
      a := pg_temp.gen_criterion(depth - 1);
      b := pg_temp.gen_criterion(depth - 1);
      RETURN ROW(CASE WHEN random() < 0.1 THEN '(' || a.txt || ')' ELSE a.txt END
                   || sp || pg_temp.cased('or') || sp ||
                   CASE WHEN b.prec < 2 OR random() < 0.1 THEN '(' || b.txt || ')' ELSE b.txt END,
                 '(' || a.sqlx || ' OR ' || b.sqlx || ')', 1);
  END CASE;
END
$$;

CREATE FUNCTION pg_temp.criterion_or_null(t text) RETURNS criterion LANGUAGE plpgsql AS $$
BEGIN
  RETURN t::criterion;
EXCEPTION WHEN program_limit_exceeded THEN
  RETURN NULL;                  -- more terms than a criterion may have
END
$$;

CREATE TEMP TABLE rt_criterion AS
SELECT g AS id, (c).txt AS literal, (c).sqlx AS sqlx, pg_temp.criterion_or_null((c).txt) AS v
FROM generate_series(1, 2000) g, LATERAL pg_temp.gen_criterion(1 + g % 6) c;
DELETE FROM rt_criterion WHERE v IS NULL;

-- incidents to evaluate on: random ones, and ones with every measure known
CREATE TEMP TABLE rt_eval AS
SELECT v AS i FROM rt_incident ORDER BY random() LIMIT 40;
INSERT INTO rt_eval
SELECT incident('electricity.supply', '2024-01-15 09:00+09', make_interval(secs => s), e, 'failure',
                u, u, u, NULL, f)
FROM (VALUES (0, 'stop', 0::bigint, '{}'::text[]),
             (7200, 'delay', 30000, '{rights_impaired}'),
             (86400 * 3, 'loss', 9223372036854775807, '{rights_impaired,water_quality,cargo_lost,records_impaired}'))
     x(s, e, u, f);

SELECT cmp_ok((SELECT count(*) FROM rt_criterion), '>=', 1900::bigint,
              'criterion: nearly all of 2,000 random trees are within the limits');
CREATE FUNCTION pg_temp.criterion_disagreements() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  r record;
  n bigint;
BEGIN
  FOR r IN SELECT * FROM rt_criterion LOOP
    EXECUTE format('SELECT count(*) FROM rt_eval WHERE evaluate($1, i) IS DISTINCT FROM %s', r.sqlx)
      INTO n USING r.v;
    IF n > 0 THEN
      RETURN NEXT format('%s: %s (as %s) disagrees on %s incidents', r.id, r.literal, r.v, n);
    END IF;
  END LOOP;
END
$$;
SELECT pg_temp.none($$SELECT * FROM pg_temp.criterion_disagreements()$$,
                    'criterion: evaluate() agrees with the tree as a SQL expression, on 43 incidents');
SELECT pg_temp.none($$SELECT id, literal, v FROM rt_criterion
                      WHERE NOT v::text::criterion = v OR criterion_send(v::text::criterion) <> criterion_send(v)$$,
                    'criterion: text reads back equal');
SELECT pg_temp.none($$SELECT id, v FROM rt_criterion WHERE v::text::criterion::text <> v::text$$,
                    'criterion: text prints the same again');
CREATE TEMP TABLE rt_criterion_src AS SELECT id, v FROM rt_criterion;
CREATE TEMP TABLE rt_criterion_bin (id int, v criterion);
DO $$ BEGIN IF pg_temp.can_copy() THEN PERFORM pg_temp.copy_binary('rt_criterion_src', 'rt_criterion_bin'); END IF; END $$;
SELECT pg_temp.none($$SELECT a.id, a.v, b.v FROM rt_criterion_src a LEFT JOIN rt_criterion_bin b USING (id)
                      WHERE b.v IS NULL OR NOT b.v = a.v$$,
                    'criterion: binary COPY reads back equal', true);

-- ---------------------------------------------------------------------------
-- tlp (0.4): every label, spelled every way input reads it (TLP 1.0's white for clear);
-- last, so that the values above are those of 0.3's seed

CREATE TEMP TABLE rt_tlp AS
SELECT g AS id, l.label AS expect,
       pg_temp.pad(pg_temp.pick('', '', 'TLP:', 'tlp:', 'Tlp: ')
                   || pg_temp.cased(CASE WHEN l.label = 'clear' AND random() < 0.3 THEN 'white'
                                         ELSE l.label END)) AS literal
FROM generate_series(1, 1000) g
CROSS JOIN LATERAL (SELECT label FROM unnest('{clear,green,amber,amber+strict,red}'::text[]) label
                    ORDER BY random() + g * 0 LIMIT 1) l;
ALTER TABLE rt_tlp ADD COLUMN v tlp;
UPDATE rt_tlp SET v = literal::tlp;

SELECT is((SELECT count(DISTINCT expect) FROM rt_tlp), 5::bigint, 'tlp: the sample covers every label');
SELECT pg_temp.none($$SELECT id, literal, v, expect FROM rt_tlp WHERE v::text IS DISTINCT FROM expect$$,
                    'tlp: 1,000 random spellings read as the label they spell');
SELECT pg_temp.none($$SELECT id, v FROM rt_tlp
                      WHERE v::text::tlp <> v OR v::text::tlp::text <> v::text
                         OR tlp_send(v::text::tlp) <> tlp_send(v)$$,
                    'tlp: text reads back equal and prints the same');
CREATE TEMP TABLE rt_tlp_src AS SELECT id, v FROM rt_tlp;
CREATE TEMP TABLE rt_tlp_bin (id int, v tlp);
DO $$ BEGIN IF pg_temp.can_copy() THEN PERFORM pg_temp.copy_binary('rt_tlp_src', 'rt_tlp_bin'); END IF; END $$;
SELECT pg_temp.none($$SELECT a.id, a.v, b.v FROM rt_tlp_src a LEFT JOIN rt_tlp_bin b USING (id)
                      WHERE b.v IS DISTINCT FROM a.v$$,
                    'tlp: binary COPY reads back equal', true);

SELECT * FROM finish();
ROLLBACK;
