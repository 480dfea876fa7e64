-- 0.5 update (issue 11 §2): the log of the graph's changes, as in src/sql/080_graph.sql.

-- What changed in the graph, key by key (issue 11): one row per instance or dependency
-- touched, with the transaction that touched it, written by the AFTER statement triggers
-- graph_logged (with transition tables; ALWAYS) and, on a logical-replication subscriber
-- whose apply worker fires row triggers only, by the row triggers graph_logged_applied
-- (REPLICA).  A backend whose graph image (src/graph_image.c) is older than its statement
-- reads the rows of the keys whose transactions the two snapshots see differently, and
-- lays them over the image (src/graph_delta.c) instead of reading the whole graph.  A
-- statement that touches more than 50,000 rows writes one row of NULL keys instead:
-- "read everything".  Never published (federation_tables() lists what is); not dumped.
CREATE TABLE @extschema@.graph_change (
  xid        xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
  instance   bigint,
  dependent  bigint,
  supplier   bigint
);
COMMENT ON TABLE @extschema@.graph_change IS
  'keys of the dependency graph touched, by transaction: what a backend lays over an older image of the graph (NULL keys: read everything)';
CREATE INDEX graph_change_xid ON @extschema@.graph_change (xid);

CREATE FUNCTION @extschema@._graph_logged() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n_rows bigint := 0;
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    IF TG_TABLE_NAME = 'service_instance' THEN
      INSERT INTO @extschema@.graph_change (instance)
      SELECT DISTINCT k FROM (VALUES (OLD.id), (NEW.id)) AS v(k) WHERE k IS NOT NULL;
    ELSE
      INSERT INTO @extschema@.graph_change (dependent, supplier)
      SELECT DISTINCT d, s FROM (VALUES (OLD.dependent, OLD.supplier), (NEW.dependent, NEW.supplier)) AS v(d, s)
       WHERE d IS NOT NULL;
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    n_rows := (SELECT pg_catalog.count(*) FROM new_rows);
  ELSE
    n_rows := (SELECT pg_catalog.count(*) FROM old_rows);
  END IF;
  IF n_rows OPERATOR(pg_catalog.>) 50000 THEN
    INSERT INTO @extschema@.graph_change DEFAULT VALUES;
  ELSIF TG_TABLE_NAME = 'service_instance' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO @extschema@.graph_change (instance) SELECT id FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO @extschema@.graph_change (instance) SELECT id FROM old_rows;
    ELSE
      INSERT INTO @extschema@.graph_change (instance) SELECT id FROM old_rows UNION SELECT id FROM new_rows;
    END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN
      INSERT INTO @extschema@.graph_change (dependent, supplier) SELECT dependent, supplier FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO @extschema@.graph_change (dependent, supplier) SELECT dependent, supplier FROM old_rows;
    ELSE
      INSERT INTO @extschema@.graph_change (dependent, supplier)
      SELECT dependent, supplier FROM old_rows UNION SELECT dependent, supplier FROM new_rows;
    END IF;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._graph_logged() IS
  'logs the keys of the dependency graph a statement (or an applied row) touched in graph_change';
CREATE TRIGGER graph_logged_insert AFTER INSERT ON @extschema@.service_instance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_update AFTER UPDATE ON @extschema@.service_instance
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_delete AFTER DELETE ON @extschema@.service_instance
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_insert AFTER INSERT ON @extschema@.dependency
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_update AFTER UPDATE ON @extschema@.dependency
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_delete AFTER DELETE ON @extschema@.dependency
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_logged_insert;
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_logged_update;
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_logged_delete;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_logged_insert;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_logged_update;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_logged_delete;
CREATE TRIGGER graph_logged_applied AFTER INSERT OR UPDATE OR DELETE ON @extschema@.service_instance
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_applied AFTER INSERT OR UPDATE OR DELETE ON @extschema@.dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_logged();
ALTER TABLE @extschema@.service_instance ENABLE REPLICA TRIGGER graph_logged_applied;
ALTER TABLE @extschema@.dependency ENABLE REPLICA TRIGGER graph_logged_applied;
