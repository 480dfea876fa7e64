-- ceptoar_registry 0.1 -> 0.2: the reliability release (issue 9).
-- Every change to the install script (src/sql/) since 0.1 is repeated here, so
-- that ALTER EXTENSION ceptoar_registry UPDATE gives the catalog of a fresh
-- install of 0.2 (test/upgrade.sh compares them).
\echo Use "ALTER EXTENSION ceptoar_registry UPDATE TO '0.2'" to load this file. \quit

-- D8: a dependency's buffer is at most what the impact engine represents (2^63-1 us).
-- Rows beyond it (which 0.1 misread) make this update fail: fix them first.
ALTER TABLE @extschema@.dependency DROP CONSTRAINT dependency_buffer_fixed;
ALTER TABLE @extschema@.dependency ADD CONSTRAINT dependency_buffer_fixed
  CHECK (buffer OPERATOR(pg_catalog.>=) interval '0'
    AND pg_catalog.date_part('month', buffer) OPERATOR(pg_catalog.=) 0
    AND pg_catalog.date_part('year', buffer) OPERATOR(pg_catalog.=) 0
    AND buffer OPERATOR(pg_catalog.<=) interval '106751991 days 04:00:54.775807');
COMMENT ON CONSTRAINT dependency_buffer_fixed ON @extschema@.dependency IS
  'a buffer is a fixed duration: not negative, no months or years, at most 2^63-1 microseconds (106751991 days 04:00:54.775807), what the impact engine represents';

-- D3/D10: the graph counter is never truncated (a REPEATABLE READ snapshot would see a
-- truncated counter beside older rows); changes are counted before they are made.
CREATE OR REPLACE FUNCTION @extschema@._graph_version_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION 'ceptoar.graph_version only grows'
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'Deleting or truncating counts could make an outdated image of the graph look current.',
            HINT = 'The counter is never reset: a bigint, raised once per (sub)transaction that changes the graph.';
  ELSIF NEW.changes < OLD.changes OR NEW.slot <> OLD.slot THEN
    RAISE EXCEPTION 'ceptoar.graph_version only grows'
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'Lowering a count could make an outdated image of the graph look current.',
            HINT = 'The counter is never reset: a bigint, raised once per (sub)transaction that changes the graph.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._graph_version_guard() IS 'keeps ceptoar.graph_version growing';
CREATE TRIGGER graph_version_no_truncate BEFORE TRUNCATE ON @extschema@.graph_version
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_version_guard();
DROP TRIGGER graph_changed ON @extschema@.service_instance;
DROP TRIGGER graph_changed ON @extschema@.dependency;
CREATE TRIGGER graph_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.service_instance
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_changed();
CREATE TRIGGER graph_changed BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.dependency
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_changed();
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_changed;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_changed;
