-- 200_party.sql: the parties of the registry (issue 13, section 1).
--
-- The extension creates no roles (roles belong to the cluster).  A DBA registers existing
-- roles as parties: NISC, a ministry, a CEPTOAR, an operator, or the public.  Every access
-- rule of the registry is written against the party of the current user: _party_kind() and
-- _party_code() (src/party.c).  Members of a registered role act as that party; a role
-- registered itself is that party whatever else it is a member of; a role in no party, or
-- in several, is no party and sees nothing.
--
-- The roster is the owner's only (who is which operator is itself to be protected): the
-- lookup answers for the current user alone, and nothing lets a party read another role's
-- registration.

CREATE TABLE @extschema@.party (
  role           regrole PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('nisc', 'ministry', 'ceptoar', 'operator', 'public')),
  code           text,
  registered     timestamptz NOT NULL DEFAULT pg_catalog.now(),
  CHECK ((kind OPERATOR(pg_catalog.=) 'public') OPERATOR(pg_catalog.=) (code IS NULL)),
  CHECK (kind OPERATOR(pg_catalog.<>) 'nisc' OR code OPERATOR(pg_catalog.=) 'nisc')
);
COMMENT ON TABLE @extschema@.party IS
  'the registered parties: which role acts as NISC, a ministry, a CEPTOAR, an operator or the public (register_party; readable by the extension''s owner only)';
COMMENT ON COLUMN @extschema@.party.code IS
  'nisc; a ministry code (ministries.code); a CEPTOAR code (ceptoars.code); an operator code (operator.code); NULL for the public';
CREATE INDEX party_code ON @extschema@.party (kind, code);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.party', '');
-- Each backend keeps its role's party (src/party.c); a change of the roster drops it in
-- every backend (a relcache invalidation: at commit for the others, at the next command
-- for the writer).
CREATE TRIGGER party_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.party
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._cache_invalidate();

CREATE FUNCTION @extschema@._party_kind() RETURNS text
  AS 'MODULE_PATHNAME', 'party_kind' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._party_kind() IS
  'the kind of party the current user acts as (nisc, ministry, ceptoar, operator, public), NULL if none';
CREATE FUNCTION @extschema@._party_code() RETURNS text
  AS 'MODULE_PATHNAME', 'party_code' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._party_code() IS
  'the code of the party the current user acts as (nisc, a ministry, a CEPTOAR, an operator), NULL for the public and for no party';
CREATE FUNCTION @extschema@._party_role() RETURNS oid
  AS 'MODULE_PATHNAME', 'party_role' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._party_role() IS
  'the role whose party _party_kind() and _party_code() answer for (the session''s role), also inside SECURITY DEFINER functions';
CREATE FUNCTION @extschema@.my_party(OUT kind text, OUT code text) RETURNS record
  AS 'MODULE_PATHNAME', 'party_mine' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.my_party() IS
  'the party the current user acts as: (kind, code), both NULL if none; an error if it is a member of several';

-- Registering a role: only the extension's owner, or a role it grants EXECUTE to.
CREATE FUNCTION @extschema@.register_party(role regrole, kind text, code text DEFAULT NULL)
  RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  c text := code;
