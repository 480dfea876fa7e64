-- test/00_schema.sql: the SQL surface of the extension, as a spec: every type,
-- operator, operator class, cast, function (signature, result, volatility,
-- strictness, parallel safety, language, argument names and defaults), table
-- (columns, keys, indexes), sequence and view; and that the operator classes of
-- sector and service behave: indexes, sorting, hashing, grouping.
-- The lists are complete: an object added to the extension fails here until it
-- is added (and documented in the README's Reference).
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS ceptoar_registry CASCADE;

SELECT plan(1282);

-- ---------------------------------------------------------------------------
-- Schema, extension, types

SELECT has_schema('ceptoar');
SELECT has_extension('ceptoar'::name, 'ceptoar_registry'::name, 'extension ceptoar_registry is in schema ceptoar');
SELECT has_type('ceptoar', 'sector', 'type ceptoar.sector exists');
SELECT has_type('ceptoar', 'service', 'type ceptoar.service exists');
SELECT has_type('ceptoar', 'incident', 'type ceptoar.incident exists');
SELECT has_type('ceptoar', 'criterion', 'type ceptoar.criterion exists');
SELECT has_type('ceptoar', 'tlp', 'type ceptoar.tlp exists');
SELECT has_composite('ceptoar', 'verdict', 'composite type ceptoar.verdict exists');
SELECT has_composite('ceptoar', 'impact_row', 'composite type ceptoar.impact_row exists');
SELECT has_composite('ceptoar', 'impact_timeline_row', 'composite type ceptoar.impact_timeline_row exists');
SELECT types_are('ceptoar', ARRAY['sector', 'service', 'incident', 'criterion', 'tlp', 'verdict',
                                  'impact_row', 'impact_timeline_row'],
  'schema ceptoar has exactly the types sector, service, incident, criterion, tlp, verdict, impact_row and impact_timeline_row');

SELECT results_eq(
  $$SELECT typname::text COLLATE "default", typlen::int, typbyval, typalign::text, typstorage::text,
           typinput::regprocedure::text, typoutput::regprocedure::text,
           typreceive::regprocedure::text, typsend::regprocedure::text
      FROM pg_type
     WHERE oid IN ('ceptoar.sector'::regtype, 'ceptoar.service'::regtype, 'ceptoar.tlp'::regtype)
     ORDER BY typname$$,
  $$VALUES
    ('sector', 2, true, 's', 'p', 'ceptoar.sector_in(cstring)', 'ceptoar.sector_out(ceptoar.sector)',
     'ceptoar.sector_recv(internal)', 'ceptoar.sector_send(ceptoar.sector)'),
    ('service', 4, true, 'i', 'p', 'ceptoar.service_in(cstring)', 'ceptoar.service_out(ceptoar.service)',
     'ceptoar.service_recv(internal)', 'ceptoar.service_send(ceptoar.service)'),
    ('tlp', 2, true, 's', 'p', 'ceptoar.tlp_in(cstring)', 'ceptoar.tlp_out(ceptoar.tlp)',
     'ceptoar.tlp_recv(internal)', 'ceptoar.tlp_send(ceptoar.tlp)')$$,
  'sector and tlp are by-value int2s and service a by-value int4, with text and binary I/O');
SELECT results_eq(
  $$SELECT typname::text COLLATE "default", typlen::int, typbyval, typalign::text, typstorage::text,
           typinput::regprocedure::text, typoutput::regprocedure::text,
           typreceive::regprocedure::text, typsend::regprocedure::text
      FROM pg_type
     WHERE oid IN ('ceptoar.incident'::regtype, 'ceptoar.criterion'::regtype)
     ORDER BY typname$$,
  $$VALUES
    ('criterion', -1, false, 'd', 'm', 'ceptoar.criterion_in(cstring)', 'ceptoar.criterion_out(ceptoar.criterion)',
     'ceptoar.criterion_recv(internal)', 'ceptoar.criterion_send(ceptoar.criterion)'),
    ('incident', 64, false, 'd', 'p', 'ceptoar.incident_in(cstring)', 'ceptoar.incident_out(ceptoar.incident)',
     'ceptoar.incident_recv(internal)', 'ceptoar.incident_send(ceptoar.incident)')$$,
  'incident is 64 bytes, fixed; criterion a varlena kept inline (main); both with text and binary I/O');
SELECT columns_are('ceptoar', 'verdict',
  ARRAY['outcome', 'rule_set', 'rule_service', 'clause', 'criterion', 'explanation'],
  'type ceptoar.verdict has the columns of classify()''s result');
SELECT results_eq(
  $$SELECT a.attname::text COLLATE "default", format_type(a.atttypid, a.atttypmod)
      FROM pg_attribute a
     WHERE a.attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'ceptoar.verdict'::regtype)
       AND a.attnum > 0
     ORDER BY a.attnum$$,
  $$VALUES ('outcome', 'text'), ('rule_set', 'text'), ('rule_service', 'ceptoar.service'),
           ('clause', 'text'), ('criterion', 'ceptoar.criterion'), ('explanation', 'text')$$,
  'verdict''s columns have the documented types');
-- The rows of impact() and impact_timeline() (0.3): the columns, in order, with their
-- types, each with a comment (\d+ shows them; the README points there)
SELECT results_eq(
  $$SELECT t.typname::text COLLATE "default", a.attname::text COLLATE "default",
           format_type(a.atttypid, a.atttypmod), col_description(t.typrelid, a.attnum) IS NOT NULL
      FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid
     WHERE t.oid IN ('ceptoar.impact_row'::regtype, 'ceptoar.impact_timeline_row'::regtype)
       AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY t.typname, a.attnum$$,
  $$VALUES
    ('impact_row', 'instance', 'bigint', true),
    ('impact_row', 'service', 'ceptoar.service', true),
    ('impact_row', 'sector', 'ceptoar.sector', true),
    ('impact_row', 'depth', 'integer', true),
    ('impact_row', 'onset', 'timestamp with time zone', true),
    ('impact_row', 'recovery', 'timestamp with time zone', true),
    ('impact_row', 'via', 'bigint', true),
    ('impact_row', 'area', 'geometry(MultiPolygon,4326)', true),
    ('impact_row', 'population', 'bigint', true),
    ('impact_timeline_row', 'at', 'timestamp with time zone', true),
    ('impact_timeline_row', 'sector', 'ceptoar.sector', true),
    ('impact_timeline_row', 'services', 'integer', true),
    ('impact_timeline_row', 'population', 'bigint', true)$$,
  'impact_row and impact_timeline_row have the documented columns and types, each with a comment');

-- Everything the extension owns lives in its schema (nothing leaks into public).
SELECT is_empty(
  $$SELECT o.type, o.identity
      FROM pg_depend d
      CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, 0) o
     WHERE d.refclassid = 'pg_extension'::regclass
       AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ceptoar_registry')
       AND d.deptype = 'e'
       AND o.type <> 'cast'
       AND o.schema IS DISTINCT FROM 'ceptoar'$$,
  'every object of the extension is in schema ceptoar');

-- ---------------------------------------------------------------------------
-- Operators

SELECT has_operator('ceptoar.sector', 'ceptoar', op, 'ceptoar.sector', 'boolean',
                    format('operator ceptoar.%s (sector, sector) exists', op))
  FROM unnest(ARRAY['=', '<>', '<', '<=', '>', '>=']) AS op;
SELECT has_operator('ceptoar.service', 'ceptoar', op, 'ceptoar.service', 'boolean',
                    format('operator ceptoar.%s (service, service) exists', op))
  FROM unnest(ARRAY['=', '<>', '<', '<=', '>', '>=', '@>', '<@']) AS op;
SELECT has_operator('ceptoar.tlp', 'ceptoar', op, 'ceptoar.tlp', 'boolean',
                    format('operator ceptoar.%s (tlp, tlp) exists', op))
  FROM unnest(ARRAY['=', '<>', '<', '<=', '>', '>=']) AS op;

-- Like operators_are(), but only for the operators on sector, service and tlp, so the
-- test does not have to change when other types add operators to the schema.
SELECT set_eq(
  $$SELECT o.oid::regoperator::text, o.oprresult::regtype::text
      FROM pg_operator o
     WHERE o.oprnamespace = 'ceptoar'::regnamespace
       AND (o.oprleft IN ('ceptoar.sector'::regtype, 'ceptoar.service'::regtype, 'ceptoar.tlp'::regtype)
            OR o.oprright IN ('ceptoar.sector'::regtype, 'ceptoar.service'::regtype, 'ceptoar.tlp'::regtype))$$,
  $$SELECT format('ceptoar.%s(ceptoar.%s,ceptoar.%s)', op, t, t), 'boolean'
      FROM unnest(ARRAY['sector', 'service', 'tlp']) AS t,
           unnest(ARRAY['=', '<>', '<', '<=', '>', '>=']) AS op
    UNION ALL
    SELECT format('ceptoar.%s(ceptoar.service,ceptoar.service)', op), 'boolean'
      FROM unnest(ARRAY['@>', '<@']) AS op
    UNION ALL
    SELECT format('ceptoar.%s(ceptoar.%s,text)', op, t), 'boolean'
      FROM unnest(ARRAY['sector', 'service']) AS t,
           unnest(ARRAY['~~', '!~~', '~~*', '!~~*']) AS op$$,
  'sector, service and tlp have exactly the expected operators');

-- Commutators, negators, HASHES/MERGES and the functions behind them.
SELECT results_eq(
  $$SELECT o.oprleft::regtype::text, o.oprname::text COLLATE "default", o.oprcode::regproc::text,
           c.oprname::text COLLATE "default" AS commutator, n.oprname::text COLLATE "default" AS negator,
           o.oprcanhash, o.oprcanmerge
      FROM pg_operator o
      LEFT JOIN pg_operator c ON c.oid = o.oprcom
      LEFT JOIN pg_operator n ON n.oid = o.oprnegate
     WHERE o.oprleft IN ('ceptoar.sector'::regtype, 'ceptoar.service'::regtype, 'ceptoar.tlp'::regtype)
     ORDER BY o.oprleft::regtype::text, o.oprname$$,
  $$VALUES
    ('ceptoar.sector', '!~~',  'ceptoar.sector_nlike',  NULL, '~~',   false, false),
    ('ceptoar.sector', '!~~*', 'ceptoar.sector_nilike', NULL, '~~*',  false, false),
    ('ceptoar.sector', '<',  'ceptoar.sector_lt', '>',  '>=', false, false),
    ('ceptoar.sector', '<=', 'ceptoar.sector_le', '>=', '>',  false, false),
    ('ceptoar.sector', '<>', 'ceptoar.sector_ne', '<>', '=',  false, false),
    ('ceptoar.sector', '=',  'ceptoar.sector_eq', '=',  '<>', true,  true),
    ('ceptoar.sector', '>',  'ceptoar.sector_gt', '<',  '<=', false, false),
    ('ceptoar.sector', '>=', 'ceptoar.sector_ge', '<=', '<',  false, false),
    ('ceptoar.sector', '~~',   'ceptoar.sector_like',   NULL, '!~~',  false, false),
    ('ceptoar.sector', '~~*',  'ceptoar.sector_ilike',  NULL, '!~~*', false, false),
    ('ceptoar.service', '!~~',  'ceptoar.service_nlike',  NULL, '~~',   false, false),
    ('ceptoar.service', '!~~*', 'ceptoar.service_nilike', NULL, '~~*',  false, false),
    ('ceptoar.service', '<',  'ceptoar.service_lt', '>',  '>=', false, false),
    ('ceptoar.service', '<=', 'ceptoar.service_le', '>=', '>',  false, false),
    ('ceptoar.service', '<>', 'ceptoar.service_ne', '<>', '=',  false, false),
    ('ceptoar.service', '<@', 'ceptoar.service_contained', '@>', NULL, false, false),
    ('ceptoar.service', '=',  'ceptoar.service_eq', '=',  '<>', true,  true),
    ('ceptoar.service', '>',  'ceptoar.service_gt', '<',  '<=', false, false),
    ('ceptoar.service', '>=', 'ceptoar.service_ge', '<=', '<',  false, false),
    ('ceptoar.service', '@>', 'ceptoar.service_contains', '<@', NULL, false, false),
    ('ceptoar.service', '~~',   'ceptoar.service_like',   NULL, '!~~',  false, false),
    ('ceptoar.service', '~~*',  'ceptoar.service_ilike',  NULL, '!~~*', false, false),
    ('ceptoar.tlp', '<',  'ceptoar.tlp_lt', '>',  '>=', false, false),
    ('ceptoar.tlp', '<=', 'ceptoar.tlp_le', '>=', '>',  false, false),
    ('ceptoar.tlp', '<>', 'ceptoar.tlp_ne', '<>', '=',  false, false),
    ('ceptoar.tlp', '=',  'ceptoar.tlp_eq', '=',  '<>', true,  true),
    ('ceptoar.tlp', '>',  'ceptoar.tlp_gt', '<',  '<=', false, false),
    ('ceptoar.tlp', '>=', 'ceptoar.tlp_ge', '<=', '<',  false, false)$$,
  'operators have the right functions, commutators, negators and HASHES/MERGES');

-- incident: the six comparisons (btree order: began, then the other fields);
-- criterion: = (0.4: same canonical form, neither hashes nor merges: PostgreSQL 15
-- cannot alter that), and the order by canonical text (0.5)
SELECT results_eq(
  $$SELECT o.oprleft::regtype::text, o.oprname::text COLLATE "default", o.oprright::regtype::text,
           o.oprresult::regtype::text, o.oprcode::regproc::text,
           c.oprname::text COLLATE "default" AS commutator, n.oprname::text COLLATE "default" AS negator,
           o.oprcanhash, o.oprcanmerge
      FROM pg_operator o
      LEFT JOIN pg_operator c ON c.oid = o.oprcom
      LEFT JOIN pg_operator n ON n.oid = o.oprnegate
     WHERE o.oprnamespace = 'ceptoar'::regnamespace
       AND (o.oprleft IN ('ceptoar.incident'::regtype, 'ceptoar.criterion'::regtype)
            OR o.oprright IN ('ceptoar.incident'::regtype, 'ceptoar.criterion'::regtype))
     ORDER BY 1, 2$$,
  $$VALUES
    ('ceptoar.criterion', '<',  'ceptoar.criterion', 'boolean', 'ceptoar.criterion_lt', '>',  '>=', false, false),
    ('ceptoar.criterion', '<=', 'ceptoar.criterion', 'boolean', 'ceptoar.criterion_le', '>=', '>',  false, false),
    ('ceptoar.criterion', '<>', 'ceptoar.criterion', 'boolean', 'ceptoar.criterion_ne', '<>', '=',  false, false),
    ('ceptoar.criterion', '=',  'ceptoar.criterion', 'boolean', 'ceptoar.criterion_eq', '=',  '<>', true, true),
    ('ceptoar.criterion', '>',  'ceptoar.criterion', 'boolean', 'ceptoar.criterion_gt', '<',  '<=', false, false),
    ('ceptoar.criterion', '>=', 'ceptoar.criterion', 'boolean', 'ceptoar.criterion_ge', '<=', '<',  false, false),
    ('ceptoar.incident', '<',  'ceptoar.incident', 'boolean', 'ceptoar.incident_lt', '>',  '>=', false, false),
    ('ceptoar.incident', '<=', 'ceptoar.incident', 'boolean', 'ceptoar.incident_le', '>=', '>',  false, false),
    ('ceptoar.incident', '<>', 'ceptoar.incident', 'boolean', 'ceptoar.incident_ne', '<>', '=',  false, false),
    ('ceptoar.incident', '=',  'ceptoar.incident', 'boolean', 'ceptoar.incident_eq', '=',  '<>', true,  true),
    ('ceptoar.incident', '>',  'ceptoar.incident', 'boolean', 'ceptoar.incident_gt', '<',  '<=', false, false),
    ('ceptoar.incident', '>=', 'ceptoar.incident', 'boolean', 'ceptoar.incident_ge', '<=', '<',  false, false)$$,
  'incident and criterion have the six comparisons (incident''s = hashes and merges)');
SELECT is(
  (SELECT count(*)::int FROM pg_operator WHERE oprnamespace = 'ceptoar'::regnamespace), 40,
  'schema ceptoar has 40 operators: 6 + 4 LIKE on sector, 8 + 4 LIKE on service, 6 on incident, 6 on criterion, 6 on tlp');

-- ---------------------------------------------------------------------------
-- Operator classes: a default btree and a default hash class for each type

SELECT has_opclass('ceptoar', 'sector_ops', 'operator class ceptoar.sector_ops exists');
SELECT has_opclass('ceptoar', 'service_ops', 'operator class ceptoar.service_ops exists');
SELECT has_opclass('ceptoar', 'tlp_ops', 'operator class ceptoar.tlp_ops exists');

SELECT results_eq(
  $$SELECT oc.opcintype::regtype::text, am.amname::text COLLATE "default", oc.opcname::text COLLATE "default", oc.opcdefault
      FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod
     WHERE oc.opcintype IN ('ceptoar.sector'::regtype, 'ceptoar.service'::regtype, 'ceptoar.tlp'::regtype)
     ORDER BY 1, 2$$,
  $$VALUES ('ceptoar.sector', 'btree', 'sector_ops', true),
           ('ceptoar.sector', 'hash', 'sector_ops', true),
           ('ceptoar.service', 'btree', 'service_ops', true),
           ('ceptoar.service', 'hash', 'service_ops', true),
           ('ceptoar.tlp', 'btree', 'tlp_ops', true),
           ('ceptoar.tlp', 'hash', 'tlp_ops', true)$$,
  'sector, service and tlp each have a default btree and a default hash operator class');

