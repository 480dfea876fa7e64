-- 300_stix.sql: STIX 2.1 export and import (issue 14, section 1).
--
-- stix_bundle(reports) gives the calling party a STIX 2.1 bundle of the reports it sees,
-- read through shared_reports (who sees what, and the pseudonym it sees for an operator).
-- Each report is an incident with the Incident Core Extension, its TLP 2.0 marking (the
-- official marking-definition objects), an identity for the operator (its code, or the
-- party's pseudonym of it) and our own facts in a property extension of ours, declared by
-- the extension-definition object in the bundle.  report_link rows between reports of the
-- bundle become relationships.  import_stix(bundle) files incidents as reports, strictly.
--
-- Ids are name-based UUIDs (RFC 4122 version 5, SHA-1: _uuid_v5, src/uuid_v5.c) under a
-- fixed namespace: an incident's id is its report's for every revision (STIX versions of
-- one object share its id and differ by modified), so the same report and revision give
-- the same ids, and the bundle's id is a name-based UUID of its objects (the same bundle in
-- every database that exports it).  Timestamps are UTC with milliseconds.  A report filed
-- by import_stix keeps what its source said of its history (stix_imported): exported
-- unchanged, it is the bundle imported.  README, STIX 2.1.

-- A name-based UUID of version 5 (RFC 4122, section 4.3: SHA-1 of the namespace and the
-- name in UTF-8), as Python's uuid.uuid5(namespace, name).
CREATE FUNCTION @extschema@._uuid_v5(namespace uuid, name text) RETURNS uuid
  AS 'MODULE_PATHNAME', 'uuid_v5' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._uuid_v5(uuid, text) IS
  'a name-based UUID of version 5 (RFC 4122: SHA-1 of the namespace and the name in UTF-8), as Python''s uuid.uuid5';

-- A name-based UUID (version 5) under the registry's STIX namespace.
CREATE FUNCTION @extschema@._stix_uuid(name text) RETURNS uuid
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN @extschema@._uuid_v5('611cb5e0-208f-414c-8e7c-0a30c554267c'::uuid, name);
COMMENT ON FUNCTION @extschema@._stix_uuid(text) IS
  'a name-based UUID (RFC 4122 version 5) under the registry''s STIX namespace: the deterministic STIX ids';

