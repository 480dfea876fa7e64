-- 0.5 update: the privileges of STIX 2.1 (300_stix.sql), as in 900_privileges.sql: stix_bundle()
-- stays PUBLIC's (it answers for the caller's
-- party only, through shared_reports); import_stix() runs as its caller, who needs the
-- right to file reports, and stays PUBLIC's too.  What they read as the owner is not
-- PUBLIC's: the incident of a row of shared_reports (a forged row would show any report),
-- the unmapped parts of imported bundles (the owner's), and _stix_keep (import_stix's,
-- which checks the caller may file reports and sees the report).
REVOKE ALL ON @extschema@.stix_unmapped FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._stix_incident(@extschema@.shared_reports) FROM PUBLIC;
-- What the bundles said of imported reports' history (stix_imported) is the owner's,
-- written by _stix_imported, which checks the caller has just filed the report, for
-- import_stix; stix_unmapped_purge() deletes the caller's own unmapped parts (the owner's
-- call: everyone's) and stays PUBLIC's.
REVOKE ALL ON @extschema@.stix_imported FROM PUBLIC;
