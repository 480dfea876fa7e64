-- 220_access.sql: who sees and writes the registry's tables (issue 13, section 2), for the
-- parties that see an operator's identity: the operator O itself, the competent ministry M
-- (report.ministry_code) and NISC.  Everyone else reads reports through the pseudonymised
-- view ceptoar.shared_reports (another fragment) and gets nothing here but its own
-- deliveries to acknowledge.
--
-- Row-level security is ENABLEd, not FORCEd: the extension's owner (and so the registry's
-- SECURITY DEFINER triggers, pg_dump and pg_restore) and superusers bypass it.  Policies are
-- written TO PUBLIC against the caller's party, _party_kind() and _party_code(), always as
-- scalar sub-selects (an InitPlan: once per statement), compared with plain indexed columns
-- (report.operator, report.ministry_code, report.tlp_rank), so a ministry's query keeps its
-- index scans.  What a party may do at all (SELECT, INSERT, UPDATE, EXECUTE) is granted by
-- register_party through _party_privileges_registry(); the policies then decide which rows.
--
-- report: O sees and writes its own reports, M its sectors' (by ministry_code, the ministry
-- competent on the day reported), NISC every report not TLP:RED and the red ones it is named
-- a recipient of (report_recipient).  Every table that hangs off a report (revisions,
-- verdicts, verification, steps, recipients, deliveries) shows a row exactly when its report
-- is visible in ceptoar.report (EXISTS under the same policies); links need both ends.
-- report_recipient is read in report's own policy through _named_reports, an owner's view,
-- so that report_recipient's policies can refer back to report without a cycle.

-- The reports the caller's party is named a recipient of.  An owner's view (its table is
-- read as the owner, bypassing row-level security), security_barrier, limited to the
-- caller's own code: it shows a party only its own names.
CREATE VIEW @extschema@._named_reports WITH (security_barrier = true) AS
  SELECT n.report FROM @extschema@.report_recipient n
   WHERE n.recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code());
COMMENT ON VIEW @extschema@._named_reports IS
  'the reports the caller''s party is named a recipient of (report_recipient), for the row-level security of ceptoar.report';

-- The caller's party, for the writer functions: NULL when the caller bypasses row-level
-- security on ceptoar.report (the extension's owner, a superuser: the registry's
-- administrator, for whom the functions behave as before parties existed); else the code of
-- its party when its kind is one of kinds; else insufficient_privilege.  Runs as the caller:
-- a SECURITY DEFINER function no longer knows who called it.
CREATE FUNCTION @extschema@._party_require(action text, kinds text[]) RETURNS text
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  k text;
BEGIN
  IF NOT pg_catalog.row_security_active('@extschema@.report'::pg_catalog.regclass) THEN
    RETURN NULL;
  END IF;
  k := @extschema@._party_kind();
  IF k IS NULL OR NOT k OPERATOR(pg_catalog.=) ANY (kinds) THEN
    RAISE EXCEPTION '% is not for %', action,
          CASE WHEN k IS NULL THEN 'a role that acts as no party' ELSE 'a party of kind ' OPERATOR(pg_catalog.||) k END
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('%s is for: %s. ceptoar.my_party() shows which party you act as.',
                     action, pg_catalog.array_to_string(kinds, ', '));
  END IF;
  RETURN @extschema@._party_code();
END $$;
COMMENT ON FUNCTION @extschema@._party_require(text, text[]) IS
  'the caller''s party code if its kind is one of kinds, NULL if it bypasses row-level security (the owner); else insufficient_privilege';

-- Japan's today, for "competent today".
CREATE FUNCTION @extschema@._today_jst() RETURNS date
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN (pg_catalog.now() AT TIME ZONE 'Asia/Tokyo')::date;
COMMENT ON FUNCTION @extschema@._today_jst() IS 'today in Japan (the day of the transaction''s start, Asia/Tokyo)';

-- ceptoar.report
ALTER TABLE @extschema@.report ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_operator ON @extschema@.report
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'operator'
         AND operator OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));
CREATE POLICY report_ministry ON @extschema@.report
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'ministry'
         AND ministry_code OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));
CREATE POLICY report_nisc ON @extschema@.report
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         AND (tlp_rank OPERATOR(pg_catalog.<) 4
              OR id IN (SELECT n.report FROM @extschema@._named_reports n)));

-- The tables of a report's history: visible with the report.
ALTER TABLE @extschema@.report_revision ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_revision_visible ON @extschema@.report_revision FOR SELECT
  USING (EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_revision.report));
