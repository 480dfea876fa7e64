-- ceptoar_registry 0.2 -> 0.3: the house before the new floors (issue 10).
-- Every change to the install script (src/sql/) since 0.2 is repeated here, so
-- that ALTER EXTENSION ceptoar_registry UPDATE gives the catalog of a fresh
-- install of 0.3 (test/upgrade.sh compares them).  The whole script is one
-- transaction: when any step fails, nothing has changed.
\echo Use "ALTER EXTENSION ceptoar_registry UPDATE TO '0.3'" to load this file. \quit

-- As in the update to 0.2: the schema must still be what 0.2's install required (owned by
-- a superuser, nobody else may create in it, nothing in it but the extension's objects),
-- since this update creates and replaces objects there with a superuser's privileges.
DO $update_guard$
DECLARE
  nsp pg_catalog.oid := '@extschema@'::pg_catalog.regnamespace;
  owner_oid pg_catalog.oid;
  found pg_catalog.text;
BEGIN
  SELECT n.nspowner INTO owner_oid FROM pg_catalog.pg_namespace n WHERE n.oid OPERATOR(pg_catalog.=) nsp;
  IF NOT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) owner_oid), false) THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: schema "@extschema@" is owned by role "%", not by a superuser',
        pg_catalog.pg_get_userbyid(owner_oid)
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'Its owner can add or replace objects that run with the privileges of the extension''s users.',
            HINT = 'Check the schema for objects that are not the extension''s, then ALTER SCHEMA @extschema@ OWNER TO a superuser and update again.';
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text, ', ') INTO found
    FROM pg_catalog.pg_namespace n, LATERAL pg_catalog.aclexplode(n.nspacl) a
   WHERE n.oid OPERATOR(pg_catalog.=) nsp AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
     AND a.grantee OPERATOR(pg_catalog.<>) owner_oid
     AND NOT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) a.grantee), false);
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: other roles may create objects in schema "@extschema@"'
      USING ERRCODE = 'insufficient_privilege', DETAIL = 'CREATE is granted to: ' OPERATOR(pg_catalog.||) found OPERATOR(pg_catalog.||) '.',
            HINT = 'REVOKE CREATE ON SCHEMA @extschema@ FROM those roles, check what they created there, and update again.';
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.concat(i.type, ' ', i.identity), ', ' ORDER BY i.identity) INTO found
    FROM pg_catalog.pg_depend d, LATERAL pg_catalog.pg_identify_object(d.classid, d.objid, 0) i
   WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
     AND d.refobjid OPERATOR(pg_catalog.=) nsp
     AND d.classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_extension'::pg_catalog.regclass
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend m WHERE m.classid OPERATOR(pg_catalog.=) d.classid
                       AND m.objid OPERATOR(pg_catalog.=) d.objid AND m.deptype OPERATOR(pg_catalog.=) 'e');
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: schema "@extschema@" holds objects that are not the extension''s'
      USING ERRCODE = 'object_not_in_prerequisite_state', DETAIL = 'Found: ' OPERATOR(pg_catalog.||) found OPERATOR(pg_catalog.||) '.',
            HINT = 'Move them to another schema or drop them, then update again.';
  END IF;
END
$update_guard$;

