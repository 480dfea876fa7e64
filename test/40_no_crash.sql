-- 40_no_crash.sql: every SQL-callable function of the extension, called with NULLs and
-- with ordinary and extreme values of each argument type.  A crash ends the session (and
-- fails the plan); an internal error (XX000) means user input reached a "can't happen".
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS ceptoar_registry CASCADE;
SELECT plan(3);

INSERT INTO ceptoar.operator (code, name, sector) VALUES ('p', 'P', 'electricity'), ('g', 'G', 'gas');
INSERT INTO ceptoar.service_instance (id, service, operator, population, area, site) VALUES
  (1, 'electricity.supply', 'p', 10, ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 4326)), NULL),
  (2, 'gas.supply', 'g', NULL, NULL, ST_SetSRID(ST_MakePoint(0.5, 0.5), 4326));
INSERT INTO ceptoar.dependency VALUES (2, 1, '0', 'site'), (1, 2, '1 hour', 'area');

CREATE TEMP TABLE samples (typ regtype, val text);
INSERT INTO samples VALUES
  ('ceptoar.sector', 'gas'), ('ceptoar.sector', 'port'),
  ('ceptoar.service', 'gas.supply'), ('ceptoar.service', 'telecom'),
  ('ceptoar.incident', 'service=electricity.supply, began=2024-01-15 09:00, lasted=1 h, lost_kw=100000'),
  ('ceptoar.incident', 'service=gas, began=0001-01-01 00:00+00, lasted=ongoing'),
  ('ceptoar.criterion', 'any'), ('ceptoar.criterion', 'not (users >= 9223372036854775807 or duration < 0 s)'),
  ('ceptoar.tlp', 'red'), ('ceptoar.tlp', 'clear'),
  ('text', 'nisc-2009'), ('text', ''), ('text', 'x'),
  ('timestamptz', '2024-01-15 09:00+09'), ('timestamptz', 'infinity'), ('timestamptz', '4713-01-01 BC'),
  ('date', '2024-04-01'), ('date', '-infinity'),
  ('interval', '1 hour'), ('interval', '-1 day'), ('interval', '178000000 years'), ('interval', '0'),
  ('bigint', '1'), ('bigint', '-9223372036854775808'), ('integer', '1'), ('integer', '-2147483648'),
  ('numeric', '80'), ('numeric', '-1'), ('numeric', 'NaN'),
  ('bigint[]', '{1,2}'), ('bigint[]', '{}'), ('bigint[]', '{{1},{2}}'),
  ('double precision[]', '{{0.5,0},{0,0.5}}'), ('double precision[]', '{1}'), ('double precision[]', '{}'),
  ('double precision[]', '{{NaN}}'),
  ('ceptoar.sector[]', '{gas}'), ('ceptoar.sector[]', '{}'),
  ('text[]', '{water_quality}'), ('text[]', '{}'),
  ('geometry', 'SRID=4326;POLYGON((0 0,1 0,1 1,0 1,0 0))'), ('geometry', 'SRID=4326;POINT EMPTY'),
  ('geometry', 'POINT(0 0)'), ('boolean', 'true'), ('cstring', 'gas'), ('cstring', '');

CREATE TEMP TABLE outcomes (fn text, args text, state text, message text);
DO $$
DECLARE
  f record;
  argv text[];
  call text;
  st text;
  msg text;
  k int;
  variant int;
BEGIN
  FOR f IN
    SELECT p.oid, p.proname, p.proargtypes::regtype[] AS types, p.pronargs
    FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'ceptoar_registry'
    WHERE d.deptype = 'e' AND p.prorettype <> 'trigger'::regtype
      AND NOT ('internal'::regtype = ANY (p.proargtypes::regtype[]))
  LOOP
    FOR variant IN 0..3 LOOP
      argv := '{}';
      FOR k IN 1..f.pronargs LOOP
        IF variant = 0 THEN
          argv := argv || format('NULL::%s', f.types[array_lower(f.types, 1) + k - 1]);
        ELSE
          argv := argv || coalesce(
            (SELECT format('%L::%s', s.val, f.types[array_lower(f.types, 1) + k - 1]) FROM samples s
              WHERE s.typ = f.types[array_lower(f.types, 1) + k - 1] ORDER BY s.ctid OFFSET (variant - 1) LIMIT 1),
            (SELECT format('%L::%s', s.val, f.types[array_lower(f.types, 1) + k - 1]) FROM samples s
              WHERE s.typ = f.types[array_lower(f.types, 1) + k - 1] ORDER BY s.ctid LIMIT 1),
            format('NULL::%s', f.types[array_lower(f.types, 1) + k - 1]));
        END IF;
      END LOOP;
      -- typed arguments pick the overload
      call := format('SELECT ceptoar.%I(%s)', f.proname, array_to_string(argv, ', '));
      BEGIN
        EXECUTE call;
        st := '00000'; msg := NULL;
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
      END;
      INSERT INTO outcomes VALUES (f.oid::regprocedure::text, array_to_string(argv, ', '), st, msg);
    END LOOP;
  END LOOP;
END $$;

SELECT cmp_ok((SELECT count(DISTINCT fn) FROM outcomes)::int, '>=', 80, 'every function was called');
SELECT is_empty($$SELECT fn, args, message FROM outcomes WHERE state = 'XX000'$$,
                'no internal errors from user input');
SELECT ok((SELECT count(*) FROM outcomes WHERE state = '00000') > 100, 'most calls succeed');

SELECT * FROM finish();
ROLLBACK;