SELECT results_eq(
  $$SELECT oc.opcintype::regtype::text, am.amname::text COLLATE "default", ao.amopstrategy::int, op.oprname::text COLLATE "default"
      FROM pg_opclass oc
      JOIN pg_am am ON am.oid = oc.opcmethod
      JOIN pg_amop ao ON ao.amopfamily = oc.opcfamily
      JOIN pg_operator op ON op.oid = ao.amopopr
     WHERE oc.opcintype IN ('ceptoar.sector'::regtype, 'ceptoar.service'::regtype, 'ceptoar.tlp'::regtype)
     ORDER BY 1, 2, 3$$,
  $$SELECT t, am, s, op
      FROM unnest(ARRAY['ceptoar.sector', 'ceptoar.service', 'ceptoar.tlp']) AS t,
           (VALUES ('btree', 1, '<'), ('btree', 2, '<='), ('btree', 3, '='),
                   ('btree', 4, '>='), ('btree', 5, '>'), ('hash', 1, '=')) AS x(am, s, op)
     ORDER BY 1, 2, 3$$,
  'operator class strategies map to <, <=, =, >=, > (btree) and = (hash)');

SELECT results_eq(
  $$SELECT oc.opcintype::regtype::text, am.amname::text COLLATE "default", ap.amprocnum::int, ap.amproc::regproc::text
      FROM pg_opclass oc
      JOIN pg_am am ON am.oid = oc.opcmethod
      JOIN pg_amproc ap ON ap.amprocfamily = oc.opcfamily
     WHERE oc.opcintype IN ('ceptoar.sector'::regtype, 'ceptoar.service'::regtype, 'ceptoar.tlp'::regtype)
     ORDER BY 1, 2, 3$$,
  $$SELECT 'ceptoar.' || t, am, n, 'ceptoar.' || t || f
      FROM unnest(ARRAY['sector', 'service', 'tlp']) AS t,
           (VALUES ('btree', 1, '_cmp'), ('btree', 2, '_sortsupport'),
                   ('hash', 1, '_hash'), ('hash', 2, '_hash_extended')) AS x(am, n, f)
     ORDER BY 1, 2, 3$$,
  'operator class support functions: cmp and sortsupport (btree), hash and extended hash');

SELECT has_opclass('ceptoar', 'incident_ops', 'operator class ceptoar.incident_ops exists');
SELECT results_eq(
  $$SELECT am.amname::text COLLATE "default", oc.opcname::text COLLATE "default", oc.opcdefault,
           (SELECT array_agg(op.oprname::text COLLATE "default" ORDER BY ao.amopstrategy)
              FROM pg_amop ao JOIN pg_operator op ON op.oid = ao.amopopr
             WHERE ao.amopfamily = oc.opcfamily),
           (SELECT array_agg(ap.amproc::regproc::text ORDER BY ap.amprocnum)
              FROM pg_amproc ap WHERE ap.amprocfamily = oc.opcfamily)
      FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod
     WHERE oc.opcintype = 'ceptoar.incident'::regtype
     ORDER BY 1$$,
  $$VALUES ('btree', 'incident_ops', true, ARRAY['<', '<=', '=', '>=', '>'], ARRAY['ceptoar.incident_cmp']),
           ('hash', 'incident_ops', true, ARRAY['='], ARRAY['ceptoar.incident_hash', 'ceptoar.incident_hash_extended'])$$,
  'incident has a default btree class (cmp) and a default hash class (hash, extended hash)');
SELECT results_eq(
  $$SELECT am.amname::text COLLATE "default", oc.opcname::text COLLATE "default", oc.opcdefault,
           (SELECT array_agg(op.oprname::text COLLATE "default" ORDER BY ao.amopstrategy)
              FROM pg_amop ao JOIN pg_operator op ON op.oid = ao.amopopr
             WHERE ao.amopfamily = oc.opcfamily),
           (SELECT array_agg(ap.amproc::regproc::text ORDER BY ap.amprocnum)
              FROM pg_amproc ap WHERE ap.amprocfamily = oc.opcfamily)
      FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod
     WHERE oc.opcintype = 'ceptoar.criterion'::regtype
     ORDER BY 1$$,
  $$VALUES ('btree', 'criterion_ops', true, ARRAY['<', '<=', '=', '>=', '>'], ARRAY['ceptoar.criterion_cmp']),
           ('hash', 'criterion_ops', true, ARRAY['='], ARRAY['ceptoar.criterion_hash', 'ceptoar.criterion_hash_extended'])$$,
  'criterion (0.5) has a default btree class (canonical text order) and a default hash class, for DISTINCT, GROUP BY and ORDER BY on verdicts');

-- ---------------------------------------------------------------------------
-- Casts: both directions, explicit only

SELECT has_cast('ceptoar.sector', 'ceptoar.service', 'ceptoar', 'service',
  'cast sector AS service WITH FUNCTION ceptoar.service(sector)');
SELECT has_cast('ceptoar.service', 'ceptoar.sector', 'ceptoar', 'sector',
  'cast service AS sector WITH FUNCTION ceptoar.sector(service)');
SELECT cast_context_is('ceptoar.sector', 'ceptoar.service', 'explicit');
SELECT cast_context_is('ceptoar.service', 'ceptoar.sector', 'explicit');
-- 0.5: assignment casts from text and varchar (I/O conversion), for drivers' string parameters
SELECT results_eq(
  $$SELECT c.castsource::regtype::text, c.casttarget::regtype::text, c.castcontext::text, c.castmethod::text
      FROM pg_cast c
     WHERE c.casttarget IN (SELECT t.oid FROM pg_type t WHERE t.typnamespace = 'ceptoar'::regnamespace)
       AND c.castsource IN ('text'::regtype, 'varchar'::regtype)
     ORDER BY 2, 1$$,
  $$SELECT s, 'ceptoar.' || t, 'a', 'i'
      FROM unnest(ARRAY['criterion', 'incident', 'sector', 'service', 'tlp']) AS t,
           unnest(ARRAY['character varying', 'text']) AS s
     ORDER BY 2, 1$$,
  'assignment casts WITH INOUT from text and varchar to each base type');
SELECT is(
  (SELECT count(*)::int FROM pg_cast c
     JOIN pg_type s ON s.oid = c.castsource JOIN pg_type t ON t.oid = c.casttarget
    WHERE 'ceptoar'::regnamespace IN (s.typnamespace, t.typnamespace)), 12,
  'casts of the extension: sector <-> service and the ten from text and varchar');

-- ---------------------------------------------------------------------------
-- Functions: existence, return type, volatility, strictness, language,
-- parallel safety.  One row per function; each property below is one test per
-- row.  Every function of the schema but the internal trigger functions (their
-- own block below) must be here.

CREATE TEMP TABLE fn (name name, args name[], returns text, volatility text, lang name,
                      strict boolean DEFAULT true, parallel text DEFAULT 'safe');
INSERT INTO fn (name, args, returns, volatility, lang) VALUES
  -- type I/O
  ('sector_in',   '{cstring}',        'ceptoar.sector',  'IMMUTABLE', 'c'),
  ('sector_out',  '{ceptoar.sector}', 'cstring',         'IMMUTABLE', 'c'),
  ('sector_recv', '{internal}',       'ceptoar.sector',  'IMMUTABLE', 'c'),
  ('sector_send', '{ceptoar.sector}', 'bytea',           'IMMUTABLE', 'c'),
  ('service_in',   '{cstring}',         'ceptoar.service', 'IMMUTABLE', 'c'),
  ('service_out',  '{ceptoar.service}', 'cstring',         'IMMUTABLE', 'c'),
  ('service_recv', '{internal}',        'ceptoar.service', 'IMMUTABLE', 'c'),
  ('service_send', '{ceptoar.service}', 'bytea',           'IMMUTABLE', 'c'),
  -- operator and operator class support: the int2/int4 built-ins
  ('sector_eq',  '{ceptoar.sector,ceptoar.sector}', 'boolean', 'IMMUTABLE', 'internal'),
  ('sector_ne',  '{ceptoar.sector,ceptoar.sector}', 'boolean', 'IMMUTABLE', 'internal'),
  ('sector_lt',  '{ceptoar.sector,ceptoar.sector}', 'boolean', 'IMMUTABLE', 'internal'),
  ('sector_le',  '{ceptoar.sector,ceptoar.sector}', 'boolean', 'IMMUTABLE', 'internal'),
  ('sector_gt',  '{ceptoar.sector,ceptoar.sector}', 'boolean', 'IMMUTABLE', 'internal'),
  ('sector_ge',  '{ceptoar.sector,ceptoar.sector}', 'boolean', 'IMMUTABLE', 'internal'),
  ('sector_cmp', '{ceptoar.sector,ceptoar.sector}', 'integer', 'IMMUTABLE', 'internal'),
  ('sector_sortsupport',    '{internal}',              'void',    'IMMUTABLE', 'internal'),
  ('sector_hash',           '{ceptoar.sector}',        'integer', 'IMMUTABLE', 'internal'),
  ('sector_hash_extended',  '{ceptoar.sector,bigint}', 'bigint',  'IMMUTABLE', 'internal'),
  ('service_eq',  '{ceptoar.service,ceptoar.service}', 'boolean', 'IMMUTABLE', 'internal'),
  ('service_ne',  '{ceptoar.service,ceptoar.service}', 'boolean', 'IMMUTABLE', 'internal'),
  ('service_lt',  '{ceptoar.service,ceptoar.service}', 'boolean', 'IMMUTABLE', 'internal'),
  ('service_le',  '{ceptoar.service,ceptoar.service}', 'boolean', 'IMMUTABLE', 'internal'),
  ('service_gt',  '{ceptoar.service,ceptoar.service}', 'boolean', 'IMMUTABLE', 'internal'),
  ('service_ge',  '{ceptoar.service,ceptoar.service}', 'boolean', 'IMMUTABLE', 'internal'),
  ('service_cmp', '{ceptoar.service,ceptoar.service}', 'integer', 'IMMUTABLE', 'internal'),
  ('service_sortsupport',   '{internal}',               'void',    'IMMUTABLE', 'internal'),
  ('service_hash',          '{ceptoar.service}',        'integer', 'IMMUTABLE', 'internal'),
  ('service_hash_extended', '{ceptoar.service,bigint}', 'bigint',  'IMMUTABLE', 'internal'),
  ('service_contains',  '{ceptoar.service,ceptoar.service}', 'boolean', 'IMMUTABLE', 'c'),
  ('service_contained', '{ceptoar.service,ceptoar.service}', 'boolean', 'IMMUTABLE', 'c'),
  -- tlp (0.4): I/O in C, comparison and hashing the int2 built-ins, as for sector
  ('tlp_in',   '{cstring}',     'ceptoar.tlp', 'IMMUTABLE', 'c'),
  ('tlp_out',  '{ceptoar.tlp}', 'cstring',     'IMMUTABLE', 'c'),
  ('tlp_recv', '{internal}',    'ceptoar.tlp', 'IMMUTABLE', 'c'),
  ('tlp_send', '{ceptoar.tlp}', 'bytea',       'IMMUTABLE', 'c'),
  ('tlp_eq',  '{ceptoar.tlp,ceptoar.tlp}', 'boolean', 'IMMUTABLE', 'internal'),
  ('tlp_ne',  '{ceptoar.tlp,ceptoar.tlp}', 'boolean', 'IMMUTABLE', 'internal'),
  ('tlp_lt',  '{ceptoar.tlp,ceptoar.tlp}', 'boolean', 'IMMUTABLE', 'internal'),
  ('tlp_le',  '{ceptoar.tlp,ceptoar.tlp}', 'boolean', 'IMMUTABLE', 'internal'),
  ('tlp_gt',  '{ceptoar.tlp,ceptoar.tlp}', 'boolean', 'IMMUTABLE', 'internal'),
  ('tlp_ge',  '{ceptoar.tlp,ceptoar.tlp}', 'boolean', 'IMMUTABLE', 'internal'),
  ('tlp_cmp', '{ceptoar.tlp,ceptoar.tlp}', 'integer', 'IMMUTABLE', 'internal'),
  ('tlp_sortsupport',   '{internal}',           'void',    'IMMUTABLE', 'internal'),
  ('tlp_hash',          '{ceptoar.tlp}',        'integer', 'IMMUTABLE', 'internal'),
  ('tlp_hash_extended', '{ceptoar.tlp,bigint}', 'bigint',  'IMMUTABLE', 'internal'),
  ('tlp_rank',          '{ceptoar.tlp}',        'integer', 'IMMUTABLE', 'c'),
  -- min() and max() support (0.4): the int2/int4 built-ins, C for incident
  ('sector_smaller',   '{ceptoar.sector,ceptoar.sector}',     'ceptoar.sector',   'IMMUTABLE', 'internal'),
  ('sector_larger',    '{ceptoar.sector,ceptoar.sector}',     'ceptoar.sector',   'IMMUTABLE', 'internal'),
  ('service_smaller',  '{ceptoar.service,ceptoar.service}',   'ceptoar.service',  'IMMUTABLE', 'internal'),
  ('service_larger',   '{ceptoar.service,ceptoar.service}',   'ceptoar.service',  'IMMUTABLE', 'internal'),
  ('tlp_smaller',      '{ceptoar.tlp,ceptoar.tlp}',           'ceptoar.tlp',      'IMMUTABLE', 'internal'),
  ('tlp_larger',       '{ceptoar.tlp,ceptoar.tlp}',           'ceptoar.tlp',      'IMMUTABLE', 'internal'),
  ('incident_smaller', '{ceptoar.incident,ceptoar.incident}', 'ceptoar.incident', 'IMMUTABLE', 'c'),
  ('incident_larger',  '{ceptoar.incident,ceptoar.incident}', 'ceptoar.incident', 'IMMUTABLE', 'c'),
  -- sector and service functions
  ('name_ja',    '{ceptoar.sector}',  'text',            'IMMUTABLE', 'c'),
  ('name_en',    '{ceptoar.sector}',  'text',            'IMMUTABLE', 'c'),
  ('nisc_order', '{ceptoar.sector}',  'integer',         'IMMUTABLE', 'c'),
  ('sector',     '{ceptoar.service}', 'ceptoar.sector',  'IMMUTABLE', 'c'),
  ('service',    '{ceptoar.sector}',  'ceptoar.service', 'IMMUTABLE', 'c'),
  ('parent',     '{ceptoar.service}', 'ceptoar.service', 'IMMUTABLE', 'c'),
  ('depth',      '{ceptoar.service}', 'integer',         'IMMUTABLE', 'c'),
  ('name_ja',    '{ceptoar.service}', 'text',            'IMMUTABLE', 'c'),
  ('name_en',    '{ceptoar.service}', 'text',            'IMMUTABLE', 'c'),
  -- catalogues
  ('sectors',    '{text}',                'setof ceptoar.sector', 'IMMUTABLE', 'c'),
  ('sectors_on', '{date}',                'setof ceptoar.sector', 'IMMUTABLE', 'c'),
  ('ministry',   '{ceptoar.sector,date}', 'text',                 'IMMUTABLE', 'c'),
  ('_plans',            '{}', 'setof record', 'IMMUTABLE', 'c'),
  ('_plan_revisions',   '{}', 'setof record', 'IMMUTABLE', 'c'),
  ('_sectors',          '{}', 'setof record', 'IMMUTABLE', 'c'),
  ('_ministries',       '{}', 'setof record', 'STABLE',    'c'),  -- sectors_today reads the date
  ('_ministry_sectors', '{}', 'setof record', 'IMMUTABLE', 'c'),
  ('_ceptoars',         '{}', 'setof record', 'IMMUTABLE', 'c'),
  ('_ceptoar_code',     '{integer}', 'text',  'IMMUTABLE', 'c'),   -- 0.4: the view's code column
  ('ceptoar_exists',    '{text}',    'boolean', 'IMMUTABLE', 'c'), -- 0.4: for CHECK constraints
  ('_services',         '{}', 'setof record', 'IMMUTABLE', 'c'),
  -- fiscal year
  ('fiscal_year', '{timestamp with time zone}', 'integer', 'IMMUTABLE', 'sql'),
  ('fiscal_year', '{date}',        'integer', 'IMMUTABLE', 'sql'),
  -- inspection ratings (0.4, seed 001); the helper raises their errors
  ('inspection_rating', '{numeric}', 'text', 'IMMUTABLE', 'sql'),
  ('rise_arrows',       '{numeric}', 'text', 'IMMUTABLE', 'sql'),
  ('_rating_error',     '{text,numeric}', 'text', 'IMMUTABLE', 'plpgsql');

-- drivers (0.5): classify() and exceeds() on text, LIKE on sector and service,
-- the order and hash of criterion
INSERT INTO fn (name, args, returns, volatility, lang) VALUES
  ('classify', '{text,text}', 'ceptoar.verdict', 'STABLE', 'sql'),
  ('exceeds',  '{text,text}', 'boolean',         'STABLE', 'sql'),
  ('sector_like',    '{ceptoar.sector,text}',  'boolean', 'IMMUTABLE', 'sql'),
  ('sector_nlike',   '{ceptoar.sector,text}',  'boolean', 'IMMUTABLE', 'sql'),
  ('sector_ilike',   '{ceptoar.sector,text}',  'boolean', 'IMMUTABLE', 'sql'),
  ('sector_nilike',  '{ceptoar.sector,text}',  'boolean', 'IMMUTABLE', 'sql'),
  ('service_like',   '{ceptoar.service,text}', 'boolean', 'IMMUTABLE', 'sql'),
  ('service_nlike',  '{ceptoar.service,text}', 'boolean', 'IMMUTABLE', 'sql'),
  ('service_ilike',  '{ceptoar.service,text}', 'boolean', 'IMMUTABLE', 'sql'),
  ('service_nilike', '{ceptoar.service,text}', 'boolean', 'IMMUTABLE', 'sql'),
  ('criterion_cmp', '{ceptoar.criterion,ceptoar.criterion}', 'integer', 'IMMUTABLE', 'c'),
  ('criterion_ne',  '{ceptoar.criterion,ceptoar.criterion}', 'boolean', 'IMMUTABLE', 'c'),
  ('criterion_lt',  '{ceptoar.criterion,ceptoar.criterion}', 'boolean', 'IMMUTABLE', 'c'),
  ('criterion_le',  '{ceptoar.criterion,ceptoar.criterion}', 'boolean', 'IMMUTABLE', 'c'),
  ('criterion_gt',  '{ceptoar.criterion,ceptoar.criterion}', 'boolean', 'IMMUTABLE', 'c'),
  ('criterion_ge',  '{ceptoar.criterion,ceptoar.criterion}', 'boolean', 'IMMUTABLE', 'c'),
  ('criterion_hash',          '{ceptoar.criterion}',        'integer', 'IMMUTABLE', 'c'),
  ('criterion_hash_extended', '{ceptoar.criterion,bigint}', 'bigint',  'IMMUTABLE', 'c');
