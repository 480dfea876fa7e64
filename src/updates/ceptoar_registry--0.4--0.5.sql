-- ceptoar_registry 0.4 -> 0.5: exchange (issue 14).
-- Built from the files listed in src/updates/ceptoar_registry--0.4--0.5.parts, in order:
-- this head, the update guard, the install fragments that 0.5 adds (new objects, the same
-- text as a fresh install), and the changes to objects that existed in 0.4.  When 0.5 is
-- released the built script is frozen as src/updates/ceptoar_registry--0.4--0.5.sql.
-- The whole script is one transaction: when any step fails, nothing has changed.
\echo Use "ALTER EXTENSION ceptoar_registry UPDATE TO '0.5'" to load this file. \quit
-- update_guard.sql: the first step of every update script (listed in its .parts file).
-- The schema must still be what the install required (owned by a superuser, nobody else
-- may create in it, nothing in it but the extension's objects), since an update creates
-- and replaces objects there with a superuser's privileges.
DO $update_guard$
DECLARE
  nsp pg_catalog.oid := '@extschema@'::pg_catalog.regnamespace;
  owner_oid pg_catalog.oid;
  found pg_catalog.text;
BEGIN
  SELECT n.nspowner INTO owner_oid FROM pg_catalog.pg_namespace n WHERE n.oid OPERATOR(pg_catalog.=) nsp;
  IF NOT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) owner_oid), false) THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: schema "@extschema@" is owned by role "%", not by a superuser',
        pg_catalog.pg_get_userbyid(owner_oid)
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'Its owner can add or replace objects that run with the privileges of the extension''s users.',
            HINT = 'Check the schema for objects that are not the extension''s, then ALTER SCHEMA @extschema@ OWNER TO a superuser and update again.';
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text, ', ') INTO found
    FROM pg_catalog.pg_namespace n, LATERAL pg_catalog.aclexplode(n.nspacl) a
   WHERE n.oid OPERATOR(pg_catalog.=) nsp AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
     AND a.grantee OPERATOR(pg_catalog.<>) owner_oid
     AND NOT COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) a.grantee), false);
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: other roles may create objects in schema "@extschema@"'
      USING ERRCODE = 'insufficient_privilege', DETAIL = 'CREATE is granted to: ' OPERATOR(pg_catalog.||) found OPERATOR(pg_catalog.||) '.',
            HINT = 'REVOKE CREATE ON SCHEMA @extschema@ FROM those roles, check what they created there, and update again.';
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.concat(i.type, ' ', i.identity), ', ' ORDER BY i.identity) INTO found
    FROM pg_catalog.pg_depend d, LATERAL pg_catalog.pg_identify_object(d.classid, d.objid, 0) i
   WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
     AND d.refobjid OPERATOR(pg_catalog.=) nsp
     AND d.classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_extension'::pg_catalog.regclass
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend m WHERE m.classid OPERATOR(pg_catalog.=) d.classid
                       AND m.objid OPERATOR(pg_catalog.=) d.objid AND m.deptype OPERATOR(pg_catalog.=) 'e');
  IF found IS NOT NULL THEN
    RAISE EXCEPTION 'cannot update ceptoar_registry: schema "@extschema@" holds objects that are not the extension''s'
      USING ERRCODE = 'object_not_in_prerequisite_state', DETAIL = 'Found: ' OPERATOR(pg_catalog.||) found OPERATOR(pg_catalog.||) '.',
            HINT = 'Move them to another schema or drop them, then update again.';
  END IF;
END
$update_guard$;
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
-- 0.5 update: the privileges of STIX 2.1 (300_stix.sql), as in 900_privileges.sql: stix_bundle()
-- stays PUBLIC's (it answers for the caller's
-- party only, through shared_reports); import_stix() runs as its caller, who needs the
-- right to file reports, and stays PUBLIC's too.  What they read as the owner is not
-- PUBLIC's: the incident of a row of shared_reports (a forged row would show any report),
-- the unmapped parts of imported bundles (the owner's), and _stix_keep (import_stix's,
-- which checks the caller may file reports and sees the report).
REVOKE ALL ON @extschema@.stix_unmapped FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._stix_incident(@extschema@.shared_reports) FROM PUBLIC;
-- What the bundles said of imported reports' history (stix_imported) is the owner's,
-- written by _stix_imported, which checks the caller has just filed the report, for
-- import_stix; stix_unmapped_purge() deletes the caller's own unmapped parts (the owner's
-- call: everyone's) and stays PUBLIC's.
REVOKE ALL ON @extschema@.stix_imported FROM PUBLIC;
-- 320_federation.sql: federation over logical replication (issue 14, section 2).
--
-- A ministry runs its own database with the extension and publishes its registry to NISC's
-- hub; the hub publishes to an audience (a CEPTOAR, the public) only what that audience may
-- see, pseudonymised for it.  README, Federation, gives the setup; the functions below
-- return the statements (run them with psql's \gexec), they change nothing themselves.
--
-- ministry -> hub: the registry's tables as they are (the hub's apply worker runs with
-- session_replication_role = replica, so the registry's ordinary triggers do not fire there:
-- no second revision, verdict or delivery, and the derived columns come as written by the
-- ministry).  Never graph_version (each database counts its own changes; the hub's replica
-- row triggers count the replicated ones), nor the key, the parties or the audit.
--
-- hub -> audience: never ceptoar.report.  The hub keeps, for each audience registered in
-- federation_audience, the reports that audience's party may see, as shared_reports shows
-- them to that party (the pseudonym of the operator computed at the hub with its key; no
-- operator code, description, instance, revoked reason or writer), in audience_copy,
-- maintained by triggers (statement triggers for local writes, replica row triggers for
-- replicated ones).  The audience's publication is on audience_copy, with a row filter on
-- plain columns (audience, tlp_rank, is_exercise, is_revoked, kind, sector_code) as a
-- second fence: those columns are its replica identity (a unique index), which PostgreSQL
-- 15 requires of the columns a row filter of an UPDATE/DELETE publication reads.

-- Rows shipped with the extension are at every database already: a ministry publishes its
-- users' own rows of rule_set, rule and exercises (row filter NOT shipped), and a row filter
-- of a publication that replicates UPDATE and DELETE may read only the replica identity's
-- columns, so that of these tables is their key with shipped (unique: it holds the key).
CREATE UNIQUE INDEX rule_set_federation ON @extschema@.rule_set (code, shipped);
ALTER TABLE @extschema@.rule_set REPLICA IDENTITY USING INDEX rule_set_federation;
CREATE UNIQUE INDEX rule_federation ON @extschema@.rule (rule_set, service, shipped);
ALTER TABLE @extschema@.rule REPLICA IDENTITY USING INDEX rule_federation;
CREATE UNIQUE INDEX exercises_federation ON @extschema@.exercises (code, shipped);
ALTER TABLE @extschema@.exercises REPLICA IDENTITY USING INDEX exercises_federation;

-- The audiences the hub publishes to: a CEPTOAR or the public.  Parties that see identities
-- (ministries, NISC, operators) are no audience: an audience never receives an operator code.
CREATE TABLE @extschema@.federation_audience (
  code        text PRIMARY KEY CHECK (code OPERATOR(pg_catalog.~) '^[a-z0-9][a-z0-9_]{0,62}$'),
  kind        text NOT NULL CHECK (kind IN ('ceptoar', 'public')),
  party_code  text CHECK (party_code IS NULL OR @extschema@.ceptoar_exists(party_code)),
  created     timestamptz NOT NULL DEFAULT pg_catalog.now(),
  CHECK ((kind OPERATOR(pg_catalog.=) 'public') OPERATOR(pg_catalog.=) (party_code IS NULL))
);
COMMENT ON TABLE @extschema@.federation_audience IS
  'the audiences a hub publishes to (audience_copy): a CEPTOAR (party_code, a ceptoars.code) or the public; each receives what that party sees in shared_reports, pseudonymised for it';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.federation_audience', '');

-- Each audience's copy of the reports it may see.
CREATE TABLE @extschema@.audience_copy (
  audience        text NOT NULL,
  id              uuid NOT NULL,
  operator        text NOT NULL,
  kind            text NOT NULL,
  incident        @extschema@.incident,
  detected        timestamptz,
  reported        timestamptz NOT NULL,
  tlp             @extschema@.tlp NOT NULL,
  exercise        text,
  summary         text,
  status          text NOT NULL,
  revision        integer NOT NULL,
  revoked         timestamptz,
  level           text,
  level_rule_set  text,
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
  PRIMARY KEY (audience, id)
);
COMMENT ON TABLE @extschema@.audience_copy IS
  'at a hub: each audience''s copy of the reports its party sees (shared_reports), the operator as that party''s pseudonym, without description, instance, revoked reason or writer; maintained by the registry, published to the audience (federation_audience_sql)';
COMMENT ON COLUMN @extschema@.audience_copy.operator IS
  'the pseudonym anon:<16 hex digits> the audience''s party sees in shared_reports at the hub';
