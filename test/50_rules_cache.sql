-- 50_rules_cache.sql: the rule cache of classify() and exceeds() is shared by every role
-- of a backend, so every call checks the current user's privileges on ceptoar.rule_set
-- and ceptoar.rule (SET ROLE, SECURITY DEFINER, role membership, row-level security);
-- and the cache follows the statement's snapshot within one session (own changes,
-- savepoints, cursors).  The multi-session cases are in sql/classify.sql.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS ceptoar_registry CASCADE;
SELECT plan(25);

CREATE ROLE regress_rules_reader NOLOGIN;
CREATE ROLE regress_rules_outsider NOLOGIN;
CREATE ROLE regress_rules_group NOLOGIN;
INSERT INTO ceptoar.rule_set (code, kind) VALUES ('regress-private', 'service_level');
INSERT INTO ceptoar.rule (rule_set, service, criterion, clause_en)
VALUES ('regress-private', 'gas', 'households >= 3', 'a private clause');

REVOKE SELECT ON ceptoar.rule, ceptoar.rule_set FROM PUBLIC;
GRANT SELECT ON ceptoar.rule, ceptoar.rule_set TO regress_rules_reader;

CREATE TEMP TABLE inc AS
  SELECT 'service=gas.supply, began=2024-01-15, households=5'::ceptoar.incident AS i;
GRANT SELECT ON inc TO PUBLIC;

-- the superuser loads the cache
SELECT is((ceptoar.classify(i, 'regress-private')).clause, 'a private clause',
          'the privileged role reads the private clause (cache loaded)') FROM inc;

SET ROLE regress_rules_outsider;
SELECT throws_ok($$SELECT ceptoar.classify(i, 'regress-private') FROM inc$$, '42501',
  'permission denied for table ceptoar.rule_set',
  'SET ROLE to a role without SELECT: classify() refuses, although the cache is loaded');
SELECT throws_ok($$SELECT ceptoar.exceeds(i, 'regress-private') FROM inc$$, '42501',
  'permission denied for table ceptoar.rule_set', 'exceeds() refuses too');
SELECT throws_ok($$SELECT ceptoar.exceeds(i, 'no-such-set') FROM inc$$, '42501',
  'permission denied for table ceptoar.rule_set',
  'an unknown rule set does not list the rule sets to a role that may not read them');
SELECT throws_ok($$SELECT ceptoar.exceeds(i, 'regress-private') FROM generate_series(1, 3), inc$$, '42501',
  'permission denied for table ceptoar.rule_set', 'refused on every row, not only the first');
RESET ROLE;

SELECT is(ceptoar.exceeds(i, 'regress-private'), true, 'back to the superuser: answers again') FROM inc;

SET ROLE regress_rules_reader;
SELECT is((ceptoar.classify(i, 'regress-private')).clause, 'a private clause',
          'a role granted SELECT on both tables reads the rules') FROM inc;
RESET ROLE;

-- SELECT on one table only
GRANT SELECT ON ceptoar.rule_set TO regress_rules_outsider;
SET ROLE regress_rules_outsider;
SELECT throws_ok($$SELECT ceptoar.classify(i, 'regress-private') FROM inc$$, '42501',
  'permission denied for table ceptoar.rule', 'SELECT on rule_set alone is not enough');
RESET ROLE;

-- the hint says what to ask for
SET ROLE regress_rules_outsider;
CREATE FUNCTION pg_temp.hint_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE h text;
BEGIN
  EXECUTE stmt;
  RETURN NULL;
EXCEPTION WHEN insufficient_privilege THEN
  GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
  RETURN h;
END $$;
SELECT is(pg_temp.hint_of($$SELECT ceptoar.exceeds(i, 'regress-private') FROM inc$$),
  'exceeds() reads ceptoar.rule_set and ceptoar.rule; ask for SELECT on both.', 'the hint');
RESET ROLE;

-- a privilege granted or revoked in the middle of the session takes effect at once
GRANT SELECT ON ceptoar.rule TO regress_rules_outsider;
SET ROLE regress_rules_outsider;
SELECT is(ceptoar.exceeds(i, 'regress-private'), true, 'GRANT takes effect at once') FROM inc;
RESET ROLE;
REVOKE SELECT ON ceptoar.rule FROM regress_rules_outsider;
SET ROLE regress_rules_outsider;
SELECT throws_ok($$SELECT ceptoar.exceeds(i, 'regress-private') FROM inc$$, '42501',
  'permission denied for table ceptoar.rule', 'REVOKE takes effect at once');
RESET ROLE;

