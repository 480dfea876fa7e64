-- 230_shared_reports.sql: anonymised sharing (issue 13, section 3).
--
-- Every party reads reports through one view, shared_reports: the owner's view
-- (security_barrier), so it reads ceptoar.report as the extension's owner whatever the
-- caller may read, and applies the whole table of who sees what (README, Security) in its
-- WHERE, on the report's plain columns and the caller's party (scalar sub-selects: one
-- InitPlan per statement).  Where the caller may not see who reported, `operator` holds a
-- pseudonym and description, instance, changed_by and revoked_reason are NULL.
--
-- Pseudonyms: HMAC-SHA256 (RFC 2104, built from pg_catalog.sha256) of the operator's code
-- and the viewing party (kind and code) under a secret key: stable within one party's view,
-- unlinkable across parties.  The key (its two padded forms) is in pseudonym_key, which
-- only the extension's owner can read; no function a party may call computes a pseudonym
-- of an operator it names.
--
-- Functions over one report (response_timeline, suspected_origins, verdicts) must read
-- tables the caller may not read, so they run as the owner (SECURITY DEFINER); but a
-- SECURITY DEFINER function no longer knows its caller.  So the caller's party comes with
-- a proof: the view _caller, evaluated as the caller, gives its party and an HMAC of it
-- bound to this session and transaction (backend pid, transaction start); the function
-- verifies it with the key.  Nobody can forge a proof for another party, and a proof is
-- worth nothing outside the transaction it was made in.