-- the replica identity: the plain columns a row filter may read (unique: it holds the key)
CREATE UNIQUE INDEX audience_copy_filter ON @extschema@.audience_copy
  (audience, id, tlp_rank, is_exercise, is_revoked, kind, sector_code);
ALTER TABLE @extschema@.audience_copy REPLICA IDENTITY USING INDEX audience_copy_filter;
-- the copies of a report, for every audience: what each write of it rebuilds (without it,
-- each write scans every copy: bench/federation.sh)
CREATE INDEX audience_copy_report ON @extschema@.audience_copy (id);

-- Rebuilds the copies of some reports (NULL: of every report), for every audience.
-- Generic plans (plan_cache_mode): the custom plan PostgreSQL would otherwise make for each
-- write costs four times the work (bench/federation.sh), and the generic one reads the
-- copies and reports by their indexes.
CREATE FUNCTION @extschema@._federation_copy(reports uuid[]) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
BEGIN
  -- Only a hub (a database with audiences of its own) makes copies.  An audience's database
  -- receives its copy by replication and has no audience registered: it keeps what it
  -- receives (a key rotation or federation_refresh() there must not empty it).
  IF NOT EXISTS (SELECT 1 FROM @extschema@.federation_audience) THEN
    RETURN;
  END IF;
  -- the copies being rebuilt (all of them on a full rebuild, which drops those of audiences
  -- no longer registered; when the last audience goes, its copy stays until the owner
  -- deletes it: DELETE FROM audience_copy)
  -- (two statements, and a UNION ALL below, not "reports IS NULL OR id = ANY (reports)":
  -- a cached generic plan of that OR scans every row on every write, bench/federation.sh;
  -- and no sequential scan: a generic plan made while the tables were small would keep
  -- scanning them whole as they grow until an ANALYZE: 8,000 revisions took 21 s, now 5 s)
  IF reports IS NULL THEN
    DELETE FROM @extschema@.audience_copy;
  ELSE
    DELETE FROM @extschema@.audience_copy c WHERE c.id OPERATOR(pg_catalog.=) ANY (reports);
  END IF;
  INSERT INTO @extschema@.audience_copy
  SELECT a.code,
         r.id,
         -- the pseudonym of shared_reports (230_shared_reports.sql), for the audience's party
         'anon:' OPERATOR(pg_catalog.||) pg_catalog.left(pg_catalog.encode(
           pg_catalog.sha256(k.outer_pad OPERATOR(pg_catalog.||)
             pg_catalog.sha256(k.inner_pad OPERATOR(pg_catalog.||)
               pg_catalog.convert_to(pg_catalog.concat_ws(pg_catalog.chr(1), 'pseudonym',
                 a.kind, COALESCE(a.party_code, ''), r.operator), 'UTF8'))),
           'hex'), 16),
         r.kind, r.incident, r.detected, r.reported, r.tlp, r.exercise, r.summary, r.status,
         r.revision, r.revoked, r.level, r.level_rule_set, r.sector_code, r.ministry_code,
         r.tlp_rank, r.is_exercise, r.is_revoked, r.fiscal_year, r.began, r.lasted, r.cause,
         r.user_hours
    FROM (SELECT * FROM @extschema@.report x WHERE reports IS NULL
          UNION ALL
          SELECT * FROM @extschema@.report x WHERE x.id OPERATOR(pg_catalog.=) ANY (reports)) r
    LEFT JOIN @extschema@.operator o ON o.code OPERATOR(pg_catalog.=) r.operator
   CROSS JOIN @extschema@.federation_audience a
   CROSS JOIN @extschema@.pseudonym_key k
     -- shared_reports' rule for a party of kind public or ceptoar
   WHERE ((r.tlp_rank OPERATOR(pg_catalog.=) 0 AND a.kind OPERATOR(pg_catalog.=) 'public')
          OR (a.kind OPERATOR(pg_catalog.=) 'ceptoar'
              AND (r.tlp_rank OPERATOR(pg_catalog.<=) 1
                   OR (r.tlp_rank OPERATOR(pg_catalog.=) 2
                       AND o.ceptoar OPERATOR(pg_catalog.=) a.party_code)
                   OR (r.tlp_rank OPERATOR(pg_catalog.=) 4
                       AND EXISTS (SELECT 1 FROM @extschema@.report_recipient x
                                    WHERE x.report OPERATOR(pg_catalog.=) r.id
                                      AND x.recipient OPERATOR(pg_catalog.=) a.party_code)))));
END $$;
COMMENT ON FUNCTION @extschema@._federation_copy(uuid[]) IS
  'audience_copy: rebuilds the copies of the reports given (NULL: all) for every audience, as shared_reports shows them to the audience''s party';

-- Local writes: once per statement.
CREATE FUNCTION @extschema@._federation_written() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'report' THEN
    PERFORM @extschema@._federation_copy((SELECT pg_catalog.array_agg(w.id) FROM written w));
  ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'report_recipient' THEN
    PERFORM @extschema@._federation_copy((SELECT pg_catalog.array_agg(DISTINCT w.report) FROM written w));
  ELSE
    PERFORM @extschema@._federation_copy(NULL);   -- the audiences or the key changed
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._federation_written() IS
  'statement trigger: keeps audience_copy up to date after local writes of reports, recipients, audiences or the pseudonym key';

-- Replicated writes (the apply worker fires row triggers only), and operators, whose
-- CEPTOAR decides what a CEPTOAR sees (also when a replicated operator arrives after its
-- reports, as in a subscription's first copy).
CREATE FUNCTION @extschema@._federation_row() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'report' THEN
    PERFORM @extschema@._federation_copy(ARRAY[NEW.id]);
  ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'report_recipient' THEN
    PERFORM @extschema@._federation_copy(ARRAY[NEW.report]);
  ELSIF TG_TABLE_NAME OPERATOR(pg_catalog.=) 'operator' THEN
    IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR OLD.ceptoar IS DISTINCT FROM NEW.ceptoar
       OR OLD.code OPERATOR(pg_catalog.<>) NEW.code THEN
      PERFORM @extschema@._federation_copy((SELECT pg_catalog.array_agg(r.id) FROM @extschema@.report r
                                             WHERE r.operator OPERATOR(pg_catalog.=) NEW.code));
    END IF;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._federation_row() IS
  'row trigger: keeps audience_copy up to date after replicated writes of reports and recipients, and after any change of an operator''s CEPTOAR';

CREATE TRIGGER federation_insert AFTER INSERT ON @extschema@.report
  REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_written();
CREATE TRIGGER federation_update AFTER UPDATE ON @extschema@.report
  REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_written();
CREATE TRIGGER federation_insert AFTER INSERT ON @extschema@.report_recipient
  REFERENCING NEW TABLE AS written
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_written();
CREATE TRIGGER federation_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.federation_audience
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_written();
CREATE TRIGGER federation_changed AFTER INSERT OR UPDATE ON @extschema@.pseudonym_key
  FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_written();
CREATE TRIGGER federation_applied AFTER INSERT OR UPDATE ON @extschema@.report
  FOR EACH ROW EXECUTE FUNCTION @extschema@._federation_row();
CREATE TRIGGER federation_applied AFTER INSERT ON @extschema@.report_recipient
  FOR EACH ROW EXECUTE FUNCTION @extschema@._federation_row();
ALTER TABLE @extschema@.report ENABLE REPLICA TRIGGER federation_applied;
ALTER TABLE @extschema@.report_recipient ENABLE REPLICA TRIGGER federation_applied;
CREATE TRIGGER federation_operator AFTER INSERT OR UPDATE ON @extschema@.operator
  FOR EACH ROW EXECUTE FUNCTION @extschema@._federation_row();
ALTER TABLE @extschema@.operator ENABLE ALWAYS TRIGGER federation_operator;

-- Rebuilds every audience's copy (after pg_restore, or to check).
CREATE FUNCTION @extschema@.federation_refresh() RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._federation_copy(NULL);
  RETURN (SELECT pg_catalog.count(*) FROM @extschema@.audience_copy);
END $$;
COMMENT ON FUNCTION @extschema@.federation_refresh() IS
  'rebuilds every audience''s copy of the reports (audience_copy) and returns its number of rows (extension''s owner only)';

-- The tables a ministry publishes to the hub, in the order of their foreign keys, with the
-- row filter of each: the users' own rows where the extension ships rows (the shipped ones
-- are at the hub already).  Never graph_version, pseudonym_key, party, identity_reads,
-- alerts (NISC's, downward) or audience_copy.
CREATE FUNCTION @extschema@.federation_tables(OUT tbl regclass, OUT row_filter text)
  RETURNS SETOF record
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT pg_catalog.to_regclass('@extschema@.' OPERATOR(pg_catalog.||) t.name), t.f
    FROM (VALUES (1, 'rule_set', 'NOT shipped'), (2, 'rule', 'NOT shipped'),
                 (3, 'exercises', 'NOT shipped'), (4, 'operator', NULL),
                 (5, 'service_instance', NULL), (6, 'dependency', NULL),
                 (7, 'report', NULL), (8, 'report_revision', NULL),
                 (9, 'report_verdicts', NULL), (10, 'report_verification', NULL),
                 (11, 'report_link', NULL), (12, 'report_step', NULL),
                 (13, 'report_recipient', NULL), (14, 'report_delivery', NULL))
         AS t(n, name, f)
   ORDER BY t.n $$;
COMMENT ON FUNCTION @extschema@.federation_tables() IS
  'the tables a ministry publishes to the hub (federation_publication_sql), with their row filters';

-- At a ministry, a TRUNCATE of a published table would be replicated as the emptying of the
-- whole table at the hub, every ministry's rows with it: refused while the table is in a
-- publication that publishes TRUNCATE (the one federation_publication_sql makes does; any
-- other, FOR ALL TABLES included, would do the same harm).  A database that publishes
-- nothing TRUNCATEs as before.  Statement-level BEFORE TRUNCATE on every table of
-- federation_tables().
CREATE FUNCTION @extschema@._federation_truncate() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  pubs text;
BEGIN
  SELECT pg_catalog.string_agg(DISTINCT pg_catalog.quote_ident(p.pubname), ', ') INTO pubs
    FROM pg_catalog.pg_publication_tables t
    JOIN pg_catalog.pg_publication p ON p.pubname OPERATOR(pg_catalog.=) t.pubname
   WHERE t.schemaname OPERATOR(pg_catalog.=) TG_TABLE_SCHEMA
     AND t.tablename OPERATOR(pg_catalog.=) TG_TABLE_NAME
     AND p.pubtruncate;
  IF pubs IS NOT NULL THEN
    RAISE EXCEPTION 'TRUNCATE of %.% is refused: the table is published (%)',
        pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME), pubs
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = 'Logical replication replays a TRUNCATE as the emptying of the whole table at the subscriber (the hub), every ministry''s rows with it.',
            HINT = pg_catalog.format('Delete the rows instead (DELETE FROM %I.%I ...), or drop the publication first (DROP PUBLICATION %s).',
                                     TG_TABLE_SCHEMA, TG_TABLE_NAME, pubs);
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._federation_truncate() IS
  'BEFORE TRUNCATE of a table a ministry publishes (federation_tables): refused (55000) while a publication that publishes TRUNCATE holds it';
