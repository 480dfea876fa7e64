-- 130_report.sql: reports of IT failures (IT障害の情報連絡) and their whole life.
--
-- Written with plain INSERT and UPDATE (drivers and ORMs work with tables).  Nothing is
-- ever lost: every INSERT and UPDATE of a report is kept as a revision in report_revision
-- (written by the registry only, never changed), DELETE and TRUNCATE are refused, and a
-- report is withdrawn by revoking it (revoke(), or an UPDATE that sets revoked_reason): the
-- tombstone stays visible.  On every revision an incident is classified against the rule
-- sets that apply to it (report_verdicts); the competent ministry confirms or overrides the
-- verification level with verify().
--
-- Dump and restore: the history is the record.  pg_dump keeps report_revision and the tables
-- that refer to a revision (verdicts, verification, links); ceptoar.report, the current state,
-- is rebuilt from the revisions when pg_restore writes them (only the extension's owner can
-- write report_revision directly, and a direct write is a restore).  So everything about a
-- report refers to report_revision (report, revision), never to report alone.
--
-- The derived columns (sector_code .. user_hours) are plain built-in types, maintained by
-- the registry and never written by users: row-level security (access) and logical
-- replication row filters (exchange) use them, and PostgreSQL 15 row filters cannot call
-- user-defined functions, operators or types; annual_statistics groups and sums them
-- without a function call per row.

CREATE TABLE @extschema@.report (
  id              uuid PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
  operator        text NOT NULL REFERENCES @extschema@.operator (code) ON UPDATE CASCADE,
  kind            text NOT NULL DEFAULT 'incident'
                  CHECK (kind IN ('incident', 'near_miss', 'threat')),
  incident        @extschema@.incident,
  instance        bigint REFERENCES @extschema@.service_instance (id),
  detected        timestamptz,
  reported        timestamptz NOT NULL DEFAULT pg_catalog.now(),
  tlp             @extschema@.tlp NOT NULL DEFAULT 'amber',
  exercise        text REFERENCES @extschema@.exercises (code) ON UPDATE CASCADE,
  summary         text,
  description     text,
  status          text NOT NULL DEFAULT 'reported'
                  CHECK (status IN ('reported', 'under_review', 'verified', 'revision_required', 'closed')),
  revision        integer NOT NULL DEFAULT 1,
  revoked         timestamptz,
  revoked_reason  text,
  level           text,
  level_rule_set  text,
  -- derived, maintained by the registry
  sector_code     text NOT NULL,
  ministry_code   text,
  tlp_rank        smallint NOT NULL,
  is_exercise     boolean NOT NULL,
  is_revoked      boolean NOT NULL,
  fiscal_year     integer NOT NULL,
  began           timestamptz,
  lasted          interval,
  cause           text,
  user_hours      double precision,
  changed_by      name NOT NULL,
  CHECK (kind OPERATOR(pg_catalog.<>) 'incident' OR incident IS NOT NULL),
  CHECK ((level IS NULL) OPERATOR(pg_catalog.=) (level_rule_set IS NULL)),
  CHECK ((revoked IS NULL) OPERATOR(pg_catalog.=) (revoked_reason IS NULL))
);
COMMENT ON TABLE @extschema@.report IS
  'reports of IT failures (IT障害の情報連絡), near misses and threats: every UPDATE makes a revision (report_revision), DELETE is refused, revoke() leaves a tombstone';
COMMENT ON COLUMN @extschema@.report.id IS 'generated: a uuid, which leaks no counts';
COMMENT ON COLUMN @extschema@.report.kind IS 'incident, near_miss or threat; only incidents are classified';
COMMENT ON COLUMN @extschema@.report.incident IS 'the facts; required for an incident';
COMMENT ON COLUMN @extschema@.report.instance IS 'the service instance hit (optional): links the report to the impact engine';
COMMENT ON COLUMN @extschema@.report.tlp IS 'Traffic Light Protocol 2.0 marking';
COMMENT ON COLUMN @extschema@.report.exercise IS 'the exercise this report belongs to; NULL for a real failure';
COMMENT ON COLUMN @extschema@.report.summary IS 'shareable summary: never names the operator';
COMMENT ON COLUMN @extschema@.report.description IS 'the full description';
COMMENT ON COLUMN @extschema@.report.status IS
  'reported -> under_review -> verified or revision_required -> ... -> closed';
