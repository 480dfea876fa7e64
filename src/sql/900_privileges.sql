-- 900_privileges.sql: what PUBLIC may do.  The schema is created without PUBLIC
-- USAGE; readers get USAGE (types, functions, catalogue views) and nothing
-- that writes.  Later fragments add roles for the registry's tables.

REVOKE ALL ON SCHEMA @extschema@ FROM PUBLIC;
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

GRANT SELECT ON @extschema@.plans, @extschema@.plan_revisions, @extschema@.sectors,
  @extschema@.ministries, @extschema@.ministry_sectors, @extschema@.ceptoars,
  @extschema@.services TO PUBLIC;

-- Rules: everyone may read them; writing is for the owner and the roles a DBA grants it to.
GRANT SELECT ON @extschema@.rule_set, @extschema@.rule TO PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._rules_guard(),
  @extschema@._cache_invalidate(), @extschema@._graph_changed(),
  @extschema@._graph_version_guard(), @extschema@._sector_matrix_write(),
  @extschema@._sector_matrix_removed_write() FROM PUBLIC;
-- The graph's change counter is written by the trigger as the extension's owner, and so
-- is its change log (issue 11).
REVOKE ALL ON @extschema@.graph_version FROM PUBLIC;
REVOKE ALL ON @extschema@.graph_change FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._graph_logged() FROM PUBLIC;

-- Impact: the instance and dependency data is for the roles a DBA grants SELECT to;
-- impact() checks that privilege itself.  The sector matrix is public knowledge.
GRANT SELECT ON @extschema@.sector_dependency, @extschema@.sector_coefficient,
  @extschema@.sector_matrix_removed TO PUBLIC;

-- tlp and the min()/max() aggregates of sector, service, incident and tlp (0.4):
-- usable by PUBLIC, as sector is.  PostgreSQL gives PUBLIC USAGE on a new type
-- and EXECUTE on a new function or aggregate, and nothing here revokes them
-- (test/10_privileges.sql checks it), so there is nothing to grant.
-- Reference data of the registry (issue 12: CEPTOAR codes, exercises, ratings): the
-- exercises are readable by everyone like the catalogues; writing them (users' own
-- exercises) is for the owner and the roles a DBA grants it to.  PUBLIC may not execute
-- the guard, a trigger function; the ratings' error helper stays executable (the rating
-- functions call it with their caller's privileges).
GRANT SELECT ON @extschema@.exercises TO PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._shipped_guard() FROM PUBLIC;

-- The registry (0.4): operators and reports are for the roles a DBA grants them to (the
-- access layer will make the parties); nothing for PUBLIC.  The history is written by the
-- registry's triggers only.
REVOKE ALL ON @extschema@.operator, @extschema@.report, @extschema@.report_revision,
  @extschema@.report_verdicts, @extschema@.report_verification, @extschema@.report_link,
  @extschema@.report_step FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._operator_check(), @extschema@._report_before(),
  @extschema@._report_after(), @extschema@._report_restore(), @extschema@._report_keep(),
  @extschema@._report_step_check(), @extschema@._report_link_check(),
  @extschema@._instance_sector_check(), @extschema@._operator_sector_check() FROM PUBLIC;
-- revoke() and verify() run with their caller's privileges; they are the parties' (access layer)
REVOKE ALL ON FUNCTION @extschema@.revoke(uuid, text), @extschema@.verify(uuid, text, text) FROM PUBLIC;

-- Statistics (0.4, 160_statistics.sql): annual_statistics() and annual_exclusions() stay
-- executable by PUBLIC (the default) and need nothing more: they are SECURITY INVOKER and
-- read ceptoar.report with the caller's privileges, so they count only what the caller may
-- read.  Nothing to grant or revoke (the same in the update script).
-- The registry's flows (0.4): deliveries and alerts are for the roles a DBA grants them to;
-- nothing for PUBLIC.  The upward deliveries are written by the report trigger as the owner;
-- the functions that issue, forward and acknowledge run with their caller's privileges and
-- are not PUBLIC's either (the access layer will grant them to the parties).
REVOKE ALL ON @extschema@.report_delivery, @extschema@.alert, @extschema@.alert_delivery,
  @extschema@.unacknowledged FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._report_deliver(), @extschema@._flow_keep(),
  @extschema@.acknowledge_report(uuid, text),
  @extschema@.issue_alert(text, text, @extschema@.sector[], @extschema@.tlp),
  @extschema@.forward_alert(uuid, text), @extschema@.acknowledge_alert(uuid, text) FROM PUBLIC;