DO $federation_truncate$
DECLARE
  t regclass;
BEGIN
  FOR t IN SELECT f.tbl FROM @extschema@.federation_tables() f LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._federation_truncate()', t);
  END LOOP;
END
$federation_truncate$;

CREATE FUNCTION @extschema@._federation_name(what text, name text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF name IS NULL OR name OPERATOR(pg_catalog.!~) '^[a-z_][a-z0-9_]{0,62}$' THEN
    RAISE EXCEPTION 'invalid % name %', what, COALESCE(pg_catalog.quote_literal(name), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A name is lower-case letters, digits and ''_'', starting with a letter or ''_'', at most 63 characters.';
  END IF;
  RETURN name;
END $$;
COMMENT ON FUNCTION @extschema@._federation_name(text, text) IS
  'checks the name of a publication, subscription or slot (plain lower-case identifier)';

-- At a ministry: the publication of its registry, and the sequence of its service
-- instances moved to a range of its own (instance ids are keys at the hub, where several
-- ministries' instances meet).
CREATE FUNCTION @extschema@.federation_publication_sql(publication text DEFAULT 'ceptoar_ministry',
    instance_ids_from bigint DEFAULT NULL)
  RETURNS SETOF text
  LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._federation_name('publication', publication);
  IF instance_ids_from IS NOT NULL THEN
    IF instance_ids_from OPERATOR(pg_catalog.<) 1 THEN
      RAISE EXCEPTION 'instance_ids_from must be positive, not %', instance_ids_from
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'Give each ministry a range of its own, e.g. 1000000000000 times its number.';
    END IF;
    RETURN NEXT pg_catalog.format('SELECT pg_catalog.setval(%L, GREATEST(%s, (SELECT pg_catalog.max(id) FROM %s)), true)',
      pg_catalog.pg_get_serial_sequence('@extschema@.service_instance', 'id'), instance_ids_from OPERATOR(pg_catalog.-) 1,
      '@extschema@.service_instance'::pg_catalog.regclass);
  END IF;
  RETURN NEXT pg_catalog.format('CREATE PUBLICATION %I FOR TABLE %s', publication,
    (SELECT pg_catalog.string_agg(t.tbl::pg_catalog.text
                                  OPERATOR(pg_catalog.||) COALESCE(' WHERE (' OPERATOR(pg_catalog.||) t.row_filter OPERATOR(pg_catalog.||) ')', ''),
                                  ', ')
       FROM @extschema@.federation_tables() t));
END $$;
COMMENT ON FUNCTION @extschema@.federation_publication_sql(text, bigint) IS
  'at a ministry: the statements that publish its registry to the hub (run them with \gexec); instance_ids_from moves its service instances'' ids to a range of its own';

-- At the hub (or an audience): the subscription to a publication.
CREATE FUNCTION @extschema@.federation_subscription_sql(subscription text, connection text,
    publication text DEFAULT 'ceptoar_ministry')
  RETURNS SETOF text
  LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM @extschema@._federation_name('subscription', subscription);
  PERFORM @extschema@._federation_name('publication', publication);
  IF connection IS NULL OR pg_catalog.btrim(connection) OPERATOR(pg_catalog.=) '' THEN
    RAISE EXCEPTION 'a subscription needs a connection string'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'A libpq connection string to the publisher, e.g. ''host=ministry.example dbname=registry user=replicator''.';
  END IF;
  RETURN NEXT pg_catalog.format('CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION %I',
    subscription, connection, publication);
END $$;
COMMENT ON FUNCTION @extschema@.federation_subscription_sql(text, text, text) IS
  'at the hub or an audience: the statement that subscribes to a publication (run it with \gexec)';

-- At the hub: an audience and its publication of audience_copy, whose row filter lets
-- only its own rows leave, up to max_tlp, without exercises or tombstones unless asked.
CREATE FUNCTION @extschema@.federation_audience_sql(audience text, max_tlp @extschema@.tlp DEFAULT NULL,
    exercises boolean DEFAULT false, revoked boolean DEFAULT true, publication text DEFAULT NULL)
  RETURNS SETOF text
  LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  a @extschema@.federation_audience;
  top smallint;
BEGIN
  SELECT * INTO a FROM @extschema@.federation_audience f WHERE f.code OPERATOR(pg_catalog.=) audience;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown audience %', COALESCE(pg_catalog.quote_literal(audience), 'NULL')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Register it first: INSERT INTO ceptoar.federation_audience (code, kind, party_code) VALUES (...).';
  END IF;
  -- the most a party of its kind sees (shared_reports): the public clear, a CEPTOAR amber
  top := CASE WHEN a.kind OPERATOR(pg_catalog.=) 'public' THEN 0 ELSE 2 END;
  IF max_tlp IS NOT NULL THEN
    top := LEAST(top, @extschema@.tlp_rank(max_tlp));
    IF a.kind OPERATOR(pg_catalog.=) 'ceptoar' AND @extschema@.tlp_rank(max_tlp) OPERATOR(pg_catalog.=) 4 THEN
      top := 4;   -- red reports naming the CEPTOAR a recipient
    END IF;
  END IF;
  RETURN NEXT pg_catalog.format('CREATE PUBLICATION %I FOR TABLE %s (%s) WHERE (audience = %L AND tlp_rank <= %s%s%s)',
    @extschema@._federation_name('publication', COALESCE(publication, 'ceptoar_audience_' OPERATOR(pg_catalog.||) a.code)),
    '@extschema@.audience_copy'::pg_catalog.regclass,
    (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(c.attname), ', ' ORDER BY c.attnum)
       FROM pg_catalog.pg_attribute c
      WHERE c.attrelid OPERATOR(pg_catalog.=) '@extschema@.audience_copy'::pg_catalog.regclass
        AND c.attnum OPERATOR(pg_catalog.>) 0 AND NOT c.attisdropped),
    a.code, top,
    CASE WHEN exercises THEN '' ELSE ' AND NOT is_exercise' END,
    CASE WHEN revoked THEN '' ELSE ' AND NOT is_revoked' END);
END $$;
COMMENT ON FUNCTION @extschema@.federation_audience_sql(text, @extschema@.tlp, boolean, boolean, text) IS
  'at the hub: the statement that publishes a registered audience''s copy (audience_copy), row-filtered to its rows up to max_tlp, without exercises unless asked, tombstones unless revoked is false (run it with \gexec)';
-- ceptoar_registry 0.4 -> 0.5: the privileges of federation (issue 14, section 2).
-- Federation (0.5, 320_federation.sql): the audiences and their copies are the owner's (a
-- hub publishes them; an audience's DBA grants SELECT on its received copy); the triggers'
-- functions and federation_refresh() are not PUBLIC's.  The *_sql functions only write
-- statements and stay PUBLIC's.
REVOKE ALL ON @extschema@.federation_audience, @extschema@.audience_copy FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._federation_copy(uuid[]), @extschema@._federation_written(),
  @extschema@._federation_row(), @extschema@._federation_truncate(), @extschema@.federation_refresh() FROM PUBLIC;
-- 340_drivers.sql: what drivers and reporting tools need (0.5, issue 14 section 3).
-- Every object here is new in 0.5, so the update 0.4 -> 0.5 runs this same file.

-- Assignment casts from text and varchar to each base type, as citext has them:
-- JDBC's setString() sends varchar, psycopg 3's binary parameters send text, and an
-- INSERT or UPDATE of such a parameter into a column of our type now converts it with
-- the type's input function (same errors as a literal).  Assignment only: a function
-- call or an operator never turns text into our types behind the user's back.
CREATE CAST (text AS @extschema@.sector) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.sector) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.service) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.service) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.incident) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.incident) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.criterion) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.criterion) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.tlp) WITH INOUT AS ASSIGNMENT;
CREATE CAST (varchar AS @extschema@.tlp) WITH INOUT AS ASSIGNMENT;

