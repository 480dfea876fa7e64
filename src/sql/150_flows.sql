-- 150_flows.sql: information flows (seed 003, 6(3); seed 000).  Upward: a report is delivered,
-- when it is filed, to its operator's CEPTOAR (the other operators of its sector), to the
-- ministry competent for its sector on the day it is reported and to NISC (the Cabinet
-- Secretariat).  Downward: NISC issues an alert to the ministries competent for its sectors;
-- each passes it on to the operators it oversees.  Every recipient acknowledges; the view
-- unacknowledged shows who has not, and since when.
--
-- Dump and restore (130_report.sql): report_delivery refers to a report's first revision
-- (report_revision, kept by pg_dump), never to report itself; its rows are restored as they
-- were, and the delivery trigger does nothing while a report is rebuilt from its revisions.
-- Alerts do not refer to reports: alert and alert_delivery are dumped whole.
--
-- Recipients are codes: a CEPTOAR's code (ceptoars.code), a ministry's (ministries.code),
-- 'nisc', an operator's (operator.code).  Deliveries and alerts are never changed or deleted;
-- the one change is a delivery's acknowledgement, once.

CREATE TABLE @extschema@.report_delivery (
  report          uuid NOT NULL,
  recipient       text NOT NULL,
  recipient_kind  text NOT NULL CHECK (recipient_kind IN ('ceptoar', 'ministry', 'nisc', 'operator')),
  delivered_at    timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by name,
  first           integer GENERATED ALWAYS AS (1) STORED,
  PRIMARY KEY (report, recipient),
  CHECK ((acknowledged_at IS NULL) OPERATOR(pg_catalog.=) (acknowledged_by IS NULL)),
  FOREIGN KEY (report, first) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_delivery IS
  'upward flow: each report delivered, when filed, to the ministry competent for its sector on the day reported (Japan time), to its operator''s CEPTOAR (up to TLP:AMBER) and to NISC (unless TLP:RED), and, when red, to the parties named its recipients; acknowledged once with acknowledge_report()';
COMMENT ON COLUMN @extschema@.report_delivery.recipient IS
  'a CEPTOAR code (ceptoars.code), a ministry code (ministries.code), nisc, or an operator code (a named recipient)';
COMMENT ON COLUMN @extschema@.report_delivery.recipient_kind IS 'ceptoar, ministry, nisc or operator';
COMMENT ON COLUMN @extschema@.report_delivery.delivered_at IS 'when the registry delivered it (the filing transaction''s time)';
COMMENT ON COLUMN @extschema@.report_delivery.acknowledged_at IS 'the first acknowledgement; NULL while unacknowledged';
COMMENT ON COLUMN @extschema@.report_delivery.acknowledged_by IS 'the role that acknowledged (registry)';
COMMENT ON COLUMN @extschema@.report_delivery.first IS
  'always 1: a delivery refers to the report''s first revision, which pg_dump keeps (the report table is rebuilt from them)';
CREATE INDEX report_delivery_unacknowledged ON @extschema@.report_delivery (recipient, delivered_at)
  WHERE acknowledged_at IS NULL;

CREATE TABLE @extschema@.alert (
  id              uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
  title           text NOT NULL CHECK (pg_catalog.btrim(title) OPERATOR(pg_catalog.<>) ''),
  body            text,
  sectors         @extschema@.sector[] NOT NULL CHECK (pg_catalog.cardinality(sectors) OPERATOR(pg_catalog.>) 0),
  tlp             @extschema@.tlp NOT NULL DEFAULT 'amber',
  issued_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
  issued_by       name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE @extschema@.alert IS
  'downward flow: alerts (警報情報) issued by NISC with issue_alert(), for one or more sectors; never changed or deleted';
COMMENT ON COLUMN @extschema@.alert.id IS 'generated: a uuid, which leaks no counts';
COMMENT ON COLUMN @extschema@.alert.sectors IS 'the sectors concerned, distinct, in NISC''s order';
COMMENT ON COLUMN @extschema@.alert.tlp IS 'Traffic Light Protocol 2.0 marking';
COMMENT ON COLUMN @extschema@.alert.issued_by IS 'the role that issued it';

CREATE TABLE @extschema@.alert_delivery (
  alert           uuid NOT NULL REFERENCES @extschema@.alert (id),
  recipient       text NOT NULL,
  recipient_kind  text NOT NULL CHECK (recipient_kind IN ('ministry', 'operator')),
  delivered_at    timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by name,
  forwarded_by    text,
  PRIMARY KEY (alert, recipient_kind, recipient),
  CHECK ((recipient_kind OPERATOR(pg_catalog.=) 'operator') OPERATOR(pg_catalog.=) (forwarded_by IS NOT NULL)),
  CHECK ((acknowledged_at IS NULL) OPERATOR(pg_catalog.=) (acknowledged_by IS NULL))
);
COMMENT ON TABLE @extschema@.alert_delivery IS
  'downward flow: an alert delivered to the ministries competent for its sectors (issue_alert) and by each to the operators it oversees (forward_alert); acknowledged once with acknowledge_alert()';
COMMENT ON COLUMN @extschema@.alert_delivery.recipient IS 'a ministry code (ministries.code) or an operator code (operator.code)';
COMMENT ON COLUMN @extschema@.alert_delivery.recipient_kind IS 'ministry or operator';
COMMENT ON COLUMN @extschema@.alert_delivery.acknowledged_at IS 'the first acknowledgement; NULL while unacknowledged';
COMMENT ON COLUMN @extschema@.alert_delivery.acknowledged_by IS 'the role that acknowledged (registry)';
COMMENT ON COLUMN @extschema@.alert_delivery.forwarded_by IS
  'for an operator, the code of the ministry that forwarded the alert to it; NULL for a ministry';
CREATE INDEX alert_delivery_unacknowledged ON @extschema@.alert_delivery (recipient, delivered_at)
  WHERE acknowledged_at IS NULL;

SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_delivery', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.alert', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.alert_delivery', '');

-- The ministries competent for some sectors on a day: distinct, sorted; NULL for none.
CREATE FUNCTION @extschema@._competent_ministries(sectors @extschema@.sector[], on_date date)
  RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  RETURN (SELECT pg_catalog.array_agg(DISTINCT m ORDER BY m)
            FROM pg_catalog.unnest(sectors) s,
                 LATERAL @extschema@.ministry(s, on_date) m
           WHERE m IS NOT NULL);
COMMENT ON FUNCTION @extschema@._competent_ministries(@extschema@.sector[], date) IS
  'the codes of the ministries competent for the sectors on a day, distinct and sorted; NULL if none';

-- AFTER INSERT on report: the upward deliveries, to the parties that may see the report
-- (issue 13, section 2): the competent ministry always, the operator's CEPTOAR up to
-- TLP:AMBER (tlp_rank <= 2: not amber+strict, not red), NISC unless TLP:RED.  The parties
-- named as recipients of a red report are delivered to when named (220_access.sql).
-- Written as the extension's owner (a reporter cannot write report_delivery).  Named to fire
-- after report_after (triggers fire in name order), which writes the first revision the
-- deliveries refer to.
CREATE FUNCTION @extschema@._report_deliver() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF pg_catalog.current_setting('ceptoar.restoring', true) IS NOT DISTINCT FROM 'on'
     AND @extschema@._report_restoring() THEN
    RETURN NULL;   -- the deliveries are restored from their own table
  END IF;
  -- once per statement, for all its new reports (transition table "added")
  INSERT INTO @extschema@.report_delivery (report, recipient, recipient_kind, delivered_at)
  SELECT a.id, r.recipient, r.kind, pg_catalog.now()
    FROM added a
    LEFT JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) a.operator
   CROSS JOIN LATERAL (SELECT o.ceptoar, 'ceptoar'
                        WHERE o.ceptoar IS NOT NULL AND a.tlp_rank OPERATOR(pg_catalog.<=) 2
                       UNION ALL
                       SELECT a.ministry_code, 'ministry' WHERE a.ministry_code IS NOT NULL
                       UNION ALL
                       SELECT 'nisc', 'nisc' WHERE a.tlp_rank OPERATOR(pg_catalog.<) 4) AS r(recipient, kind);
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._report_deliver() IS
  'report: delivers the new reports of a statement to their competent ministries (ministry_code), their operators'' CEPTOARs (up to TLP:AMBER) and NISC (unless TLP:RED)';
CREATE TRIGGER report_deliver AFTER INSERT ON @extschema@.report
  REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_deliver();

-- Alerts and deliveries are never changed or deleted; a delivery is acknowledged once.
CREATE FUNCTION @extschema@._flow_keep() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND @extschema@._no_rows(TG_RELID) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME OPERATOR(pg_catalog.<>) 'alert' THEN
    IF (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) ARRAY['acknowledged_at', 'acknowledged_by', 'first'])
       OPERATOR(pg_catalog.<>)
       (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) ARRAY['acknowledged_at', 'acknowledged_by', 'first']) THEN
      RAISE EXCEPTION 'a delivery is never changed, only acknowledged'
        USING ERRCODE = 'feature_not_supported',
              HINT = 'Acknowledge it with ceptoar.acknowledge_report() or ceptoar.acknowledge_alert().';
    END IF;
    IF OLD.acknowledged_at IS NOT NULL THEN
      RAISE EXCEPTION 'the delivery to % was already acknowledged', OLD.recipient
        USING ERRCODE = 'feature_not_supported',
              DETAIL = pg_catalog.format('It was acknowledged at %s by %s.', OLD.acknowledged_at, OLD.acknowledged_by),
              HINT = 'The first acknowledgement is kept.';
    END IF;
    IF NEW.acknowledged_at IS NULL THEN
      RETURN NULL;   -- nothing to do
    END IF;
    IF NEW.acknowledged_at OPERATOR(pg_catalog.<) OLD.delivered_at THEN
      RAISE EXCEPTION 'a delivery cannot be acknowledged before it was delivered'
        USING ERRCODE = 'invalid_parameter_value',
              DETAIL = pg_catalog.format('Acknowledged at %s, delivered at %s.', NEW.acknowledged_at, OLD.delivered_at);
    END IF;
    NEW.acknowledged_by := pg_catalog."current_user"();
    RETURN NEW;
  END IF;
  IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'alert' THEN
    RAISE EXCEPTION 'alerts are never changed or deleted'
      USING ERRCODE = 'feature_not_supported', HINT = 'Issue a new alert with ceptoar.issue_alert().';
  END IF;
  RAISE EXCEPTION 'ceptoar.% keeps every delivery: it is never deleted', TG_TABLE_NAME
    USING ERRCODE = 'feature_not_supported';