-- A timestamp as STIX writes it: UTC, milliseconds, Z.
CREATE FUNCTION @extschema@._stix_time(t timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN pg_catalog.to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
COMMENT ON FUNCTION @extschema@._stix_time(timestamptz) IS
  'a timestamp as STIX 2.1 requires it: UTC with milliseconds, e.g. 2024-01-15T00:00:00.000Z';

-- The registry's fixed STIX objects: the extension-definition of our property extension
-- and the identity of the registry that created it.
CREATE FUNCTION @extschema@._stix_ours() RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN 'extension-definition--' || @extschema@._stix_uuid('extension-definition:ceptoar_registry-report:1.0')::text;
COMMENT ON FUNCTION @extschema@._stix_ours() IS
  'the id of the registry''s STIX extension-definition (our report facts on incident)';

CREATE FUNCTION @extschema@._stix_fixed() RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN pg_catalog.jsonb_build_array(
    pg_catalog.jsonb_build_object(
      'type', 'identity', 'spec_version', '2.1',
      'id', 'identity--' || @extschema@._stix_uuid('identity:ceptoar_registry')::text,
      'created', '2026-12-01T00:00:00.000Z', 'modified', '2026-12-01T00:00:00.000Z',
      'name', 'ceptoar_registry', 'identity_class', 'system',
      'description', 'the CEPTOAR registry of IT failures of critical infrastructure (PostgreSQL extension ceptoar_registry)'),
    pg_catalog.jsonb_build_object(
      'type', 'extension-definition', 'spec_version', '2.1',
      'id', @extschema@._stix_ours(),
      'created_by_ref', 'identity--' || @extschema@._stix_uuid('identity:ceptoar_registry')::text,
      'created', '2026-12-01T00:00:00.000Z', 'modified', '2026-12-01T00:00:00.000Z',
      'name', 'ceptoar_registry report',
      'description', 'the facts of a report of the CEPTOAR registry on its incident: report_id, kind, revision, status, the incident literal, service, sector, measures, fiscal_year, verdicts (rule set, kind, outcome, clause), level, exercise, detected, revoked',
      'schema', 'README of ceptoar_registry, section STIX 2.1 (properties of the extension)',
      'version', '1.0',
      'extension_types', pg_catalog.jsonb_build_array('property-extension')));
COMMENT ON FUNCTION @extschema@._stix_fixed() IS
  'the registry''s fixed STIX objects: its identity and the extension-definition of its report extension';

-- TLP 2.0: the official marking-definition objects (FIRST TLP 2.0, as OASIS publishes them).
CREATE FUNCTION @extschema@._stix_tlp(tlp text) RETURNS jsonb
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN (SELECT pg_catalog.jsonb_build_object(
            'type', 'marking-definition', 'spec_version', '2.1',
            'id', 'marking-definition--' || m.u, 'created', '2022-10-01T00:00:00.000Z',
            'name', 'TLP:' || pg_catalog.upper(tlp),
            'extensions', pg_catalog.jsonb_build_object(
              'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d',
              pg_catalog.jsonb_build_object('extension_type', 'property-extension', 'tlp_2_0', tlp)))
            FROM (VALUES ('clear', '94868c89-83c2-464b-929b-a1a8aa3c8487'),
                         ('green', 'bab4a63c-aed9-4cf5-a766-dfca5abac2bb'),
                         ('amber', '55d920b0-5e8b-4f79-9ee9-91f868d9b421'),
                         ('amber+strict', '939a9414-2ddd-4d32-a0cd-375ea402b003'),
                         ('red', 'e828b379-4e03-4974-9ac4-e53a884c97c1')) m (t, u)
           WHERE m.t = tlp);
COMMENT ON FUNCTION @extschema@._stix_tlp(text) IS
  'the official TLP 2.0 marking-definition object of a TLP level (clear .. red), NULL for another';

-- Our 15 sectors in STIX 2.1's industry-sector-ov (README, STIX 2.1).
CREATE FUNCTION @extschema@._stix_sectors(sector text) RETURNS jsonb
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
  RETURN CASE sector
    WHEN 'telecom' THEN '["communications", "telecommunications"]'
    WHEN 'finance' THEN '["financial-services"]'
    WHEN 'aviation' THEN '["aerospace", "transportation"]'
    WHEN 'airport' THEN '["infrastructure", "transportation"]'
    WHEN 'rail' THEN '["transportation"]'
    WHEN 'electricity' THEN '["energy", "utilities"]'
    WHEN 'gas' THEN '["energy", "utilities"]'
    WHEN 'government' THEN '["government-national", "government-local", "government-public-services"]'
    WHEN 'medical' THEN '["healthcare"]'
    WHEN 'water' THEN '["utilities", "water"]'
    WHEN 'logistics' THEN '["transportation"]'
    WHEN 'chemical' THEN '["chemical"]'
    WHEN 'credit' THEN '["financial-services"]'
    WHEN 'petroleum' THEN '["energy"]'
    WHEN 'port' THEN '["infrastructure", "transportation"]' END::jsonb;
COMMENT ON FUNCTION @extschema@._stix_sectors(text) IS
  'a sector of the registry as STIX industry-sector-ov values (README, STIX 2.1)';

-- What a bundle must have to validate (the required properties of the official schemas
-- for what we write and read, their forms, no null and no empty list anywhere): an error
-- 22023 naming the JSON path of the first fault.
CREATE FUNCTION @extschema@._stix_check(bundle jsonb) RETURNS void
  LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  o jsonb;
  i integer := 0;
  p text;
  k text;
  bad text;
  req text[];
  id_re constant text := '^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$';
  ts_re constant text := '^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)\.[0-9]{3,}Z$';
BEGIN
  IF bundle IS NULL OR pg_catalog.jsonb_typeof(bundle) <> 'object' OR bundle->>'type' IS DISTINCT FROM 'bundle' THEN
    RAISE EXCEPTION 'invalid STIX bundle at $.type: not a bundle'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A STIX 2.1 bundle is an object {"type": "bundle", "id": "bundle--<uuid>", "objects": [...]}.';
  END IF;
  IF pg_catalog.jsonb_typeof(bundle->'id') IS DISTINCT FROM 'string' OR bundle->>'id' !~ '^bundle--' OR bundle->>'id' !~ id_re THEN
    RAISE EXCEPTION 'invalid STIX bundle at $.id: %', COALESCE(bundle->>'id', 'missing')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A bundle''s id is bundle--<uuid>.';
  END IF;
  IF pg_catalog.jsonb_typeof(bundle->'objects') IS DISTINCT FROM 'array' OR pg_catalog.jsonb_array_length(bundle->'objects') = 0 THEN
    RAISE EXCEPTION 'invalid STIX bundle at $.objects: not a non-empty list'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A bundle''s objects are a non-empty JSON array of STIX objects.';
  END IF;
  -- no null and no empty list anywhere (STIX forbids both)
  SELECT x.path INTO bad FROM @extschema@._stix_paths(bundle, '$') x
   WHERE x.value = 'null'::jsonb OR x.value = '[]'::jsonb LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'invalid STIX bundle at %: null or an empty list', bad
      USING ERRCODE = 'invalid_parameter_value', HINT = 'STIX 2.1 leaves an unknown property out: it is never null or an empty list.';
  END IF;
  FOR o IN SELECT e FROM pg_catalog.jsonb_array_elements(bundle->'objects') e LOOP
    p := '$.objects[' || i || ']';
    i := i + 1;
    IF pg_catalog.jsonb_typeof(o) <> 'object' THEN
      RAISE EXCEPTION 'invalid STIX bundle at %: not an object', p USING ERRCODE = 'invalid_parameter_value';
    END IF;
    req := CASE o->>'type'
      WHEN 'marking-definition' THEN ARRAY['type', 'spec_version', 'id', 'created']
      WHEN 'incident' THEN ARRAY['type', 'spec_version', 'id', 'created', 'modified', 'name']
      WHEN 'identity' THEN ARRAY['type', 'spec_version', 'id', 'created', 'modified', 'name']
      WHEN 'relationship' THEN ARRAY['type', 'spec_version', 'id', 'created', 'modified', 'relationship_type', 'source_ref', 'target_ref']
      WHEN 'extension-definition' THEN ARRAY['type', 'spec_version', 'id', 'created', 'modified', 'name', 'schema', 'version', 'extension_types']
      ELSE ARRAY['type', 'spec_version', 'id'] END;
    FOREACH k IN ARRAY req LOOP
      IF NOT o ? k THEN
        RAISE EXCEPTION 'invalid STIX bundle at %.%: required property missing', p, k
          USING ERRCODE = 'invalid_parameter_value', HINT = pg_catalog.format('A STIX 2.1 %s has %s.', COALESCE(o->>'type', 'object'), pg_catalog.array_to_string(req, ', '));
      END IF;
    END LOOP;
    IF pg_catalog.jsonb_typeof(o->'spec_version') IS DISTINCT FROM 'string' OR o->>'spec_version' IS DISTINCT FROM '2.1' THEN
      RAISE EXCEPTION 'invalid STIX bundle at %.spec_version: %', p, o->'spec_version'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Only STIX 2.1 objects are read and written: "spec_version": "2.1", a string.';
    END IF;
    IF o->>'id' !~ id_re OR pg_catalog.split_part(o->>'id', '--', 1) <> o->>'type' THEN
      RAISE EXCEPTION 'invalid STIX bundle at %.id: %', p, o->'id'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'An id is <type>--<uuid> (a UUID of version 1 to 5).';
    END IF;
    FOREACH k IN ARRAY ARRAY['created', 'modified', 'start_time', 'stop_time'] LOOP
      IF o ? k AND (pg_catalog.jsonb_typeof(o->k) <> 'string' OR o->>k !~ ts_re) THEN
        RAISE EXCEPTION 'invalid STIX bundle at %.%: %', p, k, o->k
          USING ERRCODE = 'invalid_parameter_value', HINT = 'A STIX timestamp is UTC with milliseconds, e.g. 2024-01-15T00:00:00.000Z.';
      END IF;
    END LOOP;
    FOREACH k IN ARRAY ARRAY['created_by_ref', 'source_ref', 'target_ref'] LOOP
      IF o ? k AND o->>k !~ id_re THEN
        RAISE EXCEPTION 'invalid STIX bundle at %.%: %', p, k, o->k
          USING ERRCODE = 'invalid_parameter_value', HINT = 'A reference is <type>--<uuid>.';
      END IF;
    END LOOP;
    IF o ? 'object_marking_refs' AND EXISTS (SELECT 1 FROM pg_catalog.jsonb_array_elements_text(
         CASE WHEN pg_catalog.jsonb_typeof(o->'object_marking_refs') = 'array' THEN o->'object_marking_refs' ELSE '[1]' END) r
       WHERE r !~ '^marking-definition--' OR r !~ id_re) THEN
      RAISE EXCEPTION 'invalid STIX bundle at %.object_marking_refs: %', p, o->'object_marking_refs'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'object_marking_refs lists marking-definition ids.';
    END IF;
    IF o ? 'extensions' THEN
      SELECT e.key INTO k FROM pg_catalog.jsonb_each(o->'extensions') e
       WHERE e.key ~ '^extension-definition--' AND (pg_catalog.jsonb_typeof(e.value) <> 'object' OR NOT e.value ? 'extension_type')
       LIMIT 1;
      IF k IS NOT NULL THEN
        RAISE EXCEPTION 'invalid STIX bundle at %.extensions.%.extension_type: required property missing', p, k
          USING ERRCODE = 'invalid_parameter_value', HINT = 'An extension by an extension-definition names its extension_type.';
      END IF;
    END IF;
  END LOOP;
END $$;
COMMENT ON FUNCTION @extschema@._stix_check(jsonb) IS
  'checks a STIX 2.1 bundle for what the official schemas require of what the registry writes and reads; an error 22023 naming the JSON path of the first fault';

-- Every node of a JSON document with its JSON path ($.a.b[0]).
CREATE FUNCTION @extschema@._stix_paths(doc jsonb, root text, OUT path text, OUT value jsonb)
  RETURNS SETOF record
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  WITH RECURSIVE n (path, value, depth) AS (
    SELECT root, doc, 0
    UNION ALL
    SELECT c.path, c.value, n.depth + 1
      FROM n, LATERAL (
        SELECT CASE WHEN e.key ~ '^[A-Za-z_][A-Za-z0-9_]*$' THEN n.path || '.' || e.key
                    ELSE n.path || '[' || pg_catalog.to_jsonb(e.key)::text || ']' END, e.value
          FROM pg_catalog.jsonb_each(CASE WHEN pg_catalog.jsonb_typeof(n.value) = 'object' THEN n.value ELSE '{}' END) e
        UNION ALL
        SELECT n.path || '[' || (a.o - 1) || ']', a.value
          FROM pg_catalog.jsonb_array_elements(CASE WHEN pg_catalog.jsonb_typeof(n.value) = 'array' THEN n.value ELSE '[]' END)
               WITH ORDINALITY a (value, o)) c (path, value)
     WHERE n.depth < 64)
  SELECT n.path, n.value FROM n
$$;
COMMENT ON FUNCTION @extschema@._stix_paths(jsonb, text) IS
  'every node of a JSON document with its JSON path (objects and lists descended into, 64 levels at most)';

-- What the source of an imported report said of its history, while the registry cannot
-- (it starts every report at revision 1 and stamps revisions and tombstones with its own
-- clock): the revision the import ended at here, the source's revision, modified and time
-- of revocation.  _stix_incident exports those while the report is at that revision, and
-- counts later revisions on from the source's, so export(import(export(x))) = export(x).
CREATE TABLE @extschema@.stix_imported (
  report         uuid PRIMARY KEY,
  revision       integer NOT NULL,
  stix_revision  integer CHECK (stix_revision OPERATOR(pg_catalog.>=) 1),
  modified       text NOT NULL,
  revoked        text,
  imported       timestamptz NOT NULL DEFAULT pg_catalog.now(),
  FOREIGN KEY (report, revision) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.stix_imported IS
  'reports filed by import_stix: the revision the import ended at, and what the bundle said of the report''s history (our revision, modified, when revoked), which stix_bundle exports while the report is unchanged here';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.stix_imported', '');

-- Records what the bundle said of a report the caller has just filed (import_stix's).
CREATE FUNCTION @extschema@._stix_imported(report uuid, stix_revision integer, modified text, revoked text)
  RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  rev integer;
BEGIN
  -- only a report the caller filed in this transaction (its first revision written by the
  -- caller's role since the transaction began) and sees
  SELECT r.revision INTO rev FROM @extschema@.report r
   WHERE r.id OPERATOR(pg_catalog.=) _stix_imported.report
     AND EXISTS (SELECT 1 FROM @extschema@.report_revision v
                  WHERE v.report OPERATOR(pg_catalog.=) r.id AND v.revision OPERATOR(pg_catalog.=) 1
                    AND v.changed_at OPERATOR(pg_catalog.>=) pg_catalog.now()
                    AND v.changed_by OPERATOR(pg_catalog.=) pg_catalog.pg_get_userbyid(@extschema@._party_role()));
  IF rev IS NULL OR @extschema@._sees(report) IS NULL THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'import_stix() records the history of the reports it has just filed.';
  END IF;
  INSERT INTO @extschema@.stix_imported (report, revision, stix_revision, modified, revoked)
  VALUES (report, rev, stix_revision, modified, revoked);
EXCEPTION WHEN unique_violation THEN
  RAISE EXCEPTION 'the history of report % is recorded already', report
    USING ERRCODE = 'invalid_parameter_value', HINT = 'import_stix() records the history of a report once, when it files it.';
END $$;
COMMENT ON FUNCTION @extschema@._stix_imported(uuid, integer, text, text) IS
  'import_stix: records what a bundle said of the history of a report the caller has just filed (stix_imported)';

-- A value of a bundle as a value of type t, or an error 22023 naming its JSON path (NULL
-- when absent).  Strings only, but for integer (a JSON number) and boolean.
CREATE FUNCTION @extschema@._stix_value(path text, value jsonb, t regtype) RETURNS text
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  want constant text := CASE t WHEN 'integer'::regtype THEN 'number' WHEN 'boolean'::regtype THEN 'boolean' ELSE 'string' END;
  v text;
BEGIN
  IF value IS NULL THEN
    RETURN NULL;
  END IF;
  IF pg_catalog.jsonb_typeof(value) OPERATOR(pg_catalog.<>) want THEN
    RAISE EXCEPTION 'cannot map STIX at %: % is not a %', path, value, want
      USING ERRCODE = 'invalid_parameter_value',
            HINT = pg_catalog.format('The value is a JSON %s of type %s; README, STIX 2.1.', want, t);
  END IF;
  v := value #>> '{}';
  IF t = 'timestamptz'::regtype AND v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3,}Z$' THEN
    RAISE EXCEPTION 'cannot map STIX at %: % is not a STIX timestamp', path, value
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A STIX timestamp is UTC with milliseconds, e.g. 2024-01-15T00:00:00.000Z.';
  END IF;
  BEGIN
    EXECUTE pg_catalog.format('SELECT %L::%s', v, t);
  EXCEPTION WHEN data_exception THEN
    RAISE EXCEPTION 'cannot map STIX at %: % is not a valid %', path, value, t
      USING ERRCODE = 'invalid_parameter_value', DETAIL = SQLERRM,
            HINT = pg_catalog.format('The value is a JSON %s of type %s; README, STIX 2.1.', want, t);
  END;
  RETURN v;
END $$;
COMMENT ON FUNCTION @extschema@._stix_value(text, jsonb, regtype) IS
  'import_stix: a value of a bundle as text of a valid value of the type, or an error 22023 naming its JSON path';

-- An error the registry raised on a report import_stix files, again with the JSON path of
-- what caused it, its SQLSTATE, detail and hint kept.
CREATE FUNCTION @extschema@._stix_raise(path text, state text, message text, detail text, hint text) RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  m constant text := pg_catalog.format('cannot import STIX at %s: %s', path, message);
BEGIN
  IF COALESCE(detail, '') <> '' AND COALESCE(hint, '') <> '' THEN
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = m, DETAIL = detail, HINT = hint;
  ELSIF COALESCE(detail, '') <> '' THEN
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = m, DETAIL = detail;
  ELSIF COALESCE(hint, '') <> '' THEN
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = m, HINT = hint;
  END IF;
  RAISE EXCEPTION USING ERRCODE = state, MESSAGE = m;
END $$;
COMMENT ON FUNCTION @extschema@._stix_raise(text, text, text, text, text) IS
  'import_stix: raises an error again, its message prefixed with the JSON path of what caused it (SQLSTATE, detail and hint kept)';

-- The incident of one report as the caller sees it (a shared_reports row); its identity id.
CREATE FUNCTION @extschema@._stix_incident(s @extschema@.shared_reports) RETURNS jsonb
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  i @extschema@.incident := s.incident;
  ours jsonb;
  core jsonb;
  verdicts jsonb;
  last_change timestamptz;
  imp @extschema@.stix_imported;
  v_revision integer := s.revision;
  v_modified text;
  v_revoked text := @extschema@._stix_time(s.revoked);
BEGIN
  SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
           'rule_set', v.rule_set, 'rule_kind', v.kind, 'outcome', v.outcome, 'clause', v.clause))
           ORDER BY v.rule_set)
    INTO verdicts
    FROM @extschema@.report_verdicts v
   WHERE v.report = s.id AND v.revision = s.revision
     AND (s.identified OR v.kind <> 'service_level');
  SELECT r.changed_at INTO last_change FROM @extschema@.report_revision r
   WHERE r.report = s.id AND r.revision = s.revision;
  -- revision 1 was written when reported; later revisions when changed
  v_modified := @extschema@._stix_time(CASE WHEN s.revision = 1 THEN s.reported
                                            ELSE GREATEST(s.reported, last_change) END);
  -- an imported report: what its source said while it is as imported, and its revisions
  -- go on from the source's
  SELECT * INTO imp FROM @extschema@.stix_imported m WHERE m.report = s.id;
  IF imp.report IS NOT NULL THEN
    v_revision := s.revision + COALESCE(imp.stix_revision - imp.revision, 0);
    IF s.revision = imp.revision THEN
      v_modified := imp.modified;
      IF s.revoked IS NOT NULL THEN
        v_revoked := COALESCE(imp.revoked, v_revoked);
      END IF;
    END IF;
  END IF;
  core := pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'extension_type', 'property-extension',
    'determination', CASE s.kind WHEN 'incident' THEN 'successful-attempt'
                                 WHEN 'near_miss' THEN 'failed-attempt' ELSE 'suspected' END,
    'investigation_status', CASE s.status WHEN 'reported' THEN 'new'
                                 WHEN 'under_review' THEN 'open' WHEN 'revision_required' THEN 'open'
                                 ELSE 'closed' END,
    'availability_impacts', CASE @extschema@.effect(i)
                                 WHEN 'stop' THEN '[{"availability_impact": 100}]'::jsonb
                                 WHEN 'degradation' THEN '[{"availability_impact": 50}]'::jsonb
                                 WHEN 'delay' THEN '[{"availability_impact": 25}]'::jsonb END,
    'impacted_entity_counts', CASE WHEN @extschema@.users(i) IS NOT NULL
                                   THEN pg_catalog.jsonb_build_object('customers-individual', @extschema@.users(i)) END));
  ours := pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'extension_type', 'property-extension',
    'report_id', s.id, 'kind', s.kind, 'revision', v_revision, 'status', s.status,
    'incident', i::text, 'service', @extschema@.service(i)::text, 'sector', s.sector_code,
    'effect', @extschema@.effect(i), 'cause', s.cause,
    'began', @extschema@._stix_time(s.began),
    'lasted_seconds', pg_catalog.date_part('epoch', s.lasted),
    'measures', NULLIF(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
        'users', @extschema@.users(i), 'households', @extschema@.households(i),
        'lost_kw', @extschema@.lost_kw(i), 'cancelled', @extschema@.cancelled(i),
        'user_hours', s.user_hours)), '{}'::jsonb),
    'flags', NULLIF(pg_catalog.to_jsonb(@extschema@.flags(i)), '[]'::jsonb),
    'fiscal_year', s.fiscal_year,
    'level', s.level, 'level_rule_set', s.level_rule_set, 'verdicts', verdicts,
    'exercise', s.exercise, 'detected', @extschema@._stix_time(s.detected),
    'revoked', v_revoked, 'revoked_reason', s.revoked_reason));
  RETURN pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
    'type', 'incident', 'spec_version', '2.1',
    'id', 'incident--' || @extschema@._stix_uuid('incident:' || s.id::text)::text,
    'created_by_ref', 'identity--' || @extschema@._stix_uuid('identity:' || s.operator)::text,
    'created', @extschema@._stix_time(s.reported),
    'modified', v_modified,
    'name', COALESCE(s.summary, ''),
    'description', s.description,
    'revoked', CASE WHEN s.is_revoked THEN true END,
    'object_marking_refs', pg_catalog.jsonb_build_array(@extschema@._stix_tlp(s.tlp::text)->'id'),
    'extensions', pg_catalog.jsonb_build_object(
      'extension-definition--ef765651-680c-498d-9894-99799f2fa126', core,
      @extschema@._stix_ours(), ours)));
