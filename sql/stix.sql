-- stix.sql: STIX 2.1 export and import (issue 14, section 1) at the SQL level: the ids and
-- timestamps, the bundle for each kind of party (what it sees, pseudonyms, no description),
-- determinism, the errors with their SQLSTATEs and JSON paths, the checks of a bundle, a
-- strict import.  test/stix.sh validates bundles against the official schemas and
-- round-trips them through a second database.
-- In a transaction rolled back (reports are never deleted, and later tests count them).
\i sql/try.psql
\set ON_ERROR_ROLLBACK on
BEGIN;
SET client_min_messages = warning;
CREATE ROLE regress_stix_m;      -- METI
CREATE ROLE regress_stix_c;      -- the electricity CEPTOAR
CREATE ROLE regress_stix_public;
RESET client_min_messages;
INSERT INTO ceptoar.operator (code, name, sector, ceptoar) VALUES
  ('stix-power', 'Power Co', 'electricity', 'electricity'), ('stix-bank', 'Bank Co', 'finance', 'finance');
SELECT ceptoar.register_party('regress_stix_m', 'ministry', 'meti'),
       ceptoar.register_party('regress_stix_c', 'ceptoar', 'electricity'),
       ceptoar.register_party('regress_stix_public', 'public');
INSERT INTO ceptoar.report (id, operator, kind, incident, reported, tlp, summary, description) VALUES
  ('5e000000-0000-0000-0000-000000000001', 'stix-power', 'incident',
   'service=electricity.supply, began=2024-01-15 09:00+09, lasted=3 hours, users=1200, effect=degradation', '2024-01-15 10:00:00.123+09',
   'clear', 'st-clear', 'Power Co: the whole story'),
  ('5e000000-0000-0000-0000-000000000002', 'stix-power', 'threat', NULL, '2024-01-16 10:00+09', 'amber', 'st-amber', 'Power Co: amber'),
  ('5e000000-0000-0000-0000-000000000003', 'stix-bank', 'near_miss', NULL, '2024-01-17 10:00+09', 'green', 'st-bank', 'Bank Co: green');
INSERT INTO ceptoar.report_link (report, related, kind, created) VALUES
  ('5e000000-0000-0000-0000-000000000002', '5e000000-0000-0000-0000-000000000001', 'cascade_from', '2024-01-16 12:00+09'),
  ('5e000000-0000-0000-0000-000000000003', '5e000000-0000-0000-0000-000000000001', 'same_cause', '2024-01-17 12:00+09');