END $$;
COMMENT ON FUNCTION @extschema@._flow_keep() IS
  'refuses any change of an alert, DELETE and TRUNCATE of alerts and deliveries (TRUNCATE of an empty table is let through), and any change of a delivery but its first acknowledgement (acknowledged_by is the acknowledging role)';
CREATE TRIGGER flow_keep BEFORE UPDATE OR DELETE ON @extschema@.report_delivery
  FOR EACH ROW EXECUTE FUNCTION @extschema@._flow_keep();
CREATE TRIGGER flow_keep_truncate BEFORE TRUNCATE ON @extschema@.report_delivery
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._flow_keep();
CREATE TRIGGER flow_keep BEFORE UPDATE OR DELETE ON @extschema@.alert
  FOR EACH ROW EXECUTE FUNCTION @extschema@._flow_keep();
CREATE TRIGGER flow_keep_truncate BEFORE TRUNCATE ON @extschema@.alert
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._flow_keep();
CREATE TRIGGER flow_keep BEFORE UPDATE OR DELETE ON @extschema@.alert_delivery
  FOR EACH ROW EXECUTE FUNCTION @extschema@._flow_keep();
CREATE TRIGGER flow_keep_truncate BEFORE TRUNCATE ON @extschema@.alert_delivery
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._flow_keep();

