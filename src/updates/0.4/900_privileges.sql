-- 900_privileges.sql's additions of 0.4 (the registry).
REVOKE ALL ON @extschema@.operator, @extschema@.report, @extschema@.report_revision,
  @extschema@.report_verdicts, @extschema@.report_verification, @extschema@.report_link,
  @extschema@.report_step FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._operator_check(), @extschema@._report_before(),
  @extschema@._report_after(), @extschema@._report_restore(), @extschema@._report_keep(),
  @extschema@._report_step_check(), @extschema@._report_link_check(),
  @extschema@._instance_sector_check(), @extschema@._operator_sector_check() FROM PUBLIC;
-- revoke() and verify() run with their caller's privileges; they are the parties' (access layer)
REVOKE ALL ON FUNCTION @extschema@.revoke(uuid, text), @extschema@.verify(uuid, text, text) FROM PUBLIC;
-- the registry's flows
REVOKE ALL ON @extschema@.report_delivery, @extschema@.alert, @extschema@.alert_delivery,
  @extschema@.unacknowledged FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._report_deliver(), @extschema@._flow_keep(),
  @extschema@.acknowledge_report(uuid, text),
  @extschema@.issue_alert(text, text, @extschema@.sector[], @extschema@.tlp),
  @extschema@.forward_alert(uuid, text), @extschema@.acknowledge_alert(uuid, text) FROM PUBLIC;
-- parties (issue 13)
REVOKE ALL ON @extschema@.party FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.register_party(regrole, text, text),
  @extschema@.unregister_party(regrole),
  @extschema@._party_privileges(regrole, text, boolean) FROM PUBLIC;
-- recipients of red reports (issue 13)
REVOKE ALL ON @extschema@.report_recipient FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._report_recipient_check() FROM PUBLIC;
-- anonymised sharing (issue 13, 230_shared_reports.sql): every role reads shared_reports (the
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
