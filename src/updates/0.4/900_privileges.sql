-- 900_privileges.sql's additions of 0.4 (the registry).
REVOKE ALL ON @extschema@.operator, @extschema@.report, @extschema@.report_revision,
  @extschema@.report_verdicts, @extschema@.report_verification, @extschema@.report_link,
  @extschema@.report_step FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._operator_check(), @extschema@._report_before(),
  @extschema@._report_after(), @extschema@._report_restore(), @extschema@._report_keep(),
  @extschema@._report_step_check(), @extschema@._report_link_check() FROM PUBLIC;
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
-- Access (0.4, 220_access.sql): the parties' privileges on the registry are granted by
-- register_party (_party_privileges_registry); PUBLIC keeps nothing.  _party_require() and
-- _today_jst() stay PUBLIC's (they tell the caller about itself, and today); _named_reports
-- and _my_alerts show each role its own names and alerts only, and the policies read them
-- (a policy's tables are checked against the querying role's privileges).
REVOKE ALL ON FUNCTION @extschema@._party_privileges_registry(regrole, text, boolean),
  @extschema@._report_recipient_deliver() FROM PUBLIC;
REVOKE ALL ON @extschema@._named_reports, @extschema@._my_alerts FROM PUBLIC;
GRANT SELECT ON @extschema@._named_reports, @extschema@._my_alerts TO PUBLIC;