ALTER TABLE @extschema@.report_verdicts ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_verdicts_visible ON @extschema@.report_verdicts FOR SELECT
  USING (EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_verdicts.report));

-- verify() writes as the caller (M or NISC): its own role, now, the report's current
-- revision and computed level; a direct INSERT can state nothing else.
ALTER TABLE @extschema@.report_verification ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_verification_visible ON @extschema@.report_verification FOR SELECT
  USING (EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_verification.report));
CREATE POLICY report_verification_verify ON @extschema@.report_verification FOR INSERT
  WITH CHECK ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) ANY (ARRAY['ministry', 'nisc'])
              AND verified_by OPERATOR(pg_catalog.=) CURRENT_USER
              AND verified_at OPERATOR(pg_catalog.>=) pg_catalog.statement_timestamp()
              AND verified_at OPERATOR(pg_catalog.<=) pg_catalog.clock_timestamp()
              AND EXISTS (SELECT 1 FROM @extschema@.report r
                           WHERE r.id OPERATOR(pg_catalog.=) report_verification.report
                             AND r.revision OPERATOR(pg_catalog.=) report_verification.revision
                             AND r.level IS NOT DISTINCT FROM report_verification.computed));

-- Steps: written by whoever sees the report in ceptoar.report (O, M, NISC).
ALTER TABLE @extschema@.report_step ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_step_visible ON @extschema@.report_step
  USING (EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_step.report));

-- Links: both reports visible, to read and to write.
ALTER TABLE @extschema@.report_link ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_link_visible ON @extschema@.report_link
  USING (EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_link.report)
         AND EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_link.related));

-- Recipients: a party sees that it is named; O, M and NISC see the names of the reports they
-- see.  O and M name recipients of their reports, as themselves, now.
ALTER TABLE @extschema@.report_recipient ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_recipient_visible ON @extschema@.report_recipient FOR SELECT
  USING (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())
         OR EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_recipient.report));
CREATE POLICY report_recipient_name ON @extschema@.report_recipient FOR INSERT
  WITH CHECK ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) ANY (ARRAY['operator', 'ministry'])
              AND named_by OPERATOR(pg_catalog.=) CURRENT_USER
              AND named_at OPERATOR(pg_catalog.=) pg_catalog.now()
              AND EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_recipient.report));

-- Deliveries of reports: a recipient sees and acknowledges its own; O, M and NISC see those
-- of the reports they see.
ALTER TABLE @extschema@.report_delivery ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_delivery_visible ON @extschema@.report_delivery FOR SELECT
  USING (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())
         OR EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) report_delivery.report));
CREATE POLICY report_delivery_acknowledge ON @extschema@.report_delivery FOR UPDATE
  USING (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
  WITH CHECK (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));

-- Alerts: NISC sees and issues them all; a ministry or an operator sees those delivered to
-- it.  A ministry forwards an alert delivered to it to the operators of the alert's sectors
-- it is competent for today; NISC forwards for any ministry.  Each acknowledges its own.
-- The alerts delivered to the caller are read through an owner's view, _my_alerts, as
-- report_recipient is through _named_reports: alert_delivery's policy for forwarding needs
-- the alert's sectors, and alert's policy the deliveries (a cycle of policies is refused).
CREATE VIEW @extschema@._my_alerts WITH (security_barrier = true) AS
  SELECT a.id, a.sectors FROM @extschema@.alert a
   WHERE EXISTS (SELECT 1 FROM @extschema@.alert_delivery d
                  WHERE d.alert OPERATOR(pg_catalog.=) a.id
                    AND d.recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));
COMMENT ON VIEW @extschema@._my_alerts IS
  'the alerts delivered to the caller''s party (id, sectors), for the row-level security of ceptoar.alert and alert_delivery';
ALTER TABLE @extschema@.alert ENABLE ROW LEVEL SECURITY;
CREATE POLICY alert_visible ON @extschema@.alert FOR SELECT
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         OR id IN (SELECT m.id FROM @extschema@._my_alerts m));
CREATE POLICY alert_issue ON @extschema@.alert FOR INSERT
  WITH CHECK ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
              AND issued_by OPERATOR(pg_catalog.=) CURRENT_USER
              AND issued_at OPERATOR(pg_catalog.=) pg_catalog.now());
ALTER TABLE @extschema@.alert_delivery ENABLE ROW LEVEL SECURITY;
CREATE POLICY alert_delivery_visible ON @extschema@.alert_delivery FOR SELECT
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         OR recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())
         OR forwarded_by OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));