BEGIN
  IF role IS NULL THEN
    RAISE EXCEPTION 'a party needs a role'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF kind IS NULL OR kind NOT IN ('nisc', 'ministry', 'ceptoar', 'operator', 'public') THEN
    RAISE EXCEPTION 'invalid party kind %', COALESCE(pg_catalog.quote_literal(kind), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A party is nisc, ministry (code: a ministry code), ceptoar (a CEPTOAR code), operator (an operator code) or public.';
  END IF;
  IF (SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r
       WHERE r.oid OPERATOR(pg_catalog.=) role::pg_catalog.oid) THEN
    RAISE EXCEPTION 'role % is a superuser or bypasses row-level security: it sees everything and cannot be a party', role
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Register an ordinary role (NOSUPERUSER, NOBYPASSRLS) and grant it to the people who act for the party.';
  END IF;
  IF kind OPERATOR(pg_catalog.=) 'nisc' THEN
    c := COALESCE(c, 'nisc');
  END IF;
  IF kind OPERATOR(pg_catalog.=) 'public' AND c IS NOT NULL THEN
    RAISE EXCEPTION 'the public has no code (got %)', pg_catalog.quote_literal(c)
      USING ERRCODE = 'invalid_parameter_value';
  ELSIF kind OPERATOR(pg_catalog.<>) 'public' AND c IS NULL THEN
    RAISE EXCEPTION 'a party of kind % needs a code', kind
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'ministry: a code of ceptoar.ministries; ceptoar: a code of ceptoar.ceptoars; operator: a code of ceptoar.operator.';
  ELSIF kind OPERATOR(pg_catalog.=) 'nisc' AND c OPERATOR(pg_catalog.<>) 'nisc' THEN
    RAISE EXCEPTION 'NISC''s code is nisc, not %', pg_catalog.quote_literal(c)
      USING ERRCODE = 'invalid_parameter_value';
  ELSIF kind OPERATOR(pg_catalog.=) 'ministry' AND NOT EXISTS (
          SELECT 1 FROM @extschema@.ministries m
           WHERE m.code OPERATOR(pg_catalog.=) c AND m.abolished IS NULL) THEN
    RAISE EXCEPTION 'unknown ministry %', pg_catalog.quote_literal(c)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Ministry codes are the code column of ceptoar.ministries (of a ministry not abolished).';
  ELSIF kind OPERATOR(pg_catalog.=) 'ceptoar' AND NOT @extschema@.ceptoar_exists(c) THEN
    RAISE EXCEPTION 'unknown CEPTOAR %', pg_catalog.quote_literal(c)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'CEPTOAR codes are the code column of ceptoar.ceptoars.';
  ELSIF kind OPERATOR(pg_catalog.=) 'operator' AND NOT EXISTS (
          SELECT 1 FROM @extschema@.operator o WHERE o.code OPERATOR(pg_catalog.=) c) THEN
    RAISE EXCEPTION 'unknown operator %', pg_catalog.quote_literal(c)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Operator codes are the code column of ceptoar.operator: register the operator first.';
  END IF;
  INSERT INTO @extschema@.party AS p (role, kind, code) VALUES (role, kind, c)
  ON CONFLICT ON CONSTRAINT party_pkey DO UPDATE
     SET kind = EXCLUDED.kind, code = EXCLUDED.code, registered = EXCLUDED.registered;
  PERFORM @extschema@._party_privileges(role, kind, true);
END $$;
COMMENT ON FUNCTION @extschema@.register_party(regrole, text, text) IS
  'registers an existing role as a party (kind nisc, ministry, ceptoar, operator or public, with its code) and grants it what its kind may do; registering it again changes its party';

CREATE FUNCTION @extschema@.unregister_party(role regrole) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  k text;
BEGIN
  DELETE FROM @extschema@.party p WHERE p.role OPERATOR(pg_catalog.=) unregister_party.role
    RETURNING p.kind INTO k;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'role % is not a party', role
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM @extschema@._party_privileges(role, k, false);
END $$;
COMMENT ON FUNCTION @extschema@.unregister_party(regrole) IS
  'unregisters a party: the role is no party any more and sees nothing of the registry';

-- The privileges that go with a party (what its kind may do; the rows are limited by
-- row-level security): granted by register_party, revoked by unregister_party.  One place
-- for both directions.
CREATE FUNCTION @extschema@._party_privileges(role regrole, kind text, give boolean)
  RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  -- one line per area of the access layer (issue 13)
  PERFORM @extschema@._party_privileges_registry(role, kind, give);
  PERFORM @extschema@._party_privileges_config(role, kind, give);
END $$;
COMMENT ON FUNCTION @extschema@._party_privileges(regrole, text, boolean) IS
  'grants (give) or revokes the privileges of a party of a kind to or from a role';
