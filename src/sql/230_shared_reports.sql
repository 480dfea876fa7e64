-- 230_shared_reports.sql: anonymised sharing (issue 13, section 3).
--
-- Every party reads reports through one view, shared_reports: the owner's view
-- (security_barrier), so it reads ceptoar.report as the extension's owner whatever the
-- caller may read, and applies the whole table of who sees what (README, Security) in its
-- WHERE, on the report's plain columns and the caller's party (read once per statement).  Where the caller may not see who reported, `operator` holds a
-- pseudonym and description, instance, changed_by and revoked_reason are NULL.
--
-- Pseudonyms: HMAC-SHA256 (RFC 2104, built from pg_catalog.sha256) of the operator's code
-- and the viewing party (kind and code) under a secret key: stable within one party's view,
-- unlinkable across parties.  The key (its two padded forms) is in pseudonym_key, which
-- only the extension's owner can read; no function a party may call computes a pseudonym
-- of an operator it names.
--
-- Functions over one report (response_timeline, suspected_origins, verdicts) must read
-- tables the caller may not read, so they run as the owner (SECURITY DEFINER).  The
-- caller's party is the session's role's, which _party_kind() and _party_code() give also
-- inside them (src/party.c): they ask _sees(report), the view's own rule, what it sees.

-- The key, as its inner and outer pads (K xor 0x36.., K xor 0x5c..; K is 64 bytes, SHA-256's
-- block).  One row.
CREATE TABLE @extschema@.pseudonym_key (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  inner_pad  bytea NOT NULL,
  outer_pad  bytea NOT NULL,
  created    timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.pseudonym_key IS
  'the secret key of the pseudonyms in shared_reports (HMAC-SHA256 pads); readable by the extension''s owner only; rotate_pseudonym_key() replaces it';

-- A new key from the server's strong random source (gen_random_uuid: 122 random bits each).
CREATE FUNCTION @extschema@._pseudonym_pads(OUT inner_pad bytea, OUT outer_pad bytea)
  LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  k bytea := pg_catalog.uuid_send(pg_catalog.gen_random_uuid())
          OPERATOR(pg_catalog.||) pg_catalog.uuid_send(pg_catalog.gen_random_uuid())
          OPERATOR(pg_catalog.||) pg_catalog.uuid_send(pg_catalog.gen_random_uuid())
          OPERATOR(pg_catalog.||) pg_catalog.uuid_send(pg_catalog.gen_random_uuid());
BEGIN
  inner_pad := k;
  outer_pad := k;
  FOR i IN 0..63 LOOP
    inner_pad := pg_catalog.set_byte(inner_pad, i, pg_catalog.get_byte(k, i) OPERATOR(pg_catalog.#) 54);
    outer_pad := pg_catalog.set_byte(outer_pad, i, pg_catalog.get_byte(k, i) OPERATOR(pg_catalog.#) 92);
  END LOOP;
END $$;
COMMENT ON FUNCTION @extschema@._pseudonym_pads() IS
  'a new random 64-byte key as HMAC-SHA256''s inner and outer pads';

INSERT INTO @extschema@.pseudonym_key (inner_pad, outer_pad)
  SELECT p.inner_pad, p.outer_pad FROM @extschema@._pseudonym_pads() p;

-- pg_dump keeps the key (the dump holds every operator's identity anyway, in
-- report_revision): pseudonyms stay the same across dump and restore.  The key restored
-- replaces the one CREATE EXTENSION made.
CREATE FUNCTION @extschema@._pseudonym_key_restore() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  DELETE FROM @extschema@.pseudonym_key;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._pseudonym_key_restore() IS
  'pseudonym_key: a key written (pg_restore) replaces the one there, so there is always one';
CREATE TRIGGER pseudonym_key_restore BEFORE INSERT ON @extschema@.pseudonym_key
  FOR EACH ROW EXECUTE FUNCTION @extschema@._pseudonym_key_restore();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.pseudonym_key', '');

CREATE FUNCTION @extschema@.rotate_pseudonym_key() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE @extschema@.pseudonym_key k
     SET inner_pad = p.inner_pad, outer_pad = p.outer_pad, created = pg_catalog.now()
    FROM @extschema@._pseudonym_pads() p;
  IF NOT FOUND THEN
    INSERT INTO @extschema@.pseudonym_key (inner_pad, outer_pad)
      SELECT p.inner_pad, p.outer_pad FROM @extschema@._pseudonym_pads() p;
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.rotate_pseudonym_key() IS
  'replaces the pseudonyms'' secret key with a new random one: every party sees new pseudonyms (extension''s owner only)';

-- The caller's party: the session's role's (_party_kind(), _party_code() and _party_role()
-- answer for the session's role, also inside the registry's SECURITY DEFINER functions), and
-- its CEPTOAR when it is an operator.  Roles that read ceptoar.report past row-level security
-- (superusers, BYPASSRLS roles, the table's owner and its members) see everything: kind
-- 'owner'.
CREATE VIEW @extschema@._viewer AS
SELECT CASE WHEN o.reads_all THEN 'owner' ELSE p.kind END AS kind,
       CASE WHEN o.reads_all THEN NULL ELSE p.code END AS code,
       CASE WHEN NOT o.reads_all AND p.kind OPERATOR(pg_catalog.=) 'operator' THEN
         (SELECT m.ceptoar FROM @extschema@.operator m WHERE m.code OPERATOR(pg_catalog.=) p.code) END AS ceptoar
  FROM (SELECT pg_catalog.pg_has_role(@extschema@._party_role(), c.relowner, 'USAGE')
               OR COALESCE((SELECT a.rolbypassrls FROM pg_catalog.pg_roles a
                             WHERE a.oid OPERATOR(pg_catalog.=) @extschema@._party_role()), false) AS reads_all
          FROM pg_catalog.pg_class c
         WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@.report'::pg_catalog.regclass
        OFFSET 0) o   -- once, not in each CASE
 CROSS JOIN (SELECT @extschema@._party_kind() AS kind, @extschema@._party_code() AS code OFFSET 0) p;
COMMENT ON VIEW @extschema@._viewer IS
  'the caller''s party (kind, code; kind owner for a role that reads every report) and its CEPTOAR when it is an operator';

-- The view.  v: the caller's party and the key, read once per statement (a CTE: one
-- evaluation however often the scalar sub-selects below, the InitPlans, refer to it).
CREATE VIEW @extschema@.shared_reports WITH (security_barrier) AS
WITH v AS (
  SELECT w.kind, w.code, w.ceptoar, k.inner_pad, k.outer_pad
    FROM @extschema@._viewer w LEFT JOIN @extschema@.pseudonym_key k ON true)
SELECT s.id,
       CASE WHEN s.identified THEN s.operator
            ELSE 'anon:' OPERATOR(pg_catalog.||) pg_catalog.left(pg_catalog.encode(
              pg_catalog.sha256((SELECT v.outer_pad FROM v) OPERATOR(pg_catalog.||)
                pg_catalog.sha256((SELECT v.inner_pad FROM v) OPERATOR(pg_catalog.||)
                  pg_catalog.convert_to(pg_catalog.concat_ws(pg_catalog.chr(1), 'pseudonym',
                    (SELECT v.kind FROM v), COALESCE((SELECT v.code FROM v), ''), s.operator), 'UTF8'))),
              'hex'), 16) END AS operator,
       s.kind, s.incident,
       CASE WHEN s.identified THEN s.instance END AS instance,
       s.detected, s.reported, s.tlp, s.exercise, s.summary,
       CASE WHEN s.identified THEN s.description END AS description,
       s.status, s.revision, s.revoked,
       CASE WHEN s.identified THEN s.revoked_reason END AS revoked_reason,
       s.level, s.level_rule_set, s.sector_code, s.ministry_code, s.tlp_rank, s.is_exercise, s.is_revoked,
       s.fiscal_year, s.began, s.lasted, s.cause, s.user_hours,
       CASE WHEN s.identified THEN s.changed_by END AS changed_by,
       s.identified
  FROM (SELECT r.*,
               ((SELECT v.kind FROM v) IN ('owner', 'nisc')
                OR ((SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'operator'
                    AND r.operator OPERATOR(pg_catalog.=) (SELECT v.code FROM v))
                OR ((SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'ministry'
                    AND r.ministry_code OPERATOR(pg_catalog.=) (SELECT v.code FROM v)))
                 IS TRUE AS identified
          FROM @extschema@.report r
          JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) r.operator
         WHERE (SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'owner'
            OR ((SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'operator'
                AND r.operator OPERATOR(pg_catalog.=) (SELECT v.code FROM v))
            OR ((SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'ministry'
                AND r.ministry_code OPERATOR(pg_catalog.=) (SELECT v.code FROM v))
            OR (r.tlp_rank OPERATOR(pg_catalog.<) 4
                AND ((SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'nisc'
                     OR (r.tlp_rank OPERATOR(pg_catalog.<=) 1
                         AND (SELECT v.kind FROM v) IN ('ministry', 'ceptoar', 'operator'))
                     OR (r.tlp_rank OPERATOR(pg_catalog.=) 0
                         AND (SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'public')
                     OR (r.tlp_rank OPERATOR(pg_catalog.<=) 2
                         AND (SELECT v.kind FROM v) OPERATOR(pg_catalog.=) 'ceptoar'
                         AND o.ceptoar OPERATOR(pg_catalog.=) (SELECT v.code FROM v))
                     OR (r.tlp_rank OPERATOR(pg_catalog.<=) 2
                         AND o.ceptoar OPERATOR(pg_catalog.=) (SELECT v.ceptoar FROM v))))
            OR (r.tlp_rank OPERATOR(pg_catalog.=) 4
                AND (SELECT v.kind FROM v) IN ('nisc', 'ministry', 'ceptoar', 'operator')
                AND EXISTS (SELECT 1 FROM @extschema@.report_recipient x
                             WHERE x.report OPERATOR(pg_catalog.=) r.id
                               AND x.recipient OPERATOR(pg_catalog.=) (SELECT v.code FROM v)))
       ) s;
COMMENT ON VIEW @extschema@.shared_reports IS
  'the reports the caller''s party sees (README, Security): where it may not see who reported, operator is a pseudonym (stable for this party, unlinkable across parties) and description, instance, revoked_reason and changed_by are NULL; identified says which';
COMMENT ON COLUMN @extschema@.shared_reports.operator IS
  'the operator''s code where identified, else a pseudonym anon:<16 hex digits> (HMAC-SHA256 of the operator and the viewing party under pseudonym_key)';
COMMENT ON COLUMN @extschema@.shared_reports.identified IS
  'true where the caller''s party sees who reported (the operator itself, its competent ministry, NISC, a role that reads every report)';

-- Whether the caller sees a report: NULL if not (or there is no such report), else whether
-- it sees who reported.  The view's rule itself (one definition of who sees what), for the
-- registry's SECURITY DEFINER functions: they run as the owner, and the view answers for
-- the session's role (_viewer).
CREATE FUNCTION @extschema@._sees(report uuid) RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  RETURN (SELECT s.identified FROM @extschema@.shared_reports s WHERE s.id OPERATOR(pg_catalog.=) _sees.report);
COMMENT ON FUNCTION @extschema@._sees(uuid) IS
  'whether the caller sees the report (shared_reports): NULL no, false pseudonymously, true with who reported';

-- The verdicts of a report's revisions, for a caller that sees it.  It runs as the owner
-- (the caller may not read report_verdicts).  The verdicts by the operator's own service
-- levels name its rule set (often after the operator): only for a caller that sees who
-- reported, and recorded as a read of its identity (section 7).
CREATE FUNCTION @extschema@.verdicts(report uuid,
    OUT revision integer, OUT rule_set text, OUT rule_kind text, OUT outcome text,
    OUT clause text, OUT explanation text)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER ROWS 10
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  ident boolean := @extschema@._sees(report);
BEGIN
  IF ident IS NULL THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  IF ident AND EXISTS (SELECT 1 FROM @extschema@.report_verdicts v
                        WHERE v.report OPERATOR(pg_catalog.=) verdicts.report
                          AND v.kind OPERATOR(pg_catalog.=) 'service_level') THEN
    PERFORM @extschema@._audit_read(report, 'identity');
  END IF;
  RETURN QUERY
    SELECT v.revision, v.rule_set, v.kind, v.outcome, v.clause, v.explanation
      FROM @extschema@.report_verdicts v
     WHERE v.report OPERATOR(pg_catalog.=) verdicts.report
       AND (ident OR v.kind OPERATOR(pg_catalog.<>) 'service_level')
     ORDER BY v.revision, v.rule_set;
END $$;
COMMENT ON FUNCTION @extschema@.verdicts(uuid) IS
  'the classification of every revision of a report the caller sees (report_verdicts), in order; the operator''s own service-level verdicts only where the caller sees who reported (audited)';