COMMENT ON COLUMN @extschema@.report.revision IS 'raised by one by every UPDATE (registry)';
COMMENT ON COLUMN @extschema@.report.level IS
  'the verification-level outcome (exceeds, within, undetermined, no_rule) of the plan in force when the incident began; NULL when none applies (registry)';
COMMENT ON COLUMN @extschema@.report.level_rule_set IS
  'the verification_level rule set (the plan) level was computed with; NULL exactly when level is (registry)';
COMMENT ON COLUMN @extschema@.report.sector_code IS 'the operator''s sector (registry)';
COMMENT ON COLUMN @extschema@.report.ministry_code IS
  'the ministry competent for the sector on the day reported, Japan time (registry)';
COMMENT ON COLUMN @extschema@.report.tlp_rank IS 'tlp as 0 (clear) .. 4 (red) (registry)';
COMMENT ON COLUMN @extschema@.report.is_exercise IS 'exercise IS NOT NULL (registry)';
COMMENT ON COLUMN @extschema@.report.is_revoked IS 'revoked IS NOT NULL (registry)';
COMMENT ON COLUMN @extschema@.report.fiscal_year IS
  'Japanese fiscal year of the day the incident began (of the day reported when there are no facts), Japan time (registry)';
COMMENT ON COLUMN @extschema@.report.began IS 'began(incident); NULL without facts (registry)';
COMMENT ON COLUMN @extschema@.report.lasted IS 'lasted(incident); NULL if unknown or ongoing, or without facts (registry)';
COMMENT ON COLUMN @extschema@.report.cause IS 'cause(incident); NULL without facts (registry)';
COMMENT ON COLUMN @extschema@.report.user_hours IS 'user_hours(incident); NULL if unknown, or without facts (registry)';
COMMENT ON COLUMN @extschema@.report.changed_by IS 'the role that wrote this revision (registry)';
CREATE INDEX report_operator ON @extschema@.report (operator);
CREATE INDEX report_sector_year ON @extschema@.report (sector_code, fiscal_year);
CREATE INDEX report_ministry_year ON @extschema@.report (ministry_code, fiscal_year);
CREATE INDEX report_instance ON @extschema@.report (instance) WHERE instance IS NOT NULL;
-- annual_statistics(): the counted reports of a year in the order it groups them, with
-- every column it reads, so it reads the index alone (an index-only scan, where VACUUM has
-- marked the pages all-visible) and needs no sort
CREATE INDEX report_statistics ON @extschema@.report (fiscal_year, sector_code, cause, level, level_rule_set)
  INCLUDE (user_hours, reported, detected, lasted)
  WHERE kind OPERATOR(pg_catalog.=) 'incident' AND NOT is_exercise AND NOT is_revoked;

-- Every revision of every report, as it was written.
CREATE TABLE @extschema@.report_revision (
  report          uuid NOT NULL REFERENCES @extschema@.report (id),
  revision        integer NOT NULL,
  operator        text NOT NULL REFERENCES @extschema@.operator (code) ON UPDATE CASCADE,
  kind            text NOT NULL,
  incident        @extschema@.incident,
  instance        bigint REFERENCES @extschema@.service_instance (id),
  detected        timestamptz,
  reported        timestamptz NOT NULL,
  tlp             @extschema@.tlp NOT NULL,
  exercise        text REFERENCES @extschema@.exercises (code) ON UPDATE CASCADE,
  summary         text,
  description     text,
  status          text NOT NULL,
  revoked         timestamptz,
  revoked_reason  text,
  level           text,
  level_rule_set  text,
  changed_at      timestamptz NOT NULL,
  changed_by      name NOT NULL,
  PRIMARY KEY (report, revision)
);
COMMENT ON TABLE @extschema@.report_revision IS
  'every revision of every report as it was written (by the registry; never changed or deleted)';