END $$;
COMMENT ON FUNCTION @extschema@._stix_incident(@extschema@.shared_reports) IS
  'a report as the caller sees it as a STIX 2.1 incident (Incident Core Extension and the registry''s own)';

CREATE FUNCTION @extschema@.stix_bundle(reports uuid[]) RETURNS jsonb
  LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  rid uuid;
  ident boolean;
  objs jsonb;
  b jsonb;
BEGIN
  IF pg_catalog.cardinality(reports) = 0 THEN
    RAISE EXCEPTION 'stix_bundle needs at least one report'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Give the ids of reports you see in ceptoar.shared_reports.';
  END IF;
  FOREACH rid IN ARRAY reports LOOP
    ident := @extschema@._sees(rid);
    IF rid IS NULL OR ident IS NULL THEN
      RAISE EXCEPTION 'unknown report %', COALESCE(rid::text, 'NULL')
        USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.shared_reports (the reports you see).';
    END IF;
  END LOOP;
  -- the bundle reveals who reported where the party sees it
  PERFORM @extschema@._audit_read(s.id, 'identity') FROM @extschema@.shared_reports s
    WHERE s.id = ANY (reports) AND s.identified;
  WITH inc AS MATERIALIZED (
    SELECT @extschema@._stix_incident(s) AS o, s.id, s.operator, s.tlp, s.sector_code
      FROM @extschema@.shared_reports s WHERE s.id = ANY (reports)),
  ids AS (
    SELECT DISTINCT ON (i.operator) pg_catalog.jsonb_build_object(
             'type', 'identity', 'spec_version', '2.1',
             'id', 'identity--' || @extschema@._stix_uuid('identity:' || i.operator)::text,
             'created', '2026-12-01T00:00:00.000Z', 'modified', '2026-12-01T00:00:00.000Z',
             'name', i.operator, 'identity_class', 'organization',
             'sectors', @extschema@._stix_sectors(i.sector_code)) AS o
      FROM inc i ORDER BY i.operator),
  marks AS (
    SELECT DISTINCT @extschema@._stix_tlp(i.tlp::text) AS o FROM inc i),
  rels AS (
    SELECT pg_catalog.jsonb_build_object(
             'type', 'relationship', 'spec_version', '2.1',
             'id', 'relationship--' || @extschema@._stix_uuid('relationship:' || l.report::text || ':' || l.related::text || ':' || l.kind)::text,
             'created', @extschema@._stix_time(l.created), 'modified', @extschema@._stix_time(l.created),
             'relationship_type', pg_catalog.replace(l.kind, '_', '-'),
             'source_ref', a.o->>'id', 'target_ref', c.o->>'id') AS o
      FROM @extschema@.report_link l
      JOIN inc a ON a.id = l.report JOIN inc c ON c.id = l.related),
  alls AS (
    SELECT 0 AS g, f.o FROM pg_catalog.jsonb_array_elements(@extschema@._stix_fixed()) f (o)
    UNION ALL SELECT 1, m.o FROM marks m
    UNION ALL SELECT 2, d.o FROM ids d
    UNION ALL SELECT 3, i.o FROM inc i
    UNION ALL SELECT 4, r.o FROM rels r)
  SELECT pg_catalog.jsonb_agg(a.o ORDER BY a.g, a.o->>'id') INTO objs FROM alls a;
  b := pg_catalog.jsonb_build_object('type', 'bundle',
         'id', 'bundle--' || @extschema@._stix_uuid('bundle:' || objs::text)::text,
         'objects', objs);
  PERFORM @extschema@._stix_check(b);
  RETURN b;