-- _uuid_v5: RFC 4122 version 5 (SHA-1), as Python's uuid.uuid5 (the references computed
-- with Python 3: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") and the others below); the name
-- hashed in UTF-8; STRICT
SELECT n.ns, n.name, ceptoar._uuid_v5(n.ns, n.name) AS v5, ceptoar._uuid_v5(n.ns, n.name) = n.python AS as_python
  FROM (VALUES ('6ba7b810-9dad-11d1-80b4-00c04fd430c8'::uuid, 'python.org', '886313e1-3b8a-5372-9b90-0c9aee199e5d'::uuid),
               ('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'https://www.nisc.go.jp/', '03af26c3-ceee-5295-b073-94b6e20bf576'),
               ('6ba7b812-9dad-11d1-80b4-00c04fd430c8', '重要インフラ', '283d1aaf-2deb-5002-846a-cb8e3d59fae5'),
               ('6ba7b814-9dad-11d1-80b4-00c04fd430c8', '', 'b4bdf874-8c03-5bd8-8fd7-5e409dfd82c0'),
               ('611cb5e0-208f-414c-8e7c-0a30c554267c', 'incident:5e000000-0000-0000-0000-000000000001', 'e52800d5-ad8d-5c6d-a89d-a415b5f83c27')) n (ns, name, python);
SELECT ceptoar._uuid_v5(NULL, 'x') IS NULL AND ceptoar._uuid_v5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', NULL) IS NULL AS strict;
-- ids: name-based (version 5, RFC 4122 variant), stable; timestamps UTC with milliseconds
SELECT ceptoar._stix_uuid('incident:5e000000-0000-0000-0000-000000000001') AS id,
       ceptoar._stix_uuid('incident:5e000000-0000-0000-0000-000000000001')
         = ceptoar._stix_uuid('incident:5e000000-0000-0000-0000-000000000001') AS stable,
       ceptoar._stix_uuid('a') <> ceptoar._stix_uuid('b') AS distinct_names,
       substr(ceptoar._stix_uuid('x')::text, 15, 1) AS version,
       substr(ceptoar._stix_uuid('x')::text, 20, 1) IN ('8', '9', 'a', 'b') AS variant;
SELECT ceptoar._stix_time('2024-01-15 09:00+09') AS t1, ceptoar._stix_time('2024-01-15 10:00:00.123456+09') AS t2,
       ceptoar._stix_time('1999-12-31 23:59:59.9999+00') AS t3;
-- the 15 sectors all map, to values of industry-sector-ov
SELECT s::text AS sector, ceptoar._stix_sectors(s::text) AS stix FROM ceptoar.sectors('2022') s ORDER BY s;

-- The owner's bundle: the objects, by type and id; the same twice, whatever the order asked
CREATE TEMP TABLE b_owner AS
  SELECT ceptoar.stix_bundle(ARRAY['5e000000-0000-0000-0000-000000000003', '5e000000-0000-0000-0000-000000000001',
                                   '5e000000-0000-0000-0000-000000000002']::uuid[]) AS b;
SELECT o->>'type' AS type, o->>'id' AS id, COALESCE(o->>'name', '') AS name FROM b_owner, jsonb_array_elements(b->'objects') o;
SELECT b->>'id' AS bundle_id,
       b = ceptoar.stix_bundle(ARRAY['5e000000-0000-0000-0000-000000000001', '5e000000-0000-0000-0000-000000000002',
                                     '5e000000-0000-0000-0000-000000000003', '5e000000-0000-0000-0000-000000000001']::uuid[]) AS deterministic
  FROM b_owner;
-- the clear incident in full
SELECT jsonb_pretty(o) FROM b_owner, jsonb_array_elements(b->'objects') o
 WHERE o->'extensions'->ceptoar._stix_ours()->>'report_id' = '5e000000-0000-0000-0000-000000000001';
-- the relationships
SELECT o->>'relationship_type' AS rel, o->>'created' AS created FROM b_owner, jsonb_array_elements(b->'objects') o
 WHERE o->>'type' = 'relationship' ORDER BY 1;
-- one report: the one-report form is the array form of one; a new revision keeps the
-- incident's id and changes modified and revision
SELECT ceptoar.stix_bundle('5e000000-0000-0000-0000-000000000002'::uuid)
       = ceptoar.stix_bundle(ARRAY['5e000000-0000-0000-0000-000000000002']::uuid[]) AS one_form;
CREATE TEMP TABLE before_update AS SELECT ceptoar.stix_bundle('5e000000-0000-0000-0000-000000000002'::uuid) AS b;
UPDATE ceptoar.report SET status = 'under_review' WHERE id = '5e000000-0000-0000-0000-000000000002';
SELECT x.o->>'id' = y.o->>'id' AS same_incident_id,
       x.o->>'modified' < y.o->>'modified' AS modified_later,
       y.o->'extensions'->ceptoar._stix_ours()->>'revision' AS revision,
       y.o->'extensions'->'extension-definition--ef765651-680c-498d-9894-99799f2fa126'->>'investigation_status' AS status,
       (SELECT b->>'id' FROM before_update) <> ceptoar.stix_bundle('5e000000-0000-0000-0000-000000000002'::uuid)->>'id' AS new_bundle_id
  FROM (SELECT o FROM before_update, jsonb_array_elements(b->'objects') o WHERE o->>'type' = 'incident') x,
       (SELECT o FROM jsonb_array_elements(ceptoar.stix_bundle('5e000000-0000-0000-0000-000000000002'::uuid)->'objects') o
         WHERE o->>'type' = 'incident') y;

-- Each party: the incidents it may ask for, what their identities say, whether it sees a
-- description; a report it may not see is unknown, exactly as a report that does not exist
CREATE FUNCTION pg_temp.sight() RETURNS TABLE (report text, identity text, description boolean, err text)
LANGUAGE sql AS $$
  WITH r (id, summary) AS (
    VALUES ('5e000000-0000-0000-0000-000000000001'::uuid, 'st-clear'), ('5e000000-0000-0000-0000-000000000002', 'st-amber'),
           ('5e000000-0000-0000-0000-000000000003', 'st-bank'), ('5e000000-0000-0000-0000-0000000000ff', 'none')),
  t AS (SELECT r.id, r.summary, x.state, x.message FROM r, pg_temp.try(format('SELECT ceptoar.stix_bundle(%L::uuid)', r.id)) x),
  b AS (SELECT t.summary, ceptoar.stix_bundle(t.id) AS b FROM t WHERE t.state = '00000'),
  inc AS (SELECT b.summary, b.b, jsonb_path_query_first(b.b, '$.objects[*] ? (@.type == "incident")') AS o FROM b)
  SELECT inc.summary,
         CASE WHEN n LIKE 'anon:%' THEN 'pseudonym' ELSE n END,
         inc.o ? 'description', NULL
    FROM inc, LATERAL (SELECT jsonb_path_query_first(inc.b, '$.objects[*] ? (@.id == $r).name', jsonb_build_object('r', inc.o->'created_by_ref')) #>> '{}') AS i (n)
  UNION ALL
  SELECT t.summary, NULL, NULL, t.state || ' ' || replace(t.message, t.id::text, '<id>') FROM t WHERE t.state <> '00000'
  ORDER BY 1
$$;
GRANT EXECUTE ON FUNCTION pg_temp.sight(), pg_temp.try(text) TO PUBLIC;
SET ROLE regress_stix_m;
SELECT 'ministry' AS party, * FROM pg_temp.sight();
RESET ROLE;
SET ROLE regress_stix_c;
SELECT 'ceptoar' AS party, * FROM pg_temp.sight();
-- the pseudonym is the one the CEPTOAR sees in shared_reports
SELECT i->>'name' = (SELECT s.operator FROM ceptoar.shared_reports s WHERE s.id = '5e000000-0000-0000-0000-000000000001') AS same_pseudonym
  FROM jsonb_array_elements(ceptoar.stix_bundle('5e000000-0000-0000-0000-000000000001'::uuid)->'objects') i
 WHERE i->>'type' = 'identity' AND i->>'name' LIKE 'anon:%';
-- and none of the operator's own facts reach it
SELECT ceptoar.stix_bundle('5e000000-0000-0000-0000-000000000001'::uuid)::text ~ 'stix-power|Power Co' AS names_operator;
RESET ROLE;
SET ROLE regress_stix_public;
SELECT 'public' AS party, * FROM pg_temp.sight();
RESET ROLE;
-- the reads that revealed an identity were audited (the ministry's and the owner's), the
-- CEPTOAR's and the public's were not
SELECT CASE WHEN reader = current_user THEN 'the owner (this session)' ELSE reader::text END AS reader, count(DISTINCT report)
  FROM ceptoar.identity_reads WHERE report::text LIKE '5e000000-%' GROUP BY 1 ORDER BY 1;

-- Errors of stix_bundle
SELECT s.stmt, t.* FROM (VALUES
    ($$SELECT ceptoar.stix_bundle('{}'::uuid[])$$),
    ($$SELECT ceptoar.stix_bundle(ARRAY['5e000000-0000-0000-0000-000000000001', NULL]::uuid[])$$),
    ($$SELECT ceptoar.stix_bundle('5e000000-0000-0000-0000-0000000000ff'::uuid)$$)) s (stmt),
  LATERAL pg_temp.try(s.stmt) t;
SELECT ceptoar.stix_bundle(NULL::uuid[]) IS NULL AS strict;

-- What a bundle must have: each fault named by its JSON path
SELECT s.what, t.state, t.message FROM (VALUES
    ('not a bundle', '{"type": "x"}'),
    ('bad id', '{"type": "bundle", "id": "bundle--1", "objects": []}'),
    ('no objects', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": []}'),
    ('a null', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": [{"type": "identity", "name": null}]}'),
    ('an empty list', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": [{"type": "identity", "sectors": []}]}'),
    ('no name', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": [{"type": "incident", "spec_version": "2.1", "id": "incident--2fa831bc-ac45-399a-9d95-c54c3760072f", "created": "2024-01-15T00:00:00.000Z", "modified": "2024-01-15T00:00:00.000Z"}]}'),
    ('spec_version a number', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": [{"type": "identity", "spec_version": 2.1, "id": "identity--2fa831bc-ac45-399a-9d95-c54c3760072f", "created": "2024-01-15T00:00:00.000Z", "modified": "2024-01-15T00:00:00.000Z", "name": "x"}]}'),
    ('STIX 2.0', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": [{"type": "identity", "spec_version": "2.0", "id": "identity--2fa831bc-ac45-399a-9d95-c54c3760072f", "created": "2024-01-15T00:00:00.000Z", "modified": "2024-01-15T00:00:00.000Z", "name": "x"}]}'),
    ('id of another type', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": [{"type": "identity", "spec_version": "2.1", "id": "incident--2fa831bc-ac45-399a-9d95-c54c3760072f", "created": "2024-01-15T00:00:00.000Z", "modified": "2024-01-15T00:00:00.000Z", "name": "x"}]}'),
    ('seconds only', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": [{"type": "identity", "spec_version": "2.1", "id": "identity--2fa831bc-ac45-399a-9d95-c54c3760072f", "created": "2024-01-15T00:00:00Z", "modified": "2024-01-15T00:00:00.000Z", "name": "x"}]}'),
    ('not UTC', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": [{"type": "identity", "spec_version": "2.1", "id": "identity--2fa831bc-ac45-399a-9d95-c54c3760072f", "created": "2024-01-15T00:00:00.000Z", "modified": "2024-01-15T09:00:00.000+09:00", "name": "x"}]}'),
    ('a bad reference', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": [{"type": "identity", "spec_version": "2.1", "id": "identity--2fa831bc-ac45-399a-9d95-c54c3760072f", "created": "2024-01-15T00:00:00.000Z", "modified": "2024-01-15T00:00:00.000Z", "name": "x", "created_by_ref": "me"}]}'),
    ('an extension without its type', '{"type": "bundle", "id": "bundle--2fa831bc-ac45-399a-9d95-c54c3760072f", "objects": [{"type": "identity", "spec_version": "2.1", "id": "identity--2fa831bc-ac45-399a-9d95-c54c3760072f", "created": "2024-01-15T00:00:00.000Z", "modified": "2024-01-15T00:00:00.000Z", "name": "x", "extensions": {"extension-definition--2fa831bc-ac45-399a-9d95-c54c3760072f": {"a": 1}}}]}')
  ) s (what, bundle),
  LATERAL pg_temp.try(format('SELECT ceptoar._stix_check(%L::jsonb)', s.bundle)) t;

-- Import: strict.  A bundle from another system (an incident with the Incident Core
-- Extension only, its identity naming an operator) is filed; what cannot be mapped is an
-- error naming its JSON path, or kept on request.
CREATE TEMP TABLE foreign_bundle AS SELECT $${"type": "bundle", "id": "bundle--6f0c3f65-5b7e-4d8a-9d3e-0a9b8c7d6e5f", "objects": [
  {"type": "identity", "spec_version": "2.1", "id": "identity--0e4f3c2b-1a09-4b8c-8d7e-6f5a4b3c2d1e",
   "created": "2024-02-01T00:00:00.000Z", "modified": "2024-02-01T00:00:00.000Z", "name": "stix-bank", "identity_class": "organization"},
  {"type": "incident", "spec_version": "2.1", "id": "incident--7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
   "created": "2024-02-01T01:02:03.456Z", "modified": "2024-02-01T01:02:03.456Z", "name": "phishing wave",
   "created_by_ref": "identity--0e4f3c2b-1a09-4b8c-8d7e-6f5a4b3c2d1e",
   "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"],
   "extensions": {"extension-definition--ef765651-680c-498d-9894-99799f2fa126":
     {"extension_type": "property-extension", "determination": "suspected", "investigation_status": "new"}}}]}$$::jsonb AS b;
SELECT r AS filed FROM foreign_bundle, ceptoar.import_stix(b) r;
SELECT operator, kind, tlp, summary, status, to_char(reported AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS reported
  FROM ceptoar.report WHERE id = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
-- the errors: each names the JSON path of what it cannot map
CREATE FUNCTION pg_temp.altered(path text[], val jsonb) RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT ceptoar.import_stix(%L::jsonb)',
                jsonb_set(replace(b::text, '7a6b5c4d', '8a6b5c4d')::jsonb, path, val))
    FROM foreign_bundle $$;
SELECT s.what, t.state, t.message, t.hint FROM (VALUES
    ('again', (SELECT format('SELECT ceptoar.import_stix(%L::jsonb)', b) FROM foreign_bundle)),
    ('a property of no mapping', pg_temp.altered('{objects,1,labels}', '["misp"]')),
    ('an extension of no mapping', pg_temp.altered('{objects,1,extensions,x-misp-ext}', '{"a": 1}')),
    ('an object of no mapping', pg_temp.altered('{objects,2}', '{"type": "malware", "spec_version": "2.1", "id": "malware--2fa831bc-ac45-399a-9d95-c54c3760072f", "created": "2024-02-01T00:00:00.000Z", "modified": "2024-02-01T00:00:00.000Z", "name": "x", "is_family": false}')),
    ('a determination of no mapping', pg_temp.altered('{objects,1,extensions,extension-definition--ef765651-680c-498d-9894-99799f2fa126,determination}', '"blocked"')),
    ('an incident without facts', pg_temp.altered('{objects,1,extensions,extension-definition--ef765651-680c-498d-9894-99799f2fa126,determination}', '"successful-attempt"')),
    ('no TLP', pg_temp.altered('{objects,1,object_marking_refs}', '["marking-definition--2fa831bc-ac45-399a-9d95-c54c3760072f"]')),
    ('an unknown operator', pg_temp.altered('{objects,0,name}', '"nobody"')),
    ('a derived fact the registry would not make', pg_temp.altered('{objects,1,extensions,extension-definition--ef765651-680c-498d-9894-99799f2fa126,impacted_entity_counts}', '{"customers-individual": 5}'))
  ) s (what, stmt),
  LATERAL pg_temp.try(s.stmt) t;
-- the values read from the registry's extension, and the others, each an error naming its
-- JSON path (22023), nothing filed
CREATE FUNCTION pg_temp.ours(field text, val jsonb) RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT ceptoar.import_stix(%L::jsonb)',
                jsonb_set(jsonb_set(replace(b::text, '7a6b5c4d', '8a6b5c4d')::jsonb,
                                    ARRAY['objects', '1', 'extensions', ceptoar._stix_ours()], '{"extension_type": "property-extension"}'),
                          ARRAY['objects', '1', 'extensions', ceptoar._stix_ours(), field], val))
    FROM foreign_bundle $$;
SELECT s.what, t.state, replace(t.message, ceptoar._stix_ours(), '<ours>') AS message, t.detail, t.hint FROM (VALUES
    ('report_id not a uuid', pg_temp.ours('report_id', '"5e000000-x"')),
    ('report_id a number', pg_temp.ours('report_id', '5')),
    ('detected not a time', pg_temp.ours('detected', '"2024-02-30T00:00:00.000Z"')),
    ('exercise unknown', pg_temp.ours('exercise', '"no-such-drill"')),
    ('exercise a number', pg_temp.ours('exercise', '7')),
    ('incident not a literal', pg_temp.ours('incident', '"service=nothing.at-all"')),
    ('revision zero', pg_temp.ours('revision', '0')),
    ('revision a string', pg_temp.ours('revision', '"2"')),
    ('revision a fraction', pg_temp.ours('revision', '2.5')),
    ('revoked not a time', pg_temp.ours('revoked', '"yesterday"')),
    ('kind unknown', pg_temp.ours('kind', '"disaster"')),
    ('status unknown', pg_temp.ours('status', '"lost"')),
    ('revoked not a boolean', pg_temp.altered('{objects,1,revoked}', '"yes"')),
    ('name not a string', pg_temp.altered('{objects,1,name}', '42')),
    ('created not a day', pg_temp.altered('{objects,1,created}', '"2024-02-30T01:02:03.456Z"'))
  ) s (what, stmt),
  LATERAL pg_temp.try(s.stmt) t;
SELECT count(*) AS nothing_filed FROM ceptoar.report WHERE id = '8a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
-- an imported report keeps what its source said of its history (stix_imported)
SELECT r.report, r.revision, r.stix_revision, r.modified, r.revoked FROM ceptoar.stix_imported r
 WHERE r.report = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
-- and only for a report the caller has just filed, once
SELECT * FROM pg_temp.try($$SELECT ceptoar._stix_imported('7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d', 7, '2020-01-01T00:00:00.000Z', NULL)$$);
SET ROLE regress_stix_m;
SELECT * FROM pg_temp.try($$SELECT ceptoar._stix_imported('5e000000-0000-0000-0000-000000000001', 7, '2020-01-01T00:00:00.000Z', NULL)$$);
RESET ROLE;
-- keep_unmapped: filed, the unmapped parts kept with their paths (the whole object
-- unattached to a report)
SELECT r AS filed FROM foreign_bundle,
  ceptoar.import_stix(jsonb_set(jsonb_set(replace(b::text, '7a6b5c4d', '9a6b5c4d')::jsonb, '{objects,1,labels}', '["misp"]'),
                      '{objects,2}', '{"type": "note", "spec_version": "2.1", "id": "note--2fa831bc-ac45-399a-9d95-c54c3760072f", "created": "2024-02-01T00:00:00.000Z", "modified": "2024-02-01T00:00:00.000Z", "content": "x", "object_refs": ["incident--9a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"]}'),
                      keep_unmapped => true) r;
SELECT report, bundle, path, value, kept_by = current_user AS kept_by_me FROM ceptoar.stix_unmapped ORDER BY path;
-- kept once per importing role, under its name: the same part again is 22023 naming it
SELECT * FROM pg_temp.try($$SELECT ceptoar._stix_keep(NULL, (SELECT u.bundle FROM ceptoar.stix_unmapped u ORDER BY u.path LIMIT 1),
  (SELECT u.path FROM ceptoar.stix_unmapped u ORDER BY u.path LIMIT 1), '1')$$);
-- the CEPTOAR may not keep unmapped parts (it files no reports)
SET ROLE regress_stix_c;
SELECT * FROM pg_temp.try($$SELECT ceptoar._stix_keep(NULL, 'b', '$', '1')$$);
RESET ROLE;
-- stix_unmapped_purge: each role deletes its own kept parts, the owner everyone's
INSERT INTO ceptoar.stix_unmapped (report, bundle, path, value, imported, kept_by) VALUES
  (NULL, 'bundle--m', '$.objects[0]', '1', now() - interval '40 days', 'regress_stix_m'),
  (NULL, 'bundle--m', '$.objects[1]', '2', now() - interval '10 days', 'regress_stix_m'),
  (NULL, 'bundle--c', '$.objects[0]', '3', now() - interval '40 days', 'regress_stix_c');
SET ROLE regress_stix_m;
SELECT ceptoar.stix_unmapped_purge(interval '30 days') AS purged_older, ceptoar.stix_unmapped_purge(interval '30 days') AS again;
SELECT ceptoar.stix_unmapped_purge(interval '0') AS purged_rest;
SELECT * FROM pg_temp.try($$SELECT ceptoar.stix_unmapped_purge(interval '-1 day')$$);
SELECT ceptoar.stix_unmapped_purge(interval '10000 years') AS nothing_that_old;
SELECT * FROM pg_temp.try($$SELECT count(*) FROM ceptoar.stix_unmapped$$);
RESET ROLE;
SELECT kept_by = current_user AS kept_by_me, bundle, path FROM ceptoar.stix_unmapped ORDER BY 2, 3;
SELECT ceptoar.stix_unmapped_purge(interval '30 days') AS purged_older, ceptoar.stix_unmapped_purge(interval '0') AS purged_rest;
SELECT count(*) AS left_all FROM ceptoar.stix_unmapped;
ROLLBACK;