-- Issue 10, section 2: the rows of impact() and impact_timeline() are declared once, as the
-- types impact_row and impact_timeline_row (src/sql/085_impact.sql); the columns are the
-- same.  A function's result type cannot be changed in place, so the five functions are
-- dropped and created again.  Objects of users that depend on them (a view over impact(),
-- a function with a BEGIN ATOMIC body calling it) would block the DROP, and privileges
-- granted or revoked on them would be lost (or, replayed here, recorded as the
-- extension's own and then missed by pg_dump): the update refuses both, naming them,
-- before anything is changed.  Nothing is dropped with CASCADE.
DO $impact_row_guard$
DECLARE
  funcs pg_catalog.oid[];
  found pg_catalog.text;
BEGIN
  SELECT pg_catalog.array_agg(p.oid) INTO funcs
    FROM pg_catalog.pg_proc p
   WHERE p.pronamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace
     AND p.proname OPERATOR(pg_catalog.=) ANY (ARRAY['impact', 'impact_timeline']::pg_catalog.name[]);
  SELECT pg_catalog.string_agg(DISTINCT pg_catalog.concat(i.type, ' ', i.identity), ', ') INTO found
    FROM pg_catalog.pg_depend d
    -- a view depends through its rewrite rule: name the view
    LEFT JOIN pg_catalog.pg_rewrite r ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                                     AND r.oid OPERATOR(pg_catalog.=) d.objid,
    LATERAL pg_catalog.pg_identify_object(
      CASE WHEN r.oid IS NULL THEN d.classid ELSE 'pg_catalog.pg_class'::pg_catalog.regclass END,
      COALESCE(r.ev_class, d.objid), 0) i
   WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
     AND d.refobjid OPERATOR(pg_catalog.=) ANY (funcs)
     AND d.deptype OPERATOR(pg_catalog.<>) 'e'
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend m WHERE m.classid OPERATOR(pg_catalog.=) d.classid
                       AND m.objid OPERATOR(pg_catalog.=) d.objid AND m.deptype OPERATOR(pg_catalog.=) 'e');
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: objects depend on impact() or impact_timeline()'
      USING ERRCODE = 'dependent_objects_still_exist',
            DETAIL = 'Found: ' OPERATOR(pg_catalog.||) found OPERATOR(pg_catalog.||) '.  0.3 returns their rows as the '
                     'types @extschema@.impact_row and @extschema@.impact_timeline_row (same columns), which means '
                     'dropping and creating the functions again.',
            HINT = 'Keep their definitions (pg_dump --schema-only, or pg_get_viewdef), drop them, run ALTER EXTENSION '
                   'ceptoar_registry UPDATE again, and create them again as they were.';
  END IF;
  SELECT pg_catalog.string_agg(p.oid::pg_catalog.regprocedure::pg_catalog.text, ', ' ORDER BY p.oid::pg_catalog.regprocedure::pg_catalog.text)
    INTO found
    FROM pg_catalog.pg_proc p
   WHERE p.oid OPERATOR(pg_catalog.=) ANY (funcs)
     -- as installed: what pg_init_privs holds, else the default (PUBLIC may execute)
     AND ARRAY(SELECT a::pg_catalog.text FROM pg_catalog.unnest(COALESCE(p.proacl,
                 pg_catalog.acldefault('f', p.proowner))) a ORDER BY 1)
         OPERATOR(pg_catalog.<>)
         ARRAY(SELECT a::pg_catalog.text FROM pg_catalog.unnest(COALESCE(
                 (SELECT ip.initprivs FROM pg_catalog.pg_init_privs ip
                   WHERE ip.objoid OPERATOR(pg_catalog.=) p.oid
                     AND ip.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
                     AND ip.objsubid OPERATOR(pg_catalog.=) 0),
                 pg_catalog.acldefault('f', p.proowner))) a ORDER BY 1);
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: privileges on impact() or impact_timeline() were changed'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = 'Changed: ' OPERATOR(pg_catalog.||) found OPERATOR(pg_catalog.||) '.  0.3 drops and creates these '
                     'functions again (their rows are now the types @extschema@.impact_row and '
                     '@extschema@.impact_timeline_row), which would lose the grants and revokes.',
            HINT = 'Note them (\df+ @extschema@.impact*), undo them (as installed, PUBLIC may execute them and nobody '
                   'else is named), run ALTER EXTENSION ceptoar_registry UPDATE again, then grant and revoke as before.';
  END IF;
END
$impact_row_guard$;

DROP FUNCTION @extschema@.impact_timeline(bigint, timestamptz, interval, geometry, interval, interval);
DROP FUNCTION @extschema@.impact_timeline(bigint[], timestamptz, interval, geometry, interval, interval);
DROP FUNCTION @extschema@.impact(@extschema@.incident, bigint, geometry, interval);
DROP FUNCTION @extschema@.impact(bigint, timestamptz, interval, geometry, interval);
DROP FUNCTION @extschema@.impact(bigint[], timestamptz, interval, geometry, interval);

CREATE TYPE @extschema@.impact_row AS (
  instance    bigint,
  service     @extschema@.service,
  sector      @extschema@.sector,
  depth       integer,
  onset       timestamptz,
  recovery    timestamptz,
  via         bigint,
  area        geometry,
  population  bigint
);
COMMENT ON TYPE @extschema@.impact_row IS
  'one service instance hit by a failure: a row of impact()';