END $$;
COMMENT ON FUNCTION @extschema@.stix_bundle(uuid[]) IS
  'a STIX 2.1 bundle of reports for the calling party (shared_reports: what it sees, the pseudonyms it sees): incidents with the Incident Core Extension and the registry''s own, TLP 2.0 markings, identities, relationships for report links; deterministic ids; a report it does not see is unknown (22023)';

CREATE FUNCTION @extschema@.stix_bundle(report uuid) RETURNS jsonb
  LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp
  RETURN @extschema@.stix_bundle(ARRAY[report]);
COMMENT ON FUNCTION @extschema@.stix_bundle(uuid) IS
  'stix_bundle(ARRAY[report]): a STIX 2.1 bundle of one report';

-- Parts of imported bundles that map to nothing of ours, kept on request.
CREATE TABLE @extschema@.stix_unmapped (
  report    uuid,
  bundle    text NOT NULL,
  path      text NOT NULL,
  value     jsonb NOT NULL,
  imported  timestamptz NOT NULL DEFAULT pg_catalog.now(),
  first     integer GENERATED ALWAYS AS (1) STORED,
  kept_by   name NOT NULL,
  PRIMARY KEY (kept_by, bundle, path),
  FOREIGN KEY (report, first) REFERENCES @extschema@.report_revision (report, revision)
);
COMMENT ON TABLE @extschema@.stix_unmapped IS
  'import_stix(bundle, keep_unmapped => true): the JSON the registry could not map, by the role that imported it, bundle id and JSON path, with the report it came with (NULL for a whole object; the key refers to its first revision, which pg_dump keeps); the owner''s; stix_unmapped_purge() lets each role delete its own';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.stix_unmapped', '');

