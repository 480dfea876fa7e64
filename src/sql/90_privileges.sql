-- 90_privileges.sql: what PUBLIC may do.  The schema is created without PUBLIC
-- USAGE; readers get USAGE (types, functions, catalogue views) and nothing
-- that writes.  Later fragments add roles for the registry's tables.

REVOKE ALL ON SCHEMA @extschema@ FROM PUBLIC;
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

GRANT SELECT ON @extschema@.plans, @extschema@.plan_revisions, @extschema@.sectors,
  @extschema@.ministries, @extschema@.ministry_sectors, @extschema@.ceptoars,
  @extschema@.services TO PUBLIC;