-- Parties (0.4, 200_party.sql): the roster is the owner's; registering is for the owner
-- and the roles it grants EXECUTE to; every role may ask which party it is.
REVOKE ALL ON @extschema@.party FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.register_party(regrole, text, text),
  @extschema@.unregister_party(regrole),
  @extschema@._party_privileges(regrole, text, boolean) FROM PUBLIC;
-- Recipients of red reports (0.4, 210_report_recipient.sql): for the parties (access layer).
REVOKE ALL ON @extschema@.report_recipient FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._report_recipient_check() FROM PUBLIC;
-- Anonymised sharing (0.4, 230_shared_reports.sql): every role reads shared_reports (the
-- view limits the rows to its party).  The key is the owner's; rotating it is the owner's
-- (and the roles it grants EXECUTE to).  The read functions (response_timeline,
-- suspected_origins, verdicts) stay PUBLIC's: they answer for the caller's party only.
GRANT SELECT ON @extschema@.shared_reports TO PUBLIC;
REVOKE ALL ON @extschema@.pseudonym_key, @extschema@._viewer FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._pseudonym_pads(), @extschema@._pseudonym_key_restore(),
  @extschema@.rotate_pseudonym_key(), @extschema@._sees(uuid) FROM PUBLIC;
-- Who writes the configuration, and the audit of identity reads (0.4, 240_access_config.sql):
-- the triggers' functions and the parties' grants are not PUBLIC's; the audit is the owner's.
-- _audit_read() stays executable by PUBLIC: it runs as its caller and records the caller
-- itself, so that every reader the registry's functions reveal identity to is recorded.
REVOKE ALL ON @extschema@.identity_reads FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._rules_writer(), @extschema@._graph_writer(),
  @extschema@._operator_levels_writer(), @extschema@._identity_reads_keep(),
  @extschema@._party_privileges_config(regrole, text, boolean) FROM PUBLIC;
-- Access (0.4, 220_access.sql): the parties' privileges on the registry are granted by
-- register_party (_party_privileges_registry); PUBLIC keeps nothing.  _party_require() and
-- _today_jst() stay PUBLIC's (they tell the caller about itself, and today); _named_reports
-- and _my_alerts show each role its own names and alerts only, and the policies read them
-- (a policy's tables are checked against the querying role's privileges).
REVOKE ALL ON FUNCTION @extschema@._party_privileges_registry(regrole, text, boolean),
  @extschema@._report_recipient_deliver() FROM PUBLIC;
REVOKE ALL ON @extschema@._named_reports, @extschema@._my_alerts FROM PUBLIC;
GRANT SELECT ON @extschema@._named_reports, @extschema@._my_alerts TO PUBLIC;
-- STIX 2.1 (0.5, 300_stix.sql): stix_bundle() stays PUBLIC's (it answers for the caller's
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

-- Federation (0.5, 320_federation.sql): the audiences and their copies are the owner's (a
-- hub publishes them; an audience's DBA grants SELECT on its received copy); the triggers'
-- functions and federation_refresh() are not PUBLIC's.  The *_sql functions only write
-- statements and stay PUBLIC's.
REVOKE ALL ON @extschema@.federation_audience, @extschema@.audience_copy FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._federation_copy(uuid[]), @extschema@._federation_written(),
  @extschema@._federation_row(), @extschema@._federation_truncate(), @extschema@.federation_refresh() FROM PUBLIC;

-- The map (0.5, 360_map.sql): impact_map() and its helpers _impact_svg() and _xml_escape()
-- stay executable by PUBLIC (the default), as impact() is: they run with their caller's
-- privileges, and impact() checks that the caller may read the graph.  Nothing to grant
-- or revoke (the same in the update script, src/updates/0.5/960_map_privileges.sql).