CREATE POLICY alert_delivery_deliver ON @extschema@.alert_delivery FOR INSERT
  WITH CHECK (delivered_at OPERATOR(pg_catalog.=) pg_catalog.now() AND acknowledged_at IS NULL
              AND ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
                   OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'ministry'
                       AND recipient_kind OPERATOR(pg_catalog.=) 'operator'
                       AND forwarded_by OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())
                       AND EXISTS (SELECT 1 FROM @extschema@._my_alerts a, @extschema@.operator o
                                    WHERE a.id OPERATOR(pg_catalog.=) alert_delivery.alert
                                      AND o.code OPERATOR(pg_catalog.=) alert_delivery.recipient
                                      AND o.sector OPERATOR(@extschema@.=) ANY (a.sectors)
                                      AND @extschema@.ministry(o.sector, @extschema@._today_jst())
                                          OPERATOR(pg_catalog.=) alert_delivery.forwarded_by))));
CREATE POLICY alert_delivery_acknowledge ON @extschema@.alert_delivery FOR UPDATE
  USING (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
  WITH CHECK (recipient OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()));

-- Operators: O sees itself, M the operators of its sectors today, NISC all; and whoever sees
-- a report in ceptoar.report sees its operator (M keeps seeing the operators of its old
-- reports after a sector moved).  Nobody else learns which operators are registered.
ALTER TABLE @extschema@.operator ENABLE ROW LEVEL SECURITY;
CREATE POLICY operator_visible ON @extschema@.operator FOR SELECT
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'operator'
             AND code OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'ministry'
             AND @extschema@.ministry(sector, (SELECT @extschema@._today_jst()))
                 OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
         OR EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.operator OPERATOR(pg_catalog.=) operator.code));

-- Writing an operator's row (its contact, its service levels: what a DBA grants UPDATE on):
-- the operator itself, the ministry competent for its sector, NISC; nobody else, and no row
-- moves out of the writer's reach (WITH CHECK).  _operator_levels_writer (240) then checks
-- the service levels named.
CREATE POLICY operator_update ON @extschema@.operator FOR UPDATE
  USING ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'operator'
             AND code OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'ministry'
             AND @extschema@.ministry(sector, (SELECT @extschema@._today_jst()))
                 OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())))
  WITH CHECK ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'nisc'
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'operator'
             AND code OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code()))
         OR ((SELECT @extschema@._party_kind()) OPERATOR(pg_catalog.=) 'ministry'
             AND @extschema@.ministry(sector, (SELECT @extschema@._today_jst()))
                 OPERATOR(pg_catalog.=) (SELECT @extschema@._party_code())));

-- Upward deliveries to the parties named as recipients of a red report (the others were
-- delivered when it was filed, 150_flows.sql): when named, if the report is TLP:RED then.
-- As the owner (nobody else writes report_delivery); a name already delivered to, and the
-- report's own operator, are left out.
CREATE FUNCTION @extschema@._report_recipient_deliver() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO @extschema@.report_delivery (report, recipient, recipient_kind, delivered_at)
  SELECT n.report, n.recipient,
         CASE WHEN n.recipient OPERATOR(pg_catalog.=) 'nisc' THEN 'nisc'
              WHEN @extschema@.ceptoar_exists(n.recipient) THEN 'ceptoar'
              WHEN EXISTS (SELECT 1 FROM @extschema@.ministries m
                            WHERE m.code OPERATOR(pg_catalog.=) n.recipient) THEN 'ministry'
              ELSE 'operator' END,
         pg_catalog.now()
    FROM named n
    JOIN @extschema@.report r ON r.id OPERATOR(pg_catalog.=) n.report
   WHERE r.tlp_rank OPERATOR(pg_catalog.=) 4
     AND n.recipient OPERATOR(pg_catalog.<>) r.operator
  ON CONFLICT ON CONSTRAINT report_delivery_pkey DO NOTHING;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._report_recipient_deliver() IS
  'report_recipient: delivers a TLP:RED report to the parties a statement names (not to its own operator, nor twice)';
CREATE TRIGGER report_recipient_deliver AFTER INSERT ON @extschema@.report_recipient
  REFERENCING NEW TABLE AS named
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_recipient_deliver();