-- classify() and exceeds() with the incident as text: what JDBC's classify(?, ?) and
-- psycopg 3's binary parameters send.  The text is read by the incident's input function.
CREATE FUNCTION @extschema@.classify(i text, rule_set text DEFAULT 'nisc-2009')
  RETURNS @extschema@.verdict
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  RETURN @extschema@.classify(i::@extschema@.incident, rule_set);
COMMENT ON FUNCTION @extschema@.classify(text, text) IS
  'classify() for drivers that send the incident as text or varchar (JDBC setString, psycopg 3 binary): reads it as an incident';
CREATE FUNCTION @extschema@.exceeds(i text, rule_set text DEFAULT 'nisc-2009')
  RETURNS boolean
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  RETURN @extschema@.exceeds(i::@extschema@.incident, rule_set);
COMMENT ON FUNCTION @extschema@.exceeds(text, text) IS
  'exceeds() for drivers that send the incident as text or varchar: reads it as an incident';

-- LIKE, NOT LIKE, ILIKE, NOT ILIKE on sector and service: the pattern matches the
-- canonical text (the code, e.g. finance.bank.deposit), what a BI tool's filter sees.
CREATE FUNCTION @extschema@.sector_like(@extschema@.sector, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.textlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.sector_nlike(@extschema@.sector, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.textnlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.sector_ilike(@extschema@.sector, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.texticlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.sector_nilike(@extschema@.sector, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.texticnlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.service_like(@extschema@.service, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.textlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.service_nlike(@extschema@.service, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.textnlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.service_ilike(@extschema@.service, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.texticlike($1::pg_catalog.text, $2);
CREATE FUNCTION @extschema@.service_nilike(@extschema@.service, text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.texticnlike($1::pg_catalog.text, $2);
COMMENT ON FUNCTION @extschema@.sector_like(@extschema@.sector, text) IS 'operator support (LIKE): the sector''s code matches the pattern';
COMMENT ON FUNCTION @extschema@.sector_nlike(@extschema@.sector, text) IS 'operator support (NOT LIKE)';
COMMENT ON FUNCTION @extschema@.sector_ilike(@extschema@.sector, text) IS 'operator support (ILIKE): the sector''s code matches the pattern, any case';
COMMENT ON FUNCTION @extschema@.sector_nilike(@extschema@.sector, text) IS 'operator support (NOT ILIKE)';
COMMENT ON FUNCTION @extschema@.service_like(@extschema@.service, text) IS 'operator support (LIKE): the service''s code matches the pattern';
COMMENT ON FUNCTION @extschema@.service_nlike(@extschema@.service, text) IS 'operator support (NOT LIKE)';
COMMENT ON FUNCTION @extschema@.service_ilike(@extschema@.service, text) IS 'operator support (ILIKE): the service''s code matches the pattern, any case';
COMMENT ON FUNCTION @extschema@.service_nilike(@extschema@.service, text) IS 'operator support (NOT ILIKE)';

CREATE OPERATOR @extschema@.~~ (LEFTARG = @extschema@.sector, RIGHTARG = text,
  FUNCTION = @extschema@.sector_like, NEGATOR = OPERATOR(@extschema@.!~~));
CREATE OPERATOR @extschema@.!~~ (LEFTARG = @extschema@.sector, RIGHTARG = text,
  FUNCTION = @extschema@.sector_nlike, NEGATOR = OPERATOR(@extschema@.~~));
CREATE OPERATOR @extschema@.~~* (LEFTARG = @extschema@.sector, RIGHTARG = text,
  FUNCTION = @extschema@.sector_ilike, NEGATOR = OPERATOR(@extschema@.!~~*));
CREATE OPERATOR @extschema@.!~~* (LEFTARG = @extschema@.sector, RIGHTARG = text,
  FUNCTION = @extschema@.sector_nilike, NEGATOR = OPERATOR(@extschema@.~~*));
CREATE OPERATOR @extschema@.~~ (LEFTARG = @extschema@.service, RIGHTARG = text,
  FUNCTION = @extschema@.service_like, NEGATOR = OPERATOR(@extschema@.!~~));
CREATE OPERATOR @extschema@.!~~ (LEFTARG = @extschema@.service, RIGHTARG = text,
  FUNCTION = @extschema@.service_nlike, NEGATOR = OPERATOR(@extschema@.~~));
CREATE OPERATOR @extschema@.~~* (LEFTARG = @extschema@.service, RIGHTARG = text,
  FUNCTION = @extschema@.service_ilike, NEGATOR = OPERATOR(@extschema@.!~~*));
CREATE OPERATOR @extschema@.!~~* (LEFTARG = @extschema@.service, RIGHTARG = text,
  FUNCTION = @extschema@.service_nilike, NEGATOR = OPERATOR(@extschema@.~~*));

-- criterion: a total order and a hash, so that DISTINCT, GROUP BY, ORDER BY and UNION
-- work on criteria and on verdicts (a composite whose columns all need them).  Ordered
-- by canonical text (ties, which = tells apart, by the stored form); = (0.4) is unchanged.
CREATE FUNCTION @extschema@.criterion_cmp(@extschema@.criterion, @extschema@.criterion) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_ne(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_lt(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_le(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_gt(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_ge(@extschema@.criterion, @extschema@.criterion) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_hash(@extschema@.criterion) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.criterion_hash_extended(@extschema@.criterion, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.criterion_cmp(@extschema@.criterion, @extschema@.criterion) IS 'operator class support: btree comparison by canonical text';
COMMENT ON FUNCTION @extschema@.criterion_ne(@extschema@.criterion, @extschema@.criterion) IS 'operator support: different rules';
COMMENT ON FUNCTION @extschema@.criterion_lt(@extschema@.criterion, @extschema@.criterion) IS 'operator support: earlier by canonical text';
COMMENT ON FUNCTION @extschema@.criterion_le(@extschema@.criterion, @extschema@.criterion) IS 'operator support: earlier by canonical text or the same';
COMMENT ON FUNCTION @extschema@.criterion_gt(@extschema@.criterion, @extschema@.criterion) IS 'operator support: later by canonical text';
COMMENT ON FUNCTION @extschema@.criterion_ge(@extschema@.criterion, @extschema@.criterion) IS 'operator support: later by canonical text or the same';
COMMENT ON FUNCTION @extschema@.criterion_hash(@extschema@.criterion) IS 'operator class support: hash';
COMMENT ON FUNCTION @extschema@.criterion_hash_extended(@extschema@.criterion, bigint) IS 'operator class support: extended hash';

CREATE OPERATOR @extschema@.<> (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
  NEGATOR = OPERATOR(@extschema@.=), RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.< (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_lt, COMMUTATOR = OPERATOR(@extschema@.>),
  NEGATOR = OPERATOR(@extschema@.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_le, COMMUTATOR = OPERATOR(@extschema@.>=),
  NEGATOR = OPERATOR(@extschema@.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.> (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_gt, COMMUTATOR = OPERATOR(@extschema@.<),
  NEGATOR = OPERATOR(@extschema@.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR @extschema@.>= (
  LEFTARG = @extschema@.criterion, RIGHTARG = @extschema@.criterion,
  FUNCTION = @extschema@.criterion_ge, COMMUTATOR = OPERATOR(@extschema@.<=),
  NEGATOR = OPERATOR(@extschema@.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR CLASS @extschema@.criterion_ops
  DEFAULT FOR TYPE @extschema@.criterion USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.criterion_cmp(@extschema@.criterion, @extschema@.criterion);
CREATE OPERATOR CLASS @extschema@.criterion_ops
  DEFAULT FOR TYPE @extschema@.criterion USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.criterion_hash(@extschema@.criterion),
    FUNCTION 2 @extschema@.criterion_hash_extended(@extschema@.criterion, bigint);

-- Tools find the operators only when the schema is on their search_path: say so when
-- the path that sessions of this database start with (database, role and server
-- settings) lacks the schema, with the statement to run.  CREATE and ALTER EXTENSION run
-- this script with client_min_messages at least warning; _notices_reach_client() tells
-- whether the session had asked for notices, and the script's own setting (local to the
-- script) lets this one through.
CREATE FUNCTION @extschema@._notices_reach_client() RETURNS boolean
  AS 'MODULE_PATHNAME', 'cr_notices_reach_client' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._notices_reach_client() IS
  'internal (install and update scripts): whether the session asked for NOTICEs, before CREATE/ALTER EXTENSION raised client_min_messages to warning for its script';
DO $search_path_notice$
DECLARE
  path pg_catalog.text := (SELECT s.reset_val FROM pg_catalog.pg_settings s
                            WHERE s.name OPERATOR(pg_catalog.=) 'search_path');
BEGIN
  IF @extschema@._notices_reach_client()
     AND NOT ('@extschema@' OPERATOR(pg_catalog.=) ANY (pg_catalog.string_to_array(
              pg_catalog.replace(pg_catalog.replace(path, ' ', ''), '"', ''), ','))) THEN
    PERFORM pg_catalog.set_config('client_min_messages', 'notice', true);
    RAISE NOTICE 'schema @extschema@ is not on the search_path of database %, so tools will not find the operators of ceptoar_registry', pg_catalog.current_database()
      USING DETAIL = pg_catalog.format('Run: ALTER DATABASE %I SET search_path = %s, @extschema@;', pg_catalog.current_database(), path),
            HINT = 'Sessions that start after that see the schema; JDBC, ODBC, psycopg and GDAL need nothing else.';
  END IF;
END
$search_path_notice$;
-- drivers (0.5): impact()'s area is typed geometry(MultiPolygon, 4326), as it always was
-- in fact (the README and the column's comment say so), so that a view over impact()
-- appears in geometry_columns with its type and GDAL/QGIS export it without -nlt.
-- A user's view that reads the column blocks the change (PostgreSQL cannot alter a type
-- under a view): then the column stays untyped, which works as in 0.4, and a warning says
-- what to do; the update goes on.
DO $impact_area$
BEGIN
  ALTER TYPE @extschema@.impact_row ALTER ATTRIBUTE area TYPE geometry(MultiPolygon, 4326);
EXCEPTION WHEN feature_not_supported THEN
  RAISE WARNING '@extschema@.impact_row.area stays of type geometry: %', SQLERRM
    USING DETAIL = 'GDAL and QGIS see that column''s geometry type as unknown (give ogr2ogr -nlt MULTIPOLYGON).',
          HINT = 'Drop the views that read impact()''s area, run ALTER TYPE @extschema@.impact_row ALTER ATTRIBUTE area TYPE geometry(MultiPolygon, 4326), and create them again.';
END
$impact_area$;
-- drivers (0.5): criterion's = usable for hash and merge joins, as a fresh install declares
-- it (060_criterion.sql: CREATE OPERATOR ... HASHES, MERGES), now that criterion has a hash
-- and a btree operator class (340_drivers.sql).  PostgreSQL 15's ALTER OPERATOR cannot set
-- HASHES or MERGES, so the update sets the two flags of exactly that operator in
-- pg_operator (the update runs as a superuser, as CREATE EXTENSION of this one does).
UPDATE pg_catalog.pg_operator o
   SET oprcanhash = true, oprcanmerge = true
 WHERE o.oid OPERATOR(pg_catalog.=)
       '@extschema@.=(@extschema@.criterion,@extschema@.criterion)'::pg_catalog.regoperator::pg_catalog.oid;
-- 341_internal_comments.sql (0.5): the functions behind the types, operators, operator
-- classes and aggregates say so first thing in their comment, since tools list them among
-- the callable functions (JDBC getFunctions shows the comment as REMARKS, psql \df+ and
-- pgAdmin as the description).  A separate schema for them would have to move functions
-- that the types and operators of 0.1-0.4 depend on; not done (README, Drivers and tools).
-- Only comments, of objects from 0.1-0.4: the same statements in a fresh install and in
-- the update (this fragment is listed in the .parts file).
COMMENT ON FUNCTION @extschema@.sector_in(cstring) IS 'type I/O, not called directly: reads a sector from its text';
COMMENT ON FUNCTION @extschema@.sector_out(@extschema@.sector) IS 'type I/O, not called directly: the text of a sector';
COMMENT ON FUNCTION @extschema@.sector_recv(internal) IS 'type I/O, not called directly: reads a sector in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.sector_send(@extschema@.sector) IS 'type I/O, not called directly: a sector in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.sector_eq(@extschema@.sector,@extschema@.sector) IS 'operator support (=), use the operator: same sector';
COMMENT ON FUNCTION @extschema@.sector_ne(@extschema@.sector,@extschema@.sector) IS 'operator support (<>), use the operator: different sectors';
COMMENT ON FUNCTION @extschema@.sector_lt(@extschema@.sector,@extschema@.sector) IS 'operator support (<), use the operator: earlier in NISC order';
COMMENT ON FUNCTION @extschema@.sector_le(@extschema@.sector,@extschema@.sector) IS 'operator support (<=), use the operator: earlier in NISC order or the same';
COMMENT ON FUNCTION @extschema@.sector_gt(@extschema@.sector,@extschema@.sector) IS 'operator support (>), use the operator: later in NISC order';
COMMENT ON FUNCTION @extschema@.sector_ge(@extschema@.sector,@extschema@.sector) IS 'operator support (>=), use the operator: later in NISC order or the same';
COMMENT ON FUNCTION @extschema@.sector_cmp(@extschema@.sector,@extschema@.sector) IS 'operator class support: btree comparison in NISC order';
COMMENT ON FUNCTION @extschema@.sector_sortsupport(internal) IS 'operator class support: btree sort support';
COMMENT ON FUNCTION @extschema@.sector_hash(@extschema@.sector) IS 'operator class support: hash support';
COMMENT ON FUNCTION @extschema@.sector_hash_extended(@extschema@.sector,bigint) IS 'operator class support: extended hash support';
COMMENT ON FUNCTION @extschema@.sector_smaller(@extschema@.sector,@extschema@.sector) IS 'aggregate support: the sector earlier in NISC order (min() support)';
COMMENT ON FUNCTION @extschema@.sector_larger(@extschema@.sector,@extschema@.sector) IS 'aggregate support: the sector later in NISC order (max() support)';
COMMENT ON FUNCTION @extschema@.service_in(cstring) IS 'type I/O, not called directly: reads a service from its text';
COMMENT ON FUNCTION @extschema@.service_out(@extschema@.service) IS 'type I/O, not called directly: the text of a service';
COMMENT ON FUNCTION @extschema@.service_recv(internal) IS 'type I/O, not called directly: reads a service in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.service_send(@extschema@.service) IS 'type I/O, not called directly: a service in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.service_eq(@extschema@.service,@extschema@.service) IS 'operator support (=), use the operator: same service';
COMMENT ON FUNCTION @extschema@.service_ne(@extschema@.service,@extschema@.service) IS 'operator support (<>), use the operator: different services';
COMMENT ON FUNCTION @extschema@.service_lt(@extschema@.service,@extschema@.service) IS 'operator support (<), use the operator: earlier in catalogue order';
COMMENT ON FUNCTION @extschema@.service_le(@extschema@.service,@extschema@.service) IS 'operator support (<=), use the operator: earlier in catalogue order or the same';
COMMENT ON FUNCTION @extschema@.service_gt(@extschema@.service,@extschema@.service) IS 'operator support (>), use the operator: later in catalogue order';
COMMENT ON FUNCTION @extschema@.service_ge(@extschema@.service,@extschema@.service) IS 'operator support (>=), use the operator: later in catalogue order or the same';
COMMENT ON FUNCTION @extschema@.service_cmp(@extschema@.service,@extschema@.service) IS 'operator class support: btree comparison in catalogue order (sectors in NISC order, parents before children)';
COMMENT ON FUNCTION @extschema@.service_sortsupport(internal) IS 'operator class support: btree sort support';
COMMENT ON FUNCTION @extschema@.service_hash(@extschema@.service) IS 'operator class support: hash support';
COMMENT ON FUNCTION @extschema@.service_hash_extended(@extschema@.service,bigint) IS 'operator class support: extended hash support';
COMMENT ON FUNCTION @extschema@.service_contains(@extschema@.service,@extschema@.service) IS 'operator support (@>), use the operator: the first service is the second or one of its ancestors';
COMMENT ON FUNCTION @extschema@.service_contained(@extschema@.service,@extschema@.service) IS 'operator support (<@), use the operator: the first service is the second or one of its descendants';
COMMENT ON FUNCTION @extschema@.service_smaller(@extschema@.service,@extschema@.service) IS 'aggregate support: the service earlier in catalogue order (min() support)';
COMMENT ON FUNCTION @extschema@.service_larger(@extschema@.service,@extschema@.service) IS 'aggregate support: the service later in catalogue order (max() support)';
COMMENT ON FUNCTION @extschema@.incident_in(cstring) IS 'type I/O, not called directly: reads a incident from its text';
COMMENT ON FUNCTION @extschema@.incident_out(@extschema@.incident) IS 'type I/O, not called directly: the text of a incident';
COMMENT ON FUNCTION @extschema@.incident_recv(internal) IS 'type I/O, not called directly: reads a incident in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.incident_send(@extschema@.incident) IS 'type I/O, not called directly: a incident in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.incident_eq(@extschema@.incident,@extschema@.incident) IS 'operator support (=), use the operator: the same incident';
COMMENT ON FUNCTION @extschema@.incident_ne(@extschema@.incident,@extschema@.incident) IS 'operator support (<>), use the operator: different incidents';
COMMENT ON FUNCTION @extschema@.incident_lt(@extschema@.incident,@extschema@.incident) IS 'operator support (<), use the operator: earlier in btree order';
COMMENT ON FUNCTION @extschema@.incident_le(@extschema@.incident,@extschema@.incident) IS 'operator support (<=), use the operator: earlier in btree order or the same';
COMMENT ON FUNCTION @extschema@.incident_gt(@extschema@.incident,@extschema@.incident) IS 'operator support (>), use the operator: later in btree order';
COMMENT ON FUNCTION @extschema@.incident_ge(@extschema@.incident,@extschema@.incident) IS 'operator support (>=), use the operator: later in btree order or the same';
COMMENT ON FUNCTION @extschema@.incident_cmp(@extschema@.incident,@extschema@.incident) IS 'operator class support: btree order: by began, then the other fields (unknown before known)';
COMMENT ON FUNCTION @extschema@.incident_hash(@extschema@.incident) IS 'operator class support: hash';
COMMENT ON FUNCTION @extschema@.incident_hash_extended(@extschema@.incident,bigint) IS 'operator class support: extended hash';
COMMENT ON FUNCTION @extschema@.incident_smaller(@extschema@.incident,@extschema@.incident) IS 'aggregate support: the incident earlier in btree order (min() support)';
COMMENT ON FUNCTION @extschema@.incident_larger(@extschema@.incident,@extschema@.incident) IS 'aggregate support: the incident later in btree order (max() support)';
COMMENT ON FUNCTION @extschema@.criterion_in(cstring) IS 'type I/O, not called directly: reads a criterion from its text';
COMMENT ON FUNCTION @extschema@.criterion_out(@extschema@.criterion) IS 'type I/O, not called directly: the text of a criterion';
COMMENT ON FUNCTION @extschema@.criterion_recv(internal) IS 'type I/O, not called directly: reads a criterion in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.criterion_send(@extschema@.criterion) IS 'type I/O, not called directly: a criterion in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.criterion_eq(@extschema@.criterion,@extschema@.criterion) IS 'operator support (=), use the operator: same rule (same canonical form)';
COMMENT ON FUNCTION @extschema@.tlp_in(cstring) IS 'type I/O, not called directly: reads a tlp from its text';
COMMENT ON FUNCTION @extschema@.tlp_out(@extschema@.tlp) IS 'type I/O, not called directly: the text of a tlp';
COMMENT ON FUNCTION @extschema@.tlp_recv(internal) IS 'type I/O, not called directly: reads a tlp in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.tlp_send(@extschema@.tlp) IS 'type I/O, not called directly: a tlp in binary format (README, Drivers and tools)';
COMMENT ON FUNCTION @extschema@.tlp_eq(@extschema@.tlp,@extschema@.tlp) IS 'operator support (=), use the operator: same label';
COMMENT ON FUNCTION @extschema@.tlp_ne(@extschema@.tlp,@extschema@.tlp) IS 'operator support (<>), use the operator: different labels';
COMMENT ON FUNCTION @extschema@.tlp_lt(@extschema@.tlp,@extschema@.tlp) IS 'operator support (<), use the operator: less restricted';
COMMENT ON FUNCTION @extschema@.tlp_le(@extschema@.tlp,@extschema@.tlp) IS 'operator support (<=), use the operator: less restricted or the same';
COMMENT ON FUNCTION @extschema@.tlp_gt(@extschema@.tlp,@extschema@.tlp) IS 'operator support (>), use the operator: more restricted';
COMMENT ON FUNCTION @extschema@.tlp_ge(@extschema@.tlp,@extschema@.tlp) IS 'operator support (>=), use the operator: more restricted or the same';
COMMENT ON FUNCTION @extschema@.tlp_cmp(@extschema@.tlp,@extschema@.tlp) IS 'operator class support: btree comparison, clear < green < amber < amber+strict < red';
COMMENT ON FUNCTION @extschema@.tlp_sortsupport(internal) IS 'operator class support: btree sort support';
COMMENT ON FUNCTION @extschema@.tlp_hash(@extschema@.tlp) IS 'operator class support: hash support';
COMMENT ON FUNCTION @extschema@.tlp_hash_extended(@extschema@.tlp,bigint) IS 'operator class support: extended hash support';
COMMENT ON FUNCTION @extschema@.tlp_smaller(@extschema@.tlp,@extschema@.tlp) IS 'aggregate support: the less restricted label (min() support)';
COMMENT ON FUNCTION @extschema@.tlp_larger(@extschema@.tlp,@extschema@.tlp) IS 'aggregate support: the more restricted label (max() support)';
-- 360_map.sql: impact_map(), the impact of a failure drawn as an SVG document (issue 14,
-- section 4): every located service instance that impact() finds hit, coloured by the hour
-- of its onset, over an optional background of polygons (the prefectures, say), with a
-- title, a legend of the onset bins and the data's credit line.
--
-- Decisions (README "A map"):
--   * The background is an argument (background geometry[], SRID 4326, polygons), never a
--     table of the extension's or the demo's: without it only the affected areas are drawn.
--   * Web Mercator (EPSG:3857), fitted into a 720 x 720 pixel frame around the affected areas
--     (or the background when nothing located is hit), simplified to half a pixel, written
--     in pixel coordinates (one decimal); ST_AsSVG turns y down (SVG's y axis).
--   * Areas are drawn latest onset first, so where areas overlap the earliest onset is on
--     top: a place shows when trouble starts there.  One <path> per affected area, with a
--     <title> (the instance, its service, onset and recovery) that viewers show on hover.
--   * Every text from data or arguments is XML-escaped (and stripped of the control
--     characters XML 1.0 forbids); the document has no XML declaration: it is the
--     database's text, UTF-8 when written by a UTF-8 client.
--   * The credit line defaults to the one MLIT requires for the N03 boundaries that the
--     demo and README use; pass the credit of your own data (or '' for none).
-- The functions pin search_path to pg_catalog, pg_temp and their operators meet only
-- PostgreSQL's own types (PostgreSQL never looks for operators in pg_temp), so they are
-- written plainly; PostGIS's functions are qualified with its schema.

-- Text for XML content and attribute values.
CREATE FUNCTION @extschema@._xml_escape(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
           pg_catalog.regexp_replace(t, '[\x01-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]', '', 'g'),
           '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&apos;')
$$;
COMMENT ON FUNCTION @extschema@._xml_escape(text) IS
  'internal: text escaped for XML content and attribute values (& < > " '' escaped; control characters XML 1.0 forbids removed)';

-- The renderer, shared by the three forms of impact_map().  PostGIS may live in any schema:
-- its functions are qualified with that schema, found when the function is created.
DO $map$
DECLARE
  gis text := (SELECT pg_catalog.quote_ident(n.nspname)
                 FROM pg_catalog.pg_extension e
                 JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
                WHERE e.extname = 'postgis');
BEGIN
  EXECUTE pg_catalog.replace($fn$
CREATE FUNCTION @extschema@._impact_svg(
    hits @extschema@.impact_row[], began timestamptz, lasted interval,
    background @gis@.geometry[], title text, credit text)
  RETURNS text
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  map_max CONSTANT double precision := 720;   -- the map frame's largest side, pixels
  left_ CONSTANT double precision := 20;      -- the frame's left edge
  top_ CONSTANT double precision := 52;       -- the frame's top edge (below the title)
  legend_w CONSTANT double precision := 270;
  bad record;
  bg @gis@.geometry[];
  ext @gis@.box2d;
  xmin double precision; ymin double precision; xmax double precision; ymax double precision;
  pad double precision;
  s double precision;                          -- pixels per metre (EPSG:3857)
  map_w double precision; map_h double precision;
  width double precision; height double precision;
  tol double precision;
  drawn integer;
  unlocated integer;
  origins text;
  svg text;
  background_paths text;
  hit_paths text;
  legend text;
  bins_shown integer;
BEGIN
  IF began IS NULL OR lasted IS NULL THEN
    RAISE EXCEPTION 'began and lasted must not be NULL' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  -- The background: polygons in SRID 4326, as impact()'s footprint; NULLs and empties skipped.
  SELECT k, g INTO bad FROM pg_catalog.unnest(background) WITH ORDINALITY AS b(g, k)
   WHERE g IS NOT NULL AND (@gis@.ST_SRID(g) <> 4326
         OR (NOT @gis@.ST_IsEmpty(g) AND @gis@.ST_Dimension(g) <> 2))
   ORDER BY k LIMIT 1;
  IF FOUND THEN
    IF @gis@.ST_SRID(bad.g) <> 4326 THEN
      RAISE EXCEPTION 'background element % has SRID %, not 4326', bad.k, @gis@.ST_SRID(bad.g)
        USING ERRCODE = 'invalid_parameter_value',
              HINT = 'Give the background in longitude and latitude: ST_Transform(g, 4326), or ST_SetSRID(g, 4326) when it has no SRID.';
    END IF;
    RAISE EXCEPTION 'background element % is a %, not a polygon', bad.k, @gis@.GeometryType(bad.g)
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The background is areas: Polygon or MultiPolygon (ST_CollectionExtract(g, 3) keeps the polygons of a collection).';
  END IF;

  SELECT pg_catalog.count(*) FILTER (WHERE h.area IS NOT NULL AND NOT @gis@.ST_IsEmpty(h.area)),
         pg_catalog.count(*) FILTER (WHERE h.area IS NULL OR @gis@.ST_IsEmpty(h.area)),
         @gis@.ST_Extent(h.area)
    INTO drawn, unlocated, ext
    FROM pg_catalog.unnest(hits) h;
  -- Mercator keeps x and y apart: the projected corners bound the projected areas
  ext := @gis@.Box2D(@gis@.ST_Transform(@gis@.ST_SetSRID(ext::@gis@.geometry, 4326), 3857));

  IF title IS NULL THEN
    SELECT pg_catalog.string_agg(coalesce(si.name, h.service::text || ' #'
                                   || h.instance::text), ' + ' ORDER BY h.instance)
      INTO origins
      FROM pg_catalog.unnest(hits) h
      LEFT JOIN @extschema@.service_instance si ON si.id = h.instance
     WHERE h.depth = 0;
    title := 'Impact of ' || coalesce(origins, 'a failure')
             || ' out from '
             || pg_catalog.to_char(began, 'YYYY-MM-DD HH24:MI TZ')
             || ' for '
             || pg_catalog.trim_scale(pg_catalog.round((pg_catalog.date_part('epoch', lasted)
                                       / 3600)::numeric, 1))::text
             || ' h';
  END IF;

  SELECT pg_catalog.array_agg(@gis@.ST_Transform(g, 3857)) INTO bg
    FROM pg_catalog.unnest(background) b(g)
   WHERE g IS NOT NULL AND NOT @gis@.ST_IsEmpty(g);

  -- The frame: around the affected areas, else the background, else an empty square.
  IF ext IS NULL THEN
    SELECT @gis@.ST_Extent(g) INTO ext FROM pg_catalog.unnest(bg) g;
  END IF;
  IF ext IS NULL THEN
    xmin := 0; ymin := 0; xmax := 1; ymax := 1; pad := 0;
  ELSE
    xmin := @gis@.ST_XMin(ext); ymin := @gis@.ST_YMin(ext);
    xmax := @gis@.ST_XMax(ext); ymax := @gis@.ST_YMax(ext);
    pad := GREATEST(xmax - xmin, ymax - ymin)
           * 0.05 + 1000;
  END IF;
  xmin := xmin - pad; ymin := ymin - pad;
  xmax := xmax + pad; ymax := ymax + pad;
  s := map_max / GREATEST(xmax - xmin, ymax - ymin);
  map_w := pg_catalog.round(((xmax - xmin) * s)::numeric, 1);
  map_h := pg_catalog.round(((ymax - ymin) * s)::numeric, 1);
  width := GREATEST(left_ + map_w + legend_w, 960);
  height := top_ + GREATEST(map_h, 300) + 40;
  tol := 0.5 / s;

  -- metres to pixels: x' = left + (x - xmin) s; ST_AsSVG writes -y, so y' = s y - s ymax - top
  -- (what lies outside the frame is clipped away, and not written)
  SELECT pg_catalog.string_agg('<path d="' ||
           @gis@.ST_AsSVG(@gis@.ST_Affine(@gis@.ST_Simplify(c.g, tol, true),
             s, 0, 0, s, left_ - s * xmin, - top_ - s * ymax), 0, 1)
           || '"/>', E'\n' ORDER BY c.k)
    INTO background_paths
    FROM (SELECT b.k, @gis@.ST_ClipByBox2D(b.g, @gis@.ST_MakeEnvelope(xmin, ymin, xmax, ymax, 3857)) AS g
            FROM pg_catalog.unnest(bg) WITH ORDINALITY AS b(g, k)) c
   WHERE NOT @gis@.ST_IsEmpty(c.g);

  WITH bins(lo, hi, colour, label) AS (VALUES
      (0::double precision, 1::double precision, '#800026', '0-1 h'), (1, 3, '#bd0026', '1-3 h'),
      (3, 6, '#e31a1c', '3-6 h'), (6, 12, '#fc4e2a', '6-12 h'), (12, 24, '#fd8d3c', '12-24 h'),
      (24, 48, '#feb24c', '24-48 h'), (48, 'infinity', '#fed976', '48 h and later')),
  located AS (
    SELECT h.instance, si.name, h.service::text AS service, h.onset, h.recovery,
           pg_catalog.date_part('epoch', h.onset - began) / 3600 AS hours,
           @gis@.ST_Transform(h.area, 3857) AS g
      FROM pg_catalog.unnest(hits) h
      LEFT JOIN @extschema@.service_instance si ON si.id = h.instance
     WHERE h.area IS NOT NULL AND NOT @gis@.ST_IsEmpty(h.area)),
  h AS (
    SELECT h.*, b.colour, b.label, b.lo FROM located h
      JOIN bins b ON h.hours >= b.lo AND h.hours < b.hi)
  SELECT
    (SELECT pg_catalog.string_agg(pg_catalog.format(
         '<path class="affected" data-instance="%s" data-onset-hours="%s" fill="%s" d="%s"><title>%s</title></path>',
         h.instance, pg_catalog.round(h.hours::numeric, 2), h.colour,
         @gis@.ST_AsSVG(@gis@.ST_Affine(@gis@.ST_Simplify(h.g, tol, true),
             s, 0, 0, s, left_ - s * xmin,
             - top_ - s * ymax), 0, 1),
         @extschema@._xml_escape(coalesce(h.name, h.service || ' #' || h.instance::text)
           || ' (' || h.service || '): out from +'
           || pg_catalog.trim_scale(pg_catalog.round(h.hours::numeric, 1))::text
           || ' h, '
           || pg_catalog.to_char(h.onset, 'YYYY-MM-DD HH24:MI TZ')
           || ' to ' || pg_catalog.to_char(h.recovery, 'YYYY-MM-DD HH24:MI TZ'))),
         E'\n' ORDER BY h.onset DESC, h.instance DESC) FROM h),
    l.legend, l.bins
    INTO hit_paths, legend, bins_shown
    FROM (SELECT pg_catalog.string_agg(pg_catalog.format(
         '<g class="legend-bin"><rect x="%s" y="%s" width="18" height="14" fill="%s" stroke="#5a1a1a" stroke-width="0.5"/>'
         '<text x="%s" y="%s">%s</text></g>',
         left_ + map_w + 20, top_ + 30 + 22 * (n - 1),
         p.colour, left_ + map_w + 46,
         top_ + 42 + 22 * (n - 1),
         @extschema@._xml_escape(p.label)), E'\n' ORDER BY n) AS legend,
       pg_catalog.count(*) AS bins
       FROM (SELECT b.colour, b.label, pg_catalog.row_number() OVER (ORDER BY b.lo) AS n
               FROM bins b WHERE EXISTS (SELECT FROM h WHERE h.lo = b.lo)) p) l;

  svg := pg_catalog.format(
'<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="DejaVu Sans, Noto Sans CJK JP, IPAPGothic, sans-serif" font-size="13">
<title>%s</title>
<rect width="%s" height="%s" fill="#ffffff"/>
<text class="title" x="%s" y="32" font-size="18" font-weight="bold">%s</text>
<defs><clipPath id="frame"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath></defs>
<g class="map" clip-path="url(#frame)">
<rect x="%s" y="%s" width="%s" height="%s" fill="#dde8f0"/>
<g class="background" fill="#f4f3ee" stroke="#8c8c8c" stroke-width="0.5" stroke-linejoin="round" fill-rule="evenodd">
%s
</g>
<g class="affected" stroke="#4d0013" stroke-width="0.6" stroke-linejoin="round" fill-opacity="0.9" fill-rule="evenodd">
%s
</g>
</g>
<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#444444"/>
<g class="legend">
<text x="%s" y="%s" font-weight="bold">Onset, hours after the failure</text>
%s
<text class="summary" x="%s" y="%s" font-size="11">%s</text>
<text class="note" x="%s" y="%s" font-size="11">where areas overlap,</text>
<text class="note" x="%s" y="%s" font-size="11">the earliest onset is on top</text>
</g>
<text class="credit" x="%s" y="%s" font-size="9">%s</text>
</svg>
',
    width, height, width, height,
    @extschema@._xml_escape(title),
    width, height,
    left_, @extschema@._xml_escape(title),
    left_, top_, map_w, map_h,
    left_, top_, map_w, map_h,
    coalesce(background_paths, ''),
    coalesce(hit_paths, ''),
    left_, top_, map_w, map_h,
    left_ + map_w + 20, top_ + 14,
    coalesce(legend, '<text class="legend-none" x="' || (left_ + map_w + 20)::text
                      || '" y="' || (top_ + 42)::text
                      || '">no located area is hit</text>'),
    left_ + map_w + 20,
    top_ + 40 + 22 * GREATEST(bins_shown, 1),
    @extschema@._xml_escape(drawn::text || ' affected area'
      || CASE WHEN drawn = 1 THEN '' ELSE 's' END
      || CASE WHEN unlocated > 0
           THEN ', ' || unlocated::text || ' not located' ELSE '' END),
    left_ + map_w + 20, top_ + 56 + 22 * GREATEST(bins_shown, 1),
    left_ + map_w + 20, top_ + 70 + 22 * GREATEST(bins_shown, 1),
    left_, height - 14, @extschema@._xml_escape(coalesce(credit, '')));
  RETURN svg;
END $$;
$fn$, '@gis@', gis);
END $map$;
COMMENT ON FUNCTION @extschema@._impact_svg(@extschema@.impact_row[], timestamptz, interval, geometry[], text, text) IS
  'internal: the SVG document of impact_map() from the rows of impact()';

CREATE FUNCTION @extschema@.impact_map(
    origins bigint[], began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    background geometry[] DEFAULT NULL, title text DEFAULT NULL,
    credit text DEFAULT '出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用')
  RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT @extschema@._impact_svg(
    (SELECT pg_catalog.array_agg(x) FROM @extschema@.impact(origins, began, lasted, footprint, horizon) x),
    began, lasted, background, title, credit)
$$;
COMMENT ON FUNCTION @extschema@.impact_map(bigint[], timestamptz, interval, geometry, interval, geometry[], text, text) IS
  'impact() as an SVG map: the affected areas coloured by onset hour over an optional background of polygons (SRID 4326), with a title, a legend and a credit line';

CREATE FUNCTION @extschema@.impact_map(
    origin bigint, began timestamptz, lasted interval,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    background geometry[] DEFAULT NULL, title text DEFAULT NULL,
    credit text DEFAULT '出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用')
  RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT @extschema@.impact_map(ARRAY[origin], began, lasted, footprint, horizon, background, title, credit)
$$;
COMMENT ON FUNCTION @extschema@.impact_map(bigint, timestamptz, interval, geometry, interval, geometry[], text, text) IS
  'the map of one instance''s failure (see the bigint[] form)';

CREATE FUNCTION @extschema@.impact_map(
    i @extschema@.incident, origin bigint,
    footprint geometry DEFAULT NULL, horizon interval DEFAULT '7 days',
    background geometry[] DEFAULT NULL, title text DEFAULT NULL,
    credit text DEFAULT '出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用')
  RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT @extschema@._impact_svg(
    (SELECT pg_catalog.array_agg(x) FROM @extschema@.impact(i, origin, footprint, horizon) x),
    @extschema@.began(i), coalesce(@extschema@.lasted(i), horizon), background, title, credit)
$$;
COMMENT ON FUNCTION @extschema@.impact_map(@extschema@.incident, bigint, geometry, interval, geometry[], text, text) IS
  'the map of an incident at the service instance where it happened (see impact(incident, ...))';
-- map (issue 14, section 4): the privileges of impact_map() and its helpers, as in
-- 900_privileges.sql for a fresh install.  Nothing to grant or revoke: they run with
-- their caller's privileges (impact() checks the caller may read the graph) and PUBLIC
-- keeps EXECUTE, as on impact().
-- 0.5 update (issue 11 §2): the log of the graph's changes, as in src/sql/080_graph.sql.

-- What changed in the graph, key by key (issue 11): one row per instance or dependency
-- touched, with the transaction that touched it, written by the AFTER statement triggers
-- graph_logged (with transition tables; ALWAYS) and, on a logical-replication subscriber
-- whose apply worker fires row triggers only, by the row triggers graph_logged_applied
-- (REPLICA).  A backend whose graph image (src/graph_image.c) is older than its statement
-- reads the rows of the keys whose transactions the two snapshots see differently, and
-- lays them over the image (src/graph_delta.c) instead of reading the whole graph.  A
-- statement that touches more than 50,000 rows writes one row of NULL keys instead:
-- "read everything".  Never published (federation_tables() lists what is); not dumped.
CREATE TABLE @extschema@.graph_change (
  xid        xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
  instance   bigint,
  dependent  bigint,
  supplier   bigint
);
COMMENT ON TABLE @extschema@.graph_change IS
  'keys of the dependency graph touched, by transaction: what a backend lays over an older image of the graph (NULL keys: read everything)';
CREATE INDEX graph_change_xid ON @extschema@.graph_change (xid);

CREATE FUNCTION @extschema@._graph_logged() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  n_rows bigint := 0;
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    IF TG_TABLE_NAME = 'service_instance' THEN
      INSERT INTO @extschema@.graph_change (instance)
      SELECT DISTINCT k FROM (VALUES (OLD.id), (NEW.id)) AS v(k) WHERE k IS NOT NULL;
    ELSE
      INSERT INTO @extschema@.graph_change (dependent, supplier)
      SELECT DISTINCT d, s FROM (VALUES (OLD.dependent, OLD.supplier), (NEW.dependent, NEW.supplier)) AS v(d, s)
       WHERE d IS NOT NULL;
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    n_rows := (SELECT pg_catalog.count(*) FROM new_rows);
  ELSE
    n_rows := (SELECT pg_catalog.count(*) FROM old_rows);
  END IF;
  IF n_rows OPERATOR(pg_catalog.>) 50000 THEN
    INSERT INTO @extschema@.graph_change DEFAULT VALUES;
  ELSIF TG_TABLE_NAME = 'service_instance' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO @extschema@.graph_change (instance) SELECT id FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO @extschema@.graph_change (instance) SELECT id FROM old_rows;
    ELSE
      INSERT INTO @extschema@.graph_change (instance) SELECT id FROM old_rows UNION SELECT id FROM new_rows;
    END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN
      INSERT INTO @extschema@.graph_change (dependent, supplier) SELECT dependent, supplier FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO @extschema@.graph_change (dependent, supplier) SELECT dependent, supplier FROM old_rows;
    ELSE
      INSERT INTO @extschema@.graph_change (dependent, supplier)
      SELECT dependent, supplier FROM old_rows UNION SELECT dependent, supplier FROM new_rows;
    END IF;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@._graph_logged() IS
  'logs the keys of the dependency graph a statement (or an applied row) touched in graph_change';
CREATE TRIGGER graph_logged_insert AFTER INSERT ON @extschema@.service_instance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_update AFTER UPDATE ON @extschema@.service_instance
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_delete AFTER DELETE ON @extschema@.service_instance
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_insert AFTER INSERT ON @extschema@.dependency
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_update AFTER UPDATE ON @extschema@.dependency
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_delete AFTER DELETE ON @extschema@.dependency
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._graph_logged();
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_logged_insert;
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_logged_update;
ALTER TABLE @extschema@.service_instance ENABLE ALWAYS TRIGGER graph_logged_delete;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_logged_insert;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_logged_update;
ALTER TABLE @extschema@.dependency ENABLE ALWAYS TRIGGER graph_logged_delete;
CREATE TRIGGER graph_logged_applied AFTER INSERT OR UPDATE OR DELETE ON @extschema@.service_instance
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_logged();
CREATE TRIGGER graph_logged_applied AFTER INSERT OR UPDATE OR DELETE ON @extschema@.dependency
  FOR EACH ROW EXECUTE FUNCTION @extschema@._graph_logged();
ALTER TABLE @extschema@.service_instance ENABLE REPLICA TRIGGER graph_logged_applied;
ALTER TABLE @extschema@.dependency ENABLE REPLICA TRIGGER graph_logged_applied;
-- 0.5 update: the privileges of the graph's change log (issue 11), as in 900_privileges.sql.
REVOKE ALL ON @extschema@.graph_change FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@._graph_logged() FROM PUBLIC;