COMMENT ON COLUMN @extschema@.impact_row.instance IS 'the service instance hit (ceptoar.service_instance.id)';
COMMENT ON COLUMN @extschema@.impact_row.service IS 'the service it delivers';
COMMENT ON COLUMN @extschema@.impact_row.sector IS 'the sector of that service';
COMMENT ON COLUMN @extschema@.impact_row.depth IS 'edges on an earliest-onset path from an origin (fewest such edges); 0 for an origin';
COMMENT ON COLUMN @extschema@.impact_row.onset IS 'when it fails';
COMMENT ON COLUMN @extschema@.impact_row.recovery IS 'when it is back (out on [onset, recovery))';
COMMENT ON COLUMN @extschema@.impact_row.via IS 'the supplier of that path (smallest id on ties); NULL for an origin';
COMMENT ON COLUMN @extschema@.impact_row.area IS 'where it is out (a MultiPolygon); NULL when neither it nor what hit it is located';
COMMENT ON COLUMN @extschema@.impact_row.population IS 'people affected: its population times the affected share of its area (all of it when not located)';

CREATE TYPE @extschema@.impact_timeline_row AS (
  at          timestamptz,
  sector      @extschema@.sector,
  services    integer,
  population  bigint
);
COMMENT ON TYPE @extschema@.impact_timeline_row IS
  'one sector at one instant of a failure: a row of impact_timeline()';
COMMENT ON COLUMN @extschema@.impact_timeline_row.at IS 'the instant: began, then every step';
COMMENT ON COLUMN @extschema@.impact_timeline_row.sector IS 'a sector that the failure reaches';
COMMENT ON COLUMN @extschema@.impact_timeline_row.services IS 'service instances of the sector out at that instant';
COMMENT ON COLUMN @extschema@.impact_timeline_row.population IS 'people affected by them at that instant (0 when none)';