-- Deletes the unmapped parts kept longer than older_than: the owner's call (a role that may
-- DELETE from stix_unmapped) deletes everyone's, another role's those kept under its name;
-- the number deleted.
CREATE FUNCTION @extschema@.stix_unmapped_purge(older_than interval) RETURNS bigint
  LANGUAGE plpgsql STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n bigint;
  everyone constant boolean := pg_catalog.has_table_privilege(@extschema@._party_role(), '@extschema@.stix_unmapped', 'DELETE');
  me constant name := pg_catalog.pg_get_userbyid(@extschema@._party_role());
  cutoff timestamptz;
BEGIN
  IF older_than OPERATOR(pg_catalog.<) interval '0' THEN
    RAISE EXCEPTION 'stix_unmapped_purge: older_than % is negative', older_than
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Give how long to keep them, e.g. interval ''30 days''; interval ''0'' deletes all.';
  END IF;
  BEGIN
    cutoff := pg_catalog.now() OPERATOR(pg_catalog.-) older_than;
  EXCEPTION WHEN datetime_field_overflow THEN
    RETURN 0;   -- before any time there is: nothing kept that long
  END;
  DELETE FROM @extschema@.stix_unmapped u
   WHERE u.imported OPERATOR(pg_catalog.<=) cutoff
     AND (everyone OR u.kept_by OPERATOR(pg_catalog.=) me);
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
COMMENT ON FUNCTION @extschema@.stix_unmapped_purge(interval) IS
  'deletes the unmapped STIX parts kept longer than older_than (interval ''0'': all): the owner''s call everyone''s, another role''s those kept under its name; returns how many';

