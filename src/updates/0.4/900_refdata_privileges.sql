-- 0.4/900_refdata_privileges.sql: the grants of src/sql/900_privileges.sql for the
-- reference data 0.4 adds (exercises; the guard trigger function).
GRANT SELECT ON @extschema@.exercises TO PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._shipped_guard() FROM PUBLIC;
