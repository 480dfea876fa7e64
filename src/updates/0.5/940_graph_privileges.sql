-- 0.5 update: the privileges of the graph's change log (issue 11), as in 900_privileges.sql.
REVOKE ALL ON @extschema@.graph_change FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._graph_logged() FROM PUBLIC;