-- Keeps an unmapped part of the report the caller has just filed (or of no report).
CREATE FUNCTION @extschema@._stix_keep(report uuid, bundle text, path text, value jsonb) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT pg_catalog.has_table_privilege(@extschema@._party_role(), '@extschema@.report', 'INSERT') THEN
    RAISE EXCEPTION 'permission denied to keep unmapped STIX'
      USING ERRCODE = 'insufficient_privilege', HINT = 'import_stix() is for the roles that file reports.';
  END IF;
  IF report IS NOT NULL AND @extschema@._sees(report) IS NOT TRUE THEN
    RAISE EXCEPTION 'unknown report %', report
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Reports are ids of ceptoar.shared_reports.';
  END IF;
  -- kept under the name of the role that imports (the session's): nobody can claim a
  -- bundle's paths for another, and every row says whose it is
  INSERT INTO @extschema@.stix_unmapped (report, bundle, path, value, kept_by)
  VALUES (report, bundle, path, value, pg_catalog.pg_get_userbyid(@extschema@._party_role()));
EXCEPTION WHEN unique_violation THEN
  RAISE EXCEPTION 'the unmapped part % of bundle % is kept already', path, bundle
    USING ERRCODE = 'invalid_parameter_value',
          HINT = 'A bundle''s unmapped parts are kept once per importing role: this bundle was imported with keep_unmapped before.';
END $$;
COMMENT ON FUNCTION @extschema@._stix_keep(uuid, text, text, jsonb) IS
  'import_stix: keeps an unmapped part of a bundle (of a report the caller sees with who reported)';

CREATE FUNCTION @extschema@.import_stix(bundle jsonb, keep_unmapped boolean DEFAULT false, operator text DEFAULT NULL)
  RETURNS SETOF uuid
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  o jsonb;
  i integer := -1;
  p text;
  k text;
  e jsonb;
  ours_id constant text := @extschema@._stix_ours();
  core_id constant text := 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';
  tlp_ids constant text[] := ARRAY['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
    'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
    'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'];
  tlp_names constant text[] := ARRAY['clear', 'green', 'amber', 'amber+strict', 'red'];
  names jsonb := '{}';      -- identity id -> name
  incs jsonb := '{}';       -- incident id -> report id
  unmapped jsonb := '[]';   -- [{report, path, value}]
  bid text;
  rid uuid;
  op text;
  x jsonb;
  ours jsonb;
  core jsonb;
  marks text[];
  v_kind text;
  v_status text;
  v_tlp text;
  again jsonb;
  bad record;
  filed uuid[] := '{}';
  byidx jsonb := '{}';      -- bundle object index -> report id
  op_path text;             -- $.objects[i].extensions["<ours>"]
  core_path text;           -- $.objects[i].extensions["<Incident Core>"]
  v_incident text;
  v_detected text;
  v_revoked text;
  v_revision text;
  e_state text;
  e_msg text;
  e_detail text;
  e_hint text;
BEGIN
  PERFORM @extschema@._stix_check(bundle);
  bid := bundle->>'id';
  -- identities first (an incident refers to one anywhere in the bundle)
  FOR o IN SELECT y FROM pg_catalog.jsonb_array_elements(bundle->'objects') y LOOP
    IF o->>'type' = 'identity' THEN
      names := names || pg_catalog.jsonb_build_object(o->>'id', o->>'name');
    END IF;
  END LOOP;
  FOR o IN SELECT y FROM pg_catalog.jsonb_array_elements(bundle->'objects') y LOOP
    i := i + 1;
    p := '$.objects[' || i || ']';
    IF o->>'type' = 'identity'
       OR (o->>'type' = 'extension-definition' AND o->>'id' = ours_id)
       OR (o->>'type' = 'marking-definition' AND o->>'id' = ANY (tlp_ids)) THEN
      CONTINUE;   -- read where referred to (identities) or known (ours, TLP 2.0)
    ELSIF o->>'type' = 'relationship' THEN
      CONTINUE;   -- after the incidents
    ELSIF o->>'type' <> 'incident' THEN
      unmapped := unmapped || pg_catalog.jsonb_build_object('path', p, 'value', o);
      EXIT WHEN NOT keep_unmapped;
      CONTINUE;
    END IF;
    -- an incident: what we map, what we keep, what is an error
    FOR k IN SELECT j FROM pg_catalog.jsonb_object_keys(o) j LOOP
      IF k <> ALL (ARRAY['type', 'spec_version', 'id', 'created', 'modified', 'name', 'description',
                         'created_by_ref', 'object_marking_refs', 'revoked', 'extensions']) THEN
        unmapped := unmapped || pg_catalog.jsonb_build_object('object', i, 'path', p || '.' || k, 'value', o->k);
      END IF;
    END LOOP;
    FOR k IN SELECT j FROM pg_catalog.jsonb_object_keys(COALESCE(o->'extensions', '{}')) j LOOP
      IF k <> ALL (ARRAY[core_id, ours_id]) THEN
        unmapped := unmapped || pg_catalog.jsonb_build_object('object', i, 'path', p || '.extensions[' || pg_catalog.to_jsonb(k)::text || ']', 'value', o->'extensions'->k);
      END IF;
    END LOOP;
    IF NOT keep_unmapped AND pg_catalog.jsonb_array_length(unmapped) > 0 THEN
      EXIT;   -- the error below, before anything is filed
    END IF;
    ours := o->'extensions'->ours_id;
    core := o->'extensions'->core_id;
    op_path := p || '.extensions[' || pg_catalog.to_jsonb(ours_id)::text || ']';
    core_path := p || '.extensions[' || pg_catalog.to_jsonb(core_id)::text || ']';
    IF ours IS NOT NULL AND pg_catalog.jsonb_typeof(ours) <> 'object' THEN
      RAISE EXCEPTION 'cannot map STIX at %: not an object', op_path USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF core IS NOT NULL AND pg_catalog.jsonb_typeof(core) <> 'object' THEN
      RAISE EXCEPTION 'cannot map STIX at %: not an object', core_path USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT pg_catalog.array_agg(m) INTO marks FROM pg_catalog.jsonb_array_elements_text(
      CASE WHEN pg_catalog.jsonb_typeof(o->'object_marking_refs') = 'array' THEN o->'object_marking_refs' ELSE '[]' END) m;
    IF pg_catalog.cardinality(marks) IS DISTINCT FROM 1 OR NOT marks[1] = ANY (tlp_ids) THEN
      RAISE EXCEPTION 'cannot map STIX at %.object_marking_refs: one TLP 2.0 marking expected', p
        USING ERRCODE = 'invalid_parameter_value', HINT = 'A report has one TLP 2.0 marking (the official marking-definition ids, TLP:CLEAR .. TLP:RED).';
    END IF;
    v_tlp := tlp_names[pg_catalog.array_position(tlp_ids, marks[1])];
    -- each value read, checked where it is: an error names its JSON path
    FOREACH k IN ARRAY ARRAY['name', 'description'] LOOP
      PERFORM @extschema@._stix_value(p || '.' || k, o->k, 'text');
    END LOOP;
    PERFORM @extschema@._stix_value(p || '.created', o->'created', 'timestamptz'),
            @extschema@._stix_value(p || '.modified', o->'modified', 'timestamptz'),
            @extschema@._stix_value(p || '.revoked', o->'revoked', 'boolean');
    FOREACH k IN ARRAY ARRAY['kind', 'status', 'exercise', 'revoked_reason'] LOOP
      PERFORM @extschema@._stix_value(op_path || '.' || k, ours->k, 'text');
    END LOOP;
    FOREACH k IN ARRAY ARRAY['determination', 'investigation_status'] LOOP
      PERFORM @extschema@._stix_value(core_path || '.' || k, core->k, 'text');
    END LOOP;
    rid := @extschema@._stix_value(op_path || '.report_id', ours->'report_id', 'uuid');
    v_incident := @extschema@._stix_value(op_path || '.incident', ours->'incident', '@extschema@.incident');
    v_detected := @extschema@._stix_value(op_path || '.detected', ours->'detected', 'timestamptz');
    v_revoked := @extschema@._stix_value(op_path || '.revoked', ours->'revoked', 'timestamptz');
    v_revision := @extschema@._stix_value(op_path || '.revision', ours->'revision', 'integer');
    IF v_revision::integer < 1 THEN
      RAISE EXCEPTION 'cannot map STIX at %.revision: % is not a revision', op_path, ours->'revision'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'A report''s revisions count from 1.';
    END IF;
    IF ours ? 'exercise' AND NOT EXISTS (SELECT 1 FROM @extschema@.exercises x WHERE x.code = ours->>'exercise') THEN
      RAISE EXCEPTION 'cannot map STIX at %.exercise: no exercise %', op_path, ours->'exercise'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'An exercise is a code of ceptoar.exercises, in the database that imports too.';
    END IF;
    -- kind and status: ours, else from the Incident Core Extension
    v_kind := COALESCE(ours->>'kind', CASE core->>'determination' WHEN 'successful-attempt' THEN 'incident'
                                        WHEN 'failed-attempt' THEN 'near_miss' WHEN 'suspected' THEN 'threat' END);
    IF ours ? 'kind' AND v_kind NOT IN ('incident', 'near_miss', 'threat') THEN
      RAISE EXCEPTION 'cannot map STIX at %.kind: %', op_path, ours->'kind'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'A report''s kind is incident, near_miss or threat.';
    END IF;
    IF v_kind IS NULL THEN
      RAISE EXCEPTION 'cannot map STIX at %.determination: %', core_path, COALESCE(core->'determination', 'null')
        USING ERRCODE = 'invalid_parameter_value', HINT = 'A report is an incident (successful-attempt), a near miss (failed-attempt) or a threat (suspected).';
    END IF;
    IF v_kind = 'incident' AND NOT COALESCE(ours ? 'incident', false) THEN
      RAISE EXCEPTION 'cannot map STIX at %.incident: an incident report needs its facts', op_path
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'A successful-attempt is filed as an incident, whose facts (the incident literal) are in the registry''s extension; a suspected incident is filed as a threat, a failed attempt as a near miss.';
    END IF;
    v_status := COALESCE(ours->>'status', CASE core->>'investigation_status' WHEN 'new' THEN 'reported'
                                            WHEN 'open' THEN 'under_review' WHEN 'closed' THEN 'closed' END, 'reported');
    IF ours ? 'status' AND v_status NOT IN ('reported', 'under_review', 'verified', 'revision_required', 'closed') THEN
      RAISE EXCEPTION 'cannot map STIX at %.status: %', op_path, ours->'status'
        USING ERRCODE = 'invalid_parameter_value', HINT = 'A report''s status is reported, under_review, verified, revision_required or closed.';
    END IF;
    -- who files it
    op := COALESCE(import_stix.operator, names->>(o->>'created_by_ref'));
    IF op IS NULL OR NOT EXISTS (SELECT 1 FROM @extschema@.operator m WHERE m.code = op) THEN
      RAISE EXCEPTION 'cannot map STIX at %.created_by_ref: no operator %', p, COALESCE(pg_catalog.quote_literal(op), 'named')
        USING ERRCODE = 'invalid_parameter_value', HINT = 'The identity''s name is an operator code of ceptoar.operator, or give import_stix(..., operator => code).';
    END IF;
    rid := COALESCE(rid, pg_catalog.substr(o->>'id', 11)::uuid);
    BEGIN
      INSERT INTO @extschema@.report AS r (id, operator, kind, incident, detected, reported, tlp, exercise,
                                           summary, description, status, revoked, revoked_reason)
      VALUES (rid, op, v_kind, v_incident::@extschema@.incident,
              v_detected::timestamptz, (o->>'created')::timestamptz, v_tlp::@extschema@.tlp,
              ours->>'exercise', NULLIF(o->>'name', ''), o->>'description', 'reported', NULL, NULL);
    EXCEPTION
      WHEN unique_violation THEN
        RAISE EXCEPTION 'cannot import STIX at %: report % exists', p, rid
          USING ERRCODE = 'invalid_parameter_value', HINT = 'A report is imported once; its later revisions are updates of ceptoar.report.';
      WHEN others THEN   -- what the registry refuses of this report (privileges, its checks)
        GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_msg = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
        PERFORM @extschema@._stix_raise(p, e_state, e_msg, e_detail, e_hint);
    END;
    -- a report starts as reported, unrevoked: its status and its tombstone are revisions
    BEGIN
      IF v_status <> 'reported' THEN
        k := CASE WHEN ours ? 'status' THEN op_path || '.status' ELSE core_path || '.investigation_status' END;
        UPDATE @extschema@.report r SET status = v_status WHERE r.id = rid;
      END IF;
      IF (o->>'revoked')::boolean THEN
        k := p || '.revoked';
        UPDATE @extschema@.report r
           SET revoked = COALESCE(v_revoked::timestamptz, (o->>'modified')::timestamptz),
               revoked_reason = COALESCE(ours->>'revoked_reason', 'revoked in STIX')
         WHERE r.id = rid;
      END IF;
    EXCEPTION WHEN others THEN
      GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_msg = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL, e_hint = PG_EXCEPTION_HINT;
      PERFORM @extschema@._stix_raise(k, e_state, e_msg, e_detail, e_hint);
    END;
    -- what the bundle said of the report's history (revision, modified, when revoked), which
    -- the registry's own revisions and clock cannot say
    PERFORM @extschema@._stix_imported(rid, v_revision::integer, o->>'modified',
      CASE WHEN (o->>'revoked')::boolean THEN COALESCE(v_revoked, o->>'modified') END);
    filed := filed || rid;
    byidx := byidx || pg_catalog.jsonb_build_object(i::text, rid);
    incs := incs || pg_catalog.jsonb_build_object(o->>'id', rid);
    -- strict: what we would export now must say what the bundle said, but for the ids
    -- (ours derive from the report's)
    SELECT y.v INTO again FROM pg_catalog.jsonb_array_elements(@extschema@.stix_bundle(rid)->'objects') y (v)
     WHERE y.v->>'type' = 'incident';
    SELECT a.path, a.value INTO bad
      FROM @extschema@._stix_paths(o - 'id' - 'created_by_ref', p) a
     WHERE pg_catalog.jsonb_typeof(a.value) NOT IN ('object', 'array')
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.jsonb_array_elements(unmapped) u
                        WHERE a.path = u->>'path' OR a.path LIKE (u->>'path') || '.%' OR a.path LIKE (u->>'path') || '[%')
       AND NOT EXISTS (SELECT 1 FROM @extschema@._stix_paths(again, p) b
                        WHERE b.path = a.path AND b.value = a.value)
     ORDER BY a.path LIMIT 1;
    IF bad.path IS NOT NULL THEN
      RAISE EXCEPTION 'cannot map STIX at %: % is not what the registry makes of this report', bad.path, bad.value
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'The registry derives the Incident Core Extension and its own facts from the report it files; README, STIX 2.1.';
    END IF;
  END LOOP;
  -- relationships between the incidents filed (none when something is unmapped and not kept)
  i := CASE WHEN NOT keep_unmapped AND pg_catalog.jsonb_array_length(unmapped) > 0 THEN NULL ELSE -1 END;
  FOR o IN SELECT y FROM pg_catalog.jsonb_array_elements(bundle->'objects') y LOOP
    EXIT WHEN i IS NULL;
    i := i + 1;
    CONTINUE WHEN o->>'type' <> 'relationship';
    p := '$.objects[' || i || ']';
    IF NOT incs ? (o->>'source_ref') OR NOT incs ? (o->>'target_ref')
       OR o->>'relationship_type' NOT IN ('cascade-from', 'same-cause', 'duplicate')
       OR EXISTS (SELECT 1 FROM pg_catalog.jsonb_object_keys(o) j
                   WHERE j NOT IN ('type', 'spec_version', 'id', 'created', 'modified', 'relationship_type', 'source_ref', 'target_ref')) THEN
      unmapped := unmapped || pg_catalog.jsonb_build_object('path', p, 'value', o);
      CONTINUE;
    END IF;
    INSERT INTO @extschema@.report_link (report, related, kind, created)
    VALUES ((incs->>(o->>'source_ref'))::uuid, (incs->>(o->>'target_ref'))::uuid,
            pg_catalog.replace(o->>'relationship_type', '-', '_'), (o->>'created')::timestamptz);
  END LOOP;
  IF pg_catalog.jsonb_array_length(unmapped) > 0 THEN
    IF NOT keep_unmapped THEN
      RAISE EXCEPTION 'cannot map STIX at %', unmapped->0->>'path'
        USING ERRCODE = 'invalid_parameter_value',
              DETAIL = pg_catalog.format('%s part(s) of the bundle map to nothing of the registry''s.', pg_catalog.jsonb_array_length(unmapped)),
              HINT = 'import_stix(bundle, keep_unmapped => true) keeps them in ceptoar.stix_unmapped; README, STIX 2.1 lists what is mapped.';
    END IF;
    FOR x IN SELECT y FROM pg_catalog.jsonb_array_elements(unmapped) y LOOP
      PERFORM @extschema@._stix_keep(CASE WHEN x ? 'object' THEN (byidx->>(x->>'object'))::uuid END, bid, x->>'path', x->'value');
    END LOOP;
  END IF;
  RETURN QUERY SELECT u FROM pg_catalog.unnest(filed) u;
END $$;
COMMENT ON FUNCTION @extschema@.import_stix(jsonb, boolean, text) IS
  'files the incidents of a STIX 2.1 bundle as reports (as the caller, by the operator its identity names or the one given), strictly: what it cannot map is an error naming its JSON path (22023), or kept in stix_unmapped with keep_unmapped; returns the reports filed';
