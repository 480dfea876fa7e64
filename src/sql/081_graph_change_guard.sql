-- 081_graph_change_guard.sql (0.6): graph_change (080_graph.sql) is pruned by TRUNCATE
-- only.  A deleted or changed row would hide a transaction's change from every backend
-- whose image predates it: its delta would miss those keys and impact() would answer from
-- a graph without them.  TRUNCATE gives the table a new file, which no image knows, so
-- the next call reads the tables instead.  The guard is ALWAYS, as the triggers that
-- write the log are (also under session_replication_role = replica).
CREATE FUNCTION @extschema@._graph_change_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'rows of ceptoar.graph_change are never deleted or changed'
    USING ERRCODE = 'insufficient_privilege',
          DETAIL = 'A backend whose graph image is older than a deleted or changed row would miss the change it logged.',
          HINT = 'Prune the log with TRUNCATE ceptoar.graph_change, at a quiet moment.';
END $$;
COMMENT ON FUNCTION @extschema@._graph_change_guard() IS
  'refuses DELETE and UPDATE on graph_change (pruned by TRUNCATE only)';
CREATE TRIGGER graph_change_guard BEFORE UPDATE OR DELETE ON @extschema@.graph_change
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_change_guard();
ALTER TABLE @extschema@.graph_change ENABLE ALWAYS TRIGGER graph_change_guard;
-- a trigger function, as the others: not for PUBLIC to call
REVOKE ALL ON FUNCTION @extschema@._graph_change_guard() FROM PUBLIC;