INSERT INTO fn (name, args, returns, volatility, lang, strict) VALUES
  ('_notices_reach_client', '{}', 'boolean', 'STABLE', 'c', false);  -- the install script's search_path NOTICE

INSERT INTO fn (name, args, returns, volatility, lang, strict) VALUES
  -- incident: I/O, comparison and hash support
  ('incident_in',   '{cstring}',          'ceptoar.incident', 'IMMUTABLE', 'c', true),
  ('incident_out',  '{ceptoar.incident}', 'cstring',          'IMMUTABLE', 'c', true),
  ('incident_recv', '{internal}',         'ceptoar.incident', 'IMMUTABLE', 'c', true),
  ('incident_send', '{ceptoar.incident}', 'bytea',            'IMMUTABLE', 'c', true),
  ('incident_eq',  '{ceptoar.incident,ceptoar.incident}', 'boolean', 'IMMUTABLE', 'c', true),
  ('incident_ne',  '{ceptoar.incident,ceptoar.incident}', 'boolean', 'IMMUTABLE', 'c', true),
  ('incident_lt',  '{ceptoar.incident,ceptoar.incident}', 'boolean', 'IMMUTABLE', 'c', true),
  ('incident_le',  '{ceptoar.incident,ceptoar.incident}', 'boolean', 'IMMUTABLE', 'c', true),
  ('incident_gt',  '{ceptoar.incident,ceptoar.incident}', 'boolean', 'IMMUTABLE', 'c', true),
  ('incident_ge',  '{ceptoar.incident,ceptoar.incident}', 'boolean', 'IMMUTABLE', 'c', true),
  ('incident_cmp', '{ceptoar.incident,ceptoar.incident}', 'integer', 'IMMUTABLE', 'c', true),
  ('incident_hash',          '{ceptoar.incident}',        'integer', 'IMMUTABLE', 'c', true),
  ('incident_hash_extended', '{ceptoar.incident,bigint}', 'bigint',  'IMMUTABLE', 'c', true),
  -- the constructor: not strict, a NULL measure is unknown (NULL service or began gives NULL)
  ('incident', '{ceptoar.service,timestamp with time zone,interval,text,text,bigint,bigint,bigint,bigint,text[]}',
               'ceptoar.incident', 'IMMUTABLE', 'c', false),
  -- accessors
  ('service',    '{ceptoar.incident}', 'ceptoar.service',          'IMMUTABLE', 'c', true),
  ('sector',     '{ceptoar.incident}', 'ceptoar.sector',           'IMMUTABLE', 'c', true),
  ('began',      '{ceptoar.incident}', 'timestamp with time zone', 'IMMUTABLE', 'c', true),
  ('lasted',     '{ceptoar.incident}', 'interval',                 'IMMUTABLE', 'c', true),
  ('ended',      '{ceptoar.incident}', 'timestamp with time zone', 'IMMUTABLE', 'c', true),
  ('ongoing',    '{ceptoar.incident}', 'boolean',                  'IMMUTABLE', 'c', true),
  ('effect',     '{ceptoar.incident}', 'text',                     'IMMUTABLE', 'c', true),
  ('cause',      '{ceptoar.incident}', 'text',                     'IMMUTABLE', 'c', true),
  ('users',      '{ceptoar.incident}', 'bigint',                   'IMMUTABLE', 'c', true),
  ('households', '{ceptoar.incident}', 'bigint',                   'IMMUTABLE', 'c', true),
  ('lost_kw',    '{ceptoar.incident}', 'bigint',                   'IMMUTABLE', 'c', true),
  ('cancelled',  '{ceptoar.incident}', 'bigint',                   'IMMUTABLE', 'c', true),
  ('flags',      '{ceptoar.incident}', 'text[]',                   'IMMUTABLE', 'c', true),
  ('user_hours', '{ceptoar.incident}', 'double precision',         'IMMUTABLE', 'c', true),
  -- criterion
  ('criterion_in',   '{cstring}',           'ceptoar.criterion', 'IMMUTABLE', 'c', true),
  ('criterion_out',  '{ceptoar.criterion}', 'cstring',           'IMMUTABLE', 'c', true),
  ('criterion_recv', '{internal}',          'ceptoar.criterion', 'IMMUTABLE', 'c', true),
  ('criterion_send', '{ceptoar.criterion}', 'bytea',             'IMMUTABLE', 'c', true),
  ('criterion_eq',   '{ceptoar.criterion,ceptoar.criterion}', 'boolean', 'IMMUTABLE', 'c', true),
  ('evaluate',       '{ceptoar.criterion,ceptoar.incident}',  'boolean', 'IMMUTABLE', 'c', true),
  -- classification: STABLE, the rules are table rows read with the statement's snapshot
  ('classify', '{ceptoar.incident,text}', 'ceptoar.verdict', 'STABLE', 'c', true),
  ('exceeds',  '{ceptoar.incident,text}', 'boolean',         'STABLE', 'c', true),
  -- impact: STABLE (the graph is table rows); not strict: a NULL origin, began,
  -- lasted or horizon raises 22004, a NULL footprint means the whole area.  Rows of
  -- the named types since 0.3.
  ('impact', '{bigint[],timestamp with time zone,interval,geometry,interval}', 'setof ceptoar.impact_row', 'STABLE', 'c', false),
  ('impact', '{bigint,timestamp with time zone,interval,geometry,interval}',   'setof ceptoar.impact_row', 'STABLE', 'sql', false),
  ('impact', '{ceptoar.incident,bigint,geometry,interval}',                    'setof ceptoar.impact_row', 'STABLE', 'plpgsql', false),
  ('impact_timeline', '{bigint[],timestamp with time zone,interval,geometry,interval,interval}',
                      'setof ceptoar.impact_timeline_row', 'STABLE', 'plpgsql', false),
  ('impact_timeline', '{bigint,timestamp with time zone,interval,geometry,interval,interval}',
                      'setof ceptoar.impact_timeline_row', 'STABLE', 'sql', false),
  ('sector_impact', '{ceptoar.sector,interval}', 'setof record', 'STABLE', 'sql', false),
  ('inoperability', '{double precision[],double precision[]}', 'double precision[]', 'IMMUTABLE', 'c', true),
  ('sector_inoperability', '{ceptoar.sector[],double precision[]}', 'setof record', 'STABLE', 'plpgsql', false),
  -- aggregates (0.4): PostgreSQL lists them as immutable, not strict, language internal
  ('min', '{ceptoar.sector}',   'ceptoar.sector',   'IMMUTABLE', 'internal', false),
  ('max', '{ceptoar.sector}',   'ceptoar.sector',   'IMMUTABLE', 'internal', false),
  ('min', '{ceptoar.service}',  'ceptoar.service',  'IMMUTABLE', 'internal', false),
  ('max', '{ceptoar.service}',  'ceptoar.service',  'IMMUTABLE', 'internal', false),
  ('min', '{ceptoar.incident}', 'ceptoar.incident', 'IMMUTABLE', 'internal', false),
  ('max', '{ceptoar.incident}', 'ceptoar.incident', 'IMMUTABLE', 'internal', false),
  ('min', '{ceptoar.tlp}',      'ceptoar.tlp',      'IMMUTABLE', 'internal', false),
  ('max', '{ceptoar.tlp}',      'ceptoar.tlp',      'IMMUTABLE', 'internal', false);