-- What each kind of party may do on the registry's tables and writer functions (the rows are
-- the policies' above).  Called by _party_privileges (register_party: give; unregister_party:
-- not), as the extension's owner.  Giving first takes back what any kind gets, so that
-- registering a role again as another kind leaves nothing of the old one.
CREATE FUNCTION @extschema@._party_privileges_registry(role regrole, kind text, give boolean)
  RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tables constant text := '@extschema@.operator, @extschema@.report, @extschema@.report_revision, '
    '@extschema@.report_verdicts, @extschema@.report_verification, @extschema@.report_link, '
    '@extschema@.report_step, @extschema@.report_recipient, @extschema@.report_delivery, '
    '@extschema@.alert, @extschema@.alert_delivery, @extschema@.unacknowledged';
  functions constant text := '@extschema@.revoke(uuid, text), @extschema@.verify(uuid, text, text), '
    '@extschema@.acknowledge_report(uuid, text), '
    '@extschema@.issue_alert(text, text, @extschema@.sector[], @extschema@.tlp), '
    '@extschema@.forward_alert(uuid, text), @extschema@.acknowledge_alert(uuid, text)';
  r constant text := role::text;   -- regrole's output is a quoted identifier
BEGIN
  EXECUTE pg_catalog.format('REVOKE ALL ON %s FROM %s', tables, r);
  EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM %s', functions, r);
  IF NOT give THEN
    RETURN;
  END IF;
  IF kind IN ('operator', 'ministry', 'nisc') THEN
    -- the parties that see identity: every table of the registry, limited by the policies
    EXECUTE pg_catalog.format('GRANT SELECT ON %s TO %s', tables, r);
    EXECUTE pg_catalog.format('GRANT UPDATE ON @extschema@.report TO %s', r);
    EXECUTE pg_catalog.format('GRANT INSERT, UPDATE ON @extschema@.report_step TO %s', r);
    EXECUTE pg_catalog.format('GRANT INSERT ON @extschema@.report_link TO %s', r);
    EXECUTE pg_catalog.format('GRANT UPDATE (acknowledged_at) ON @extschema@.report_delivery, @extschema@.alert_delivery TO %s', r);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.revoke(uuid, text), '
                              '@extschema@.acknowledge_report(uuid, text) TO %s', r);
  END IF;
  IF kind OPERATOR(pg_catalog.=) 'operator' THEN
    EXECUTE pg_catalog.format('GRANT INSERT ON @extschema@.report, @extschema@.report_recipient TO %s', r);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.acknowledge_alert(uuid, text) TO %s', r);
  ELSIF kind OPERATOR(pg_catalog.=) 'ministry' THEN
    EXECUTE pg_catalog.format('GRANT INSERT ON @extschema@.report_recipient, @extschema@.report_verification, '
                              '@extschema@.alert_delivery TO %s', r);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.verify(uuid, text, text), '
                              '@extschema@.forward_alert(uuid, text), @extschema@.acknowledge_alert(uuid, text) TO %s', r);
  ELSIF kind OPERATOR(pg_catalog.=) 'nisc' THEN
    EXECUTE pg_catalog.format('GRANT INSERT ON @extschema@.report_verification, @extschema@.alert, '
                              '@extschema@.alert_delivery TO %s', r);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.verify(uuid, text, text), '
                              '@extschema@.issue_alert(text, text, @extschema@.sector[], @extschema@.tlp), '
                              '@extschema@.forward_alert(uuid, text) TO %s', r);
  ELSIF kind OPERATOR(pg_catalog.=) 'ceptoar' THEN
    -- its own deliveries, to acknowledge; reports it reads through shared_reports
    -- (SELECT on report only because report_delivery's policy reads it: no policy of report
    -- gives a CEPTOAR a row, and pg_stats hides the statistics of a table under row-level
    -- security)
    EXECUTE pg_catalog.format('GRANT SELECT ON @extschema@.report, @extschema@.report_delivery, '
                              '@extschema@.alert_delivery, @extschema@.unacknowledged TO %s', r);
    EXECUTE pg_catalog.format('GRANT UPDATE (acknowledged_at) ON @extschema@.report_delivery TO %s', r);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION @extschema@.acknowledge_report(uuid, text) TO %s', r);
  END IF;
  -- the public: nothing of the registry's tables (statistics and shared_reports elsewhere)
END $$;
COMMENT ON FUNCTION @extschema@._party_privileges_registry(regrole, text, boolean) IS
  'grants (give) or revokes what a party of a kind may do on the registry''s tables and writer functions (reports, their history, deliveries, alerts)';