-- What each revision of an incident was classified as, by every rule set that applies.
CREATE TABLE @extschema@.report_verdicts (
  report          uuid NOT NULL,
  revision        integer NOT NULL,
  rule_set        text NOT NULL,
  kind            text NOT NULL,
  outcome         text NOT NULL,
  clause          text,
  explanation     text,
  PRIMARY KEY (report, revision, rule_set),
  FOREIGN KEY (report, revision) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_verdicts IS
  'the classification of each revision of an incident: the verification level of the plan in force when it began, the legal reporting thresholds that have a rule for its service, the operator''s own service levels (by the registry)';

-- The competent ministry's confirmation or override of the verification level.
CREATE TABLE @extschema@.report_verification (
  report          uuid NOT NULL,
  revision        integer NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('exceeds', 'within')),
  computed        text,
  reason          text,
  verified_by     name NOT NULL,
  verified_at     timestamptz NOT NULL,
  PRIMARY KEY (report, verified_at, verified_by),
  FOREIGN KEY (report, revision) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_verification IS
  'verify(): who confirmed or overrode the verification level of which revision, when, why, and what the registry had computed then';

-- Links between reports.
CREATE TABLE @extschema@.report_link (
  report          uuid NOT NULL,
  related         uuid NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('cascade_from', 'same_cause', 'duplicate')),
  created         timestamptz NOT NULL DEFAULT pg_catalog.now(),
  first           integer GENERATED ALWAYS AS (1) STORED,
  PRIMARY KEY (report, related, kind),
  CHECK (report OPERATOR(pg_catalog.<>) related),
  FOREIGN KEY (report, first) REFERENCES @extschema@.report_revision (report, revision),
  FOREIGN KEY (related, first) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.report_link IS
  'links between reports: cascade_from (this failure spread from the related one), same_cause, duplicate';
COMMENT ON COLUMN @extschema@.report_link.first IS
  'always 1: the links refer to the reports'' first revisions, which pg_dump keeps (the report table is rebuilt from them)';

-- A link names two known reports, not the same one, by a known kind.
CREATE FUNCTION @extschema@._report_link_check() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NEW.kind IS NULL OR NEW.kind NOT IN ('cascade_from', 'same_cause', 'duplicate') THEN
    RAISE EXCEPTION 'invalid link kind %', COALESCE(pg_catalog.quote_literal(NEW.kind), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A link is cascade_from (this failure spread from the related one), same_cause or duplicate.';
  END IF;
  IF NEW.report OPERATOR(pg_catalog.=) NEW.related THEN
    RAISE EXCEPTION 'a report cannot be linked to itself'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT @extschema@._report_restoring() AND NOT EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) NEW.related) THEN
    RAISE EXCEPTION 'unknown report %', NEW.related
      USING ERRCODE = 'foreign_key_violation', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  IF NOT @extschema@._report_restoring() AND NOT EXISTS (SELECT 1 FROM @extschema@.report r WHERE r.id OPERATOR(pg_catalog.=) NEW.report) THEN
    RAISE EXCEPTION 'unknown report %', NEW.report
      USING ERRCODE = 'foreign_key_violation', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._report_link_check() IS
  'report_link: two known reports, not the same one, a known kind';
CREATE TRIGGER report_link_check BEFORE INSERT OR UPDATE ON @extschema@.report_link
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_link_check();

SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_revision', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_verdicts', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_verification', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.report_link', '');

-- The verification level of the plan in force on a day (Japan time): the verification_level
-- rule set valid that day with the latest start; for an incident, the day it began.
-- (In C, from the rule cache of classify(): ties of start go to the first code in the
-- column's order, as ORDER BY valid_from DESC NULLS LAST, code would.)
CREATE FUNCTION @extschema@._verification_set(day date) RETURNS text
  AS 'MODULE_PATHNAME', 'verification_set_of_day' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._verification_set(date) IS
  'the verification_level rule set in force on a day (Japan time), NULL if none';
CREATE FUNCTION @extschema@._verification_set(i @extschema@.incident) RETURNS text
  AS 'MODULE_PATHNAME', 'verification_set_of_incident' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._verification_set(@extschema@.incident) IS
  'the verification_level rule set in force on the day (Japan time) the incident began, NULL if none';

-- TRUNCATE guards let an empty table through: it loses nothing (and TRUNCATE ... CASCADE
-- of the tables the registry refers to reaches them).
CREATE FUNCTION @extschema@._no_rows(t regclass) RETURNS boolean
  LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  any_row boolean;
BEGIN
  EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %s)', t) INTO any_row;
  RETURN NOT any_row;
