-- 135_response.sql: the emergency response to a reported failure (seed 003: 連絡、被害拡大防止、
-- 証拠保全、復旧(応急)、再発防止), arranged by the time elapsed since detection.

CREATE TABLE @extschema@.report_step (
  report    uuid NOT NULL,
  step      text NOT NULL CHECK (step IN ('contact', 'containment', 'evidence', 'recovery', 'prevention')),
  done_at   timestamptz NOT NULL,
  note      text,
  first     integer GENERATED ALWAYS AS (1) STORED,
  PRIMARY KEY (report, step),
  FOREIGN KEY (report, first) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_step IS
  'the steps of the emergency response plan taken for a report (seed 003): contact, containment of damage, preservation of evidence, (provisional) recovery, prevention of recurrence';
COMMENT ON COLUMN @extschema@.report_step.first IS
  'always 1: a step refers to the report''s first revision, which pg_dump keeps';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_step', '');

-- The steps in the plan's order.
CREATE FUNCTION @extschema@.response_steps() RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY['contact', 'containment', 'evidence', 'recovery', 'prevention'];
COMMENT ON FUNCTION @extschema@.response_steps() IS
  'the emergency response plan''s steps in order (seed 003): contact, containment, evidence, recovery, prevention';

-- A step of the plan, for a known report.  (When a step was done is not checked against
-- detection: a later revision may move detected, and pg_restore must take back what was.)
CREATE FUNCTION @extschema@._report_step_check() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.step IS NULL OR NOT NEW.step OPERATOR(pg_catalog.=) ANY (@extschema@.response_steps()) THEN
    RAISE EXCEPTION 'invalid response step %', COALESCE(pg_catalog.quote_literal(NEW.step), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The steps are contact, containment, evidence, recovery and prevention (seed 003).';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM @extschema@.report x WHERE x.id OPERATOR(pg_catalog.=) NEW.report) THEN
    RAISE EXCEPTION 'unknown report %', NEW.report
      USING ERRCODE = 'foreign_key_violation', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._report_step_check() IS
  'report_step: a step of the plan, for a known report';
CREATE TRIGGER report_step_check BEFORE INSERT OR UPDATE ON @extschema@.report_step
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_step_check();

-- Each step of the plan with the time since detection, and what is still missing, for a
-- report the caller sees (shared_reports).  It runs as the extension's owner (the caller
-- may not read report_step) and asks _sees() (230_shared_reports.sql) what the caller's
-- party sees.  The steps' times are the summary's level; a note may name the operator, so
-- it is given only to a party that sees who reported, and recorded as a read of the full
-- text (section 7).
CREATE FUNCTION @extschema@.response_timeline(report uuid,
    OUT step text, OUT step_no integer, OUT done_at timestamptz, OUT elapsed interval,
    OUT missing boolean, OUT note text)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER ROWS 5
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  det timestamptz;
  ident boolean := @extschema@._sees(report);
BEGIN
  IF ident IS NULL THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  SELECT r.detected INTO det FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) response_timeline.report;
  IF ident AND EXISTS (SELECT 1 FROM @extschema@.report_step s
                        WHERE s.report OPERATOR(pg_catalog.=) response_timeline.report AND s.note IS NOT NULL) THEN
    PERFORM @extschema@._audit_read(report, 'description');
  END IF;
  RETURN QUERY
    SELECT p.step, p.step_no::integer, s.done_at, s.done_at OPERATOR(pg_catalog.-) det,
           s.done_at IS NULL, CASE WHEN ident THEN s.note END
      FROM pg_catalog.unnest(@extschema@.response_steps()) WITH ORDINALITY AS p(step, step_no)
      LEFT JOIN @extschema@.report_step s
        ON s.report OPERATOR(pg_catalog.=) response_timeline.report AND s.step OPERATOR(pg_catalog.=) p.step
     ORDER BY p.step_no;
END $$;
COMMENT ON FUNCTION @extschema@.response_timeline(uuid) IS
  'the emergency response plan''s steps for a report the caller sees, in order: when each was done, the time elapsed since detection, and which are still missing; the notes only where the caller sees who reported (audited)';
