-- 210_report_recipient.sql: the parties named as recipients of a report (issue 13,
-- section 2).  A red report (TLP:RED) is seen by its operator, its competent ministry and
-- the parties named here only; NISC sees a red report only when named.  For other markings
-- the names change nothing.  Names are kept, never removed (what was shared stays known).

CREATE TABLE @extschema@.report_recipient (
  report     uuid NOT NULL,
  recipient  text NOT NULL,
  named_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
  named_by   name NOT NULL DEFAULT CURRENT_USER,
  first      integer GENERATED ALWAYS AS (1) STORED,
  PRIMARY KEY (report, recipient),
  FOREIGN KEY (report, first) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_recipient IS
  'parties named as recipients of a report: who, besides its operator and competent ministry, sees it when it is TLP:RED';
COMMENT ON COLUMN @extschema@.report_recipient.recipient IS
  'a party''s code: nisc, a ministry code, a CEPTOAR code or an operator code';
COMMENT ON COLUMN @extschema@.report_recipient.first IS
  'always 1: refers to the report''s first revision, which pg_dump keeps';
CREATE INDEX report_recipient_recipient ON @extschema@.report_recipient (recipient);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_recipient', '');

-- A recipient is a known party code, of a known report.
CREATE FUNCTION @extschema@._report_recipient_check() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.recipient IS NULL OR NOT (
       NEW.recipient OPERATOR(pg_catalog.=) 'nisc'
       OR @extschema@.ceptoar_exists(NEW.recipient)
       OR EXISTS (SELECT 1 FROM @extschema@.ministries m
                   WHERE m.code OPERATOR(pg_catalog.=) NEW.recipient AND m.abolished IS NULL)
       OR EXISTS (SELECT 1 FROM @extschema@.operator o WHERE o.code OPERATOR(pg_catalog.=) NEW.recipient)) THEN
    RAISE EXCEPTION 'unknown recipient %', COALESCE(pg_catalog.quote_literal(NEW.recipient), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A recipient is nisc, a ministry code (ceptoar.ministries), a CEPTOAR code (ceptoar.ceptoars) or an operator code.';
  END IF;
  IF NOT @extschema@._report_restoring() AND NOT EXISTS (
       SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) NEW.report) THEN
    RAISE EXCEPTION 'unknown report %', NEW.report
      USING ERRCODE = 'foreign_key_violation', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._report_recipient_check() IS
  'report_recipient: a known party code, a known report';
CREATE TRIGGER report_recipient_check BEFORE INSERT ON @extschema@.report_recipient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_recipient_check();
CREATE TRIGGER report_keep BEFORE UPDATE OR DELETE ON @extschema@.report_recipient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON @extschema@.report_recipient
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_keep();