END $$;
COMMENT ON FUNCTION @extschema@._no_rows(regclass) IS 'true if the table has no row (for the TRUNCATE guards)';

-- The status a report may move to from each status.
CREATE FUNCTION @extschema@._report_next_status(status text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  RETURN CASE status
    WHEN 'reported' THEN ARRAY['reported', 'under_review', 'verified', 'revision_required', 'closed']
    WHEN 'under_review' THEN ARRAY['under_review', 'verified', 'revision_required', 'closed']
    WHEN 'revision_required' THEN ARRAY['revision_required', 'reported', 'under_review', 'verified']
    WHEN 'verified' THEN ARRAY['verified', 'revision_required', 'closed']
    WHEN 'closed' THEN ARRAY['closed', 'revision_required'] END;
COMMENT ON FUNCTION @extschema@._report_next_status(text) IS
  'the statuses a report may take from status (its own included)';

-- True while _report_restore() rebuilds a report from its restored revisions: a flag it
-- sets, inside a trigger, as the extension's owner (a role that can write report_revision at
-- all; nobody else can make this true).
CREATE FUNCTION @extschema@._report_restoring() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN pg_catalog.current_setting('ceptoar.restoring', true) IS NOT DISTINCT FROM 'on'
     AND pg_catalog.pg_trigger_depth() OPERATOR(pg_catalog.>) 1
     AND pg_catalog."current_user"() OPERATOR(pg_catalog.=)
         (SELECT pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c
           WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@.report'::pg_catalog.regclass);
COMMENT ON FUNCTION @extschema@._report_restoring() IS
  'true while a report is rebuilt from its restored revisions (_report_restore)';

-- BEFORE INSERT OR UPDATE: what the registry decides (revision, derived columns, level)
-- and what it refuses.  Runs as the writer, so changed_by is the writer, and its lookups of
-- the operator and the service instance are the writer's queries (privileges, row-level
-- security).  A report rebuilt from a restored revision (_report_restore) is taken as it
-- was, with its derived columns.  In C (src/report_trigger.c), for the write path's cost
-- (bench/registry.sh); the same checks, in the same order, as the PL/pgSQL it replaced.
CREATE FUNCTION @extschema@._report_before() RETURNS trigger
  AS 'MODULE_PATHNAME', 'report_before' LANGUAGE C;
COMMENT ON FUNCTION @extschema@._report_before() IS
  'report: checks a new revision and sets what the registry decides (revision, level, the derived columns)';
CREATE TRIGGER report_before BEFORE INSERT OR UPDATE ON @extschema@.report
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_before();