-- through a role's membership, granted and revoked
GRANT SELECT ON ceptoar.rule TO regress_rules_group;
GRANT regress_rules_group TO regress_rules_outsider;
SET ROLE regress_rules_outsider;
SELECT is(ceptoar.exceeds(i, 'regress-private'), true, 'SELECT through a group role') FROM inc;
RESET ROLE;
REVOKE regress_rules_group FROM regress_rules_outsider;
SET ROLE regress_rules_outsider;
SELECT throws_ok($$SELECT ceptoar.exceeds(i, 'regress-private') FROM inc$$, '42501',
  'permission denied for table ceptoar.rule', 'membership revoked: refused again');
RESET ROLE;
REVOKE SELECT ON ceptoar.rule_set FROM regress_rules_outsider;

-- SECURITY DEFINER: the function's owner decides inside it, the caller outside
CREATE FUNCTION pg_temp.reader_exceeds(ceptoar.incident) RETURNS boolean
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  AS $$ SELECT ceptoar.exceeds($1, 'regress-private') $$;
ALTER FUNCTION pg_temp.reader_exceeds(ceptoar.incident) OWNER TO regress_rules_reader;
SET ROLE regress_rules_outsider;
SELECT is(pg_temp.reader_exceeds(i), true, 'inside a SECURITY DEFINER function of a reader') FROM inc;
SELECT throws_ok($$SELECT pg_temp.reader_exceeds(i), ceptoar.exceeds(i, 'regress-private') FROM inc$$, '42501',
  'permission denied for table ceptoar.rule_set', 'and refused outside it, in the same statement');
RESET ROLE;

-- row-level security: the cache cannot apply policies, so it refuses
ALTER TABLE ceptoar.rule ENABLE ROW LEVEL SECURITY;
CREATE POLICY regress_gas_only ON ceptoar.rule FOR SELECT USING (service OPERATOR(ceptoar.=) 'gas');
SET ROLE regress_rules_reader;
SELECT throws_ok($$SELECT ceptoar.classify(i, 'regress-private') FROM inc$$, '0A000',
  'classify() does not support row-level security on ceptoar.rule', 'row-level security is refused');
RESET ROLE;
SELECT is(ceptoar.exceeds(i, 'regress-private'), true, 'the superuser is not subject to it') FROM inc;
DROP POLICY regress_gas_only ON ceptoar.rule;
ALTER TABLE ceptoar.rule DISABLE ROW LEVEL SECURITY;
GRANT SELECT ON ceptoar.rule, ceptoar.rule_set TO PUBLIC;

-- ---------------------------------------------------------------------------
-- The cache follows the statement's snapshot (one session)

SELECT is(ceptoar.exceeds(i, 'regress-private'), true, 'households >= 3: exceeds') FROM inc;
UPDATE ceptoar.rule SET criterion = 'households >= 6' WHERE rule_set = 'regress-private';
SELECT is(ceptoar.exceeds(i, 'regress-private'), false, 'own uncommitted change: seen') FROM inc;
SAVEPOINT s;
DELETE FROM ceptoar.rule WHERE rule_set = 'regress-private';
SELECT is(ceptoar.exceeds(i, 'regress-private'), NULL, 'rule deleted in a savepoint: no rule') FROM inc;
ROLLBACK TO s;
SELECT is(ceptoar.exceeds(i, 'regress-private'), false, 'rolled back to the savepoint: the rule again') FROM inc;

-- a cursor answers with its own snapshot's rules, row after row
DECLARE c CURSOR FOR SELECT g, ceptoar.exceeds(i, 'regress-private') AS x FROM generate_series(1, 3) g, inc;
MOVE 1 IN c;
UPDATE ceptoar.rule SET criterion = 'households >= 1' WHERE rule_set = 'regress-private';
SELECT is(ceptoar.exceeds(i, 'regress-private'), true, 'a statement after the change sees it') FROM inc;
SELECT results_eq($$FETCH ALL FROM c$$, $$VALUES (2, false), (3, false)$$,
  'the cursor keeps the rules of its snapshot');
CLOSE c;

-- a rule set renamed: the call site's memo follows the rebuild
CREATE FUNCTION pg_temp.loop_sets() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text[];
BEGIN
  FOR k IN 1 .. 2 LOOP
    r := r || coalesce(ceptoar.exceeds('service=gas.supply, began=2024-01-15, households=5', 'regress-private')::text, 'NULL');
    IF k = 1 THEN
      UPDATE ceptoar.rule_set SET code = 'regress-renamed' WHERE code = 'regress-private';
      INSERT INTO ceptoar.rule_set (code, kind) VALUES ('regress-private', 'service_level');
    END IF;
  END LOOP;
  RETURN array_to_string(r, ',');
END $$;
SELECT is(pg_temp.loop_sets(), 'true,NULL', 'one call site, the same code, a new rule set behind it');

SELECT throws_ok($$SELECT ceptoar.exceeds(i, 'regress-nowhere') FROM inc$$, '22023',
  'unknown rule set "regress-nowhere"', 'unknown rule set');

SELECT * FROM finish();
ROLLBACK;