CREATE FUNCTION @extschema@.impact(
    origins bigint[], began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS SETOF @extschema@.impact_row
  AS 'MODULE_PATHNAME', 'impact_run' LANGUAGE C STABLE PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.impact(bigint[], timestamptz, interval, geometry, interval) IS
  'who is hit, when, where and how many people, when these service instances fail together (a compound failure); semantics in docs/impact-semantics.md';

CREATE FUNCTION @extschema@.impact(
    origin bigint, began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS SETOF @extschema@.impact_row
  LANGUAGE sql STABLE PARALLEL SAFE ROWS 100
  AS $$ SELECT * FROM @extschema@.impact(ARRAY[origin], began, lasted, footprint, horizon) $$;
COMMENT ON FUNCTION @extschema@.impact(bigint, timestamptz, interval, geometry, interval) IS
  'who is hit, when, where and how many people, when one service instance fails; semantics in docs/impact-semantics.md';

CREATE FUNCTION @extschema@.impact(
    i @extschema@.incident, origin bigint,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days')
  RETURNS SETOF @extschema@.impact_row
  LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  inst_service @extschema@.service;
BEGIN
  SELECT s.service INTO inst_service FROM @extschema@.service_instance s
   WHERE s.id OPERATOR(pg_catalog.=) origin;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown service instance %', origin
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Origins are ids of ceptoar.service_instance.';
  END IF;
  IF NOT (inst_service OPERATOR(@extschema@.<@) @extschema@.service(i)
          OR @extschema@.service(i) OPERATOR(@extschema@.<@) inst_service) THEN
    RAISE EXCEPTION 'service instance % delivers %, not the incident''s service %',
        origin, inst_service, @extschema@.service(i)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Give the instance where the incident happened.';
  END IF;
  -- a duration that is unknown or ongoing is taken to last the whole horizon
  RETURN QUERY SELECT * FROM @extschema@.impact(ARRAY[origin], @extschema@.began(i),
      coalesce(@extschema@.lasted(i), horizon), footprint, horizon);
END $$;
COMMENT ON FUNCTION @extschema@.impact(@extschema@.incident, bigint, geometry, interval) IS
  'the impact of an incident at the service instance where it happened; an unknown or ongoing duration lasts the whole horizon';

CREATE FUNCTION @extschema@.impact_timeline(
    origins bigint[], began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    step interval DEFAULT '1 hour')
  RETURNS SETOF @extschema@.impact_timeline_row
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  step_s double precision := extract(epoch FROM step);
  secs @extschema@.sector[];
  onsets timestamptz[];
  recoveries timestamptz[];
  pops bigint[];
  nsteps bigint;
BEGIN
  IF step IS NULL OR step_s OPERATOR(pg_catalog.<=) 0 THEN
    RAISE EXCEPTION 'step must be positive' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT array_agg(x.sector), array_agg(x.onset), array_agg(x.recovery), array_agg(x.population)
    INTO secs, onsets, recoveries, pops
    FROM @extschema@.impact(origins, began, lasted, footprint, horizon) x;
  nsteps := ceil(extract(epoch FROM (SELECT max(r) FROM unnest(recoveries) r) OPERATOR(pg_catalog.-) began)
                 OPERATOR(pg_catalog./) step_s);
  IF nsteps OPERATOR(pg_catalog.>) 100000 THEN
    RAISE EXCEPTION 'the timeline would have % steps', nsteps
      USING ERRCODE = 'program_limit_exceeded', HINT = 'Use a longer step.';
  END IF;
  RETURN QUERY
    WITH t AS (SELECT * FROM unnest(secs, onsets, recoveries, pops) AS u(sector, onset, recovery, population))
    SELECT s.at, x.sector,
           count(t.onset) FILTER (WHERE t.onset OPERATOR(pg_catalog.<=) s.at
                                    AND s.at OPERATOR(pg_catalog.<) t.recovery)::integer,
           coalesce(sum(t.population) FILTER (WHERE t.onset OPERATOR(pg_catalog.<=) s.at
                                                AND s.at OPERATOR(pg_catalog.<) t.recovery), 0)::bigint
    FROM (SELECT began OPERATOR(pg_catalog.+) make_interval(secs => k OPERATOR(pg_catalog.*) step_s) AS at
            FROM generate_series(0::bigint, nsteps OPERATOR(pg_catalog.-) 1) AS k) s
    CROSS JOIN (SELECT DISTINCT t2.sector FROM t t2) x
    LEFT JOIN t ON t.sector OPERATOR(@extschema@.=) x.sector
    GROUP BY s.at, x.sector
    ORDER BY s.at, x.sector;
END $$;
COMMENT ON FUNCTION @extschema@.impact_timeline(bigint[], timestamptz, interval, geometry, interval, interval) IS
  'from began, step by step until the last recovery: per sector, how many services and people are out at that instant (out on [onset, recovery))';

CREATE FUNCTION @extschema@.impact_timeline(
    origin bigint, began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    step interval DEFAULT '1 hour')
  RETURNS SETOF @extschema@.impact_timeline_row
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT * FROM @extschema@.impact_timeline(ARRAY[origin], began, lasted, footprint, horizon, step) $$;
COMMENT ON FUNCTION @extschema@.impact_timeline(bigint, timestamptz, interval, geometry, interval, interval) IS
  'the timeline of one instance''s failure (see the bigint[] form)';

-- Issue 10, section 2: one guard function for the shipped rule sets and rules
-- (src/sql/070_rules.sql); the triggers point to it, the two old functions go.
-- Section 3: it also refuses TRUNCATE while shipped rows are there.
CREATE FUNCTION @extschema@._rules_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  is_set boolean := TG_TABLE_NAME = 'rule_set';
  set_code text;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    IF is_set THEN
      SELECT min(s.code) INTO set_code FROM @extschema@.rule_set s WHERE s.shipped;
    ELSE
      SELECT min(r.rule_set) INTO set_code FROM @extschema@.rule r WHERE r.shipped;
    END IF;
    IF set_code IS NOT NULL THEN
      RAISE EXCEPTION 'rule set "%" is shipped with ceptoar_registry and cannot be changed', set_code
        USING ERRCODE = 'insufficient_privilege',
              HINT = pg_catalog.format('Delete the rows of your own instead: DELETE FROM ceptoar.%I WHERE NOT shipped.',
                                       TG_TABLE_NAME);
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
    IF is_set THEN set_code := OLD.code; ELSE set_code := OLD.rule_set; END IF;
    RAISE EXCEPTION 'rule set "%" is shipped with ceptoar_registry and cannot be changed', set_code
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Create a rule set of your own (INSERT INTO ceptoar.rule_set ...) and add rules to it.';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NEW.shipped THEN
      RAISE EXCEPTION 'only ceptoar_registry itself ships %', CASE WHEN is_set THEN 'rule sets' ELSE 'rules' END
        USING ERRCODE = 'insufficient_privilege', HINT = 'Leave shipped false.';
    END IF;
    IF NOT is_set THEN
      IF EXISTS (SELECT 1 FROM @extschema@.rule_set s
                  WHERE s.code OPERATOR(pg_catalog.=) NEW.rule_set AND s.shipped) THEN
        RAISE EXCEPTION 'rule set "%" is shipped with ceptoar_registry and cannot be changed', NEW.rule_set
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Create a rule set of your own (INSERT INTO ceptoar.rule_set ...) and add rules to it.';
      END IF;
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION @extschema@._rules_guard() IS
  'keeps the shipped rule sets and their rules read-only (triggers rules_guard and rules_guard_truncate on rule_set and rule)';

REVOKE ALL ON FUNCTION @extschema@._rules_guard() FROM PUBLIC;
CREATE OR REPLACE TRIGGER rules_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rule_set
  FOR EACH ROW EXECUTE FUNCTION @extschema@._rules_guard();
CREATE OR REPLACE TRIGGER rules_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rule
  FOR EACH ROW EXECUTE FUNCTION @extschema@._rules_guard();
DROP FUNCTION @extschema@._rule_set_guard();
DROP FUNCTION @extschema@._rule_guard();
CREATE TRIGGER rules_guard_truncate BEFORE TRUNCATE ON @extschema@.rule_set
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._rules_guard();
CREATE TRIGGER rules_guard_truncate BEFORE TRUNCATE ON @extschema@.rule
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._rules_guard();

-- Issue 10, section 3: users' changes of sector_dependency and sector_coefficient survive
-- pg_dump and pg_restore (src/sql/090_sector_matrix.sql says how).
CREATE TABLE @extschema@.sector_matrix_removed (
  matrix    text NOT NULL CHECK (matrix IN ('sector_dependency', 'sector_coefficient')),
  dependent @extschema@.sector NOT NULL,
  supplier  @extschema@.sector NOT NULL,
  PRIMARY KEY (matrix, dependent, supplier)
);
COMMENT ON TABLE @extschema@.sector_matrix_removed IS
  'the shipped rows of sector_dependency and sector_coefficient that are gone (deleted, or replaced by a row of yours); kept by pg_dump, so that pg_restore removes them again after CREATE EXTENSION ships them';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.sector_matrix_removed', '');
COMMENT ON COLUMN @extschema@.sector_dependency.shipped IS
  'true: the row as shipped with ceptoar_registry; an update makes it yours (false); a row of yours for its pair replaces it';
COMMENT ON COLUMN @extschema@.sector_coefficient.shipped IS
  'true: the row as shipped with ceptoar_registry; an update makes it yours (false); a row of yours for its pair replaces it';

-- What users of 0.1 and 0.2 did before the triggers below existed, in the terms of 0.3: a
-- shipped row whose values (or pair) are not the shipped ones was edited and becomes the
-- user's; a shipped pair without its shipped row was deleted or replaced.  The shipped
-- rows were the same in 0.1 and 0.2.
WITH shipped (d, s, b) AS (VALUES
  ('telecom', 'electricity', '3 hours'), ('finance', 'electricity', '24 hours'),
  ('aviation', 'electricity', '1 hour'), ('airport', 'electricity', '1 hour'),
  ('rail', 'electricity', '0'), ('gas', 'electricity', '24 hours'),
  ('government', 'electricity', '12 hours'), ('medical', 'electricity', '72 hours'),
  ('water', 'electricity', '12 hours'), ('logistics', 'electricity', '6 hours'),
  ('chemical', 'electricity', '0'), ('credit', 'electricity', '24 hours'),
  ('petroleum', 'electricity', '6 hours'), ('port', 'electricity', '6 hours'),
  ('finance', 'telecom', '0'), ('aviation', 'telecom', '1 hour'), ('airport', 'telecom', '1 hour'),
  ('rail', 'telecom', '1 hour'), ('electricity', 'telecom', '2 hours'), ('gas', 'telecom', '2 hours'),
  ('government', 'telecom', '1 hour'), ('medical', 'telecom', '6 hours'), ('water', 'telecom', '6 hours'),
  ('logistics', 'telecom', '2 hours'), ('chemical', 'telecom', '6 hours'), ('credit', 'telecom', '0'),
  ('petroleum', 'telecom', '6 hours'), ('port', 'telecom', '2 hours'),
  ('medical', 'water', '24 hours'), ('chemical', 'water', '12 hours'), ('electricity', 'water', '24 hours'),
  ('government', 'water', '48 hours'),
  ('electricity', 'gas', '72 hours'), ('electricity', 'petroleum', '168 hours'),
  ('logistics', 'petroleum', '72 hours'), ('aviation', 'petroleum', '72 hours'),
  ('aviation', 'airport', '0'), ('credit', 'finance', '0'), ('logistics', 'port', '24 hours'),
  ('petroleum', 'port', '72 hours'), ('chemical', 'port', '72 hours'))
UPDATE @extschema@.sector_dependency x SET shipped = false
 WHERE x.shipped AND NOT EXISTS (
   SELECT 1 FROM shipped k
    WHERE x.dependent OPERATOR(@extschema@.=) k.d::@extschema@.sector
      AND x.supplier OPERATOR(@extschema@.=) k.s::@extschema@.sector
      -- as text: '1 day' equals '24 hours' but is not what was shipped
      AND x.buffer::pg_catalog.text OPERATOR(pg_catalog.=) k.b::pg_catalog.interval::pg_catalog.text
      AND x.source OPERATOR(pg_catalog.=) 'inferred: seed 000 names telecom, electricity and water as what other sectors depend on; buffers illustrative');
WITH shipped (d, s) AS (SELECT k.d::@extschema@.sector, k.s::@extschema@.sector FROM (VALUES
  ('telecom', 'electricity', '3 hours'), ('finance', 'electricity', '24 hours'),
  ('aviation', 'electricity', '1 hour'), ('airport', 'electricity', '1 hour'),
  ('rail', 'electricity', '0'), ('gas', 'electricity', '24 hours'),
  ('government', 'electricity', '12 hours'), ('medical', 'electricity', '72 hours'),
  ('water', 'electricity', '12 hours'), ('logistics', 'electricity', '6 hours'),
  ('chemical', 'electricity', '0'), ('credit', 'electricity', '24 hours'),
  ('petroleum', 'electricity', '6 hours'), ('port', 'electricity', '6 hours'),
  ('finance', 'telecom', '0'), ('aviation', 'telecom', '1 hour'), ('airport', 'telecom', '1 hour'),
  ('rail', 'telecom', '1 hour'), ('electricity', 'telecom', '2 hours'), ('gas', 'telecom', '2 hours'),
  ('government', 'telecom', '1 hour'), ('medical', 'telecom', '6 hours'), ('water', 'telecom', '6 hours'),
  ('logistics', 'telecom', '2 hours'), ('chemical', 'telecom', '6 hours'), ('credit', 'telecom', '0'),
  ('petroleum', 'telecom', '6 hours'), ('port', 'telecom', '2 hours'),
  ('medical', 'water', '24 hours'), ('chemical', 'water', '12 hours'), ('electricity', 'water', '24 hours'),
  ('government', 'water', '48 hours'),
  ('electricity', 'gas', '72 hours'), ('electricity', 'petroleum', '168 hours'),
  ('logistics', 'petroleum', '72 hours'), ('aviation', 'petroleum', '72 hours'),
  ('aviation', 'airport', '0'), ('credit', 'finance', '0'), ('logistics', 'port', '24 hours'),
  ('petroleum', 'port', '72 hours'), ('chemical', 'port', '72 hours')) AS k(d, s, b))
UPDATE @extschema@.sector_coefficient x SET shipped = false
 WHERE x.shipped AND NOT EXISTS (
   SELECT 1 FROM shipped k
    WHERE x.dependent OPERATOR(@extschema@.=) k.d AND x.supplier OPERATOR(@extschema@.=) k.s
      AND x.coefficient OPERATOR(pg_catalog.=) CASE k.s::pg_catalog.text WHEN 'electricity' THEN 0.3::pg_catalog.float8
                                                WHEN 'telecom' THEN 0.2::pg_catalog.float8 ELSE 0.1::pg_catalog.float8 END
      AND x.source OPERATOR(pg_catalog.=) 'inferred from sector_dependency: 0.3 on electricity, 0.2 on telecom, 0.1 otherwise; illustrative');
WITH shipped (d, s) AS (SELECT k.d::@extschema@.sector, k.s::@extschema@.sector FROM (VALUES
  ('telecom', 'electricity', '3 hours'), ('finance', 'electricity', '24 hours'),
  ('aviation', 'electricity', '1 hour'), ('airport', 'electricity', '1 hour'),
  ('rail', 'electricity', '0'), ('gas', 'electricity', '24 hours'),
  ('government', 'electricity', '12 hours'), ('medical', 'electricity', '72 hours'),
  ('water', 'electricity', '12 hours'), ('logistics', 'electricity', '6 hours'),
  ('chemical', 'electricity', '0'), ('credit', 'electricity', '24 hours'),
  ('petroleum', 'electricity', '6 hours'), ('port', 'electricity', '6 hours'),
  ('finance', 'telecom', '0'), ('aviation', 'telecom', '1 hour'), ('airport', 'telecom', '1 hour'),
  ('rail', 'telecom', '1 hour'), ('electricity', 'telecom', '2 hours'), ('gas', 'telecom', '2 hours'),
  ('government', 'telecom', '1 hour'), ('medical', 'telecom', '6 hours'), ('water', 'telecom', '6 hours'),
  ('logistics', 'telecom', '2 hours'), ('chemical', 'telecom', '6 hours'), ('credit', 'telecom', '0'),
  ('petroleum', 'telecom', '6 hours'), ('port', 'telecom', '2 hours'),
  ('medical', 'water', '24 hours'), ('chemical', 'water', '12 hours'), ('electricity', 'water', '24 hours'),
  ('government', 'water', '48 hours'),
  ('electricity', 'gas', '72 hours'), ('electricity', 'petroleum', '168 hours'),
  ('logistics', 'petroleum', '72 hours'), ('aviation', 'petroleum', '72 hours'),
  ('aviation', 'airport', '0'), ('credit', 'finance', '0'), ('logistics', 'port', '24 hours'),
  ('petroleum', 'port', '72 hours'), ('chemical', 'port', '72 hours')) AS k(d, s, b))
INSERT INTO @extschema@.sector_matrix_removed (matrix, dependent, supplier)
SELECT m.matrix, k.d, k.s
  FROM shipped k CROSS JOIN (VALUES ('sector_dependency'), ('sector_coefficient')) AS m(matrix)
 WHERE NOT (m.matrix OPERATOR(pg_catalog.=) 'sector_dependency' AND EXISTS (
              SELECT 1 FROM @extschema@.sector_dependency x
               WHERE x.dependent OPERATOR(@extschema@.=) k.d AND x.supplier OPERATOR(@extschema@.=) k.s AND x.shipped))
   AND NOT (m.matrix OPERATOR(pg_catalog.=) 'sector_coefficient' AND EXISTS (
              SELECT 1 FROM @extschema@.sector_coefficient x
               WHERE x.dependent OPERATOR(@extschema@.=) k.d AND x.supplier OPERATOR(@extschema@.=) k.s AND x.shipped));

-- The triggers on both matrices (SECURITY DEFINER: a role allowed to write a matrix needs
-- no privilege on sector_matrix_removed, which nobody but the owner writes directly).
CREATE FUNCTION @extschema@._sector_matrix_write() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  drop_shipped constant text := pg_catalog.format(
    'DELETE FROM @extschema@.%I WHERE dependent OPERATOR(@extschema@.=) $1 AND supplier OPERATOR(@extschema@.=) $2 AND shipped',
    TG_TABLE_NAME);
BEGIN
  -- one writer of the matrices and their removed pairs at a time: pg_restore -j copies
  -- the tables at once, and two transactions deleting shipped rows could wait for each other
  LOCK TABLE @extschema@.sector_matrix_removed IN SHARE ROW EXCLUSIVE MODE;
  IF TG_LEVEL = 'STATEMENT' THEN
    -- TRUNCATE: the shipped rows go one by one first, so that each leaves its pair
    EXECUTE pg_catalog.format('DELETE FROM @extschema@.%I WHERE shipped', TG_TABLE_NAME);
    RETURN NULL;
  END IF;
  IF TG_WHEN = 'AFTER' THEN
    -- DELETE or UPDATE of a shipped row: remember its pair
    IF OLD.shipped THEN
      INSERT INTO @extschema@.sector_matrix_removed (matrix, dependent, supplier)
      VALUES (TG_TABLE_NAME, OLD.dependent, OLD.supplier) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END IF;
  -- BEFORE INSERT or UPDATE
  IF TG_OP = 'UPDATE' AND OLD.shipped THEN
    NEW.shipped := false;
  ELSIF NEW.shipped THEN
    RAISE EXCEPTION 'only ceptoar_registry itself ships rows of %', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Leave shipped false: a row of yours for a shipped pair replaces the shipped row.';
  END IF;
  IF TG_OP = 'INSERT' OR NOT (NEW.dependent OPERATOR(@extschema@.=) OLD.dependent
                              AND NEW.supplier OPERATOR(@extschema@.=) OLD.supplier) THEN
    EXECUTE drop_shipped USING NEW.dependent, NEW.supplier;
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._sector_matrix_write() IS
  'sector matrices: an updated shipped row becomes the user''s, a row of the user''s replaces the shipped row of its pair, and a shipped row that goes is remembered in sector_matrix_removed';

CREATE TRIGGER users_rows BEFORE INSERT OR UPDATE ON @extschema@.sector_dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER users_rows BEFORE INSERT OR UPDATE ON @extschema@.sector_coefficient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_row_gone AFTER UPDATE OR DELETE ON @extschema@.sector_dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_row_gone AFTER UPDATE OR DELETE ON @extschema@.sector_coefficient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_rows_truncated BEFORE TRUNCATE ON @extschema@.sector_dependency
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._sector_matrix_write();
CREATE TRIGGER shipped_rows_truncated BEFORE TRUNCATE ON @extschema@.sector_coefficient
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._sector_matrix_write();

-- The removed pairs: a pair written here deletes the shipped row of that pair (pg_restore
-- after CREATE EXTENSION); a pair that is here already is not written twice (deleting the
-- shipped row wrote it, or a row of the user's replaced it first).  A pair once here stays:
-- deleting it would bring the shipped row back at the next restore only.
CREATE FUNCTION @extschema@._sector_matrix_removed_write() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    LOCK TABLE @extschema@.sector_matrix_removed IN SHARE ROW EXCLUSIVE MODE;   -- see _sector_matrix_write()
    IF NEW.matrix IN ('sector_dependency', 'sector_coefficient') THEN
      EXECUTE pg_catalog.format(
        'DELETE FROM @extschema@.%I WHERE dependent OPERATOR(@extschema@.=) $1 AND supplier OPERATOR(@extschema@.=) $2 AND shipped',
        NEW.matrix) USING NEW.dependent, NEW.supplier;
      IF EXISTS (SELECT 1 FROM @extschema@.sector_matrix_removed r
                  WHERE r.matrix OPERATOR(pg_catalog.=) NEW.matrix
                    AND r.dependent OPERATOR(@extschema@.=) NEW.dependent
                    AND r.supplier OPERATOR(@extschema@.=) NEW.supplier) THEN
        RETURN NULL;
      END IF;
    END IF;
    RETURN NEW;   -- another matrix: the CHECK constraint refuses it
  END IF;
  RAISE EXCEPTION 'the pairs in ceptoar.sector_matrix_removed cannot be changed or deleted'
    USING ERRCODE = 'insufficient_privilege',
          DETAIL = 'They keep the shipped rows you deleted or replaced out of the sector matrices after pg_dump and pg_restore.',
          HINT = 'To use a shipped row again, insert it into the matrix as a row of your own.';
END $$;
COMMENT ON FUNCTION @extschema@._sector_matrix_removed_write() IS
  'sector_matrix_removed: a pair written there deletes the shipped row of that pair; pairs are written once and never changed or deleted';
CREATE TRIGGER removes_shipped_row BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.sector_matrix_removed
  FOR EACH ROW EXECUTE FUNCTION @extschema@._sector_matrix_removed_write();
CREATE TRIGGER removes_shipped_row_truncate BEFORE TRUNCATE ON @extschema@.sector_matrix_removed
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._sector_matrix_removed_write();

GRANT SELECT ON @extschema@.sector_matrix_removed TO PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._sector_matrix_write(), @extschema@._sector_matrix_removed_write() FROM PUBLIC;

-- The graph has no cache trigger any more (0.2): the comment says what the trigger does now.
COMMENT ON FUNCTION @extschema@._cache_invalidate() IS
  'statement trigger of the rule tables: a relcache invalidation, after which every backend checks its user''s privileges for the rule cache again';
