-- 240_access_config.sql: who writes the configuration (issue 13, section 6) and the audit
-- of identity reads (section 7).
--
-- Rule sets, service instances and dependencies have no row-level security: the rule cache
-- and the graph cache (src/cache.c) are shared by every reader of a backend and refuse to
-- answer under it.  Their write rules are BEFORE row triggers that check the writer's party:
--   rule sets of kind legal_reporting or verification_level: NISC, and a ministry for the
--     sets it owns (owner = its code, in any case: the shipped sets say 'MIC');
--   rule sets of kind service_level: the operator that owns them (owner = its code);
--   service instances: their operator (operator = its code), the ministry competent today
--     for the sector of their service, NISC;
--   dependencies: whoever may write the dependent instance (the supplier may be anyone's);
--   operator.service_levels: a rule set owned by that operator.
-- Only parties are checked.  The tables' owner (and so the foreign keys' cascades, which run
-- as the owner) and roles that are no party keep what a DBA grants them; a role that is a
-- member of several parties is refused (it would hold the grants of all of them).

-- The writer's party, or none (kind NULL) for the tables' owner and for a role in no party;
-- a member of several parties gets my_party()'s error.  Each trigger below does this first.

CREATE FUNCTION @extschema@._rules_writer() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  is_set boolean := TG_TABLE_NAME = 'rule_set';
  k text;
  c text;
  s_code text;
  s_kind text;
  s_owner text;
  pass integer;
  may boolean;
  who text;
BEGIN
  IF (SELECT pg_catalog.pg_get_userbyid(r.relowner) FROM pg_catalog.pg_class r
       WHERE r.oid OPERATOR(pg_catalog.=) TG_RELID) OPERATOR(pg_catalog.=) CURRENT_USER THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  SELECT p.kind, p.code INTO k, c FROM @extschema@.my_party() p;
  IF k IS NULL THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  who := CASE k WHEN 'nisc' THEN 'NISC' WHEN 'public' THEN 'the public'
                WHEN 'ceptoar' THEN pg_catalog.concat('CEPTOAR ', c) ELSE pg_catalog.concat_ws(' ', k, c) END;
  -- pass 1: the row as it was (UPDATE, DELETE); pass 2: as it will be (INSERT, UPDATE)
  FOR pass IN 1..2 LOOP
    CONTINUE WHEN (pass = 1 AND TG_OP = 'INSERT') OR (pass = 2 AND TG_OP = 'DELETE');
    IF is_set THEN
      IF pass = 1 THEN
        s_code := OLD.code; s_kind := OLD.kind; s_owner := OLD.owner;
      ELSE
        s_code := NEW.code; s_kind := NEW.kind; s_owner := NEW.owner;
      END IF;
    ELSE
      s_code := CASE WHEN pass = 1 THEN OLD.rule_set ELSE NEW.rule_set END;
      SELECT s.kind, s.owner INTO s_kind, s_owner
        FROM @extschema@.rule_set s WHERE s.code OPERATOR(pg_catalog.=) s_code;
      CONTINUE WHEN NOT FOUND;   -- the foreign key says so
    END IF;
    may := CASE k
        WHEN 'nisc' THEN s_kind IN ('legal_reporting', 'verification_level')
        WHEN 'ministry' THEN s_kind IN ('legal_reporting', 'verification_level')
                             AND pg_catalog.lower(s_owner) OPERATOR(pg_catalog.=) c
        WHEN 'operator' THEN s_kind OPERATOR(pg_catalog.=) 'service_level'
                             AND pg_catalog.lower(s_owner) OPERATOR(pg_catalog.=) c
        ELSE false END;
    IF may IS NOT TRUE THEN
      RAISE EXCEPTION '% may not write rule set "%"', who, s_code
        USING ERRCODE = 'insufficient_privilege',
              DETAIL = pg_catalog.format('The rule set is of kind %s, owned by %s.',
                                         s_kind, COALESCE(s_owner, 'nobody')),
              HINT = 'Legal-reporting and verification-level sets are written by NISC and by the ministry that owns them (owner = its code); service levels (kind service_level) by the operator that owns them (owner = its code).';
    END IF;
  END LOOP;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION @extschema@._rules_writer() IS
  'rule_set and rule: a party writes only the sets its kind may (legal and verification sets: NISC, the owning ministry; service levels: the owning operator)';
CREATE TRIGGER rules_writer BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rule_set
  FOR EACH ROW EXECUTE FUNCTION @extschema@._rules_writer();
CREATE TRIGGER rules_writer BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.rule
  FOR EACH ROW EXECUTE FUNCTION @extschema@._rules_writer();