-- acknowledge_report(): a recipient acknowledges a report.  Twice is no error (a retry after
-- a lost connection must not fail): the first time is kept and returned.  A party
-- acknowledges for itself only (recipient = its code); the row-level security of
-- report_delivery shows it its own deliveries (and those of the reports it sees), so a
-- report not delivered to it is unknown (220_access.sql).
CREATE FUNCTION @extschema@.acknowledge_report(report uuid, recipient text) RETURNS timestamptz
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  ack  timestamptz;
  who  text;
  mine text := @extschema@._party_require('acknowledge_report()', ARRAY['nisc', 'ministry', 'ceptoar', 'operator']);
BEGIN
  IF mine IS NOT NULL AND recipient IS DISTINCT FROM mine THEN
    RAISE EXCEPTION 'you act as %, not as %', mine, COALESCE(pg_catalog.quote_literal(recipient), 'NULL')
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('A party acknowledges for itself: give recipient %L.', mine);
  END IF;
  IF report IS NULL OR NOT EXISTS (SELECT 1 FROM @extschema@.report_delivery d
                                    WHERE d.report OPERATOR(pg_catalog.=) acknowledge_report.report) THEN
    RAISE EXCEPTION 'unknown report %', COALESCE(report::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  UPDATE @extschema@.report_delivery d SET acknowledged_at = pg_catalog.now()
   WHERE d.report OPERATOR(pg_catalog.=) acknowledge_report.report
     AND d.recipient OPERATOR(pg_catalog.=) acknowledge_report.recipient
     AND d.acknowledged_at IS NULL
  RETURNING d.acknowledged_at INTO ack;
  IF FOUND THEN
    RETURN ack;
  END IF;
  SELECT d.acknowledged_at INTO ack FROM @extschema@.report_delivery d
   WHERE d.report OPERATOR(pg_catalog.=) acknowledge_report.report
     AND d.recipient OPERATOR(pg_catalog.=) acknowledge_report.recipient;
  IF FOUND THEN
    RETURN ack;   -- acknowledged before: the first time stays
  END IF;
  SELECT pg_catalog.string_agg(d.recipient, ', ' ORDER BY d.recipient) INTO who
    FROM @extschema@.report_delivery d WHERE d.report OPERATOR(pg_catalog.=) acknowledge_report.report;
  RAISE EXCEPTION 'report % was not delivered to %', report, COALESCE(pg_catalog.quote_literal(recipient), 'NULL')
    USING ERRCODE = 'invalid_parameter_value',
          HINT = pg_catalog.format('It was delivered to: %s.', who);
END $$;
COMMENT ON FUNCTION @extschema@.acknowledge_report(uuid, text) IS
  'a recipient (CEPTOAR code, ministry code or nisc) acknowledges a report delivered to it; returns the acknowledgement time (the first one, if acknowledged before)';

-- issue_alert(): NISC alerts the ministries competent today (Japan time) for the sectors.
CREATE FUNCTION @extschema@.issue_alert(title text, body text, sectors @extschema@.sector[],
    tlp @extschema@.tlp DEFAULT 'amber') RETURNS uuid
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today   date := (pg_catalog.now() AT TIME ZONE 'Asia/Tokyo')::date;
  secs    @extschema@.sector[];
  orphan  text;
  id      uuid;
BEGIN
  PERFORM @extschema@._party_require('issue_alert()', ARRAY['nisc']);
  IF title IS NULL OR pg_catalog.btrim(title) OPERATOR(pg_catalog.=) '' THEN
    RAISE EXCEPTION 'an alert needs a title'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF sectors IS NULL OR pg_catalog.cardinality(sectors) OPERATOR(pg_catalog.=) 0 THEN
    RAISE EXCEPTION 'an alert needs at least one sector'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Give the sectors it concerns, e.g. ARRAY[''electricity'', ''gas'']::ceptoar.sector[].';
  END IF;
  IF pg_catalog.array_position(sectors, NULL) IS NOT NULL THEN
    RAISE EXCEPTION 'the sectors of an alert cannot contain NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF tlp IS NULL THEN
    RAISE EXCEPTION 'an alert needs a TLP marking'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'clear, green, amber (the default), amber+strict or red.';
  END IF;
  secs := ARRAY(SELECT DISTINCT s FROM pg_catalog.unnest(sectors) s ORDER BY s);
  SELECT pg_catalog.string_agg(s::text, ', ') INTO orphan
    FROM pg_catalog.unnest(secs) s WHERE @extschema@.ministry(s, today) IS NULL;
  IF orphan IS NOT NULL THEN
    RAISE EXCEPTION 'no ministry is competent today for %', orphan
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'See ceptoar.ministry_sectors for when each sector has a competent ministry.';
  END IF;
  INSERT INTO @extschema@.alert AS a (title, body, sectors, tlp, issued_at, issued_by)
  VALUES (issue_alert.title, issue_alert.body, secs, issue_alert.tlp, pg_catalog.now(), pg_catalog."current_user"())
  RETURNING a.id INTO id;
  INSERT INTO @extschema@.alert_delivery (alert, recipient, recipient_kind, delivered_at)
  SELECT id, m, 'ministry', pg_catalog.now()
    FROM pg_catalog.unnest(@extschema@._competent_ministries(secs, today)) m;
  RETURN id;
END $$;
COMMENT ON FUNCTION @extschema@.issue_alert(text, text, @extschema@.sector[], @extschema@.tlp) IS
  'NISC issues an alert for some sectors: delivered to the ministries competent for them today (Japan time); returns its id';

-- forward_alert(): a ministry passes an alert on to the operators it oversees in the
-- alert's sectors (competent today, Japan time).  Operators that already have it are left
-- as they are, so forwarding again reaches only operators registered since.  Forwarding is
-- the ministry's acknowledgement.  A ministry forwards as itself (an alert delivered to it:
-- others are unknown to it); NISC forwards for any ministry, which does not acknowledge for
-- the ministry (row-level security lets a party acknowledge its own deliveries only).
CREATE FUNCTION @extschema@.forward_alert(alert uuid, ministry text) RETURNS integer
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  today   date := (pg_catalog.now() AT TIME ZONE 'Asia/Tokyo')::date;
  a       @extschema@.alert;
  secs    @extschema@.sector[];
  n       integer;
  mine    text := @extschema@._party_require('forward_alert()', ARRAY['ministry', 'nisc']);