-- AFTER INSERT and AFTER UPDATE, once per statement over its rows (transition table
-- "written"): the revisions and their verdicts, written as the extension's owner (nobody
-- else writes them), each in one set-based statement.
CREATE FUNCTION @extschema@._report_after() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF pg_catalog.current_setting('ceptoar.restoring', true) IS NOT DISTINCT FROM 'on'
     AND @extschema@._report_restoring() THEN
    RETURN NULL;   -- the revisions and their verdicts are restored from their own tables
  END IF;
  INSERT INTO @extschema@.report_revision
    (report, revision, operator, kind, incident, instance, detected, reported, tlp, exercise,
     summary, description, status, revoked, revoked_reason, level, level_rule_set, changed_at, changed_by)
  SELECT w.id, w.revision, w.operator, w.kind, w.incident, w.instance, w.detected, w.reported,
         w.tlp, w.exercise, w.summary, w.description, w.status, w.revoked, w.revoked_reason,
         w.level, w.level_rule_set, pg_catalog.clock_timestamp(), w.changed_by
    FROM written w;
  -- the rule sets that can apply, by kind and day, before any is classified: the
  -- verification level in force (the one level was computed with), the legal sets valid
  -- that day (kept when they have a rule for the service), the operator's own service levels
  INSERT INTO @extschema@.report_verdicts (report, revision, rule_set, kind, outcome, clause, explanation)
  SELECT c.id, c.revision, c.code, c.kind, v.outcome, v.clause, v.explanation
    FROM (SELECT w.id, w.revision, w.incident, s.code, s.kind
            FROM written w
            LEFT JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) w.operator
            JOIN @extschema@.rule_set s
              ON s.code OPERATOR(pg_catalog.=) w.level_rule_set
              OR s.code OPERATOR(pg_catalog.=) o.service_levels
              OR (s.kind OPERATOR(pg_catalog.=) 'legal_reporting'
                  AND (s.valid_from IS NULL OR s.valid_from OPERATOR(pg_catalog.<=)
                       (w.began AT TIME ZONE 'Asia/Tokyo')::date)
                  AND (s.valid_to IS NULL OR (w.began AT TIME ZONE 'Asia/Tokyo')::date
                       OPERATOR(pg_catalog.<) s.valid_to))
           WHERE w.kind OPERATOR(pg_catalog.=) 'incident') AS c,
         LATERAL @extschema@.classify(c.incident, c.code) v
   WHERE c.kind OPERATOR(pg_catalog.<>) 'legal_reporting' OR v.outcome OPERATOR(pg_catalog.<>) 'no_rule';
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._report_after() IS
  'report: keeps a statement''s revisions in report_revision and their classification in report_verdicts';
CREATE TRIGGER report_after_insert AFTER INSERT ON @extschema@.report
  REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_after();
CREATE TRIGGER report_after_update AFTER UPDATE ON @extschema@.report
  REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_after();

-- BEFORE INSERT on report_revision: a row written directly (not by _report_after, one
-- trigger deeper) is a restore (pg_restore, as the extension's owner: nobody else may write
-- here); the report's current state is rebuilt from its latest revision.
CREATE FUNCTION @extschema@._report_restore() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF pg_catalog.pg_trigger_depth() OPERATOR(pg_catalog.>) 1 THEN
    RETURN NEW;   -- written by the registry
  END IF;
  PERFORM pg_catalog.set_config('ceptoar.restoring', 'on', true);
  INSERT INTO @extschema@.report AS r
    (id, operator, kind, incident, instance, detected, reported, tlp, exercise, summary,
     description, status, revision, revoked, revoked_reason, level, level_rule_set, changed_by,
     sector_code, tlp_rank, is_exercise, is_revoked, fiscal_year)
  VALUES (NEW.report, NEW.operator, NEW.kind, NEW.incident, NEW.instance, NEW.detected,
     NEW.reported, NEW.tlp, NEW.exercise, NEW.summary, NEW.description, NEW.status, NEW.revision,
     NEW.revoked, NEW.revoked_reason, NEW.level, NEW.level_rule_set, NEW.changed_by, '', 0, false, false, 0)
  ON CONFLICT (id) DO UPDATE SET
     kind = EXCLUDED.kind, incident = EXCLUDED.incident, instance = EXCLUDED.instance,
     detected = EXCLUDED.detected, tlp = EXCLUDED.tlp, exercise = EXCLUDED.exercise,
     summary = EXCLUDED.summary, description = EXCLUDED.description, status = EXCLUDED.status,
     revision = EXCLUDED.revision, revoked = EXCLUDED.revoked,
     revoked_reason = EXCLUDED.revoked_reason, level = EXCLUDED.level,
     level_rule_set = EXCLUDED.level_rule_set, changed_by = EXCLUDED.changed_by
   WHERE r.revision OPERATOR(pg_catalog.<) EXCLUDED.revision;
  PERFORM pg_catalog.set_config('ceptoar.restoring', 'off', true);
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._report_restore() IS
  'report_revision: a revision written directly (pg_restore) rebuilds the report''s current state';
CREATE TRIGGER report_restore BEFORE INSERT ON @extschema@.report_revision
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_restore();