-- the registry (0.4): reports and their life; the writers are not parallel safe
INSERT INTO fn (name, args, returns, volatility, lang, strict, parallel) VALUES
  ('_report_next_status', '{text}', 'text[]', 'IMMUTABLE', 'sql', true, 'safe'),
  ('_no_rows', '{regclass}', 'boolean', 'STABLE', 'plpgsql', true, 'unsafe'),
  ('_report_restoring', '{}', 'boolean', 'STABLE', 'sql', false, 'safe'),
  ('_verification_set', '{ceptoar.incident}', 'text', 'STABLE', 'c', true, 'safe'),
  ('response_steps', '{}', 'text[]', 'IMMUTABLE', 'sql', false, 'safe'),
  ('response_timeline', '{uuid}', 'setof record', 'STABLE', 'plpgsql', true, 'unsafe'),
  ('revoke', '{uuid,text}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('suspected_origins', '{uuid,interval}', 'setof record', 'STABLE', 'plpgsql', true, 'unsafe'),
  ('verify', '{uuid,text,text}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  -- the flows (0.4)
  ('_competent_ministries', '{ceptoar.sector[],date}', 'text[]', 'IMMUTABLE', 'sql', true, 'safe'),
  ('acknowledge_report', '{uuid,text}', 'timestamp with time zone', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('issue_alert', '{text,text,ceptoar.sector[],ceptoar.tlp}', 'uuid', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('forward_alert', '{uuid,text}', 'integer', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('acknowledge_alert', '{uuid,text}', 'timestamp with time zone', 'VOLATILE', 'plpgsql', false, 'unsafe');
-- statistics (0.4)
INSERT INTO fn (name, args, returns, volatility, lang, strict, parallel) VALUES
  ('_fiscal_year_check', '{integer}', 'void', 'IMMUTABLE', 'plpgsql', false, 'safe'),
  ('_verification_set', '{date}', 'text', 'STABLE', 'c', true, 'safe'),
  ('annual_exclusions', '{integer}', 'setof record', 'STABLE', 'plpgsql', true, 'safe'),
  ('annual_statistics', '{integer}', 'setof record', 'STABLE', 'plpgsql', true, 'safe');
-- parties (0.4, issue 13)
INSERT INTO fn (name, args, returns, volatility, lang, strict, parallel) VALUES
  ('_party_kind', '{}', 'text', 'STABLE', 'c', false, 'safe'),
  ('_party_code', '{}', 'text', 'STABLE', 'c', false, 'safe'),
  ('my_party', '{}', 'record', 'STABLE', 'c', false, 'safe'),
  ('register_party', '{regrole,text,text}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('unregister_party', '{regrole}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('_party_privileges', '{regrole,text,boolean}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('_party_role', '{}', 'oid', 'STABLE', 'c', false, 'safe'),
  -- statistics for every party (issue 13, section 5)
  ('_statistics_min_reports', '{}', 'integer', 'STABLE', 'c', false, 'safe'),
  ('_statistics_open_sectors', '{integer}', 'text[]', 'STABLE', 'plpgsql', true, 'safe');
-- anonymised sharing (0.4, issue 13): verdicts (SECURITY DEFINER, like response_timeline
-- and suspected_origins), the key and the sight of the caller's party
INSERT INTO fn (name, args, returns, volatility, lang, strict, parallel) VALUES
  ('verdicts', '{uuid}', 'setof record', 'STABLE', 'plpgsql', true, 'unsafe'),
  ('_pseudonym_pads', '{}', 'record', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('rotate_pseudonym_key', '{}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('_sees', '{uuid}', 'boolean', 'STABLE', 'sql', false, 'unsafe');
-- who writes the configuration; the audit of identity reads (0.4, issue 13)
INSERT INTO fn (name, args, returns, volatility, lang, strict, parallel) VALUES
  ('_party_privileges_config', '{regrole,text,boolean}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('_audit_read', '{uuid,text}', 'uuid', 'VOLATILE', 'c', true, 'unsafe');
-- access (0.4, issue 13)
INSERT INTO fn (name, args, returns, volatility, lang, strict, parallel) VALUES
  ('_party_require', '{text,text[]}', 'text', 'STABLE', 'plpgsql', false, 'unsafe'),
  ('_today_jst', '{}', 'date', 'STABLE', 'sql', false, 'safe'),
  ('_party_privileges_registry', '{regrole,text,boolean}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe');
-- STIX 2.1 (0.5, issue 14 section 1)
INSERT INTO fn (name, args, returns, volatility, lang, strict, parallel) VALUES
  ('stix_bundle', '{uuid[]}', 'jsonb', 'STABLE', 'plpgsql', true, 'unsafe'),
  ('stix_bundle', '{uuid}', 'jsonb', 'STABLE', 'sql', true, 'unsafe'),
  ('import_stix', '{jsonb,boolean,text}', 'setof uuid', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('_stix_uuid', '{text}', 'uuid', 'IMMUTABLE', 'sql', true, 'safe'),
  ('_stix_time', '{"timestamp with time zone"}', 'text', 'IMMUTABLE', 'sql', true, 'safe'),
  ('_stix_ours', '{}', 'text', 'IMMUTABLE', 'sql', false, 'safe'),
  ('_stix_fixed', '{}', 'jsonb', 'IMMUTABLE', 'sql', false, 'safe'),
  ('_stix_tlp', '{text}', 'jsonb', 'IMMUTABLE', 'sql', true, 'safe'),
  ('_stix_sectors', '{text}', 'jsonb', 'IMMUTABLE', 'sql', true, 'safe'),
  ('_stix_check', '{jsonb}', 'void', 'IMMUTABLE', 'plpgsql', false, 'unsafe'),
  ('_stix_paths', '{jsonb,text}', 'setof record', 'IMMUTABLE', 'sql', true, 'safe'),
  ('_stix_incident', '{ceptoar.shared_reports}', 'jsonb', 'STABLE', 'plpgsql', false, 'unsafe'),
  ('_stix_keep', '{uuid,text,text,jsonb}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('stix_unmapped_purge', '{interval}', 'bigint', 'VOLATILE', 'plpgsql', true, 'unsafe'),
  ('_uuid_v5', '{uuid,text}', 'uuid', 'IMMUTABLE', 'c', true, 'safe'),
  ('_stix_imported', '{uuid,integer,text,text}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('_stix_value', '{text,jsonb,regtype}', 'text', 'STABLE', 'plpgsql', false, 'unsafe'),
  ('_stix_raise', '{text,text,text,text,text}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe');
-- federation (0.5, issue 14 section 2): the copy and its refresh write (not parallel safe);
-- the *_sql functions only write statements
INSERT INTO fn (name, args, returns, volatility, lang, strict, parallel) VALUES
  ('_federation_copy', '{uuid[]}', 'void', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('federation_refresh', '{}', 'bigint', 'VOLATILE', 'plpgsql', false, 'unsafe'),
  ('federation_tables', '{}', 'setof record', 'STABLE', 'sql', false, 'safe'),
  ('_federation_name', '{text,text}', 'text', 'IMMUTABLE', 'plpgsql', false, 'safe'),
  ('federation_publication_sql', '{text,bigint}', 'setof text', 'STABLE', 'plpgsql', false, 'safe'),
  ('federation_subscription_sql', '{text,text,text}', 'setof text', 'STABLE', 'plpgsql', false, 'safe'),
  ('federation_audience_sql', '{text,ceptoar.tlp,boolean,boolean,text}', 'setof text', 'STABLE', 'plpgsql', false, 'safe');
-- the map (0.5, issue 14 section 4): STABLE like impact(), not strict (NULL title and
-- background take their defaults)
INSERT INTO fn (name, args, returns, volatility, lang, strict, parallel) VALUES
  ('_xml_escape', '{text}', 'text', 'IMMUTABLE', 'sql', true, 'safe'),
  ('_impact_svg', '{ceptoar.impact_row[],timestamp with time zone,interval,geometry[],text,text}', 'text', 'STABLE', 'plpgsql', false, 'safe'),
  ('impact_map', '{bigint[],timestamp with time zone,interval,geometry,interval,geometry[],text,text}', 'text', 'STABLE', 'sql', false, 'safe'),
  ('impact_map', '{bigint,timestamp with time zone,interval,geometry,interval,geometry[],text,text}', 'text', 'STABLE', 'sql', false, 'safe'),
  ('impact_map', '{ceptoar.incident,bigint,geometry,interval,geometry[],text,text}', 'text', 'STABLE', 'sql', false, 'safe');
-- the planner support function of impact(bigint[], ...) (0.6): C, as CREATE FUNCTION makes it
INSERT INTO fn (name, args, returns, volatility, lang, strict, parallel) VALUES
  ('_impact_plan_support', '{internal}', 'internal', 'VOLATILE', 'c', true, 'unsafe');

SELECT has_function('ceptoar', name, args) FROM fn ORDER BY name, args;
SELECT function_returns('ceptoar', name, args, returns) FROM fn ORDER BY name, args;
SELECT volatility_is('ceptoar', name, args, volatility) FROM fn ORDER BY name, args;
SELECT CASE WHEN strict THEN is_strict('ceptoar', name, args) ELSE isnt_strict('ceptoar', name, args) END
  FROM fn ORDER BY name, args;
SELECT function_lang_is('ceptoar', name, args, lang) FROM fn ORDER BY name, args;

-- pgTAP 1.2 has no test of parallel safety: compare pg_proc.proparallel
SELECT results_eq(
  $$SELECT to_regprocedure(format('ceptoar.%I(%s)', fn.name, array_to_string(fn.args, ',')))::text,
           CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' WHEN 'u' THEN 'unsafe' END
      FROM fn LEFT JOIN pg_proc p
        ON p.oid = to_regprocedure(format('ceptoar.%I(%s)', fn.name, array_to_string(fn.args, ',')))
     ORDER BY fn.name, fn.args$$,
  $$SELECT to_regprocedure(format('ceptoar.%I(%s)', name, array_to_string(args, ',')))::text, parallel
      FROM fn ORDER BY name, args$$,
  'every function is as parallel safe as declared (all PARALLEL SAFE but the registry''s writers and suspected_origins)');
SELECT is(
  (SELECT count(*)::int FROM fn
    WHERE to_regprocedure(format('ceptoar.%I(%s)', name, array_to_string(args, ','))) IS NULL),
  0, 'the parallel safety check sees every function');
-- the list above is complete
SELECT set_eq(
  $$SELECT p.oid::regprocedure::text FROM pg_proc p
     WHERE p.pronamespace = 'ceptoar'::regnamespace AND p.prorettype <> 'trigger'::regtype$$,
  $$SELECT to_regprocedure(format('ceptoar.%I(%s)', name, array_to_string(args, ',')))::text FROM fn$$,
  'every function of schema ceptoar (but the trigger functions) is specified here');

-- Argument names, defaults and result columns of the functions a user calls
-- with named arguments or reads columns from (as documented in the README; the
-- columns of impact() and impact_timeline() are their row types', above)
SELECT results_eq(
  $$SELECT p.proname::text COLLATE "default", pg_get_function_arguments(p.oid)
      FROM pg_proc p
     WHERE p.pronamespace = 'ceptoar'::regnamespace
       AND (p.pronargdefaults > 0 OR p.proargmodes IS NOT NULL
            OR p.proname IN ('sectors', 'sectors_on', 'fiscal_year', 'inoperability'))
       AND p.proname !~ '^_'
     ORDER BY 1, 2$$,
  $$VALUES
    ('annual_exclusions', 'fiscal_year integer'),
    ('annual_statistics', 'fiscal_year integer'),
    ('classify', 'i ceptoar.incident, rule_set text DEFAULT ''nisc-2009''::text'),
    ('classify', 'i text, rule_set text DEFAULT ''nisc-2009''::text'),
    ('exceeds',  'i ceptoar.incident, rule_set text DEFAULT ''nisc-2009''::text'),
    ('exceeds',  'i text, rule_set text DEFAULT ''nisc-2009''::text'),
    ('federation_audience_sql', 'audience text, max_tlp ceptoar.tlp DEFAULT NULL::ceptoar.tlp, exercises boolean DEFAULT false, revoked boolean DEFAULT true, publication text DEFAULT NULL::text'),
    ('federation_publication_sql', 'publication text DEFAULT ''ceptoar_ministry''::text, instance_ids_from bigint DEFAULT NULL::bigint'),
    ('federation_subscription_sql', 'subscription text, connection text, publication text DEFAULT ''ceptoar_ministry''::text'),
    ('federation_tables', 'OUT tbl regclass, OUT row_filter text'),
    ('fiscal_year', 'day date'),
    ('fiscal_year', 'ts timestamp with time zone'),
    ('impact', 'i ceptoar.incident, origin bigint, footprint geometry DEFAULT NULL::geometry, horizon interval DEFAULT ''7 days''::interval'),
    ('impact', 'origin bigint, began timestamp with time zone, lasted interval, footprint geometry DEFAULT NULL::geometry, horizon interval DEFAULT ''7 days''::interval'),
    ('impact', 'origins bigint[], began timestamp with time zone, lasted interval, footprint geometry DEFAULT NULL::geometry, horizon interval DEFAULT ''7 days''::interval'),
    ('impact_map', 'i ceptoar.incident, origin bigint, footprint geometry DEFAULT NULL::geometry, horizon interval DEFAULT ''7 days''::interval, background geometry[] DEFAULT NULL::geometry[], title text DEFAULT NULL::text, credit text DEFAULT ''出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用''::text'),
    ('impact_map', 'origin bigint, began timestamp with time zone, lasted interval, footprint geometry DEFAULT NULL::geometry, horizon interval DEFAULT ''7 days''::interval, background geometry[] DEFAULT NULL::geometry[], title text DEFAULT NULL::text, credit text DEFAULT ''出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用''::text'),
    ('impact_map', 'origins bigint[], began timestamp with time zone, lasted interval, footprint geometry DEFAULT NULL::geometry, horizon interval DEFAULT ''7 days''::interval, background geometry[] DEFAULT NULL::geometry[], title text DEFAULT NULL::text, credit text DEFAULT ''出典：「国土数値情報（行政区域データ）」（国土交通省）（https://nlftp.mlit.go.jp/ksj/）をもとにスマートニュース メディア研究所が加工したデータ（https://github.com/smartnews-smri/japan-topography）を使用''::text'),
    ('impact_timeline', 'origin bigint, began timestamp with time zone, lasted interval, footprint geometry DEFAULT NULL::geometry, horizon interval DEFAULT ''7 days''::interval, step interval DEFAULT ''01:00:00''::interval'),
    ('impact_timeline', 'origins bigint[], began timestamp with time zone, lasted interval, footprint geometry DEFAULT NULL::geometry, horizon interval DEFAULT ''7 days''::interval, step interval DEFAULT ''01:00:00''::interval'),
    ('import_stix', 'bundle jsonb, keep_unmapped boolean DEFAULT false, operator text DEFAULT NULL::text'),
    ('incident', 'service ceptoar.service, began timestamp with time zone, lasted interval DEFAULT NULL::interval, effect text DEFAULT ''stop''::text, cause text DEFAULT ''unknown''::text, users bigint DEFAULT NULL::bigint, households bigint DEFAULT NULL::bigint, lost_kw bigint DEFAULT NULL::bigint, cancelled bigint DEFAULT NULL::bigint, flags text[] DEFAULT ''{}''::text[]'),
    ('inoperability', 'a double precision[], c double precision[]'),
    ('issue_alert', 'title text, body text, sectors ceptoar.sector[], tlp ceptoar.tlp DEFAULT ''amber''::ceptoar.tlp'),
    ('ministry', 'sector ceptoar.sector, on_date date DEFAULT CURRENT_DATE'),
    ('my_party', 'OUT kind text, OUT code text'),
    ('register_party', 'role regrole, kind text, code text DEFAULT NULL::text'),
    ('response_timeline', 'report uuid, OUT step text, OUT step_no integer, OUT done_at timestamp with time zone, OUT elapsed interval, OUT missing boolean, OUT note text'),
    ('sector_impact', 'origin ceptoar.sector, lasted interval, OUT sector ceptoar.sector, OUT depth integer, OUT onset_after interval'),
    ('sector_inoperability', 'sectors ceptoar.sector[], perturbation double precision[], OUT sector ceptoar.sector, OUT inoperability double precision'),
    ('sectors', 'plan text'),
    ('sectors_on', 'day date'),
    ('suspected_origins', 'report uuid, horizon interval DEFAULT ''7 days''::interval, OUT origin uuid, OUT origin_sector ceptoar.sector, OUT origin_instance bigint, OUT depth integer, OUT via bigint, OUT expected_onset timestamp with time zone'),
    ('verdicts', 'report uuid, OUT revision integer, OUT rule_set text, OUT rule_kind text, OUT outcome text, OUT clause text, OUT explanation text'),
    ('verify', 'report uuid, outcome text, reason text DEFAULT NULL::text')$$,
  'argument names, defaults and result columns are as documented');
SELECT is_empty(
  $$SELECT p.oid::regprocedure FROM pg_proc p
     WHERE p.pronamespace = 'ceptoar'::regnamespace
       AND p.proname ~ '^(sector|service|tlp)_(eq|ne|lt|le|gt|ge|cmp|hash|hash_extended|contains|contained)$'
       AND NOT p.proleakproof$$,
  'comparison and hash functions are LEAKPROOF (usable under security barriers)');

-- min() and max() (0.4): every ordered type has both, defined as PostgreSQL defines
-- min(int2): transition function = combine function, no initial value, the btree
-- operator as sort operator (so an index answers them), parallel safe
SELECT is_aggregate('ceptoar', f, ARRAY[t], format('ceptoar.%s(%s) is an aggregate', f, t))
  FROM unnest(ARRAY['min', 'max']::name[]) AS f,
       unnest(ARRAY['ceptoar.sector', 'ceptoar.service', 'ceptoar.incident', 'ceptoar.tlp']::name[]) AS t;
SELECT results_eq(
  $$SELECT a.aggfnoid::regprocedure::text, a.aggkind::text, a.aggtransfn::regprocedure::text,
           a.aggcombinefn::regprocedure::text, a.aggfinalfn::oid, a.aggsortop::regoperator::text,
           a.aggtranstype::regtype::text, a.agginitval IS NULL, p.proparallel::text
      FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
     WHERE p.pronamespace = 'ceptoar'::regnamespace
     ORDER BY 1$$,
  $$SELECT format('ceptoar.%s(ceptoar.%s)', f, t), 'n',
           format('ceptoar.%s_%s(ceptoar.%s,ceptoar.%s)', t, fn, t, t),
           format('ceptoar.%s_%s(ceptoar.%s,ceptoar.%s)', t, fn, t, t), 0::oid,
           format('ceptoar.%s(ceptoar.%s,ceptoar.%s)', op, t, t), 'ceptoar.' || t, true, 's'
      FROM (VALUES ('max', 'larger', '>'), ('min', 'smaller', '<')) AS x(f, fn, op),
           unnest(ARRAY['incident', 'sector', 'service', 'tlp']) AS t
     ORDER BY 1$$,
  'the aggregates of schema ceptoar: min and max of sector, service, incident and tlp, parallel with combine functions');

-- ---------------------------------------------------------------------------
-- Internal trigger functions and their triggers.  PL/pgSQL ones pin search_path;
-- one is SECURITY DEFINER (0.3: the sector matrices' trigger, so that a role allowed
-- to write a matrix needs no privilege on sector_matrix_removed).

SELECT results_eq(
  $$SELECT p.oid::regprocedure::text, l.lanname::text COLLATE "default", p.provolatile::text, p.proisstrict,
           p.proparallel::text, p.prosecdef, p.proconfig COLLATE "default"
      FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
     WHERE p.pronamespace = 'ceptoar'::regnamespace AND p.prorettype = 'trigger'::regtype
     ORDER BY 1$$,
  $$VALUES
    ('ceptoar._cache_invalidate()',    'c',       'v', false, 'u', false, NULL::text[]),
    ('ceptoar._federation_row()',     'plpgsql', 'v', false, 'u', true,  '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._federation_truncate()', 'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._federation_written()', 'plpgsql', 'v', false, 'u', true,  '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._flow_keep()',           'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._graph_change_guard()',  'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._graph_changed()',       'c',       'v', false, 'u', false, NULL),
    ('ceptoar._graph_logged()',        'plpgsql', 'v', false, 'u', true, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._graph_version_guard()', 'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._graph_writer()',        'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._identity_reads_keep()', 'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._instance_sector_check()', 'plpgsql', 'v', false, 'u', true, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._operator_check()',      'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._operator_levels_writer()', 'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._operator_sector_check()', 'plpgsql', 'v', false, 'u', true, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._pseudonym_key_restore()', 'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._report_after()',        'plpgsql', 'v', false, 'u', true,  '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._report_before()',       'c',       'v', false, 'u', false, NULL),
    ('ceptoar._report_deliver()',      'plpgsql', 'v', false, 'u', true,  '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._report_keep()',         'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._report_link_check()',   'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._report_recipient_check()', 'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._report_recipient_deliver()', 'plpgsql', 'v', false, 'u', true, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._report_restore()',      'plpgsql', 'v', false, 'u', true,  '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._report_step_check()',   'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._rules_guard()',         'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._rules_writer()',        'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._sector_matrix_removed_write()', 'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._sector_matrix_write()', 'plpgsql', 'v', false, 'u', true,  '{"search_path=pg_catalog, pg_temp"}'),
    ('ceptoar._shipped_guard()',       'plpgsql', 'v', false, 'u', false, '{"search_path=pg_catalog, pg_temp"}')$$,
  'the internal trigger functions: volatile, parallel unsafe, PL/pgSQL ones with a pinned search_path; SECURITY DEFINER only _sector_matrix_write, _graph_logged (the graph''s change log), the two that write the reports'' history, the two that deliver them, the two sector checks between instances and operators and the two that keep the audiences'' copies (federation)');
SELECT results_eq(
  $$SELECT t.tgrelid::regclass::text, t.tgname::text COLLATE "default", t.tgenabled::text,
           pg_get_triggerdef(t.oid)
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = 'ceptoar'::regnamespace AND NOT t.tgisinternal
     ORDER BY 1, 2$$,
  $$VALUES
    ('ceptoar.alert', 'flow_keep', 'O', 'CREATE TRIGGER flow_keep BEFORE DELETE OR UPDATE ON ceptoar.alert FOR EACH ROW EXECUTE FUNCTION ceptoar._flow_keep()'),
    ('ceptoar.alert', 'flow_keep_truncate', 'O', 'CREATE TRIGGER flow_keep_truncate BEFORE TRUNCATE ON ceptoar.alert FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._flow_keep()'),
    ('ceptoar.alert_delivery', 'flow_keep', 'O', 'CREATE TRIGGER flow_keep BEFORE DELETE OR UPDATE ON ceptoar.alert_delivery FOR EACH ROW EXECUTE FUNCTION ceptoar._flow_keep()'),
    ('ceptoar.alert_delivery', 'flow_keep_truncate', 'O', 'CREATE TRIGGER flow_keep_truncate BEFORE TRUNCATE ON ceptoar.alert_delivery FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._flow_keep()'),
    ('ceptoar.dependency', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.dependency FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.dependency', 'graph_changed', 'A', 'CREATE TRIGGER graph_changed BEFORE INSERT OR DELETE OR UPDATE OR TRUNCATE ON ceptoar.dependency FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._graph_changed()'),
    ('ceptoar.dependency', 'graph_changed_applied', 'R', 'CREATE TRIGGER graph_changed_applied BEFORE INSERT OR DELETE OR UPDATE ON ceptoar.dependency FOR EACH ROW EXECUTE FUNCTION ceptoar._graph_changed()'),
('ceptoar.dependency', 'graph_logged_applied', 'R', 'CREATE TRIGGER graph_logged_applied AFTER INSERT OR DELETE OR UPDATE ON ceptoar.dependency FOR EACH ROW EXECUTE FUNCTION ceptoar._graph_logged()'),
    ('ceptoar.dependency', 'graph_logged_delete', 'A', 'CREATE TRIGGER graph_logged_delete AFTER DELETE ON ceptoar.dependency REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._graph_logged()'),
    ('ceptoar.dependency', 'graph_logged_insert', 'A', 'CREATE TRIGGER graph_logged_insert AFTER INSERT ON ceptoar.dependency REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._graph_logged()'),
    ('ceptoar.dependency', 'graph_logged_update', 'A', 'CREATE TRIGGER graph_logged_update AFTER UPDATE ON ceptoar.dependency REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._graph_logged()'),
    ('ceptoar.dependency', 'graph_writer', 'O', 'CREATE TRIGGER graph_writer BEFORE INSERT OR DELETE OR UPDATE ON ceptoar.dependency FOR EACH ROW EXECUTE FUNCTION ceptoar._graph_writer()'),
    ('ceptoar.exercises', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.exercises FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.exercises', 'shipped_guard', 'O', 'CREATE TRIGGER shipped_guard BEFORE INSERT OR DELETE OR UPDATE ON ceptoar.exercises FOR EACH ROW EXECUTE FUNCTION ceptoar._shipped_guard(''code'', ''^[Ff][Yy][0-9]+$'')'),
    ('ceptoar.exercises', 'shipped_guard_truncate', 'O', 'CREATE TRIGGER shipped_guard_truncate BEFORE TRUNCATE ON ceptoar.exercises FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._shipped_guard(''code'')'),
    ('ceptoar.federation_audience', 'federation_changed', 'O', 'CREATE TRIGGER federation_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON ceptoar.federation_audience FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_written()'),
    ('ceptoar.graph_change', 'graph_change_guard', 'A', 'CREATE TRIGGER graph_change_guard BEFORE DELETE OR UPDATE ON ceptoar.graph_change FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._graph_change_guard()'),
    ('ceptoar.graph_version', 'graph_version_guard', 'O', 'CREATE TRIGGER graph_version_guard BEFORE DELETE OR UPDATE ON ceptoar.graph_version FOR EACH ROW EXECUTE FUNCTION ceptoar._graph_version_guard()'),
    ('ceptoar.graph_version', 'graph_version_no_truncate', 'O', 'CREATE TRIGGER graph_version_no_truncate BEFORE TRUNCATE ON ceptoar.graph_version FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._graph_version_guard()'),
    ('ceptoar.identity_reads', 'identity_reads_keep', 'O', 'CREATE TRIGGER identity_reads_keep BEFORE DELETE OR UPDATE ON ceptoar.identity_reads FOR EACH ROW EXECUTE FUNCTION ceptoar._identity_reads_keep()'),
    ('ceptoar.identity_reads', 'identity_reads_keep_truncate', 'O', 'CREATE TRIGGER identity_reads_keep_truncate BEFORE TRUNCATE ON ceptoar.identity_reads FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._identity_reads_keep()'),
    ('ceptoar.operator', 'federation_operator', 'A', 'CREATE TRIGGER federation_operator AFTER INSERT OR UPDATE ON ceptoar.operator FOR EACH ROW EXECUTE FUNCTION ceptoar._federation_row()'),
    ('ceptoar.operator', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.operator FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.operator', 'operator_check', 'O', 'CREATE TRIGGER operator_check BEFORE INSERT OR UPDATE ON ceptoar.operator FOR EACH ROW EXECUTE FUNCTION ceptoar._operator_check()'),
    ('ceptoar.operator', 'operator_levels_writer', 'O', 'CREATE TRIGGER operator_levels_writer BEFORE INSERT OR UPDATE OF service_levels, code ON ceptoar.operator FOR EACH ROW EXECUTE FUNCTION ceptoar._operator_levels_writer()'),
    ('ceptoar.operator', 'operator_sector_check', 'O', 'CREATE TRIGGER operator_sector_check BEFORE UPDATE OF sector ON ceptoar.operator FOR EACH ROW WHEN ((old.sector OPERATOR(ceptoar.<>) new.sector)) EXECUTE FUNCTION ceptoar._operator_sector_check()'),
    ('ceptoar.party', 'party_changed', 'O', 'CREATE TRIGGER party_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON ceptoar.party FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._cache_invalidate()'),
    ('ceptoar.pseudonym_key', 'federation_changed', 'O', 'CREATE TRIGGER federation_changed AFTER INSERT OR UPDATE ON ceptoar.pseudonym_key FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_written()'),
    ('ceptoar.pseudonym_key', 'pseudonym_key_restore', 'O', 'CREATE TRIGGER pseudonym_key_restore BEFORE INSERT ON ceptoar.pseudonym_key FOR EACH ROW EXECUTE FUNCTION ceptoar._pseudonym_key_restore()'),
    ('ceptoar.report', 'federation_applied', 'R', 'CREATE TRIGGER federation_applied AFTER INSERT OR UPDATE ON ceptoar.report FOR EACH ROW EXECUTE FUNCTION ceptoar._federation_row()'),
    ('ceptoar.report', 'federation_insert', 'O', 'CREATE TRIGGER federation_insert AFTER INSERT ON ceptoar.report REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_written()'),
    ('ceptoar.report', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.report FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.report', 'federation_update', 'O', 'CREATE TRIGGER federation_update AFTER UPDATE ON ceptoar.report REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_written()'),
    ('ceptoar.report', 'report_after_insert', 'O', 'CREATE TRIGGER report_after_insert AFTER INSERT ON ceptoar.report REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._report_after()'),
    ('ceptoar.report', 'report_after_update', 'O', 'CREATE TRIGGER report_after_update AFTER UPDATE ON ceptoar.report REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._report_after()'),
    ('ceptoar.report', 'report_before', 'O', 'CREATE TRIGGER report_before BEFORE INSERT OR UPDATE ON ceptoar.report FOR EACH ROW EXECUTE FUNCTION ceptoar._report_before()'),
    ('ceptoar.report', 'report_deliver', 'O', 'CREATE TRIGGER report_deliver AFTER INSERT ON ceptoar.report REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._report_deliver()'),
    ('ceptoar.report', 'report_keep', 'O', 'CREATE TRIGGER report_keep BEFORE DELETE ON ceptoar.report FOR EACH ROW EXECUTE FUNCTION ceptoar._report_keep()'),
    ('ceptoar.report', 'report_keep_truncate', 'O', 'CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON ceptoar.report FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._report_keep()'),
    ('ceptoar.report_delivery', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.report_delivery FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.report_delivery', 'flow_keep', 'O', 'CREATE TRIGGER flow_keep BEFORE DELETE OR UPDATE ON ceptoar.report_delivery FOR EACH ROW EXECUTE FUNCTION ceptoar._flow_keep()'),
    ('ceptoar.report_delivery', 'flow_keep_truncate', 'O', 'CREATE TRIGGER flow_keep_truncate BEFORE TRUNCATE ON ceptoar.report_delivery FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._flow_keep()'),
    ('ceptoar.report_link', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.report_link FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.report_link', 'report_link_check', 'O', 'CREATE TRIGGER report_link_check BEFORE INSERT OR UPDATE ON ceptoar.report_link FOR EACH ROW EXECUTE FUNCTION ceptoar._report_link_check()'),
    ('ceptoar.report_recipient', 'federation_applied', 'R', 'CREATE TRIGGER federation_applied AFTER INSERT ON ceptoar.report_recipient FOR EACH ROW EXECUTE FUNCTION ceptoar._federation_row()'),
    ('ceptoar.report_recipient', 'federation_insert', 'O', 'CREATE TRIGGER federation_insert AFTER INSERT ON ceptoar.report_recipient REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_written()'),
    ('ceptoar.report_recipient', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.report_recipient FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.report_recipient', 'report_keep', 'O', 'CREATE TRIGGER report_keep BEFORE DELETE OR UPDATE ON ceptoar.report_recipient FOR EACH ROW EXECUTE FUNCTION ceptoar._report_keep()'),
    ('ceptoar.report_recipient', 'report_keep_truncate', 'O', 'CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON ceptoar.report_recipient FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._report_keep()'),
    ('ceptoar.report_recipient', 'report_recipient_check', 'O', 'CREATE TRIGGER report_recipient_check BEFORE INSERT ON ceptoar.report_recipient FOR EACH ROW EXECUTE FUNCTION ceptoar._report_recipient_check()'),
    ('ceptoar.report_recipient', 'report_recipient_deliver', 'O', 'CREATE TRIGGER report_recipient_deliver AFTER INSERT ON ceptoar.report_recipient REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._report_recipient_deliver()'),
    ('ceptoar.report_revision', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.report_revision FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.report_revision', 'report_keep', 'O', 'CREATE TRIGGER report_keep BEFORE DELETE OR UPDATE ON ceptoar.report_revision FOR EACH ROW EXECUTE FUNCTION ceptoar._report_keep()'),
    ('ceptoar.report_revision', 'report_keep_truncate', 'O', 'CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON ceptoar.report_revision FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._report_keep()'),
    ('ceptoar.report_revision', 'report_restore', 'O', 'CREATE TRIGGER report_restore BEFORE INSERT ON ceptoar.report_revision FOR EACH ROW EXECUTE FUNCTION ceptoar._report_restore()'),
    ('ceptoar.report_step', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.report_step FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.report_step', 'report_step_check', 'O', 'CREATE TRIGGER report_step_check BEFORE INSERT OR UPDATE ON ceptoar.report_step FOR EACH ROW EXECUTE FUNCTION ceptoar._report_step_check()'),
    ('ceptoar.report_verdicts', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.report_verdicts FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.report_verdicts', 'report_keep', 'O', 'CREATE TRIGGER report_keep BEFORE DELETE OR UPDATE ON ceptoar.report_verdicts FOR EACH ROW EXECUTE FUNCTION ceptoar._report_keep()'),
    ('ceptoar.report_verdicts', 'report_keep_truncate', 'O', 'CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON ceptoar.report_verdicts FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._report_keep()'),
    ('ceptoar.report_verification', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.report_verification FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.report_verification', 'report_keep', 'O', 'CREATE TRIGGER report_keep BEFORE DELETE OR UPDATE ON ceptoar.report_verification FOR EACH ROW EXECUTE FUNCTION ceptoar._report_keep()'),
    ('ceptoar.report_verification', 'report_keep_truncate', 'O', 'CREATE TRIGGER report_keep_truncate BEFORE TRUNCATE ON ceptoar.report_verification FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._report_keep()'),
    ('ceptoar.rule', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.rule FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.rule', 'rules_changed', 'O', 'CREATE TRIGGER rules_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON ceptoar.rule FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._cache_invalidate()'),
    ('ceptoar.rule', 'rules_guard', 'O', 'CREATE TRIGGER rules_guard BEFORE INSERT OR DELETE OR UPDATE ON ceptoar.rule FOR EACH ROW EXECUTE FUNCTION ceptoar._rules_guard()'),
    ('ceptoar.rule', 'rules_guard_truncate', 'O', 'CREATE TRIGGER rules_guard_truncate BEFORE TRUNCATE ON ceptoar.rule FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._rules_guard()'),
    ('ceptoar.rule', 'rules_writer', 'O', 'CREATE TRIGGER rules_writer BEFORE INSERT OR DELETE OR UPDATE ON ceptoar.rule FOR EACH ROW EXECUTE FUNCTION ceptoar._rules_writer()'),
    ('ceptoar.rule_set', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.rule_set FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.rule_set', 'rules_changed', 'O', 'CREATE TRIGGER rules_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON ceptoar.rule_set FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._cache_invalidate()'),
    ('ceptoar.rule_set', 'rules_guard', 'O', 'CREATE TRIGGER rules_guard BEFORE INSERT OR DELETE OR UPDATE ON ceptoar.rule_set FOR EACH ROW EXECUTE FUNCTION ceptoar._rules_guard()'),
    ('ceptoar.rule_set', 'rules_guard_truncate', 'O', 'CREATE TRIGGER rules_guard_truncate BEFORE TRUNCATE ON ceptoar.rule_set FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._rules_guard()'),
    ('ceptoar.rule_set', 'rules_writer', 'O', 'CREATE TRIGGER rules_writer BEFORE INSERT OR DELETE OR UPDATE ON ceptoar.rule_set FOR EACH ROW EXECUTE FUNCTION ceptoar._rules_writer()'),
    ('ceptoar.sector_coefficient', 'shipped_row_gone', 'O', 'CREATE TRIGGER shipped_row_gone AFTER DELETE OR UPDATE ON ceptoar.sector_coefficient FOR EACH ROW EXECUTE FUNCTION ceptoar._sector_matrix_write()'),
    ('ceptoar.sector_coefficient', 'shipped_rows_truncated', 'O', 'CREATE TRIGGER shipped_rows_truncated BEFORE TRUNCATE ON ceptoar.sector_coefficient FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._sector_matrix_write()'),
    ('ceptoar.sector_coefficient', 'users_rows', 'O', 'CREATE TRIGGER users_rows BEFORE INSERT OR UPDATE ON ceptoar.sector_coefficient FOR EACH ROW EXECUTE FUNCTION ceptoar._sector_matrix_write()'),
    ('ceptoar.sector_dependency', 'shipped_row_gone', 'O', 'CREATE TRIGGER shipped_row_gone AFTER DELETE OR UPDATE ON ceptoar.sector_dependency FOR EACH ROW EXECUTE FUNCTION ceptoar._sector_matrix_write()'),
    ('ceptoar.sector_dependency', 'shipped_rows_truncated', 'O', 'CREATE TRIGGER shipped_rows_truncated BEFORE TRUNCATE ON ceptoar.sector_dependency FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._sector_matrix_write()'),
    ('ceptoar.sector_dependency', 'users_rows', 'O', 'CREATE TRIGGER users_rows BEFORE INSERT OR UPDATE ON ceptoar.sector_dependency FOR EACH ROW EXECUTE FUNCTION ceptoar._sector_matrix_write()'),
    ('ceptoar.sector_matrix_removed', 'removes_shipped_row', 'O', 'CREATE TRIGGER removes_shipped_row BEFORE INSERT OR DELETE OR UPDATE ON ceptoar.sector_matrix_removed FOR EACH ROW EXECUTE FUNCTION ceptoar._sector_matrix_removed_write()'),
    ('ceptoar.sector_matrix_removed', 'removes_shipped_row_truncate', 'O', 'CREATE TRIGGER removes_shipped_row_truncate BEFORE TRUNCATE ON ceptoar.sector_matrix_removed FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._sector_matrix_removed_write()'),
    ('ceptoar.service_instance', 'federation_truncate', 'O', 'CREATE TRIGGER federation_truncate BEFORE TRUNCATE ON ceptoar.service_instance FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._federation_truncate()'),
    ('ceptoar.service_instance', 'graph_changed', 'A', 'CREATE TRIGGER graph_changed BEFORE INSERT OR DELETE OR UPDATE OR TRUNCATE ON ceptoar.service_instance FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._graph_changed()'),
    ('ceptoar.service_instance', 'graph_changed_applied', 'R', 'CREATE TRIGGER graph_changed_applied BEFORE INSERT OR DELETE OR UPDATE ON ceptoar.service_instance FOR EACH ROW EXECUTE FUNCTION ceptoar._graph_changed()'),
    ('ceptoar.service_instance', 'graph_logged_applied', 'R', 'CREATE TRIGGER graph_logged_applied AFTER INSERT OR DELETE OR UPDATE ON ceptoar.service_instance FOR EACH ROW EXECUTE FUNCTION ceptoar._graph_logged()'),
    ('ceptoar.service_instance', 'graph_logged_delete', 'A', 'CREATE TRIGGER graph_logged_delete AFTER DELETE ON ceptoar.service_instance REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._graph_logged()'),
    ('ceptoar.service_instance', 'graph_logged_insert', 'A', 'CREATE TRIGGER graph_logged_insert AFTER INSERT ON ceptoar.service_instance REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._graph_logged()'),
    ('ceptoar.service_instance', 'graph_logged_update', 'A', 'CREATE TRIGGER graph_logged_update AFTER UPDATE ON ceptoar.service_instance REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._graph_logged()'),
    ('ceptoar.service_instance', 'graph_writer', 'O', 'CREATE TRIGGER graph_writer BEFORE INSERT OR DELETE OR UPDATE ON ceptoar.service_instance FOR EACH ROW EXECUTE FUNCTION ceptoar._graph_writer()'),
    ('ceptoar.service_instance', 'instance_sector_check', 'O', 'CREATE TRIGGER instance_sector_check AFTER INSERT ON ceptoar.service_instance REFERENCING NEW TABLE AS new_instances FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._instance_sector_check()'),
    ('ceptoar.service_instance', 'instance_sector_check_update', 'O', 'CREATE TRIGGER instance_sector_check_update AFTER UPDATE ON ceptoar.service_instance REFERENCING NEW TABLE AS new_instances FOR EACH STATEMENT EXECUTE FUNCTION ceptoar._instance_sector_check()')$$,
  'triggers: graph changes counted before they are made and their keys logged after (statement triggers ENABLE ALWAYS, row triggers ENABLE REPLICA), the counter guarded, the writers of rules and the graph checked by party, the audit of identity reads kept, shipped rules and exercises guarded (TRUNCATE too), the rule cache and the parties'' memo told, users'' changes of the sector matrices kept, reports delivered on insert, alerts and deliveries kept, an instance''s service in its operator''s sector, the audiences'' copies kept (federation: statement triggers for local writes, row triggers ENABLE REPLICA for replicated ones, ENABLE ALWAYS on operators), TRUNCATE of a ministry''s published tables refused while published');

-- ---------------------------------------------------------------------------
-- Tables

SELECT tables_are('ceptoar', ARRAY['rule_set', 'rule', 'service_instance', 'dependency',
                                   'sector_dependency', 'sector_coefficient', 'sector_matrix_removed',
                                   'graph_version', 'graph_change', 'exercises', 'operator', 'report', 'report_revision',
                                   'report_verdicts', 'report_verification', 'report_link', 'report_step',
                                   'report_delivery', 'alert', 'alert_delivery', 'party', 'report_recipient',
                                   'pseudonym_key', 'identity_reads', 'stix_unmapped', 'stix_imported',
                                   'federation_audience', 'audience_copy'],
  'schema ceptoar has exactly the documented tables');
SELECT results_eq(
  $$SELECT c.relname::text COLLATE "default", a.attname::text COLLATE "default",
           format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid) COLLATE "default",
           a.attidentity::text
      FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE c.relnamespace = 'ceptoar'::regnamespace AND c.relkind = 'r'
       AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum$$,
  $$VALUES
    ('alert', 'id', 'uuid', true, 'gen_random_uuid()', ''),
    ('alert', 'title', 'text', true, NULL, ''),
    ('alert', 'body', 'text', false, NULL, ''),
    ('alert', 'sectors', 'ceptoar.sector[]', true, NULL, ''),
    ('alert', 'tlp', 'ceptoar.tlp', true, '''amber''::ceptoar.tlp', ''),
    ('alert', 'issued_at', 'timestamp with time zone', true, 'now()', ''),
    ('alert', 'issued_by', 'name', true, 'CURRENT_USER', ''),
    ('alert_delivery', 'alert', 'uuid', true, NULL, ''),
    ('alert_delivery', 'recipient', 'text', true, NULL, ''),
    ('alert_delivery', 'recipient_kind', 'text', true, NULL, ''),
    ('alert_delivery', 'delivered_at', 'timestamp with time zone', true, NULL, ''),
    ('alert_delivery', 'acknowledged_at', 'timestamp with time zone', false, NULL, ''),
    ('alert_delivery', 'acknowledged_by', 'name', false, NULL, ''),
    ('alert_delivery', 'forwarded_by', 'text', false, NULL, ''),
    ('audience_copy', 'audience', 'text', true, NULL, ''),
    ('audience_copy', 'id', 'uuid', true, NULL, ''),
    ('audience_copy', 'operator', 'text', true, NULL, ''),
    ('audience_copy', 'kind', 'text', true, NULL, ''),
    ('audience_copy', 'incident', 'ceptoar.incident', false, NULL, ''),
    ('audience_copy', 'detected', 'timestamp with time zone', false, NULL, ''),
    ('audience_copy', 'reported', 'timestamp with time zone', true, NULL, ''),
    ('audience_copy', 'tlp', 'ceptoar.tlp', true, NULL, ''),
    ('audience_copy', 'exercise', 'text', false, NULL, ''),
    ('audience_copy', 'summary', 'text', false, NULL, ''),
    ('audience_copy', 'status', 'text', true, NULL, ''),
    ('audience_copy', 'revision', 'integer', true, NULL, ''),
    ('audience_copy', 'revoked', 'timestamp with time zone', false, NULL, ''),
    ('audience_copy', 'level', 'text', false, NULL, ''),
    ('audience_copy', 'level_rule_set', 'text', false, NULL, ''),
    ('audience_copy', 'sector_code', 'text', true, NULL, ''),
    ('audience_copy', 'ministry_code', 'text', false, NULL, ''),
    ('audience_copy', 'tlp_rank', 'smallint', true, NULL, ''),
    ('audience_copy', 'is_exercise', 'boolean', true, NULL, ''),
    ('audience_copy', 'is_revoked', 'boolean', true, NULL, ''),
    ('audience_copy', 'fiscal_year', 'integer', true, NULL, ''),
    ('audience_copy', 'began', 'timestamp with time zone', false, NULL, ''),
    ('audience_copy', 'lasted', 'interval', false, NULL, ''),
    ('audience_copy', 'cause', 'text', false, NULL, ''),
    ('audience_copy', 'user_hours', 'double precision', false, NULL, ''),
    ('dependency', 'dependent', 'bigint', true, NULL, ''),
    ('dependency', 'supplier', 'bigint', true, NULL, ''),
    ('dependency', 'buffer', 'interval', true, '''00:00:00''::interval', ''),
    ('dependency', 'mode', 'text', true, '''area''::text', ''),
    ('dependency', 'source', 'text', false, NULL, ''),
    ('exercises', 'code', 'text', true, NULL, ''),
    ('exercises', 'fiscal_year', 'integer', true, NULL, ''),
    ('exercises', 'held', 'date', false, NULL, ''),
    ('exercises', 'theme_ja', 'text', false, NULL, ''),
    ('exercises', 'theme_en', 'text', false, NULL, ''),
    ('exercises', 'goal_ja', 'text', false, NULL, ''),
    ('exercises', 'format_ja', 'text', false, NULL, ''),
    ('exercises', 'description_ja', 'text', false, NULL, ''),
    ('exercises', 'organisations', 'integer', false, NULL, ''),
    ('exercises', 'participants', 'integer', false, NULL, ''),
    ('exercises', 'source', 'text', false, NULL, ''),
    ('exercises', 'shipped', 'boolean', true, 'false', ''),
    ('federation_audience', 'code', 'text', true, NULL, ''),
    ('federation_audience', 'kind', 'text', true, NULL, ''),
    ('federation_audience', 'party_code', 'text', false, NULL, ''),
    ('federation_audience', 'created', 'timestamp with time zone', true, 'now()', ''),
    ('graph_change', 'xid', 'xid8', true, 'pg_current_xact_id()', ''),
    ('graph_change', 'instance', 'bigint', false, NULL, ''),
    ('graph_change', 'dependent', 'bigint', false, NULL, ''),
    ('graph_change', 'supplier', 'bigint', false, NULL, ''),
    ('graph_version', 'slot', 'integer', true, NULL, ''),
    ('graph_version', 'changes', 'bigint', true, NULL, ''),
    ('identity_reads', 'read_at', 'timestamp with time zone', true, NULL, ''),
    ('identity_reads', 'reader', 'name', true, NULL, ''),
    ('identity_reads', 'login', 'name', true, NULL, ''),
    ('identity_reads', 'party_kind', 'text', false, NULL, ''),
    ('identity_reads', 'party_code', 'text', false, NULL, ''),
    ('identity_reads', 'report', 'uuid', true, NULL, ''),
    ('identity_reads', 'what', 'text', true, NULL, ''),
    ('operator', 'code', 'text', true, NULL, ''),
    ('operator', 'name', 'text', true, NULL, ''),
    ('operator', 'name_ja', 'text', false, NULL, ''),
    ('operator', 'sector', 'ceptoar.sector', true, NULL, ''),
    ('operator', 'ceptoar', 'text', false, NULL, ''),
    ('operator', 'contact', 'text', false, NULL, ''),
    ('operator', 'service_levels', 'text', false, NULL, ''),
    ('operator', 'registered', 'timestamp with time zone', true, 'now()', ''),
    ('party', 'role', 'regrole', true, NULL, ''),
    ('party', 'kind', 'text', true, NULL, ''),
    ('party', 'code', 'text', false, NULL, ''),
    ('party', 'registered', 'timestamp with time zone', true, 'now()', ''),
    ('pseudonym_key', 'singleton', 'boolean', true, 'true', ''),
    ('pseudonym_key', 'inner_pad', 'bytea', true, NULL, ''),
    ('pseudonym_key', 'outer_pad', 'bytea', true, NULL, ''),
    ('pseudonym_key', 'created', 'timestamp with time zone', true, 'now()', ''),
    ('report', 'id', 'uuid', true, 'gen_random_uuid()', ''),
    ('report', 'operator', 'text', true, NULL, ''),
    ('report', 'kind', 'text', true, '''incident''::text', ''),
    ('report', 'incident', 'ceptoar.incident', false, NULL, ''),
    ('report', 'instance', 'bigint', false, NULL, ''),
    ('report', 'detected', 'timestamp with time zone', false, NULL, ''),
    ('report', 'reported', 'timestamp with time zone', true, 'now()', ''),
    ('report', 'tlp', 'ceptoar.tlp', true, '''amber''::ceptoar.tlp', ''),
    ('report', 'exercise', 'text', false, NULL, ''),
    ('report', 'summary', 'text', false, NULL, ''),
    ('report', 'description', 'text', false, NULL, ''),
    ('report', 'status', 'text', true, '''reported''::text', ''),
    ('report', 'revision', 'integer', true, '1', ''),
    ('report', 'revoked', 'timestamp with time zone', false, NULL, ''),
    ('report', 'revoked_reason', 'text', false, NULL, ''),
    ('report', 'level', 'text', false, NULL, ''),
    ('report', 'level_rule_set', 'text', false, NULL, ''),
    ('report', 'sector_code', 'text', true, NULL, ''),
    ('report', 'ministry_code', 'text', false, NULL, ''),
    ('report', 'tlp_rank', 'smallint', true, NULL, ''),
    ('report', 'is_exercise', 'boolean', true, NULL, ''),
    ('report', 'is_revoked', 'boolean', true, NULL, ''),
    ('report', 'fiscal_year', 'integer', true, NULL, ''),
    ('report', 'began', 'timestamp with time zone', false, NULL, ''),
    ('report', 'lasted', 'interval', false, NULL, ''),
    ('report', 'cause', 'text', false, NULL, ''),
    ('report', 'user_hours', 'double precision', false, NULL, ''),
    ('report', 'changed_by', 'name', true, NULL, ''),
    ('report_delivery', 'report', 'uuid', true, NULL, ''),
    ('report_delivery', 'recipient', 'text', true, NULL, ''),
    ('report_delivery', 'recipient_kind', 'text', true, NULL, ''),
    ('report_delivery', 'delivered_at', 'timestamp with time zone', true, NULL, ''),
    ('report_delivery', 'acknowledged_at', 'timestamp with time zone', false, NULL, ''),
    ('report_delivery', 'acknowledged_by', 'name', false, NULL, ''),
    ('report_delivery', 'first', 'integer', false, '1', ''),
    ('report_link', 'report', 'uuid', true, NULL, ''),
    ('report_link', 'related', 'uuid', true, NULL, ''),
    ('report_link', 'kind', 'text', true, NULL, ''),
    ('report_link', 'created', 'timestamp with time zone', true, 'now()', ''),
    ('report_link', 'first', 'integer', false, '1', ''),
    ('report_recipient', 'report', 'uuid', true, NULL, ''),
    ('report_recipient', 'recipient', 'text', true, NULL, ''),
    ('report_recipient', 'named_at', 'timestamp with time zone', true, 'now()', ''),
    ('report_recipient', 'named_by', 'name', true, 'CURRENT_USER', ''),
    ('report_recipient', 'first', 'integer', false, '1', ''),
    ('report_revision', 'report', 'uuid', true, NULL, ''),
    ('report_revision', 'revision', 'integer', true, NULL, ''),
    ('report_revision', 'operator', 'text', true, NULL, ''),
    ('report_revision', 'kind', 'text', true, NULL, ''),
    ('report_revision', 'incident', 'ceptoar.incident', false, NULL, ''),
    ('report_revision', 'instance', 'bigint', false, NULL, ''),
    ('report_revision', 'detected', 'timestamp with time zone', false, NULL, ''),
    ('report_revision', 'reported', 'timestamp with time zone', true, NULL, ''),
    ('report_revision', 'tlp', 'ceptoar.tlp', true, NULL, ''),
    ('report_revision', 'exercise', 'text', false, NULL, ''),
    ('report_revision', 'summary', 'text', false, NULL, ''),
    ('report_revision', 'description', 'text', false, NULL, ''),
    ('report_revision', 'status', 'text', true, NULL, ''),
    ('report_revision', 'revoked', 'timestamp with time zone', false, NULL, ''),
    ('report_revision', 'revoked_reason', 'text', false, NULL, ''),
    ('report_revision', 'level', 'text', false, NULL, ''),
    ('report_revision', 'level_rule_set', 'text', false, NULL, ''),
    ('report_revision', 'changed_at', 'timestamp with time zone', true, NULL, ''),
    ('report_revision', 'changed_by', 'name', true, NULL, ''),
    ('report_step', 'report', 'uuid', true, NULL, ''),
    ('report_step', 'step', 'text', true, NULL, ''),
    ('report_step', 'done_at', 'timestamp with time zone', true, NULL, ''),
    ('report_step', 'note', 'text', false, NULL, ''),
    ('report_step', 'first', 'integer', false, '1', ''),
    ('report_verdicts', 'report', 'uuid', true, NULL, ''),
    ('report_verdicts', 'revision', 'integer', true, NULL, ''),
    ('report_verdicts', 'rule_set', 'text', true, NULL, ''),
    ('report_verdicts', 'kind', 'text', true, NULL, ''),
    ('report_verdicts', 'outcome', 'text', true, NULL, ''),
    ('report_verdicts', 'clause', 'text', false, NULL, ''),
    ('report_verdicts', 'explanation', 'text', false, NULL, ''),
    ('report_verification', 'report', 'uuid', true, NULL, ''),
    ('report_verification', 'revision', 'integer', true, NULL, ''),
    ('report_verification', 'outcome', 'text', true, NULL, ''),
    ('report_verification', 'computed', 'text', false, NULL, ''),
    ('report_verification', 'reason', 'text', false, NULL, ''),
    ('report_verification', 'verified_by', 'name', true, NULL, ''),
    ('report_verification', 'verified_at', 'timestamp with time zone', true, NULL, ''),
    ('rule', 'rule_set', 'text', true, NULL, ''),
    ('rule', 'service', 'ceptoar.service', true, NULL, ''),
    ('rule', 'criterion', 'ceptoar.criterion', true, NULL, ''),
    ('rule', 'clause_ja', 'text', false, NULL, ''),
    ('rule', 'clause_en', 'text', false, NULL, ''),
    ('rule', 'shipped', 'boolean', true, 'false', ''),
    ('rule_set', 'code', 'text', true, NULL, ''),
    ('rule_set', 'title', 'text', false, NULL, ''),
    ('rule_set', 'kind', 'text', true, NULL, ''),
    ('rule_set', 'source', 'text', false, NULL, ''),
    ('rule_set', 'valid_from', 'date', false, NULL, ''),
    ('rule_set', 'valid_to', 'date', false, NULL, ''),
    ('rule_set', 'owner', 'text', false, NULL, ''),
    ('rule_set', 'shipped', 'boolean', true, 'false', ''),
    ('sector_coefficient', 'dependent', 'ceptoar.sector', true, NULL, ''),
    ('sector_coefficient', 'supplier', 'ceptoar.sector', true, NULL, ''),
    ('sector_coefficient', 'coefficient', 'double precision', true, NULL, ''),
    ('sector_coefficient', 'source', 'text', false, NULL, ''),
    ('sector_coefficient', 'shipped', 'boolean', true, 'false', ''),
    ('sector_dependency', 'dependent', 'ceptoar.sector', true, NULL, ''),
    ('sector_dependency', 'supplier', 'ceptoar.sector', true, NULL, ''),
    ('sector_dependency', 'buffer', 'interval', true, NULL, ''),
    ('sector_dependency', 'source', 'text', false, NULL, ''),
    ('sector_dependency', 'shipped', 'boolean', true, 'false', ''),
    ('sector_matrix_removed', 'matrix', 'text', true, NULL, ''),
    ('sector_matrix_removed', 'dependent', 'ceptoar.sector', true, NULL, ''),
    ('sector_matrix_removed', 'supplier', 'ceptoar.sector', true, NULL, ''),
    ('service_instance', 'id', 'bigint', true, NULL, 'd'),
    ('service_instance', 'service', 'ceptoar.service', true, NULL, ''),
    ('service_instance', 'population', 'bigint', false, NULL, ''),
    ('service_instance', 'operator', 'text', true, NULL, ''),
    ('service_instance', 'name', 'text', false, NULL, ''),
    ('service_instance', 'area', 'geometry(MultiPolygon,4326)', false, NULL, ''),
    ('service_instance', 'site', 'geometry(Geometry,4326)', false, NULL, ''),
    ('stix_imported', 'report', 'uuid', true, NULL, ''),
    ('stix_imported', 'revision', 'integer', true, NULL, ''),
    ('stix_imported', 'stix_revision', 'integer', false, NULL, ''),
    ('stix_imported', 'modified', 'text', true, NULL, ''),
    ('stix_imported', 'revoked', 'text', false, NULL, ''),
    ('stix_imported', 'imported', 'timestamp with time zone', true, 'now()', ''),
    ('stix_unmapped', 'report', 'uuid', false, NULL, ''),
    ('stix_unmapped', 'bundle', 'text', true, NULL, ''),
    ('stix_unmapped', 'path', 'text', true, NULL, ''),
    ('stix_unmapped', 'value', 'jsonb', true, NULL, ''),
    ('stix_unmapped', 'imported', 'timestamp with time zone', true, 'now()', ''),
    ('stix_unmapped', 'first', 'integer', false, '1', ''),
    ('stix_unmapped', 'kept_by', 'name', true, NULL, '')$$,
  'every table column: type, NOT NULL, default, identity (service_instance.id BY DEFAULT)');

SELECT col_is_pk('ceptoar', 'rule_set', ARRAY['code'], 'rule_set: primary key (code)');
SELECT col_is_pk('ceptoar', 'rule', ARRAY['rule_set', 'service'], 'rule: primary key (rule_set, service), one rule per service and set');
SELECT col_is_pk('ceptoar', 'service_instance', ARRAY['id'], 'service_instance: primary key (id)');
SELECT col_is_pk('ceptoar', 'dependency', ARRAY['dependent', 'supplier'], 'dependency: primary key (dependent, supplier)');
SELECT col_is_pk('ceptoar', 'sector_dependency', ARRAY['dependent', 'supplier'], 'sector_dependency: primary key (dependent, supplier)');
SELECT col_is_pk('ceptoar', 'sector_coefficient', ARRAY['dependent', 'supplier'], 'sector_coefficient: primary key (dependent, supplier)');
SELECT col_is_pk('ceptoar', 'sector_matrix_removed', ARRAY['matrix', 'dependent', 'supplier'],
  'sector_matrix_removed: primary key (matrix, dependent, supplier)');
SELECT col_is_pk('ceptoar', 'graph_version', ARRAY['slot'], 'graph_version: primary key (slot)');
SELECT col_is_pk('ceptoar', 'exercises', ARRAY['code'], 'exercises: primary key (code)');
SELECT col_is_pk('ceptoar', 'operator', ARRAY['code'], 'operator: primary key (code)');
SELECT col_is_pk('ceptoar', 'report', ARRAY['id'], 'report: primary key (id)');
SELECT col_is_pk('ceptoar', 'report_revision', ARRAY['report', 'revision'], 'report_revision: primary key (report, revision)');
SELECT col_is_pk('ceptoar', 'report_verdicts', ARRAY['report', 'revision', 'rule_set'], 'report_verdicts: primary key (report, revision, rule_set)');
SELECT col_is_pk('ceptoar', 'report_verification', ARRAY['report', 'verified_at', 'verified_by'], 'report_verification: primary key (report, verified_at, verified_by)');
SELECT col_is_pk('ceptoar', 'report_link', ARRAY['report', 'related', 'kind'], 'report_link: primary key (report, related, kind)');
SELECT col_is_pk('ceptoar', 'report_step', ARRAY['report', 'step'], 'report_step: primary key (report, step)');
SELECT col_is_pk('ceptoar', 'report_delivery', ARRAY['report', 'recipient'], 'report_delivery: primary key (report, recipient)');
SELECT col_is_pk('ceptoar', 'alert', ARRAY['id'], 'alert: primary key (id)');
SELECT col_is_pk('ceptoar', 'alert_delivery', ARRAY['alert', 'recipient_kind', 'recipient'], 'alert_delivery: primary key (alert, recipient_kind, recipient)');
SELECT col_is_pk('ceptoar', 'stix_unmapped', ARRAY['kept_by', 'bundle', 'path'], 'stix_unmapped: primary key (kept_by, bundle, path)');
SELECT fk_ok('ceptoar', 'stix_unmapped', ARRAY['report', 'first'], 'ceptoar', 'report_revision', ARRAY['report', 'revision'],
  'stix_unmapped refers to a report''s first revision (pg_dump keeps it)');
SELECT col_is_pk('ceptoar', 'stix_imported', ARRAY['report'], 'stix_imported: primary key report');
SELECT fk_ok('ceptoar', 'stix_imported', ARRAY['report', 'revision'], 'ceptoar', 'report_revision', ARRAY['report', 'revision'],
  'stix_imported refers to the revision the import ended at (pg_dump keeps it)');
SELECT fk_ok('ceptoar', 'report_delivery', ARRAY['report', 'first'], 'ceptoar', 'report_revision', ARRAY['report', 'revision'],
  'report_delivery refers to a report''s first revision (pg_dump keeps it), not to report');
SELECT fk_ok('ceptoar', 'alert_delivery', ARRAY['alert'], 'ceptoar', 'alert', ARRAY['id'], 'alert_delivery.alert references alert(id)');
SELECT fk_ok('ceptoar', 'report', ARRAY['operator'], 'ceptoar', 'operator', ARRAY['code'], 'report.operator references operator(code)');
SELECT fk_ok('ceptoar', 'service_instance', ARRAY['operator'], 'ceptoar', 'operator', ARRAY['code'], 'service_instance.operator references operator(code)');
SELECT fk_ok('ceptoar', 'report_revision', ARRAY['report'], 'ceptoar', 'report', ARRAY['id'], 'report_revision.report references report(id)');
SELECT fk_ok('ceptoar', 'report_verdicts', ARRAY['report', 'revision'], 'ceptoar', 'report_revision', ARRAY['report', 'revision'],
  'report_verdicts refer to a revision');
-- exercises: the checks (0.4)
SELECT results_eq(
  $$SELECT conname::text COLLATE "default", pg_get_constraintdef(oid) COLLATE "default"
      FROM pg_constraint WHERE conrelid = 'ceptoar.exercises'::regclass AND contype = 'c' ORDER BY 1$$,
  $$VALUES
    ('exercises_code_check', 'CHECK ((code ~ ''^[A-Za-z0-9][A-Za-z0-9_.-]*$''::text))'),
    ('exercises_fiscal_year_check', 'CHECK (((fiscal_year >= 1) AND (fiscal_year <= 9999)))'),
    ('exercises_held_in_fiscal_year', 'CHECK (((held IS NULL) OR (ceptoar.fiscal_year(held) = fiscal_year)))'),
    ('exercises_organisations_check', 'CHECK ((organisations >= 0))'),
    ('exercises_participants_check', 'CHECK ((participants >= 0))')$$,
  'exercises: an ASCII code, a fiscal year 1-9999 that holds the first day, counts not negative');
SELECT fk_ok('ceptoar', 'rule', ARRAY['rule_set'], 'ceptoar', 'rule_set', ARRAY['code'],
  'rule.rule_set references rule_set(code)');
SELECT fk_ok('ceptoar', 'dependency', ARRAY['dependent'], 'ceptoar', 'service_instance', ARRAY['id'],
  'dependency.dependent references service_instance(id)');
SELECT fk_ok('ceptoar', 'dependency', ARRAY['supplier'], 'ceptoar', 'service_instance', ARRAY['id'],
  'dependency.supplier references service_instance(id)');
SELECT results_eq(
  $$SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, am.amname::text COLLATE "default",
           pg_get_indexdef(i.indexrelid) ~ ' UNIQUE '
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
     WHERE c.relnamespace = 'ceptoar'::regnamespace
     ORDER BY 1, 2$$,
  $$VALUES
    ('ceptoar.alert', 'ceptoar.alert_pkey', 'btree', true),
    ('ceptoar.alert_delivery', 'ceptoar.alert_delivery_pkey', 'btree', true),
    ('ceptoar.alert_delivery', 'ceptoar.alert_delivery_unacknowledged', 'btree', false),
    ('ceptoar.audience_copy', 'ceptoar.audience_copy_filter', 'btree', true),
    ('ceptoar.audience_copy', 'ceptoar.audience_copy_pkey', 'btree', true),
    ('ceptoar.audience_copy', 'ceptoar.audience_copy_report', 'btree', false),
    ('ceptoar.dependency', 'ceptoar.dependency_pkey', 'btree', true),
    ('ceptoar.dependency', 'ceptoar.dependency_supplier', 'btree', false),
    ('ceptoar.exercises', 'ceptoar.exercises_federation', 'btree', true),
    ('ceptoar.exercises', 'ceptoar.exercises_pkey', 'btree', true),
    ('ceptoar.federation_audience', 'ceptoar.federation_audience_pkey', 'btree', true),
    ('ceptoar.graph_change', 'ceptoar.graph_change_xid', 'btree', false),
    ('ceptoar.graph_version', 'ceptoar.graph_version_pkey', 'btree', true),
    ('ceptoar.identity_reads', 'ceptoar.identity_reads_report', 'btree', false),
    ('ceptoar.operator', 'ceptoar.operator_pkey', 'btree', true),
    ('ceptoar.party', 'ceptoar.party_code', 'btree', false),
    ('ceptoar.party', 'ceptoar.party_pkey', 'btree', true),
    ('ceptoar.pseudonym_key', 'ceptoar.pseudonym_key_pkey', 'btree', true),
    ('ceptoar.report', 'ceptoar.report_instance', 'btree', false),
    ('ceptoar.report', 'ceptoar.report_ministry_year', 'btree', false),
    ('ceptoar.report', 'ceptoar.report_operator', 'btree', false),
    ('ceptoar.report', 'ceptoar.report_pkey', 'btree', true),
    ('ceptoar.report', 'ceptoar.report_sector_year', 'btree', false),
    ('ceptoar.report', 'ceptoar.report_statistics', 'btree', false),
    ('ceptoar.report_delivery', 'ceptoar.report_delivery_pkey', 'btree', true),
    ('ceptoar.report_delivery', 'ceptoar.report_delivery_unacknowledged', 'btree', false),
    ('ceptoar.report_link', 'ceptoar.report_link_pkey', 'btree', true),
    ('ceptoar.report_recipient', 'ceptoar.report_recipient_pkey', 'btree', true),
    ('ceptoar.report_recipient', 'ceptoar.report_recipient_recipient', 'btree', false),
    ('ceptoar.report_revision', 'ceptoar.report_revision_pkey', 'btree', true),
    ('ceptoar.report_step', 'ceptoar.report_step_pkey', 'btree', true),
    ('ceptoar.report_verdicts', 'ceptoar.report_verdicts_pkey', 'btree', true),
    ('ceptoar.report_verification', 'ceptoar.report_verification_pkey', 'btree', true),
    ('ceptoar.rule', 'ceptoar.rule_federation', 'btree', true),
    ('ceptoar.rule', 'ceptoar.rule_pkey', 'btree', true),
    ('ceptoar.rule_set', 'ceptoar.rule_set_federation', 'btree', true),
    ('ceptoar.rule_set', 'ceptoar.rule_set_pkey', 'btree', true),
    ('ceptoar.sector_coefficient', 'ceptoar.sector_coefficient_pkey', 'btree', true),
    ('ceptoar.sector_dependency', 'ceptoar.sector_dependency_pkey', 'btree', true),
    ('ceptoar.sector_matrix_removed', 'ceptoar.sector_matrix_removed_pkey', 'btree', true),
    ('ceptoar.service_instance', 'ceptoar.service_instance_area', 'gist', false),
    ('ceptoar.service_instance', 'ceptoar.service_instance_operator', 'btree', false),
    ('ceptoar.service_instance', 'ceptoar.service_instance_pkey', 'btree', true),
    ('ceptoar.service_instance', 'ceptoar.service_instance_service', 'btree', false),
    ('ceptoar.service_instance', 'ceptoar.service_instance_site', 'gist', false),
    ('ceptoar.stix_imported', 'ceptoar.stix_imported_pkey', 'btree', true),
    ('ceptoar.stix_unmapped', 'ceptoar.stix_unmapped_pkey', 'btree', true)$$,
  'indexes: the keys, GiST on area and site, btree on service, on operator and on dependency.supplier, the reports by operator, sector and ministry with the fiscal year, and by instance, the unacknowledged deliveries by recipient; for federation the replica identities (unique) of audience_copy, rule_set, rule and exercises');
-- Replica identities (federation, 0.5): a row filter of a publication of UPDATE and DELETE
-- may read only replica identity columns (PostgreSQL 15)
SELECT results_eq(
  $$SELECT c.oid::regclass::text, c.relreplident::text, i.indexrelid::regclass::text,
           pg_get_indexdef(i.indexrelid)
      FROM pg_class c LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisreplident
     WHERE c.relnamespace = 'ceptoar'::regnamespace AND c.relkind = 'r' AND c.relreplident <> 'd'
     ORDER BY 1$$,
  $$VALUES
    ('ceptoar.audience_copy', 'i', 'ceptoar.audience_copy_filter', 'CREATE UNIQUE INDEX audience_copy_filter ON ceptoar.audience_copy USING btree (audience, id, tlp_rank, is_exercise, is_revoked, kind, sector_code)'),
    ('ceptoar.exercises', 'i', 'ceptoar.exercises_federation', 'CREATE UNIQUE INDEX exercises_federation ON ceptoar.exercises USING btree (code, shipped)'),
    ('ceptoar.rule', 'i', 'ceptoar.rule_federation', 'CREATE UNIQUE INDEX rule_federation ON ceptoar.rule USING btree (rule_set, service, shipped)'),
    ('ceptoar.rule_set', 'i', 'ceptoar.rule_set_federation', 'CREATE UNIQUE INDEX rule_set_federation ON ceptoar.rule_set USING btree (code, shipped)')$$,
  'replica identities: every table its primary key but audience_copy (the columns its audiences'' row filters read) and rule_set, rule, exercises (their key with shipped, for the row filter NOT shipped)');
SELECT sequences_are('ceptoar', ARRAY['service_instance_id_seq'],
  'schema ceptoar has one sequence, service_instance''s identity');
-- What pg_dump keeps (README, Reference): the instance graph, its sequence and the
-- removed shipped pairs whole; of rules and sector matrices the rows that are not shipped
SELECT results_eq(
  $$SELECT c.oid::regclass::text, x.cond COLLATE "default"
      FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(cfg, cond)
      JOIN pg_class c ON c.oid = x.cfg
     WHERE e.extname = 'ceptoar_registry'
     ORDER BY 1$$,
  $$VALUES ('ceptoar.alert', ''),
           ('ceptoar.alert_delivery', ''),
           ('ceptoar.dependency', ''),
           ('ceptoar.exercises', 'WHERE NOT shipped'),
           ('ceptoar.federation_audience', ''),
           ('ceptoar.identity_reads', ''),
           ('ceptoar.operator', ''),
           ('ceptoar.party', ''),
           ('ceptoar.pseudonym_key', ''),
           ('ceptoar.report_delivery', ''),
           ('ceptoar.report_link', ''),
           ('ceptoar.report_recipient', ''),
           ('ceptoar.report_revision', ''),
           ('ceptoar.report_step', ''),
           ('ceptoar.report_verdicts', ''),
           ('ceptoar.report_verification', ''),
           ('ceptoar.rule', 'WHERE NOT shipped'),
           ('ceptoar.rule_set', 'WHERE NOT shipped'),
           ('ceptoar.sector_coefficient', 'WHERE NOT shipped'),
           ('ceptoar.sector_dependency', 'WHERE NOT shipped'),
           ('ceptoar.sector_matrix_removed', ''),
           ('ceptoar.service_instance', ''),
           ('ceptoar.service_instance_id_seq', ''),
           ('ceptoar.stix_imported', ''),
           ('ceptoar.stix_unmapped', '')$$,
  'configuration tables: dumped whole, or their rows that are not shipped; of the registry the history (report itself is rebuilt from report_revision), the deliveries, the alerts');

-- ---------------------------------------------------------------------------
-- Views

SELECT views_are('ceptoar', ARRAY['plans', 'plan_revisions', 'sectors', 'ministries', 'ministry_sectors',
                                  'ceptoars', 'services', 'unacknowledged', 'shared_reports', '_viewer',
                                  '_named_reports', '_my_alerts'],
  'schema ceptoar has exactly the seven catalogue views, unacknowledged, shared_reports and its helper _viewer, and the access layer''s _named_reports and _my_alerts (0.4)');
SELECT results_eq(
  $$SELECT a.attname::text COLLATE "default", format_type(a.atttypid, a.atttypmod)
      FROM pg_attribute a WHERE a.attrelid = 'ceptoar.shared_reports'::regclass AND a.attnum > 0 ORDER BY a.attnum$$,
  $$SELECT a.attname::text COLLATE "default", format_type(a.atttypid, a.atttypmod)
      FROM pg_attribute a WHERE a.attrelid = 'ceptoar.report'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL VALUES ('identified', 'boolean')$$,
  'shared_reports has the report''s columns in their order and types, and identified');
SELECT results_eq(
  $$SELECT c.relname::text COLLATE "default", c.reloptions COLLATE "default", pg_get_userbyid(c.relowner) = pg_get_userbyid(r.relowner)
      FROM pg_class c, pg_class r
     WHERE c.relnamespace = 'ceptoar'::regnamespace AND c.relname IN ('shared_reports', '_viewer')
       AND r.oid = 'ceptoar.report'::regclass ORDER BY 1$$,
  $$VALUES ('_viewer', NULL::text[], true), ('shared_reports', '{security_barrier=true}', true)$$,
  'shared_reports is a security barrier, and both are the owner''s views (they read the tables as the owner)');
SELECT columns_are('ceptoar', '_viewer', ARRAY['kind', 'code', 'ceptoar'], 'view ceptoar._viewer has kind, code and ceptoar');

-- Row-level security (0.4, issue 13 section 2, 220_access.sql): ENABLEd, not FORCEd, on the
-- registry's tables, and exactly these policies
SELECT results_eq(
  $$SELECT c.relname::text COLLATE "default", c.relforcerowsecurity FROM pg_class c
     WHERE c.relnamespace = 'ceptoar'::regnamespace AND c.relrowsecurity ORDER BY 1$$,
  $$VALUES ('alert', false), ('alert_delivery', false), ('operator', false), ('report', false),
           ('report_delivery', false), ('report_link', false), ('report_recipient', false),
           ('report_revision', false), ('report_step', false), ('report_verdicts', false),
           ('report_verification', false)$$,
  'row-level security is enabled (not forced) on the registry''s tables');
SELECT results_eq(
  $$SELECT tablename::text COLLATE "default", policyname::text COLLATE "default", permissive COLLATE "default",
           roles::text[] COLLATE "default", cmd COLLATE "default",
           qual IS NOT NULL, with_check IS NOT NULL
      FROM pg_policies WHERE schemaname = 'ceptoar' ORDER BY 1, 2$$,
  $$VALUES
    ('alert', 'alert_issue', 'PERMISSIVE', '{public}'::text[], 'INSERT', false, true),
    ('alert', 'alert_visible', 'PERMISSIVE', '{public}', 'SELECT', true, false),
    ('alert_delivery', 'alert_delivery_acknowledge', 'PERMISSIVE', '{public}', 'UPDATE', true, true),
    ('alert_delivery', 'alert_delivery_deliver', 'PERMISSIVE', '{public}', 'INSERT', false, true),
    ('alert_delivery', 'alert_delivery_visible', 'PERMISSIVE', '{public}', 'SELECT', true, false),
    ('operator', 'operator_update', 'PERMISSIVE', '{public}', 'UPDATE', true, true),
    ('operator', 'operator_visible', 'PERMISSIVE', '{public}', 'SELECT', true, false),
    ('report', 'report_ministry', 'PERMISSIVE', '{public}', 'ALL', true, false),
    ('report', 'report_nisc', 'PERMISSIVE', '{public}', 'ALL', true, false),
    ('report', 'report_operator', 'PERMISSIVE', '{public}', 'ALL', true, false),
    ('report_delivery', 'report_delivery_acknowledge', 'PERMISSIVE', '{public}', 'UPDATE', true, true),
    ('report_delivery', 'report_delivery_visible', 'PERMISSIVE', '{public}', 'SELECT', true, false),
    ('report_link', 'report_link_visible', 'PERMISSIVE', '{public}', 'ALL', true, false),
    ('report_recipient', 'report_recipient_name', 'PERMISSIVE', '{public}', 'INSERT', false, true),
    ('report_recipient', 'report_recipient_visible', 'PERMISSIVE', '{public}', 'SELECT', true, false),
    ('report_revision', 'report_revision_visible', 'PERMISSIVE', '{public}', 'SELECT', true, false),
    ('report_step', 'report_step_visible', 'PERMISSIVE', '{public}', 'ALL', true, false),
    ('report_verdicts', 'report_verdicts_visible', 'PERMISSIVE', '{public}', 'SELECT', true, false),
    ('report_verification', 'report_verification_verify', 'PERMISSIVE', '{public}', 'INSERT', false, true),
    ('report_verification', 'report_verification_visible', 'PERMISSIVE', '{public}', 'SELECT', true, false)$$,
  'the policies of schema ceptoar (220_access.sql): permissive, TO PUBLIC, by command');
SELECT columns_are('ceptoar', 'unacknowledged', ARRAY['subject', 'id', 'recipient', 'recipient_kind',
  'delivered_at', 'waiting'], 'view ceptoar.unacknowledged has the expected columns');
SELECT results_eq(
  $$SELECT a.attname::text COLLATE "default", format_type(a.atttypid, a.atttypmod)
      FROM pg_attribute a WHERE a.attrelid = 'ceptoar.unacknowledged'::regclass AND a.attnum > 0 ORDER BY a.attnum$$,
  $$VALUES ('subject', 'text'), ('id', 'uuid'), ('recipient', 'text'), ('recipient_kind', 'text'),
           ('delivered_at', 'timestamp with time zone'), ('waiting', 'interval')$$,
  'unacknowledged''s columns have the documented types');
SELECT is((SELECT reloptions FROM pg_class WHERE oid = 'ceptoar.unacknowledged'::regclass),
  ARRAY['security_invoker=true'], 'unacknowledged runs with the reader''s privileges (security_invoker)');
SELECT has_view('ceptoar', v, format('view ceptoar.%s should exist', v))
  FROM unnest(ARRAY['plans', 'plan_revisions', 'sectors', 'ministries', 'ministry_sectors',
                    'ceptoars', 'services']) AS v;

SELECT columns_are('ceptoar', 'plans', ARRAY['code', 'ordinal', 'name_ja', 'name_en',
  'decided_by_ja', 'decided', 'last_revised', 'period', 'sectors', 'source'],
  'view ceptoar.plans has the expected columns');
SELECT columns_are('ceptoar', 'plan_revisions', ARRAY['plan', 'effective', 'note', 'sectors', 'source'],
  'view ceptoar.plan_revisions has the expected columns');
SELECT columns_are('ceptoar', 'sectors', ARRAY['code', 'nisc_order', 'name_ja', 'name_en',
  'plans', 'added_in', 'source'],
  'view ceptoar.sectors has the expected columns');
SELECT columns_are('ceptoar', 'ministries', ARRAY['code', 'name_ja', 'name_en', 'established',
  'abolished', 'sectors_2nd_plan', 'sectors_today', 'source'],
  'view ceptoar.ministries has the expected columns');
SELECT columns_are('ceptoar', 'ministry_sectors', ARRAY['sector', 'ministry', 'valid_from',
  'valid_to', 'source'],
  'view ceptoar.ministry_sectors has the expected columns');
SELECT columns_are('ceptoar', 'ceptoars', ARRAY['ordinal', 'sector', 'scope_ja', 'scope_en',
  'name', 'secretariat_ja', 'secretariat_en', 'members_ja', 'emergency_contact_since',
  'handling_rules_set', 'information_ja', 'means_of_contact', 'source', 'code'],
  'view ceptoar.ceptoars has the expected columns (code last, since 0.4)');
SELECT columns_are('ceptoar', 'services', ARRAY['code', 'sector', 'parent', 'depth', 'kind',
  'scope_ja', 'scope_en', 'name_ja', 'name_en', 'unit', 'source'],
  'view ceptoar.services has the expected columns');

-- key columns: the extension's types
SELECT col_type_is('ceptoar', 'plans', 'sectors', 'ceptoar', 'sector[]', 'plans.sectors is ceptoar.sector[]');
SELECT col_type_is('ceptoar', 'plan_revisions', 'sectors', 'ceptoar', 'sector[]', 'plan_revisions.sectors is ceptoar.sector[]');
SELECT col_type_is('ceptoar', 'sectors', 'code', 'ceptoar', 'sector', 'sectors.code is ceptoar.sector');
SELECT col_type_is('ceptoar', 'ministries', 'sectors_2nd_plan', 'ceptoar', 'sector[]', 'ministries.sectors_2nd_plan is ceptoar.sector[]');
SELECT col_type_is('ceptoar', 'ministries', 'sectors_today', 'ceptoar', 'sector[]', 'ministries.sectors_today is ceptoar.sector[]');
SELECT col_type_is('ceptoar', 'ministry_sectors', 'sector', 'ceptoar', 'sector', 'ministry_sectors.sector is ceptoar.sector');
SELECT col_type_is('ceptoar', 'ceptoars', 'sector', 'ceptoar', 'sector', 'ceptoars.sector is ceptoar.sector');
SELECT col_type_is('ceptoar', 'services', 'code', 'ceptoar', 'service', 'services.code is ceptoar.service');
SELECT col_type_is('ceptoar', 'services', 'sector', 'ceptoar', 'sector', 'services.sector is ceptoar.sector');
SELECT col_type_is('ceptoar', 'services', 'parent', 'ceptoar', 'service', 'services.parent is ceptoar.service');
-- and a few plain ones that joins and reports rely on
SELECT col_type_is('ceptoar'::name, 'sectors'::name, 'nisc_order'::name, 'integer'::text, 'sectors.nisc_order is integer');
SELECT col_type_is('ceptoar'::name, 'services'::name, 'depth'::name, 'integer'::text, 'services.depth is integer');
SELECT col_type_is('ceptoar'::name, 'plan_revisions'::name, 'effective'::name, 'date'::text, 'plan_revisions.effective is date');
SELECT col_type_is('ceptoar'::name, 'ministry_sectors'::name, 'valid_from'::name, 'date'::text, 'ministry_sectors.valid_from is date');
SELECT col_type_is('ceptoar'::name, 'ministry_sectors'::name, 'valid_to'::name, 'date'::text, 'ministry_sectors.valid_to is date');

-- ---------------------------------------------------------------------------
-- Behaviour.  The operators live in schema ceptoar, so put it on the path.
-- (Careful: ORDER BY s after SELECT s::text would sort the text; alias the text.)
SET LOCAL search_path = public, ceptoar;

-- EXPLAIN text of a query, to see which plan the settings forced.
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  line text;
  result text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    result := result || line || E'\n';
  END LOOP;
  RETURN result;
END $$;

-- NISC order
SELECT results_eq(
  $$SELECT s::text AS label FROM unnest('{port,gas,telecom,water,credit,aviation,medical,rail,finance,
                                 chemical,airport,petroleum,government,electricity,logistics}'::ceptoar.sector[]) AS s
     ORDER BY s$$,
  ARRAY['telecom', 'finance', 'aviation', 'airport', 'rail', 'electricity', 'gas', 'government',
        'medical', 'water', 'logistics', 'chemical', 'credit', 'petroleum', 'port'],
  'ORDER BY sector follows NISC order');
SELECT results_eq(
  $$SELECT code::text AS label, nisc_order, ceptoar.nisc_order(code) FROM ceptoar.sectors ORDER BY code$$,
  $$SELECT s, n::int, n::int
      FROM unnest(ARRAY['telecom', 'finance', 'aviation', 'airport', 'rail', 'electricity', 'gas',
                        'government', 'medical', 'water', 'logistics', 'chemical', 'credit',
                        'petroleum', 'port']) WITH ORDINALITY AS x(s, n)$$,
  'the sectors view and nisc_order() number the sectors 1 to 15 in that order');
SELECT is_empty(
  $$SELECT a.code, b.code
      FROM ceptoar.sectors a CROSS JOIN ceptoar.sectors b
     WHERE (a.code =  b.code) IS DISTINCT FROM (a.nisc_order =  b.nisc_order)
        OR (a.code <> b.code) IS DISTINCT FROM (a.nisc_order <> b.nisc_order)
        OR (a.code <  b.code) IS DISTINCT FROM (a.nisc_order <  b.nisc_order)
        OR (a.code <= b.code) IS DISTINCT FROM (a.nisc_order <= b.nisc_order)
        OR (a.code >  b.code) IS DISTINCT FROM (a.nisc_order >  b.nisc_order)
        OR (a.code >= b.code) IS DISTINCT FROM (a.nisc_order >= b.nisc_order)
        OR sign(ceptoar.sector_cmp(a.code, b.code)) <> sign(a.nisc_order - b.nisc_order)$$,
  'the sector operators and sector_cmp agree with nisc_order on every pair');

-- The service catalogue is listed in catalogue order (sectors in NISC order,
-- parents before children), and that is the btree order.
SELECT results_eq(
  $$SELECT code::text AS label FROM ceptoar.services ORDER BY code$$,
  $$SELECT code::text FROM ceptoar.services$$,
  'ORDER BY service gives the catalogue order of the services view');
SELECT is_empty(
  $$SELECT code FROM ceptoar.services
     WHERE ceptoar.parent(code) IS DISTINCT FROM parent
        OR ceptoar.depth(code) <> depth
        OR ceptoar.sector(code) <> sector
        OR code::text::ceptoar.service <> code
        OR (parent IS NOT NULL AND NOT parent < code)
        OR (parent IS NULL) <> (depth = 1)$$,
  'parent(), depth(), sector() and text I/O agree with the services view; parents sort first');
SELECT is_empty(
  $$WITH RECURSIVE anc (d, a) AS (
      SELECT code, code FROM ceptoar.services
      UNION ALL
      SELECT anc.d, s.parent FROM anc JOIN ceptoar.services s ON s.code = anc.a
       WHERE s.parent IS NOT NULL)
    SELECT x.code, y.code
      FROM ceptoar.services x CROSS JOIN ceptoar.services y
     WHERE (x.code @> y.code) IS DISTINCT FROM
             EXISTS (SELECT 1 FROM anc WHERE anc.d::text = y.code::text AND anc.a::text = x.code::text)
        OR (y.code <@ x.code) IS DISTINCT FROM (x.code @> y.code)
        OR sign(ceptoar.service_cmp(x.code, y.code)) <> (x.code > y.code)::int - (x.code < y.code)::int$$,
  'service @> is ancestor-or-self, <@ its commutator, service_cmp agrees with < and >, on every pair');

-- Casts
SELECT is('finance.bank.deposit'::ceptoar.service::ceptoar.sector, 'finance'::ceptoar.sector,
  'service::sector gives the sector of the service');
SELECT is_empty(
  $$SELECT code FROM ceptoar.sectors
     WHERE code::ceptoar.service::ceptoar.sector <> code
        OR ceptoar.depth(code::ceptoar.service) <> 1
        OR code::ceptoar.service::text <> code::text$$,
  'sector::service is the root of the sector''s services and casts back');

-- tlp: the order of restriction, and min()/max() follow it
SELECT results_eq(
  $$SELECT t::text AS label, ceptoar.tlp_rank(t)
      FROM unnest('{red,TLP:CLEAR,amber+strict,green,Amber,white}'::ceptoar.tlp[]) AS t ORDER BY t$$,
  $$VALUES ('clear', 0), ('clear', 0), ('green', 1), ('amber', 2), ('amber+strict', 3), ('red', 4)$$,
  'ORDER BY tlp: clear < green < amber < amber+strict < red; white reads as clear');
SELECT results_eq(
  $$SELECT ceptoar.min(t)::text, ceptoar.max(t)::text, ceptoar.min(s)::text, ceptoar.max(s)::text
      FROM (VALUES ('amber'::ceptoar.tlp, 'gas'::ceptoar.sector), ('red', 'port'), ('green', 'finance')) v(t, s)$$,
  $$VALUES ('green', 'red', 'finance', 'port')$$,
  'min() and max() of tlp and sector follow their btree order');

-- Literals: codes in any case, blanks ignored
SELECT is(' Electricity '::ceptoar.sector::text, 'electricity', 'sector literals ignore case and blanks');
SELECT is(' Finance.BANK.deposit '::ceptoar.service::text, 'finance.bank.deposit',
  'service literals ignore case and blanks');

-- Indexes: a btree and a hash index on each type can be built and are used.
CREATE TEMP TABLE idx_a (s ceptoar.sector, v ceptoar.service);
INSERT INTO idx_a SELECT sector, code FROM ceptoar.services, generate_series(1, 20);
CREATE TEMP TABLE idx_b AS SELECT * FROM idx_a;

SELECT lives_ok('CREATE INDEX idx_a_s_btree ON idx_a USING btree (s)', 'btree index on sector');
SELECT lives_ok('CREATE INDEX idx_a_v_hash ON idx_a USING hash (v)', 'hash index on service');
SELECT lives_ok('CREATE INDEX idx_b_s_hash ON idx_b USING hash (s)', 'hash index on sector');
SELECT lives_ok('CREATE INDEX idx_b_v_btree ON idx_b USING btree (v)', 'btree index on service');
ANALYZE idx_a, idx_b;

SET LOCAL enable_seqscan = off;

SELECT matches(pg_temp.plan_of($$SELECT * FROM idx_a WHERE s BETWEEN 'airport' AND 'gas'$$),
  'idx_a_s_btree', 'a range over sectors uses the btree index');
SELECT results_eq(
  $$SELECT s::text AS label FROM (SELECT DISTINCT s FROM idx_a WHERE s BETWEEN 'airport' AND 'gas') x ORDER BY s$$,
  ARRAY['airport', 'rail', 'electricity', 'gas'],
  'the btree index on sector finds the range in NISC order');

SELECT matches(pg_temp.plan_of($$SELECT * FROM idx_b WHERE s = 'water'$$),
  'idx_b_s_hash', 'equality on sector uses the hash index');
SELECT results_eq(
  $$SELECT count(*)::int FROM idx_b WHERE s = 'water'$$,
  $$SELECT 20 * count(*)::int FROM ceptoar.services WHERE sector::text = 'water'$$,
  'the hash index on sector finds every row');

SELECT matches(pg_temp.plan_of($$SELECT * FROM idx_a WHERE v = 'finance.bank.deposit'$$),
  'idx_a_v_hash', 'equality on service uses the hash index');
SELECT results_eq(
  $$SELECT count(*)::int FROM idx_a WHERE v = 'finance.bank.deposit'$$,
  ARRAY[20],
  'the hash index on service finds every row');

SELECT matches(pg_temp.plan_of($$SELECT * FROM idx_b WHERE v >= 'finance' AND v < 'aviation'$$),
  'idx_b_v_btree', 'a range over services uses the btree index');
SELECT results_eq(
  $$SELECT v::text AS label FROM (SELECT DISTINCT v FROM idx_b WHERE v >= 'finance' AND v < 'aviation') x ORDER BY v$$,
  $$SELECT code::text FROM ceptoar.services WHERE sector::text = 'finance'$$,
  'a sector''s services are one contiguous btree range, in catalogue order');

-- Sorting: by index and by explicit sort agree.
SET LOCAL enable_sort = off;
SELECT matches(pg_temp.plan_of('SELECT s FROM idx_a ORDER BY s'), 'idx_a_s_btree',
  'ORDER BY sector can read the btree index');
SELECT results_eq(
  'SELECT s::text AS label FROM idx_a ORDER BY s',
  'SELECT s::text AS label FROM idx_a ORDER BY ceptoar.nisc_order(s)',
  'index order of sectors is NISC order');
RESET enable_sort;
SET LOCAL enable_seqscan = on;

-- Grouping: sort-based and hash-based aggregation agree with each other and with text.
SET LOCAL enable_hashagg = off;
SELECT matches(pg_temp.plan_of('SELECT s, count(*) FROM idx_b GROUP BY s'), 'GroupAggregate',
  'GROUP BY sector can sort');
CREATE TEMP TABLE grp_sorted AS SELECT s::text, count(*)::int AS n FROM idx_b GROUP BY s;
CREATE TEMP TABLE grp_sorted_v AS SELECT v::text, count(*)::int AS n FROM idx_a GROUP BY v;
RESET enable_hashagg;
SET LOCAL enable_sort = off;
SELECT matches(pg_temp.plan_of('SELECT s, count(*) FROM idx_b GROUP BY s'), 'HashAggregate',
  'GROUP BY sector can hash');
CREATE TEMP TABLE grp_hashed AS SELECT s::text, count(*)::int AS n FROM idx_b GROUP BY s;
CREATE TEMP TABLE grp_hashed_v AS SELECT v::text, count(*)::int AS n FROM idx_a GROUP BY v;
RESET enable_sort;

SELECT set_eq('SELECT * FROM grp_sorted', 'SELECT * FROM grp_hashed',
  'sorted and hashed GROUP BY sector agree');
SELECT set_eq('SELECT * FROM grp_hashed',
  'SELECT sector::text, 20 * count(*)::int FROM ceptoar.services GROUP BY sector::text',
  'GROUP BY sector gives one group per sector with every row');
SELECT set_eq('SELECT * FROM grp_sorted_v', 'SELECT * FROM grp_hashed_v',
  'sorted and hashed GROUP BY service agree');
SELECT is((SELECT count(*)::int FROM grp_hashed_v), (SELECT count(*)::int FROM ceptoar.services),
  'GROUP BY service gives one group per service');

-- Joins: hash join and merge join on sector agree.
SET LOCAL enable_mergejoin = off;
SET LOCAL enable_nestloop = off;
SELECT matches(pg_temp.plan_of('SELECT * FROM ceptoar.sectors x JOIN ceptoar.services y ON y.sector = x.code'),
  'Hash Join', 'a join on sector can hash');
CREATE TEMP TABLE join_hashed AS
  SELECT x.code::text AS s, y.code::text AS v FROM ceptoar.sectors x JOIN ceptoar.services y ON y.sector = x.code;
RESET enable_mergejoin;
SET LOCAL enable_hashjoin = off;
SELECT matches(pg_temp.plan_of('SELECT * FROM ceptoar.sectors x JOIN ceptoar.services y ON y.sector = x.code'),
  'Merge Join', 'a join on sector can merge');
CREATE TEMP TABLE join_merged AS
  SELECT x.code::text AS s, y.code::text AS v FROM ceptoar.sectors x JOIN ceptoar.services y ON y.sector = x.code;
RESET enable_hashjoin;
RESET enable_nestloop;
SELECT set_eq('SELECT * FROM join_hashed', 'SELECT * FROM join_merged',
  'hash join and merge join on sector agree');
SELECT set_eq('SELECT * FROM join_hashed',
  'SELECT sector::text, code::text FROM ceptoar.services',
  'the join pairs every service with its sector');

-- ---------------------------------------------------------------------------
-- Errors

SELECT throws_ok($$SELECT 'nope'::ceptoar.sector$$, '22P02', NULL, 'unknown sector literal: 22P02');
SELECT throws_ok($$SELECT ''::ceptoar.sector$$, '22P02', NULL, 'empty sector literal: 22P02');
SELECT throws_ok($$SELECT 'telecom.x'::ceptoar.sector$$, '22P02', NULL, 'a service path is not a sector literal: 22P02');
SELECT throws_ok($$SELECT 'electricity.nope'::ceptoar.service$$, '22P02', NULL, 'unknown service of a sector: 22P02');
SELECT throws_ok($$SELECT 'nope.supply'::ceptoar.service$$, '22P02', NULL, 'service of an unknown sector: 22P02');
SELECT throws_ok($$SELECT ''::ceptoar.service$$, '22P02', NULL, 'empty service literal: 22P02');
SELECT throws_ok($$SELECT 'amber strict'::ceptoar.tlp$$, '22P02', NULL, 'unknown tlp literal: 22P02');
SELECT throws_ok($$SELECT 'TLP:'::ceptoar.tlp$$, '22P02', NULL, 'empty tlp literal: 22P02');
SELECT throws_ok($$SELECT * FROM ceptoar.sectors('5th')$$, '22023', NULL, 'unknown plan in sectors(): 22023');
SELECT throws_ok($$SELECT * FROM ceptoar.sectors_on('infinity')$$, '22023', NULL, 'infinite date in sectors_on(): 22023');
SELECT throws_ok($$SELECT ceptoar.ministry('gas', '-infinity')$$, '22023', NULL, 'infinite date in ministry(): 22023');

-- impact(bigint[], ...)'s planner support function (0.6): its call loads the module before
-- the planner chooses the call's scan (src/impact_scan.c)
SELECT is((SELECT prosupport::oid FROM pg_proc
            WHERE oid = 'ceptoar.impact(bigint[],timestamptz,interval,geometry,interval)'::regprocedure),
          'ceptoar._impact_plan_support(internal)'::regprocedure::oid,
          'impact(bigint[], ...) has its planner support function');

SELECT * FROM finish();
ROLLBACK;