CREATE FUNCTION @extschema@._graph_writer() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  is_instance boolean := TG_TABLE_NAME = 'service_instance';
  k text;
  c text;
  i_id bigint;
  i_operator text;
  i_service @extschema@.service;
  pass integer;
  may boolean;
  who text;
BEGIN
  IF (SELECT pg_catalog.pg_get_userbyid(r.relowner) FROM pg_catalog.pg_class r
       WHERE r.oid OPERATOR(pg_catalog.=) TG_RELID) OPERATOR(pg_catalog.=) CURRENT_USER THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  SELECT p.kind, p.code INTO k, c FROM @extschema@.my_party() p;
  IF k IS NULL OR k OPERATOR(pg_catalog.=) 'nisc' THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  who := CASE k WHEN 'public' THEN 'the public' WHEN 'ceptoar' THEN pg_catalog.concat('CEPTOAR ', c)
                ELSE pg_catalog.concat_ws(' ', k, c) END;
  FOR pass IN 1..2 LOOP
    CONTINUE WHEN (pass = 1 AND TG_OP = 'INSERT') OR (pass = 2 AND TG_OP = 'DELETE');
    IF is_instance THEN
      IF pass = 1 THEN
        i_id := OLD.id; i_operator := OLD.operator; i_service := OLD.service;
      ELSE
        i_id := NEW.id; i_operator := NEW.operator; i_service := NEW.service;
      END IF;
    ELSE
      i_id := CASE WHEN pass = 1 THEN OLD.dependent ELSE NEW.dependent END;
      SELECT i.operator, i.service INTO i_operator, i_service
        FROM @extschema@.service_instance i WHERE i.id OPERATOR(pg_catalog.=) i_id;
      CONTINUE WHEN NOT FOUND;   -- the foreign key says so
    END IF;
    may := CASE k
        WHEN 'ministry' THEN @extschema@.ministry(@extschema@.sector(i_service)) OPERATOR(pg_catalog.=) c
        WHEN 'operator' THEN i_operator OPERATOR(pg_catalog.=) c
        ELSE false END;
    IF may IS NOT TRUE THEN
      RAISE EXCEPTION '% may not write %', who,
          CASE WHEN is_instance THEN pg_catalog.format('service instance %s', i_id)
               ELSE pg_catalog.format('a dependency of service instance %s', i_id) END
        USING ERRCODE = 'insufficient_privilege',
              DETAIL = pg_catalog.format('The instance is operator %s''s, of service %s (sector %s).',
                                         i_operator, i_service, @extschema@.sector(i_service)),
              HINT = 'An operator maintains its own service instances and their dependencies, a ministry those of the sectors it is competent for today (ceptoar.ministry(sector)), NISC all.';
    END IF;
  END LOOP;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION @extschema@._graph_writer() IS
  'service_instance and dependency: an operator writes its own instances and their dependencies, a ministry those of its sectors (today), NISC all';
CREATE TRIGGER graph_writer BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.service_instance
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_writer();
CREATE TRIGGER graph_writer BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_writer();

-- An operator's service levels are a rule set it owns (whichever party sets them).
CREATE FUNCTION @extschema@._operator_levels_writer() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  k text;
  c text;
BEGIN
  IF NEW.service_levels IS NULL
     OR (TG_OP = 'UPDATE' AND NEW.service_levels IS NOT DISTINCT FROM OLD.service_levels
         AND NEW.code IS NOT DISTINCT FROM OLD.code) THEN
    RETURN NEW;
  END IF;
  IF (SELECT pg_catalog.pg_get_userbyid(r.relowner) FROM pg_catalog.pg_class r
       WHERE r.oid OPERATOR(pg_catalog.=) TG_RELID) OPERATOR(pg_catalog.=) CURRENT_USER THEN
    RETURN NEW;
  END IF;
  SELECT p.kind, p.code INTO k, c FROM @extschema@.my_party() p;
  IF k IS NULL THEN
    RETURN NEW;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM @extschema@.rule_set s
                  WHERE s.code OPERATOR(pg_catalog.=) NEW.service_levels
                    AND pg_catalog.lower(s.owner) OPERATOR(pg_catalog.=) NEW.code) THEN
    RAISE EXCEPTION 'the service levels of operator % must be a rule set of its own, not "%"',
        NEW.code, NEW.service_levels
      USING ERRCODE = 'insufficient_privilege',
            HINT = pg_catalog.format('Name a rule set of kind service_level whose owner is %s.', NEW.code);
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@._operator_levels_writer() IS
  'operator: a party may name as service_levels only a rule set owned by that operator';