-- Nothing is ever lost: reports and their history are never deleted, revisions never changed.
CREATE FUNCTION @extschema@._report_keep() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND @extschema@._no_rows(TG_RELID) THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'report' THEN
    RAISE EXCEPTION 'reports are never deleted'
      USING ERRCODE = 'feature_not_supported',
            HINT = 'Revoke it with ceptoar.revoke(report, reason): the tombstone stays visible.';
  END IF;
  RAISE EXCEPTION 'ceptoar.% keeps the history of reports: it is never changed or deleted', TG_TABLE_NAME
    USING ERRCODE = 'feature_not_supported';
END $$;
COMMENT ON FUNCTION @extschema@._report_keep() IS
  'refuses DELETE and TRUNCATE of reports (TRUNCATE of an empty table is let through), and any change of their history';
CREATE TRIGGER report_keep BEFORE DELETE ON @extschema@.report
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON @extschema@.report
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep BEFORE UPDATE OR DELETE ON @extschema@.report_revision
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON @extschema@.report_revision
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep BEFORE UPDATE OR DELETE ON @extschema@.report_verdicts
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON @extschema@.report_verdicts
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep BEFORE UPDATE OR DELETE ON @extschema@.report_verification
  FOR EACH ROW EXECUTE FUNCTION @extschema@._report_keep();
CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON @extschema@.report_verification
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._report_keep();

-- revoke(): the tombstone of a report.  By its operator, or by its competent ministry or
-- NISC on the operator's behalf (revoking is a revision, which they may make); the row-level
-- security of ceptoar.report decides which reports (220_access.sql): one the caller may not
-- see is as unknown as one that does not exist.  Runs as the caller, whose party it checks.
CREATE FUNCTION @extschema@.revoke(report uuid, reason text) RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._party_require('revoke()', ARRAY['operator', 'ministry', 'nisc']);
  IF reason IS NULL OR pg_catalog.btrim(reason) OPERATOR(pg_catalog.=) '' THEN
    RAISE EXCEPTION 'revoking a report needs a reason'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE @extschema@.report r SET revoked = pg_catalog.now(), revoked_reason = reason
   WHERE r.id OPERATOR(pg_catalog.=) revoke.report;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.revoke(uuid, text) IS
  'withdraws a report: a new revision with revoked and its reason, which stays visible (a tombstone)';

-- verify(): the competent ministry (or NISC) confirms or overrides the verification level.
-- Runs as the caller, whose party it checks; row-level security limits the reports (an
-- invisible one is unknown) and pins what it writes (220_access.sql).
CREATE FUNCTION @extschema@.verify(report uuid, outcome text, reason text DEFAULT NULL) RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r @extschema@.report;
BEGIN
  PERFORM @extschema@._party_require('verify()', ARRAY['ministry', 'nisc']);
  SELECT * INTO r FROM @extschema@.report x WHERE x.id OPERATOR(pg_catalog.=) verify.report FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  IF r.kind OPERATOR(pg_catalog.<>) 'incident' THEN
    RAISE EXCEPTION 'report % is a %, not an incident: it has no verification level', report, r.kind
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF outcome IS NULL OR outcome NOT IN ('exceeds', 'within') THEN
    RAISE EXCEPTION 'invalid outcome %', COALESCE(pg_catalog.quote_literal(outcome), 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'An outcome is exceeds or within.';
  END IF;
  IF outcome IS DISTINCT FROM r.level AND (reason IS NULL OR pg_catalog.btrim(reason) OPERATOR(pg_catalog.=) '') THEN
    RAISE EXCEPTION 'overriding the computed level (%) needs a reason', COALESCE(r.level, 'none')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Give the reason as the third argument.';
  END IF;
  INSERT INTO @extschema@.report_verification (report, revision, outcome, computed, reason, verified_by, verified_at)
  VALUES (r.id, r.revision, outcome, r.level, reason, pg_catalog."current_user"(), pg_catalog.clock_timestamp());
  IF r.status OPERATOR(pg_catalog.<>) 'verified' THEN
    UPDATE @extschema@.report x SET status = 'verified' WHERE x.id OPERATOR(pg_catalog.=) r.id;
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.verify(uuid, text, text) IS
  'the competent ministry confirms (outcome = the computed level) or overrides (a reason is required) the verification level: who, when, why and the computed level are kept';