-- The key, as its inner and outer pads (K xor 0x36.., K xor 0x5c..; K is 64 bytes, SHA-256's
-- block).  One row.
CREATE TABLE @extschema@.pseudonym_key (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  inner_pad  bytea NOT NULL,
  outer_pad  bytea NOT NULL,
  created    timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.pseudonym_key IS
  'the secret key of the pseudonyms in shared_reports and of the callers'' proofs (HMAC-SHA256 pads); readable by the extension''s owner only; rotate_pseudonym_key() replaces it';

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

-- HMAC-SHA256 of a message under the key (for the owner's side; the views write it out,
-- as a party may not execute this).
CREATE FUNCTION @extschema@._mac(msg bytea) RETURNS bytea
  LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
  RETURN (SELECT pg_catalog.sha256(k.outer_pad OPERATOR(pg_catalog.||)
                   pg_catalog.sha256(k.inner_pad OPERATOR(pg_catalog.||) msg))
            FROM @extschema@.pseudonym_key k);
COMMENT ON FUNCTION @extschema@._mac(bytea) IS 'HMAC-SHA256 of a message under pseudonym_key';

-- The caller's party.  Roles that read ceptoar.report past row-level security (superusers,
-- BYPASSRLS roles, the table's owner and its members) see everything: kind 'owner'.
-- Evaluated as the caller (functions in a view run as the current user).
CREATE VIEW @extschema@._viewer AS
SELECT CASE WHEN o.reads_all THEN 'owner' ELSE @extschema@._party_kind() END AS kind,
       CASE WHEN o.reads_all THEN NULL ELSE @extschema@._party_code() END AS code
  FROM (SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE')
               OR COALESCE((SELECT a.rolbypassrls FROM pg_catalog.pg_roles a
                             WHERE a.rolname OPERATOR(pg_catalog.=) CURRENT_USER), false) AS reads_all
          FROM pg_catalog.pg_class c
         WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@.report'::pg_catalog.regclass) o;
COMMENT ON VIEW @extschema@._viewer IS
  'the caller''s party (kind, code); kind owner for a role that reads every report';

-- The message a proof is the MAC of: the party, this backend and this transaction, the
-- fields separated by U+0001 (which no kind or code holds).
CREATE VIEW @extschema@._caller WITH (security_barrier) AS
SELECT v.kind, v.code,
       pg_catalog.sha256((SELECT k.outer_pad FROM @extschema@.pseudonym_key k) OPERATOR(pg_catalog.||)
         pg_catalog.sha256((SELECT k.inner_pad FROM @extschema@.pseudonym_key k) OPERATOR(pg_catalog.||)
           pg_catalog.convert_to(pg_catalog.concat_ws(pg_catalog.chr(1), 'caller', v.kind, COALESCE(v.code, ''),
             pg_catalog.pg_backend_pid(),
             (EXTRACT(EPOCH FROM pg_catalog.transaction_timestamp()) OPERATOR(pg_catalog.*) 1000000)::bigint),
             'UTF8'))) AS proof
  FROM @extschema@._viewer v;
COMMENT ON VIEW @extschema@._caller IS
  'the caller''s party and a proof of it for the registry''s SECURITY DEFINER functions, valid in this transaction of this session only';

CREATE FUNCTION @extschema@._party_proven(kind text, code text, proof bytea) RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  RETURN kind IS NOT NULL AND proof IS NOT NULL
     AND proof OPERATOR(pg_catalog.=) @extschema@._mac(pg_catalog.convert_to(
           pg_catalog.concat_ws(pg_catalog.chr(1), 'caller', kind, COALESCE(code, ''), pg_catalog.pg_backend_pid(),
             (EXTRACT(EPOCH FROM pg_catalog.transaction_timestamp()) OPERATOR(pg_catalog.*) 1000000)::bigint),
           'UTF8'));
COMMENT ON FUNCTION @extschema@._party_proven(text, text, bytea) IS
  'true if proof is _caller''s proof of party (kind, code) in this transaction of this session';

-- Whether party (kind, code), proven, sees report: NULL if not, else whether it sees who
-- reported.  The table of README "Security", for the SECURITY DEFINER functions; the view
-- shared_reports applies the same table in its WHERE (test/sql/shared_reports.sql checks
-- that they agree for every party and report).
CREATE FUNCTION @extschema@._sees(report uuid, kind text, code text, proof bytea) RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
  RETURN (SELECT CASE
      WHEN _sees.kind OPERATOR(pg_catalog.=) 'owner' THEN true
      WHEN _sees.kind OPERATOR(pg_catalog.=) 'operator' AND r.operator OPERATOR(pg_catalog.=) _sees.code THEN true
      WHEN _sees.kind OPERATOR(pg_catalog.=) 'ministry' AND r.ministry_code OPERATOR(pg_catalog.=) _sees.code THEN true
      WHEN r.tlp_rank OPERATOR(pg_catalog.=) 4 THEN
        CASE WHEN _sees.kind OPERATOR(pg_catalog.<>) 'public' AND EXISTS (
                    SELECT 1 FROM @extschema@.report_recipient x
                     WHERE x.report OPERATOR(pg_catalog.=) r.id AND x.recipient OPERATOR(pg_catalog.=) _sees.code)
             THEN _sees.kind OPERATOR(pg_catalog.=) 'nisc' END
      WHEN _sees.kind OPERATOR(pg_catalog.=) 'nisc' THEN true
      WHEN r.tlp_rank OPERATOR(pg_catalog.<=) 2 AND _sees.kind OPERATOR(pg_catalog.=) 'ceptoar'
           AND o.ceptoar OPERATOR(pg_catalog.=) _sees.code THEN false
      WHEN r.tlp_rank OPERATOR(pg_catalog.<=) 2 AND _sees.kind OPERATOR(pg_catalog.=) 'operator'
           AND o.ceptoar OPERATOR(pg_catalog.=) (SELECT m.ceptoar FROM @extschema@.operator m
                                                  WHERE m.code OPERATOR(pg_catalog.=) _sees.code) THEN false
      WHEN r.tlp_rank OPERATOR(pg_catalog.<=) 1 AND _sees.kind IN ('ministry', 'ceptoar', 'operator') THEN false
      WHEN r.tlp_rank OPERATOR(pg_catalog.=) 0 AND _sees.kind OPERATOR(pg_catalog.=) 'public' THEN false
      END
    FROM @extschema@.report r
    JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) r.operator
   WHERE r.id OPERATOR(pg_catalog.=) _sees.report
     AND @extschema@._party_proven(_sees.kind, _sees.code, _sees.proof));
COMMENT ON FUNCTION @extschema@._sees(uuid, text, text, bytea) IS
  'whether the proven party (kind, code) sees the report: NULL no, false pseudonymously, true with who reported';

-- The view.  k, c: the caller's party (InitPlans); mc: its CEPTOAR when it is an operator.
CREATE VIEW @extschema@.shared_reports WITH (security_barrier) AS
SELECT s.id,
       CASE WHEN s.identified THEN s.operator
            ELSE 'anon:' OPERATOR(pg_catalog.||) pg_catalog.left(pg_catalog.encode(
              pg_catalog.sha256((SELECT k.outer_pad FROM @extschema@.pseudonym_key k) OPERATOR(pg_catalog.||)
                pg_catalog.sha256((SELECT k.inner_pad FROM @extschema@.pseudonym_key k) OPERATOR(pg_catalog.||)
                  pg_catalog.convert_to(pg_catalog.concat_ws(pg_catalog.chr(1), 'pseudonym',
                    (SELECT v.kind FROM @extschema@._viewer v),
                    COALESCE((SELECT v.code FROM @extschema@._viewer v), ''), s.operator), 'UTF8'))),
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
               ((SELECT v.kind FROM @extschema@._viewer v) IN ('owner', 'nisc')
                OR ((SELECT v.kind FROM @extschema@._viewer v) OPERATOR(pg_catalog.=) 'operator'
                    AND r.operator OPERATOR(pg_catalog.=) (SELECT v.code FROM @extschema@._viewer v))
                OR ((SELECT v.kind FROM @extschema@._viewer v) OPERATOR(pg_catalog.=) 'ministry'
                    AND r.ministry_code OPERATOR(pg_catalog.=) (SELECT v.code FROM @extschema@._viewer v)))
                 IS TRUE AS identified
          FROM @extschema@.report r
          JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) r.operator
         WHERE (SELECT v.kind FROM @extschema@._viewer v) OPERATOR(pg_catalog.=) 'owner'
            OR ((SELECT v.kind FROM @extschema@._viewer v) OPERATOR(pg_catalog.=) 'operator'
                AND r.operator OPERATOR(pg_catalog.=) (SELECT v.code FROM @extschema@._viewer v))
            OR ((SELECT v.kind FROM @extschema@._viewer v) OPERATOR(pg_catalog.=) 'ministry'
                AND r.ministry_code OPERATOR(pg_catalog.=) (SELECT v.code FROM @extschema@._viewer v))
            OR (r.tlp_rank OPERATOR(pg_catalog.<) 4
                AND ((SELECT v.kind FROM @extschema@._viewer v) OPERATOR(pg_catalog.=) 'nisc'
                     OR (r.tlp_rank OPERATOR(pg_catalog.<=) 1
                         AND (SELECT v.kind FROM @extschema@._viewer v) IN ('ministry', 'ceptoar', 'operator'))
                     OR (r.tlp_rank OPERATOR(pg_catalog.=) 0
                         AND (SELECT v.kind FROM @extschema@._viewer v) OPERATOR(pg_catalog.=) 'public')
                     OR (r.tlp_rank OPERATOR(pg_catalog.<=) 2
                         AND (SELECT v.kind FROM @extschema@._viewer v) OPERATOR(pg_catalog.=) 'ceptoar'
                         AND o.ceptoar OPERATOR(pg_catalog.=) (SELECT v.code FROM @extschema@._viewer v))
                     OR (r.tlp_rank OPERATOR(pg_catalog.<=) 2
                         AND o.ceptoar OPERATOR(pg_catalog.=)
                             (SELECT m.ceptoar FROM @extschema@._viewer v
                                JOIN @extschema@.operator m ON m.code OPERATOR(pg_catalog.=) v.code
                               WHERE v.kind OPERATOR(pg_catalog.=) 'operator'))))
            OR (r.tlp_rank OPERATOR(pg_catalog.=) 4
                AND (SELECT v.kind FROM @extschema@._viewer v) IN ('nisc', 'ministry', 'ceptoar', 'operator')
                AND EXISTS (SELECT 1 FROM @extschema@.report_recipient x
                             WHERE x.report OPERATOR(pg_catalog.=) r.id
                               AND x.recipient OPERATOR(pg_catalog.=) (SELECT v.code FROM @extschema@._viewer v)))
       ) s;
COMMENT ON VIEW @extschema@.shared_reports IS
  'the reports the caller''s party sees (README, Security): where it may not see who reported, operator is a pseudonym (stable for this party, unlinkable across parties) and description, instance, revoked_reason and changed_by are NULL; identified says which';
COMMENT ON COLUMN @extschema@.shared_reports.operator IS
  'the operator''s code where identified, else a pseudonym anon:<16 hex digits> (HMAC-SHA256 of the operator and the viewing party under pseudonym_key)';
COMMENT ON COLUMN @extschema@.shared_reports.identified IS
  'true where the caller''s party sees who reported (the operator itself, its competent ministry, NISC, a role that reads every report)';

-- The verdicts of a report's revisions, for a party that sees it.  The verdicts by the
-- operator's own service levels name its rule set (often after the operator): only for a
-- party that sees who reported.
CREATE FUNCTION @extschema@._verdicts(report uuid, kind text, code text, proof bytea,
    OUT revision integer, OUT rule_set text, OUT rule_kind text, OUT outcome text,
    OUT clause text, OUT explanation text)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 10
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  ident boolean := @extschema@._sees(report, kind, code, proof);
BEGIN
  IF ident IS NULL THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.report.';
  END IF;
  RETURN QUERY
    SELECT v.revision, v.rule_set, v.kind, v.outcome, v.clause, v.explanation
      FROM @extschema@.report_verdicts v
     WHERE v.report OPERATOR(pg_catalog.=) _verdicts.report
       AND (ident OR v.kind OPERATOR(pg_catalog.<>) 'service_level')
     ORDER BY v.revision, v.rule_set;
END $$;
COMMENT ON FUNCTION @extschema@._verdicts(uuid, text, text, bytea) IS
  'verdicts(): the verdicts of a report for a proven party that sees it';

CREATE FUNCTION @extschema@.verdicts(report uuid,
    OUT revision integer, OUT rule_set text, OUT rule_kind text, OUT outcome text,
    OUT clause text, OUT explanation text)
  RETURNS SETOF record
  LANGUAGE plpgsql STABLE STRICT ROWS 10
  SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  c record;
BEGIN
  SELECT x.kind, x.code, x.proof INTO c FROM @extschema@._caller x;
  RETURN QUERY SELECT * FROM @extschema@._verdicts(report, c.kind, c.code, c.proof);
END $$;
COMMENT ON FUNCTION @extschema@.verdicts(uuid) IS
  'the classification of every revision of a report the caller sees (report_verdicts), in order; the operator''s own service-level verdicts only where the caller sees who reported';