CREATE TRIGGER operator_levels_writer BEFORE INSERT OR UPDATE OF service_levels, code ON @extschema@.operator
  FOR EACH ROW EXECUTE FUNCTION @extschema@._operator_levels_writer();

-- The privileges that go with a party (src/sql/200_party.sql): every party but the public
-- reads the rules (PUBLIC does already) and the graph, which impact() needs; NISC, the
-- ministries and the operators write rules, instances and dependencies, limited by the
-- triggers above.  Registering a role again first takes away what its former kind had.
-- TRUNCATE, which fires no row trigger, is never granted.
CREATE FUNCTION @extschema@._party_privileges_config(role regrole, kind text, give boolean)
  RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  EXECUTE pg_catalog.format('REVOKE SELECT, INSERT, UPDATE, DELETE ON @extschema@.rule_set, @extschema@.rule, '
                            '@extschema@.service_instance, @extschema@.dependency FROM %s', role);
  IF NOT give OR kind OPERATOR(pg_catalog.=) 'public' THEN
    RETURN;
  END IF;
  EXECUTE pg_catalog.format('GRANT SELECT ON @extschema@.rule_set, @extschema@.rule, '
                            '@extschema@.service_instance, @extschema@.dependency TO %s', role);
  IF kind IN ('nisc', 'ministry', 'operator') THEN
    EXECUTE pg_catalog.format('GRANT INSERT, UPDATE, DELETE ON @extschema@.rule_set, @extschema@.rule, '
                              '@extschema@.service_instance, @extschema@.dependency TO %s', role);
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@._party_privileges_config(regrole, text, boolean) IS
  'grants (give) or revokes a party''s privileges on the rules, service instances and dependencies';

-- The audit of identity reads (section 7): who was shown which report's operator or full
-- description, by the registry's functions.  Appended by _audit_read() only (as the
-- table's owner); never changed or deleted; readable by the owner only (a row names the
-- report, and the uuids of red reports are not every party's to know).
CREATE TABLE @extschema@.identity_reads (
  read_at     timestamptz NOT NULL,
  reader      name NOT NULL,
  login       name NOT NULL,
  party_kind  text,
  party_code  text,
  report      uuid NOT NULL,
  what        text NOT NULL CHECK (what IN ('identity', 'description'))
);
COMMENT ON TABLE @extschema@.identity_reads IS
  'audit: each time a function of the registry showed a report''s operator identity or full description (append-only; ceptoar._audit_read)';
COMMENT ON COLUMN @extschema@.identity_reads.reader IS 'the session''s role at the read (SET ROLE''d, or the session user), also inside the registry''s SECURITY DEFINER functions: the role whose party was shown';
COMMENT ON COLUMN @extschema@.identity_reads.login IS 'session_user at the read (the role that logged in)';
COMMENT ON COLUMN @extschema@.identity_reads.party_kind IS 'the reader''s party (nisc, ministry, ceptoar, operator, public), NULL if none';
COMMENT ON COLUMN @extschema@.identity_reads.what IS 'identity (the operator, its service instance) or description (the full text)';
CREATE INDEX identity_reads_report ON @extschema@.identity_reads (report);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.identity_reads', '');

CREATE FUNCTION @extschema@._identity_reads_keep() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND @extschema@._no_rows(TG_RELID) THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'ceptoar.identity_reads is an audit trail: it is never changed or deleted'
    USING ERRCODE = 'feature_not_supported',
          HINT = 'Archive old rows elsewhere; only the owner can set the trigger identity_reads_keep aside (ALTER TABLE ... DISABLE TRIGGER) to prune.';
END $$;
COMMENT ON FUNCTION @extschema@._identity_reads_keep() IS
  'refuses UPDATE, DELETE and TRUNCATE of the audit of identity reads (TRUNCATE of an empty table is let through)';
CREATE TRIGGER identity_reads_keep BEFORE UPDATE OR DELETE ON @extschema@.identity_reads
  FOR EACH ROW EXECUTE FUNCTION @extschema@._identity_reads_keep();
CREATE TRIGGER identity_reads_keep_truncate BEFORE TRUNCATE ON @extschema@.identity_reads
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._identity_reads_keep();

CREATE FUNCTION @extschema@._audit_read(report uuid, what text) RETURNS uuid
  AS 'MODULE_PATHNAME', 'audit_read' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@._audit_read(uuid, text) IS
  'records in identity_reads that the session''s role (also inside SECURITY DEFINER functions) was shown the identity or description of a report, and returns the report; in a read-only transaction, to the server log instead';