BEGIN
  IF mine IS NOT NULL AND mine OPERATOR(pg_catalog.<>) 'nisc' AND ministry IS DISTINCT FROM mine THEN
    RAISE EXCEPTION 'you act as %, not as %', mine, COALESCE(pg_catalog.quote_literal(ministry), 'NULL')
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('A ministry forwards alerts as itself: give ministry %L.', mine);
  END IF;
  IF ministry IS NULL OR NOT EXISTS (SELECT 1 FROM @extschema@.ministries m
                                      WHERE m.code OPERATOR(pg_catalog.=) forward_alert.ministry) THEN
    RAISE EXCEPTION 'unknown ministry %', COALESCE(pg_catalog.quote_literal(ministry), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = pg_catalog.format('Ministries are codes of ceptoar.ministries: %s.',
                     (SELECT pg_catalog.string_agg(m.code, ', ') FROM @extschema@.ministries m
                       WHERE m.abolished IS NULL));
  END IF;
  SELECT * INTO a FROM @extschema@.alert x WHERE x.id OPERATOR(pg_catalog.=) forward_alert.alert;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown alert %', COALESCE(alert::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Alerts are ids of ceptoar.alert (issue_alert() returns them).';
  END IF;
  secs := ARRAY(SELECT s FROM pg_catalog.unnest(a.sectors) s
                 WHERE @extschema@.ministry(s, today) OPERATOR(pg_catalog.=) forward_alert.ministry);
  IF pg_catalog.cardinality(secs) OPERATOR(pg_catalog.=) 0 THEN
    RAISE EXCEPTION 'ministry % is not competent for any sector of alert %', ministry, a.id
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = pg_catalog.format('The alert concerns %s.', pg_catalog.array_to_string(a.sectors, ', ')),
            HINT = pg_catalog.format('Today (Japan time) they are overseen by: %s.',
                     pg_catalog.array_to_string(@extschema@._competent_ministries(a.sectors, today), ', '));
  END IF;
  INSERT INTO @extschema@.alert_delivery AS d (alert, recipient, recipient_kind, delivered_at, forwarded_by)
  SELECT a.id, o.code, 'operator', pg_catalog.now(), forward_alert.ministry
    FROM @extschema@.operator o
   WHERE o.sector OPERATOR(@extschema@.=) ANY (secs)
  ON CONFLICT ON CONSTRAINT alert_delivery_pkey DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  UPDATE @extschema@.alert_delivery d SET acknowledged_at = pg_catalog.now()
   WHERE d.alert OPERATOR(pg_catalog.=) a.id AND d.recipient_kind OPERATOR(pg_catalog.=) 'ministry'
     AND d.recipient OPERATOR(pg_catalog.=) forward_alert.ministry AND d.acknowledged_at IS NULL;
  RETURN n;
END $$;
COMMENT ON FUNCTION @extschema@.forward_alert(uuid, text) IS
  'a ministry forwards an alert to the operators it oversees in the alert''s sectors (competent today, Japan time); returns how many operators it newly reached; counts as the ministry''s acknowledgement';

-- acknowledge_alert(): a ministry or an operator acknowledges an alert; as for reports,
-- twice is no error and the first time is kept.  A party acknowledges for itself only; an
-- alert not delivered to it is unknown to it (row-level security, 220_access.sql).
CREATE FUNCTION @extschema@.acknowledge_alert(alert uuid, recipient text) RETURNS timestamptz
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  ack   timestamptz;
  kinds text[];
  who   text;
  mine  text := @extschema@._party_require('acknowledge_alert()', ARRAY['ministry', 'operator']);
BEGIN
  IF mine IS NOT NULL AND recipient IS DISTINCT FROM mine THEN
    RAISE EXCEPTION 'you act as %, not as %', mine, COALESCE(pg_catalog.quote_literal(recipient), 'NULL')
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('A party acknowledges for itself: give recipient %L.', mine);
  END IF;
  IF alert IS NULL OR NOT EXISTS (SELECT 1 FROM @extschema@.alert x WHERE x.id OPERATOR(pg_catalog.=) acknowledge_alert.alert) THEN
    RAISE EXCEPTION 'unknown alert %', COALESCE(alert::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Alerts are ids of ceptoar.alert (issue_alert() returns them).';
  END IF;
  SELECT pg_catalog.array_agg(d.recipient_kind) INTO kinds FROM @extschema@.alert_delivery d
   WHERE d.alert OPERATOR(pg_catalog.=) acknowledge_alert.alert
     AND d.recipient OPERATOR(pg_catalog.=) acknowledge_alert.recipient;
  IF kinds IS NULL THEN
    SELECT pg_catalog.string_agg(d.recipient, ', ' ORDER BY d.recipient_kind, d.recipient) INTO who
      FROM @extschema@.alert_delivery d WHERE d.alert OPERATOR(pg_catalog.=) acknowledge_alert.alert;
    RAISE EXCEPTION 'alert % was not delivered to %', alert, COALESCE(pg_catalog.quote_literal(recipient), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = CASE WHEN who IS NULL THEN 'It was delivered to nobody yet.'
                        ELSE pg_catalog.format('It was delivered to: %s.', who) END;
  END IF;
  IF pg_catalog.cardinality(kinds) OPERATOR(pg_catalog.>) 1 THEN
    RAISE EXCEPTION 'recipient % of alert % is both a ministry and an operator', recipient, alert
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Set acknowledged_at of the row of ceptoar.alert_delivery with the recipient_kind meant.';
  END IF;
  UPDATE @extschema@.alert_delivery d SET acknowledged_at = pg_catalog.now()
   WHERE d.alert OPERATOR(pg_catalog.=) acknowledge_alert.alert
     AND d.recipient OPERATOR(pg_catalog.=) acknowledge_alert.recipient
     AND d.acknowledged_at IS NULL
  RETURNING d.acknowledged_at INTO ack;
  IF NOT FOUND THEN
    SELECT d.acknowledged_at INTO ack FROM @extschema@.alert_delivery d
     WHERE d.alert OPERATOR(pg_catalog.=) acknowledge_alert.alert
       AND d.recipient OPERATOR(pg_catalog.=) acknowledge_alert.recipient;
  END IF;
  RETURN ack;
END $$;
COMMENT ON FUNCTION @extschema@.acknowledge_alert(uuid, text) IS
  'a recipient (ministry code or operator code) acknowledges an alert delivered to it; returns the acknowledgement time (the first one, if acknowledged before)';

-- Who has not acknowledged, and since when.  security_invoker: the reader's own privileges
-- (and, later, row-level security) on the delivery tables apply.
CREATE VIEW @extschema@.unacknowledged WITH (security_invoker = true) AS
  SELECT 'report'::text AS subject, d.report AS id, d.recipient, d.recipient_kind, d.delivered_at,
         pg_catalog.now() OPERATOR(pg_catalog.-) d.delivered_at AS waiting
    FROM @extschema@.report_delivery d WHERE d.acknowledged_at IS NULL
  UNION ALL
  SELECT 'alert'::text, d.alert, d.recipient, d.recipient_kind, d.delivered_at,
         pg_catalog.now() OPERATOR(pg_catalog.-) d.delivered_at
    FROM @extschema@.alert_delivery d WHERE d.acknowledged_at IS NULL;
COMMENT ON VIEW @extschema@.unacknowledged IS
  'deliveries of reports and alerts not yet acknowledged: subject (report or alert), its id, the recipient, since when (delivered_at) and for how long (waiting)';
