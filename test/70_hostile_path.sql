-- 70_hostile_path.sql: look-alikes of the extension's own objects cannot take their place.
-- 20_search_path.sql shadows a few pg_catalog operators; here a schema placed before
-- ceptoar (and pg_temp, placed first) holds a trap of the same name and signature for
-- every function, operator, type and table of the extension, and for every pg_catalog
-- operator on the scalar types its SQL uses.  Each call of a list is made twice, under a
-- plain path and under the hostile one, and must give the same answer: any unqualified
-- name in a SQL or PL/pgSQL body, or in an SPI query of the C code, would resolve to a
-- trap (which raises) or to an empty table of the wrong shape.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS ceptoar_registry CASCADE;

CREATE SCHEMA regress_hostile;
CREATE ROLE regress_hostile_party;
CREATE ROLE regress_hostile_op;
-- Generated while the path is pg_catalog alone, so that every type prints qualified.
SET LOCAL search_path = pg_catalog;
CREATE FUNCTION pg_temp.make_lookalikes(nsp text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  r record;
  made int := 0;
BEGIN
  -- functions of the extension (not those on pseudo-types: I/O, support, triggers)
  FOR r IN SELECT p.oid, p.proname FROM pg_proc p
            WHERE p.pronamespace = 'ceptoar'::regnamespace AND p.prokind = 'f'
              AND NOT EXISTS (SELECT 1 FROM unnest(p.proargtypes::oid[] || p.prorettype) t(t)
                              JOIN pg_type ty ON ty.oid = t.t WHERE ty.typtype = 'p')
  LOOP
    EXECUTE format('CREATE FUNCTION %I.%I(%s) RETURNS %s LANGUAGE plpgsql AS %L', nsp, r.proname,
                   pg_get_function_arguments(r.oid), pg_get_function_result(r.oid),
                   format('BEGIN RAISE EXCEPTION USING MESSAGE = %L; END', 'trapped: ' || nsp || ' look-alike of ' || r.oid::regprocedure));
    made := made + 1;
  END LOOP;
  IF nsp = 'pg_temp' THEN RETURN made; END IF;   -- operators cannot be created in pg_temp
  -- operators of the extension, and pg_catalog's on the scalar types its SQL uses
  FOR r IN SELECT o.oid, o.oprname, o.oprleft::regtype AS l, o.oprright::regtype AS rt, o.oprresult::regtype AS res
             FROM pg_operator o
            WHERE o.oprkind = 'b'
              AND (o.oprnamespace = 'ceptoar'::regnamespace
                   OR (o.oprnamespace = 'pg_catalog'::regnamespace
                       AND o.oprleft IN ('text'::regtype, 'name'::regtype, 'int4'::regtype, 'int8'::regtype,
                                         'numeric'::regtype, 'float8'::regtype, 'interval'::regtype, 'date'::regtype,
                                         'timestamptz'::regtype, 'bool'::regtype, 'oid'::regtype)
                       AND o.oprright IN ('text'::regtype, 'name'::regtype, 'int4'::regtype, 'int8'::regtype,
                                          'numeric'::regtype, 'float8'::regtype, 'interval'::regtype, 'date'::regtype,
                                          'timestamptz'::regtype, 'bool'::regtype, 'oid'::regtype)))
  LOOP
    EXECUTE format('CREATE FUNCTION %I.op_trap_%s(%s, %s) RETURNS %s LANGUAGE plpgsql AS %L', nsp, r.oid, r.l, r.rt, r.res,
                   format('BEGIN RAISE EXCEPTION USING MESSAGE = %L; END', 'trapped: look-alike of operator ' || r.oid::regoperator));
    EXECUTE format('CREATE OPERATOR %I.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %I.op_trap_%s)',
                   nsp, r.oprname, r.l, r.rt, nsp, r.oid);
    made := made + 1;
  END LOOP;
  -- tables and views of the extension: same names, wrong shape
  FOR r IN SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = 'ceptoar'::regnamespace AND c.relkind IN ('r', 'v', 'p')
  LOOP
    EXECUTE format('CREATE TABLE %I.%I (trapped int)', nsp, r.relname);
    made := made + 1;
  END LOOP;
  -- other types (base, composite, enum): a domain whose check raises
  FOR r IN SELECT t.typname FROM pg_type t
            WHERE t.typnamespace = 'ceptoar'::regnamespace AND t.typcategory <> 'A'
              AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind IN ('r', 'v', 'p'))
  LOOP
    EXECUTE format('CREATE DOMAIN %I.%I AS text CHECK (%I.trap_check(VALUE))', nsp, r.typname, nsp);
    made := made + 1;
  END LOOP;
  RETURN made;
END $$;
CREATE FUNCTION regress_hostile.trap_check(text) RETURNS boolean LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'trapped: look-alike type'; END $$;
CREATE TEMP TABLE lookalikes AS
  SELECT pg_temp.make_lookalikes('regress_hostile') AS hostile, pg_temp.make_lookalikes('pg_temp') AS temp;
-- tables of the extension's names in pg_temp, searched first for relations whatever the path
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname FROM pg_catalog.pg_class c
            WHERE c.relnamespace = 'ceptoar'::pg_catalog.regnamespace AND c.relkind IN ('r', 'v', 'p')
  LOOP
    EXECUTE pg_catalog.format('CREATE TEMP TABLE %I (trapped int)', r.relname);
  END LOOP;
END $$;

-- data: a user rule set, a small graph
INSERT INTO ceptoar.rule_set (code, kind) VALUES ('regress-hostile', 'service_level');
INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('regress-hostile', 'gas', 'households >= 1');
INSERT INTO ceptoar.operator (code, name, sector) VALUES
  ('p', 'P', 'electricity'), ('g', 'G', 'gas'), ('w', 'W', 'water'), ('r', 'R', 'rail');
INSERT INTO ceptoar.service_instance (id, service, operator, population) VALUES
  (1, 'electricity.supply', 'p', 10), (2, 'gas.supply', 'g', 5), (3, 'water.supply', 'w', 7);
INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (2, 1, '1 hour'), (3, 1, '30 min');
-- federation (0.5): an audience, so that this database is a hub (the copy triggers work)
INSERT INTO ceptoar.federation_audience (code, kind, party_code) VALUES ('regress_elec', 'ceptoar', 'electricity');

-- pg_temp.run(sql): the one value sql returns, as text, or its error; the body qualifies
-- everything, as it runs under the hostile path too.
CREATE FUNCTION pg_temp.run(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE stmt INTO r;
  RETURN r;
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR: ' OPERATOR(pg_catalog.||) SQLERRM;
END $$;

CREATE TEMP TABLE drv_cast (s ceptoar.sector, l ceptoar.tlp, c ceptoar.criterion);
CREATE TEMP TABLE calls (seq serial, name text, stmt text, plain text, hostile text);
INSERT INTO calls (name, stmt) VALUES
  ('fiscal_year(timestamptz)', $$SELECT ceptoar.fiscal_year('2024-03-31 15:00+00'::timestamptz)$$),
  ('fiscal_year(date)', $$SELECT ceptoar.fiscal_year('2024-03-31'::date)$$),
  ('ministry', $$SELECT ceptoar.ministry('water'::ceptoar.sector, '2024-04-01'::date)::text$$),
  ('sectors(plan)', $$SELECT pg_catalog.string_agg(s::text, ',') FROM ceptoar.sectors('2nd') s$$),
  ('sectors_on', $$SELECT pg_catalog.count(*) FROM ceptoar.sectors_on('2017-06-01')$$),
  ('catalogue views', $$SELECT pg_catalog.concat_ws(',', (SELECT pg_catalog.count(*) FROM ceptoar.plans),
      (SELECT pg_catalog.count(*) FROM ceptoar.plan_revisions), (SELECT pg_catalog.count(*) FROM ceptoar.sectors),
      (SELECT pg_catalog.count(*) FROM ceptoar.ministries), (SELECT pg_catalog.count(*) FROM ceptoar.ministry_sectors),
      (SELECT pg_catalog.count(*) FROM ceptoar.ceptoars), (SELECT pg_catalog.count(*) FROM ceptoar.services))$$),
  ('service tree', $$SELECT pg_catalog.concat_ws(',', ceptoar.parent('finance.bank.deposit'::ceptoar.service),
      ceptoar.depth('finance.bank.deposit'::ceptoar.service), ceptoar.name_en('finance.bank'::ceptoar.service),
      ceptoar.sector('finance.bank.deposit'::ceptoar.service),
      'finance.bank.deposit'::ceptoar.service OPERATOR(ceptoar.<@) 'finance.bank'::ceptoar.service)$$),
  ('incident constructor', $$SELECT ceptoar.incident('gas.supply'::ceptoar.service, '2024-01-15 09:00+09'::timestamptz,
      '2 hours'::interval, households => 31::bigint)::text$$),
  ('accessors', $$SELECT pg_catalog.concat_ws(',', ceptoar.user_hours(i), ceptoar.ended(i), ceptoar.sector(i), ceptoar.lasted(i))
      FROM (SELECT 'service=telecom.telecommunications.voice, began=2024-01-15 09:00+09, lasted=3 h, users=45000'::ceptoar.incident AS i) x$$),
  ('evaluate', $$SELECT ceptoar.evaluate('users >= 30000 and duration >= 2 h'::ceptoar.criterion,
      'service=telecom.telecommunications.voice, began=2024-01-15 09:00+09, lasted=3 h, users=45000'::ceptoar.incident)$$),
  ('classify, shipped set', $$SELECT ceptoar.classify('service=telecom.telecommunications.voice, began=2024-01-15 09:00+09, lasted=3 h 10 min, users=45000'::ceptoar.incident, 'telecom-2015')::text$$),
  ('classify, default set', $$SELECT ceptoar.classify('service=electricity.supply, began=2024-01-15 09:00+09, lasted=1 h'::ceptoar.incident)::text$$),
  ('exceeds, user set', $$SELECT ceptoar.exceeds('service=gas.supply, began=2024-01-15, households=1'::ceptoar.incident, 'regress-hostile')$$),
  ('incident order and hashing', $$SELECT pg_catalog.string_agg(x::text, ' | ' ORDER BY x) FROM (SELECT DISTINCT x FROM (VALUES
      ('service=gas.supply, began=2024-01-15 09:00+09'::ceptoar.incident), ('service=gas.supply, began=2024-01-14 09:00+09'::ceptoar.incident),
      ('service=gas.supply, began=2024-01-15 09:00+09'::ceptoar.incident)) v(x)) d$$),
  ('impact(bigint)', $$SELECT pg_catalog.string_agg(x::text, ' | ' ORDER BY x::text) FROM ceptoar.impact(1::bigint, '2024-01-15 09:00+09', '2 hours') x$$),
  ('impact(bigint[])', $$SELECT pg_catalog.count(*) FROM ceptoar.impact(ARRAY[1, 2]::bigint[], '2024-01-15 09:00+09', '2 hours')$$),
  ('impact(incident)', $$SELECT pg_catalog.count(*) FROM ceptoar.impact('service=electricity.supply, began=2024-01-15 09:00+09, lasted=2 h'::ceptoar.incident, 1::bigint)$$),
  ('impact_timeline', $$SELECT pg_catalog.string_agg(x::text, ' | ' ORDER BY x::text) FROM ceptoar.impact_timeline(1::bigint, '2024-01-15 09:00+09', '2 hours') x$$),
  ('impact_map(bigint)', $$SELECT pg_catalog.md5(ceptoar.impact_map(1::bigint, '2024-01-15 09:00+09', '2 hours',
      background => (SELECT pg_catalog.array_agg(s.area ORDER BY s.id) FROM ceptoar.service_instance s)))$$),
  ('impact_map(bigint[])', $$SELECT pg_catalog.md5(ceptoar.impact_map(ARRAY[1, 2]::bigint[], '2024-01-15 09:00+09', '2 hours', title => '<&>'))$$),
  ('impact_map(incident)', $$SELECT pg_catalog.md5(ceptoar.impact_map('service=electricity.supply, began=2024-01-15 09:00+09, lasted=2 h'::ceptoar.incident, 1::bigint))$$),
  ('_xml_escape', $$SELECT ceptoar._xml_escape('<a href="x">''&''</a>' OPERATOR(pg_catalog.||) pg_catalog.chr(1))$$),
  ('sector_impact', $$SELECT pg_catalog.string_agg(x::text, ' | ' ORDER BY x::text) FROM ceptoar.sector_impact('electricity', '2 hours') x$$),
  ('inoperability', $$SELECT ceptoar.inoperability(ARRAY[[0, 0.5], [0.2, 0]]::float8[], ARRAY[0.1, 0]::float8[])::text$$),
  ('sector_inoperability', $$SELECT pg_catalog.count(*) FROM ceptoar.sector_inoperability(ARRAY['electricity']::ceptoar.sector[], ARRAY[0.5]::float8[]) x$$),
  ('tlp', $$SELECT pg_catalog.concat_ws(',', 'TLP:AMBER+STRICT'::ceptoar.tlp, ceptoar.tlp_rank('white'::ceptoar.tlp),
      'amber'::ceptoar.tlp OPERATOR(ceptoar.<) 'red'::ceptoar.tlp, ceptoar.tlp_send('red'::ceptoar.tlp))$$),
  ('min and max', $$SELECT pg_catalog.concat_ws(',', ceptoar.min(t), ceptoar.max(t), ceptoar.min(s), ceptoar.max(v),
      ceptoar.began(ceptoar.max(i)))
      FROM (VALUES ('amber'::ceptoar.tlp, 'gas'::ceptoar.sector, 'gas.supply'::ceptoar.service,
                    'service=gas.supply, began=2024-01-15 09:00+09'::ceptoar.incident),
                   ('red', 'port', 'telecom', 'service=telecom, began=2024-01-14 09:00+09'::ceptoar.incident)) v(t, s, v, i)$$),
  ('CEPTOAR codes', $$SELECT pg_catalog.concat_ws(',', (SELECT pg_catalog.string_agg(c.code, ',' ORDER BY c.ordinal) FROM ceptoar.ceptoars c),
      ceptoar.ceptoar_exists('finance'), ceptoar.ceptoar_exists('banks'))$$),
  ('classify, telecom-2008', $$SELECT ceptoar.classify('service=telecom.telecommunications.voice, began=2014-06-15 10:00+09, lasted=2 h, users=30000'::ceptoar.incident, 'telecom-2008')::text$$),
  ('exercises', $$SELECT pg_catalog.string_agg(e.code OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) e.fiscal_year::text, ',' ORDER BY e.code) FROM ceptoar.exercises e$$),
  ('inspection ratings', $$SELECT pg_catalog.concat_ws(',', ceptoar.inspection_rating(100), ceptoar.inspection_rating(80),
      ceptoar.inspection_rating(79.9), ceptoar.inspection_rating(0), ceptoar.rise_arrows(40.5), ceptoar.rise_arrows(10), ceptoar.rise_arrows(0))$$),
  ('annual statistics', $$SELECT pg_catalog.concat_ws(',', (SELECT pg_catalog.count(*) FROM ceptoar.annual_statistics(2023)),
      (SELECT pg_catalog.count(*) FROM ceptoar.annual_exclusions(2023)), COALESCE(ceptoar._verification_set('2009-02-02'::date), 'none'), ceptoar._verification_set('2009-02-03'::date),
      ceptoar._verification_set('service=rail.passenger, began=2009-02-03 00:00+09'::ceptoar.incident))$$),
  ('my_party', $$SELECT pg_catalog.concat_ws(',', 'party', p.kind, p.code, ceptoar._party_kind(), ceptoar._party_code()) FROM ceptoar.my_party() p$$),
  ('shared_reports', $$SELECT pg_catalog.count(*)::text FROM ceptoar.shared_reports$$),
  ('_audit_read', $$SELECT ceptoar._audit_read('00000000-0000-0000-0000-0000000000ad', 'identity')::text$$),
  ('STIX helpers', $$SELECT pg_catalog.concat_ws(',', ceptoar._stix_uuid('x'), ceptoar._stix_time('2024-01-15 09:00+09'), ceptoar._stix_ours(),
      ceptoar._stix_tlp('amber')->>'id', ceptoar._stix_sectors('port')::text, pg_catalog.jsonb_array_length(ceptoar._stix_fixed()),
      (SELECT pg_catalog.count(*) FROM ceptoar._stix_paths('{"a": [1, {"b": null}]}', '$')))$$),
  ('STIX: _uuid_v5, _stix_value, stix_unmapped_purge', $$SELECT pg_catalog.concat_ws(',', ceptoar._uuid_v5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org'),
      ceptoar._stix_value('$.x', '"2024-01-15T00:00:00.000Z"', 'timestamptz'), ceptoar._stix_value('$.y', '3', 'integer'),
      ceptoar.stix_unmapped_purge('10000 years'))$$),
  ('_stix_check', $$SELECT ceptoar._stix_check(pg_catalog.jsonb_build_object('type', 'bundle', 'id', 'bundle--2fa831bc-ac45-399a-9d95-c54c3760072f',
      'objects', ceptoar._stix_fixed()))::text$$),
  ('drivers: classify and exceeds on text', $$SELECT pg_catalog.concat_ws(',',
      ceptoar.classify('service=gas.supply, began=2024-01-15 09:00+09, households=31'::pg_catalog.text, 'nisc-2009'::pg_catalog.text),
      ceptoar.exceeds('service=gas.supply, began=2024-01-15 09:00+09, households=29'::pg_catalog.varchar))$$),
  ('drivers: LIKE on sector and service', $$SELECT pg_catalog.concat_ws(',',
      'gas'::ceptoar.sector OPERATOR(ceptoar.~~) 'g%', 'gas'::ceptoar.sector OPERATOR(ceptoar.!~~) 'g%',
      'gas'::ceptoar.sector OPERATOR(ceptoar.~~*) 'G%', 'gas'::ceptoar.sector OPERATOR(ceptoar.!~~*) 'G%',
      'finance.bank'::ceptoar.service OPERATOR(ceptoar.~~) 'finance.%', 'finance.bank'::ceptoar.service OPERATOR(ceptoar.!~~) 'finance.%',
      'finance.bank'::ceptoar.service OPERATOR(ceptoar.~~*) 'FINANCE.%', 'finance.bank'::ceptoar.service OPERATOR(ceptoar.!~~*) 'FINANCE.%')$$),
  ('drivers: criterion order and hashing', $$SELECT pg_catalog.string_agg(x::text, ' | ' ORDER BY x) FROM (SELECT DISTINCT x FROM (VALUES
      ('users >= 2'::ceptoar.criterion), ('users >= 10'::ceptoar.criterion), ('users>=2'::ceptoar.criterion)) v(x)) d$$),
  ('drivers: _notices_reach_client', $$SELECT ceptoar._notices_reach_client()::text$$),
  ('drivers: assignment casts', $$WITH i AS (INSERT INTO pg_temp.drv_cast VALUES ('gas'::pg_catalog.text, 'amber'::pg_catalog.varchar,
      'users >= 1'::pg_catalog.text) RETURNING *)
      SELECT pg_catalog.concat_ws(',', ceptoar.name_en(i.s), ceptoar.tlp_rank(i.l), i.c) FROM i$$),
  -- federation (0.5): the statements it writes (federation_tables' regclass as a name, its
  -- text would follow the caller's path), and the rebuilding of the audiences' copies
  ('federation_tables', $$SELECT pg_catalog.string_agg(pg_catalog.concat_ws(' ', c.relname, t.row_filter), ',' ORDER BY t.n)
      FROM ceptoar.federation_tables() WITH ORDINALITY t(tbl, row_filter, n)
      JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) t.tbl::pg_catalog.oid$$),
  ('federation_publication_sql', $$SELECT pg_catalog.string_agg(s, '; ') FROM ceptoar.federation_publication_sql('regress_pub', 1000000) s$$),
  ('federation_subscription_sql', $$SELECT pg_catalog.string_agg(s, '; ') FROM ceptoar.federation_subscription_sql('regress_sub', 'host=hub dbname=registry', 'regress_pub') s$$),
  ('federation_audience_sql', $$SELECT pg_catalog.string_agg(s, '; ') FROM ceptoar.federation_audience_sql('regress_elec', 'red', exercises => true, revoked => false) s$$),
  ('federation_refresh', $$SELECT ceptoar.federation_refresh()$$);

SET LOCAL search_path = "$user", public, ceptoar;   -- the path the README recommends
UPDATE calls SET plain = pg_temp.run(stmt);
SET LOCAL search_path = pg_temp, regress_hostile, pg_catalog, ceptoar, public;
UPDATE calls SET hostile = pg_temp.run(stmt);
-- writes under the hostile path: the rule guard, the cache invalidation, the graph trigger,
-- the sector matrix triggers (a row replacing a shipped one, an edit, a delete)
CREATE TEMP TABLE writes AS SELECT
  pg_temp.run($$UPDATE ceptoar.rule SET criterion = 'households >= 2' WHERE rule_set OPERATOR(pg_catalog.=) 'regress-hostile' RETURNING criterion::text$$) AS rule_update,
  pg_temp.run($$INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer) VALUES ('finance', 'electricity', '1 hour') RETURNING shipped::text$$) AS matrix_insert,
  pg_temp.run($$UPDATE ceptoar.sector_coefficient SET coefficient = 0.5 WHERE dependent OPERATOR(ceptoar.=) 'telecom' AND supplier OPERATOR(ceptoar.=) 'electricity' RETURNING shipped::text$$) AS matrix_update,
  pg_temp.run($$DELETE FROM ceptoar.sector_dependency WHERE dependent OPERATOR(ceptoar.=) 'rail' AND supplier OPERATOR(ceptoar.=) 'electricity' RETURNING shipped::text$$) AS matrix_delete,
  pg_temp.run($$SELECT pg_catalog.string_agg(r.matrix OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) r.dependent::text, ', ' ORDER BY r.matrix, r.dependent) FROM ceptoar.sector_matrix_removed r$$) AS matrix_removed,
  pg_temp.run($$SELECT ceptoar.exceeds('service=gas.supply, began=2024-01-15, households=1'::ceptoar.incident, 'regress-hostile')$$) AS after_update,
  pg_temp.run($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (4, 'rail.passenger', 'r') RETURNING id$$) AS instance_insert,
  pg_temp.run($$INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (5, 'gas.supply', 'r') RETURNING id$$) AS instance_sector_error,
  pg_temp.run($$UPDATE ceptoar.operator SET sector = 'gas' WHERE code OPERATOR(pg_catalog.=) 'p' RETURNING code$$) AS operator_sector_error,
  pg_temp.run($$INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (4, 1, '0') RETURNING dependent$$) AS dependency_insert,
  pg_temp.run($$SELECT pg_catalog.count(*) FROM ceptoar.impact(1::bigint, '2024-01-15 09:00+09', '2 hours')$$) AS impact_after,
  pg_temp.run($$INSERT INTO ceptoar.exercises (code, fiscal_year, held) VALUES ('regress-hostile', 2024, '2025-03-31') RETURNING code$$) AS exercise_insert,
  pg_temp.run($$UPDATE ceptoar.exercises SET theme_en = 'x' WHERE code OPERATOR(pg_catalog.=) 'fy2009' RETURNING code$$) AS exercise_shipped,
  pg_temp.run($$INSERT INTO ceptoar.exercises (code, fiscal_year) VALUES ('fy2030', 2030) RETURNING code$$) AS exercise_reserved,
  pg_temp.run($$SELECT ceptoar.inspection_rating(101)$$) AS rating_error,
  pg_temp.run($$INSERT INTO ceptoar.operator (code, name, sector, ceptoar) VALUES ('regress-op', 'Op', 'electricity', 'electricity') RETURNING code$$) AS operator_insert,
  pg_temp.run($$INSERT INTO ceptoar.federation_audience (code, kind) VALUES ('regress_public', 'public') RETURNING code$$) AS audience_insert,
  pg_temp.run($$INSERT INTO ceptoar.report (id, operator, incident, detected, reported) VALUES ('00000000-0000-0000-0000-00000000000a', 'regress-op',
      'service=electricity.supply, began=2024-01-15 09:00+09, lost_kw=200000, lasted=1 h', '2024-01-15 09:05+09', '2024-01-15 09:30+09')
      RETURNING pg_catalog.concat_ws(',', level, ministry_code, fiscal_year, tlp_rank)$$) AS report_insert,
  pg_temp.run($$UPDATE ceptoar.report SET status = 'under_review' WHERE id OPERATOR(pg_catalog.=) '00000000-0000-0000-0000-00000000000a' RETURNING revision::text$$) AS report_update,
  pg_temp.run($$SELECT pg_catalog.string_agg(pg_catalog.concat_ws(':', c.audience, c.operator OPERATOR(pg_catalog.~) '^anon:[0-9a-f]{16}$', c.revision, c.status), ',' ORDER BY c.audience)
      FROM ceptoar.audience_copy c WHERE c.id OPERATOR(pg_catalog.=) '00000000-0000-0000-0000-00000000000a'$$) AS audience_copy,
  pg_temp.run($$SELECT ceptoar.verify('00000000-0000-0000-0000-00000000000a', 'within', 'estimated load was lower')::text$$) AS report_verify,
  pg_temp.run($$INSERT INTO ceptoar.report_step (report, step, done_at) VALUES ('00000000-0000-0000-0000-00000000000a', 'contact', '2024-01-15 09:10+09') RETURNING step$$) AS step_insert,
  pg_temp.run($$SELECT pg_catalog.string_agg(t.step OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) t.missing::text, ',' ORDER BY t.step_no) FROM ceptoar.response_timeline('00000000-0000-0000-0000-00000000000a') t$$) AS timeline,
  pg_temp.run($$SELECT pg_catalog.string_agg(d.recipient OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) d.recipient_kind, ',' ORDER BY d.recipient)
      FROM ceptoar.report_delivery d WHERE d.report OPERATOR(pg_catalog.=) '00000000-0000-0000-0000-00000000000a'$$) AS deliveries,
  pg_temp.run($$SELECT (ceptoar.acknowledge_report('00000000-0000-0000-0000-00000000000a', 'meti') OPERATOR(pg_catalog.=) pg_catalog.now())::text$$) AS report_ack,
  pg_temp.run($$SELECT ceptoar.acknowledge_report('00000000-0000-0000-0000-00000000000a', 'mlit')::text$$) AS report_ack_error,
  pg_temp.run($$SELECT (ceptoar.issue_alert('regress', 'body', ARRAY['electricity', 'water']::ceptoar.sector[]) IS NOT NULL)::text$$) AS alert_issue,
  pg_temp.run($$SELECT ceptoar.forward_alert(a.id, 'meti')::text FROM ceptoar.alert a WHERE a.title OPERATOR(pg_catalog.=) 'regress'$$) AS alert_forward,
  pg_temp.run($$SELECT (ceptoar.acknowledge_alert(a.id, 'regress-op') OPERATOR(pg_catalog.=) pg_catalog.now())::text FROM ceptoar.alert a WHERE a.title OPERATOR(pg_catalog.=) 'regress'$$) AS alert_ack,
  pg_temp.run($$SELECT ceptoar.forward_alert(a.id, 'fsa')::text FROM ceptoar.alert a WHERE a.title OPERATOR(pg_catalog.=) 'regress'$$) AS alert_forward_error,
  pg_temp.run($$SELECT pg_catalog.string_agg(u.subject OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) u.recipient, ',' ORDER BY u.subject, u.recipient) FROM ceptoar.unacknowledged u$$) AS unacknowledged,
  pg_temp.run($$DELETE FROM ceptoar.alert_delivery RETURNING recipient$$) AS alert_delivery_delete,
  pg_temp.run($$SELECT ceptoar.revoke('00000000-0000-0000-0000-00000000000a', 'test')::text$$) AS report_revoke,
  pg_temp.run($$SELECT pg_catalog.concat_ws(',', (SELECT pg_catalog.count(*) FROM ceptoar.report_revision), (SELECT pg_catalog.count(*) FROM ceptoar.report_verdicts),
      (SELECT pg_catalog.count(*) FROM ceptoar.report_verification))$$) AS history,
  pg_temp.run($$SELECT ceptoar.register_party('regress_hostile_party', 'ministry', 'meti')::text$$) AS party_register,
  pg_temp.run($$SELECT ceptoar.register_party('regress_hostile_party', 'ministry', 'nope')::text$$) AS party_register_error,
  pg_temp.run($$SELECT pg_catalog.concat_ws(',', p.kind, p.code) FROM ceptoar.party p WHERE p.role OPERATOR(pg_catalog.=) 'regress_hostile_party'::pg_catalog.regrole$$) AS party_row,
  pg_temp.run($$SELECT ceptoar.unregister_party('regress_hostile_party')::text$$) AS party_unregister,
  pg_temp.run($$SELECT ceptoar.rotate_pseudonym_key()::text$$) AS key_rotate;
-- anonymised sharing under a hostile path, as a party: the CEPTOAR of the report's operator
-- sees the amber report pseudonymously (the same pseudonym under both paths)
SELECT ceptoar.register_party('regress_hostile_party', 'ceptoar', 'electricity');
CREATE TEMP TABLE party_reads (path text, shared text, timeline text, verdicts text, origins text, caller text);
GRANT INSERT ON party_reads TO regress_hostile_party;
SET LOCAL ROLE regress_hostile_party;
CREATE FUNCTION pg_temp.party_reads(path text) RETURNS void LANGUAGE sql AS $f$
  INSERT INTO pg_temp.party_reads SELECT path,
    pg_temp.run($$SELECT pg_catalog.concat_ws(',', s.operator, s.identified, s.description IS NULL, s.instance IS NULL, s.changed_by IS NULL)
        FROM ceptoar.shared_reports s WHERE s.id OPERATOR(pg_catalog.=) '00000000-0000-0000-0000-00000000000a'$$),
    pg_temp.run($$SELECT pg_catalog.string_agg(t.step OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) t.missing::text, ',' ORDER BY t.step_no)
        FROM ceptoar.response_timeline('00000000-0000-0000-0000-00000000000a') t$$),
    pg_temp.run($$SELECT pg_catalog.string_agg(v.revision::text OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) v.rule_kind, ',' ORDER BY v.revision, v.rule_set)
        FROM ceptoar.verdicts('00000000-0000-0000-0000-00000000000a') v$$),
    pg_temp.run($$SELECT pg_catalog.count(*) FROM ceptoar.suspected_origins('00000000-0000-0000-0000-00000000000a')$$),
    pg_temp.run($$SELECT pg_catalog.concat_ws(',', p.kind, p.code) FROM ceptoar.my_party() p$$) $f$;
SET LOCAL search_path = "$user", public, ceptoar;
SELECT pg_temp.party_reads('plain');
SET LOCAL search_path = pg_temp, regress_hostile, pg_catalog, ceptoar, public;
SELECT pg_temp.party_reads('hostile');
RESET ROLE;
SET LOCAL search_path = pg_catalog;
CREATE TEMP VIEW party_read AS
  SELECT p.shared, h.shared AS h_shared, p.timeline, h.timeline AS h_timeline, p.verdicts, h.verdicts AS h_verdicts,
         p.origins, h.origins AS h_origins, p.caller, h.caller AS h_caller
    FROM party_reads p, party_reads h WHERE p.path = 'plain' AND h.path = 'hostile';
-- back to the hostile path for the party's writes
SET LOCAL search_path = pg_temp, regress_hostile, pg_catalog, ceptoar, public;
-- a party's writes of rules and the graph (the writer triggers check its party), its
-- impact() and its audited read, under the hostile path
GRANT USAGE ON SCHEMA regress_hostile TO regress_hostile_party;
SELECT ceptoar.register_party('regress_hostile_party', 'ministry', 'meti');
SET LOCAL ROLE regress_hostile_party;
CREATE TEMP TABLE party_writes AS SELECT
  pg_temp.run($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('regress-hostile-meti', 'legal_reporting', 'METI') RETURNING code$$) AS rule_set_own,
  pg_temp.run($$INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('regress-hostile-meti', 'gas', 'households >= 3') RETURNING rule_set$$) AS rule_own,
  pg_temp.run($$INSERT INTO ceptoar.rule_set (code, kind, owner) VALUES ('regress-hostile-mic', 'legal_reporting', 'MIC') RETURNING code$$) AS rule_set_other,
  pg_temp.run($$SELECT ceptoar.exceeds('service=gas.supply, began=2024-01-15, households=3'::ceptoar.incident, 'regress-hostile-meti')$$) AS classify_own,
  pg_temp.run($$UPDATE ceptoar.service_instance SET population = 6 WHERE id OPERATOR(pg_catalog.=) 2 RETURNING population$$) AS instance_own,
  pg_temp.run($$UPDATE ceptoar.service_instance SET population = 8 WHERE id OPERATOR(pg_catalog.=) 3 RETURNING population$$) AS instance_other,
  pg_temp.run($$INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (2, 3, '0') RETURNING supplier$$) AS dependency_own,
  pg_temp.run($$INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (3, 2, '0') RETURNING supplier$$) AS dependency_other,
  pg_temp.run($$SELECT pg_catalog.count(*) FROM ceptoar.impact(1::bigint, '2024-01-15 09:00+09', '2 hours')$$) AS impact_party,
  pg_temp.run($$SELECT ceptoar._audit_read('00000000-0000-0000-0000-0000000000ae', 'description')::text$$) AS audit_party;
RESET ROLE;
SELECT ceptoar.unregister_party('regress_hostile_party');
-- back to the hostile path for the access layer's writers
SET LOCAL search_path = pg_temp, regress_hostile, pg_catalog, ceptoar, public;
-- the access layer under the hostile path, as parties (their own look-alikes reachable):
-- the policies, _party_require and the writers' party checks, the parties' privileges
GRANT USAGE ON SCHEMA regress_hostile TO regress_hostile_party, regress_hostile_op;
GRANT EXECUTE ON FUNCTION pg_temp.run(text) TO regress_hostile_party, regress_hostile_op;
SELECT ceptoar.register_party('regress_hostile_party', 'ministry', 'meti'), ceptoar.register_party('regress_hostile_op', 'operator', 'regress-op');
SET LOCAL ROLE regress_hostile_op;
CREATE TEMP TABLE party_writes_op AS SELECT
  pg_temp.run($$INSERT INTO ceptoar.report (id, operator, incident, reported, tlp) VALUES ('00000000-0000-0000-0000-00000000000b', 'regress-op',
      'service=electricity.supply, began=2024-01-16 09:00+09, lost_kw=200000, lasted=1 h', '2024-01-16 09:30+09', 'amber+strict')
      RETURNING pg_catalog.concat_ws(',', level, ministry_code, tlp_rank)$$) AS op_insert,
  pg_temp.run($$SELECT pg_catalog.concat_ws(',', (SELECT pg_catalog.count(*) FROM ceptoar.report), (SELECT pg_catalog.string_agg(o.code, ',') FROM ceptoar.operator o))$$) AS op_sees,
  pg_temp.run($$SELECT (ceptoar.acknowledge_alert(a.id, 'regress-op') IS NOT NULL)::text FROM ceptoar.alert a$$) AS op_alert_ack,
  pg_temp.run($$SELECT ceptoar.acknowledge_alert(a.id, 'other-op')::text FROM ceptoar.alert a$$) AS op_alert_ack_other;
RESET ROLE;
SET LOCAL ROLE regress_hostile_party;
CREATE TEMP TABLE party_writes_m AS SELECT
  pg_temp.run($$SELECT pg_catalog.string_agg(d.recipient, ',' ORDER BY d.recipient) FROM ceptoar.report_delivery d WHERE d.report OPERATOR(pg_catalog.=) '00000000-0000-0000-0000-00000000000b'$$) AS m_deliveries,
  pg_temp.run($$SELECT ceptoar.verify('00000000-0000-0000-0000-00000000000b', 'within', 'lower load')::text$$) AS m_verify,
  pg_temp.run($$SELECT (ceptoar.acknowledge_report('00000000-0000-0000-0000-00000000000b', 'meti') OPERATOR(pg_catalog.=) pg_catalog.now())::text$$) AS m_ack,
  pg_temp.run($$SELECT ceptoar.revoke('00000000-0000-0000-0000-0000000000ff', 'x')::text$$) AS m_revoke_unknown,
  pg_temp.run($$SELECT ceptoar.forward_alert(a.id, 'meti')::text FROM ceptoar.alert a$$) AS m_forward,
  pg_temp.run($$SELECT ceptoar.issue_alert('x', 'y', ARRAY['gas']::ceptoar.sector[])::text$$) AS m_issue;
RESET ROLE;
SET LOCAL ROLE regress_hostile_op;
CREATE TEMP TABLE party_writes_op2 AS SELECT
  pg_temp.run($$SELECT ceptoar.revoke('00000000-0000-0000-0000-00000000000b', 'filed twice')::text$$) AS op_revoke;
RESET ROLE;
SELECT ceptoar.unregister_party('regress_hostile_party'), ceptoar.unregister_party('regress_hostile_op');
-- STIX 2.1 (0.5): a bundle exported under both paths, and imported (as another report)
-- under the hostile one
SET LOCAL search_path = "$user", public, ceptoar;
CREATE TEMP TABLE stix_plain AS SELECT ceptoar.stix_bundle('00000000-0000-0000-0000-00000000000b'::uuid) AS b;
SET LOCAL search_path = pg_temp, regress_hostile, pg_catalog, ceptoar, public;
CREATE TEMP TABLE stix_hostile AS SELECT
  pg_temp.run($$SELECT ceptoar.stix_bundle('00000000-0000-0000-0000-00000000000b'::uuid)::text$$) AS b,
  pg_temp.run($$SELECT pg_catalog.string_agg(r::text, ',') FROM ceptoar.import_stix(pg_catalog.replace(
      (SELECT b::text FROM pg_temp.stix_plain), '00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-00000000000c')::jsonb) r$$) AS imported,
  pg_temp.run($$SELECT ceptoar.stix_bundle('00000000-0000-0000-0000-0000000000ff'::uuid)::text$$) AS unknown;
SET LOCAL search_path = public;

SELECT plan((SELECT count(*)::int FROM calls) + 78);
SELECT cmp_ok(hostile, '>', 100, 'look-alikes made in regress_hostile') FROM lookalikes;
SELECT cmp_ok(temp, '>', 30, 'look-alike functions made in pg_temp') FROM lookalikes;
SELECT is((SELECT string_agg(name || ': ' || coalesce(plain, 'NULL'), '; ') FROM calls
            WHERE plain IS NULL OR plain LIKE 'ERROR: %'), NULL, 'every call answers under a plain path');
SELECT is(hostile, plain, name || ' under a hostile path') FROM calls ORDER BY seq;
SELECT is(rule_update, 'households >= 2', 'rule update (guard trigger, cache invalidation)') FROM writes;
SELECT is(after_update, 'false', 'the rule cache sees the update') FROM writes;
SELECT is(matrix_insert, 'false', 'a row replacing a shipped row of sector_dependency (matrix triggers)') FROM writes;
SELECT is(matrix_update, 'false', 'an edited shipped row of sector_coefficient is the user''s') FROM writes;
SELECT is(matrix_delete, 'true', 'a shipped row of sector_dependency deleted') FROM writes;
SELECT is(matrix_removed, 'sector_coefficient telecom, sector_dependency finance, sector_dependency rail',
          'their pairs are in sector_matrix_removed') FROM writes;
SELECT is(instance_insert, '4', 'instance insert (graph trigger, sector check)') FROM writes;
SELECT is(instance_sector_error, 'ERROR: operator ''r'' is in sector rail, the service gas.supply of instance 5 is not',
          'an instance of another sector than its operator''s is refused (sector check)') FROM writes;
SELECT is(operator_sector_error, 'ERROR: operator ''p'' cannot move to sector gas: its instance 1 delivers electricity.supply',
          'an operator does not leave its instances'' sector (operator sector check)') FROM writes;
SELECT is(dependency_insert, '4', 'dependency insert (graph trigger)') FROM writes;
SELECT is(impact_after, '4', 'impact sees the new graph') FROM writes;
SELECT is(exercise_insert, 'regress-hostile', 'an exercise of one''s own (guard trigger, fiscal_year check)') FROM writes;
SELECT is(exercise_shipped, 'ERROR: row "fy2009" of ceptoar.exercises is shipped with ceptoar_registry and cannot be changed',
          'a shipped exercise is refused') FROM writes;
SELECT is(exercise_reserved, 'ERROR: code "fy2030" is reserved for the rows ceptoar_registry ships',
          'a reserved exercise code is refused') FROM writes;
SELECT is(rating_error, 'ERROR: inspection rate 101 is out of range', 'inspection_rating raises its own error') FROM writes;
SELECT is(operator_insert, 'regress-op', 'operator insert (operator check)') FROM writes;
SELECT is(report_insert, 'exceeds,meti,2023,2', 'report insert (registry triggers: level, derived columns)') FROM writes;
SELECT is(report_update, '2', 'report update: a revision') FROM writes;
SELECT is(audience_insert, 'regress_public', 'an audience registered (federation trigger)') FROM writes;
SELECT is(audience_copy, 'regress_elec:t:2:under_review',
          'the amber report copied for its CEPTOAR''s audience, pseudonymised, as updated, not for the public (federation triggers)') FROM writes;
SELECT is(report_verify, '', 'verify, an override with a reason') FROM writes;
SELECT is(step_insert, 'contact', 'a response step') FROM writes;
SELECT is(timeline, 'contact:false,containment:true,evidence:true,recovery:true,prevention:true', 'response_timeline') FROM writes;
SELECT is(deliveries, 'electricity:ceptoar,meti:ministry,nisc:nisc', 'a report is delivered on insert (delivery trigger)') FROM writes;
SELECT is(report_ack, 'true', 'acknowledge_report') FROM writes;
SELECT is(report_ack_error, 'ERROR: report 00000000-0000-0000-0000-00000000000a was not delivered to ''mlit''',
          'acknowledge_report raises its own error') FROM writes;
SELECT is(alert_issue, 'true', 'issue_alert') FROM writes;
SELECT is(alert_forward, '2', 'forward_alert (to p and regress-op)') FROM writes;
SELECT is(alert_ack, 'true', 'acknowledge_alert') FROM writes;
SELECT alike(alert_forward_error, 'ERROR: ministry fsa is not competent for any sector of alert %', 'forward_alert raises its own error') FROM writes;
SELECT is(unacknowledged, 'alert:mlit,alert:p,report:electricity,report:nisc', 'the unacknowledged view') FROM writes;
SELECT is(alert_delivery_delete, 'ERROR: ceptoar.alert_delivery keeps every delivery: it is never deleted',
          'deliveries are kept (guard trigger)') FROM writes;
SELECT is(report_revoke, '', 'revoke') FROM writes;
SELECT is(history, '4,4,1', 'four revisions with their verdicts, one verification') FROM writes;
SELECT is(party_register, '', 'register_party') FROM writes;
SELECT is(party_register_error, 'ERROR: unknown ministry ''nope''', 'register_party raises its own error') FROM writes;
SELECT is(party_row, 'ministry,meti', 'the party registered') FROM writes;
SELECT is(party_unregister, '', 'unregister_party') FROM writes;
SELECT is(key_rotate, '', 'rotate_pseudonym_key') FROM writes;
SELECT matches(shared, '^anon:[0-9a-f]{16},f,t,t,t$', 'shared_reports as a CEPTOAR: a pseudonym, no description, instance or changed_by') FROM party_read;
SELECT is(h_shared, shared, 'shared_reports as a CEPTOAR under a hostile path: the same pseudonym') FROM party_read;
SELECT is(timeline, 'contact:false,containment:true,evidence:true,recovery:true,prevention:true', 'response_timeline as a CEPTOAR') FROM party_read;
SELECT is(h_timeline, timeline, 'response_timeline as a CEPTOAR under a hostile path') FROM party_read;
SELECT matches(verdicts, '^1:', 'verdicts as a CEPTOAR') FROM party_read;
SELECT is(h_verdicts, verdicts, 'verdicts as a CEPTOAR under a hostile path') FROM party_read;
SELECT is(origins, 'ERROR: report 00000000-0000-0000-0000-00000000000a names no service instance hit', 'suspected_origins as a CEPTOAR raises its own error') FROM party_read;
SELECT is(h_origins, origins, 'suspected_origins as a CEPTOAR under a hostile path') FROM party_read;
SELECT is(caller, 'ceptoar,electricity', 'my_party as a CEPTOAR') FROM party_read;
SELECT is(h_caller, caller, 'my_party under a hostile path') FROM party_read;
SELECT is(rule_set_own, 'regress-hostile-meti', 'a ministry writes a rule set of its own (writer trigger)') FROM party_writes;
SELECT is(rule_own, 'regress-hostile-meti', 'and its rules') FROM party_writes;
SELECT is(rule_set_other, 'ERROR: ministry meti may not write rule set "regress-hostile-mic"', 'not another ministry''s') FROM party_writes;
SELECT is(classify_own, 'true', 'the rule cache sees the ministry''s set') FROM party_writes;
SELECT is(instance_own, '6', 'a ministry writes an instance of its sector (writer trigger)') FROM party_writes;
SELECT is(instance_other, 'ERROR: ministry meti may not write service instance 3', 'not one of another sector') FROM party_writes;
SELECT is(dependency_own, '3', 'a dependency of an instance of its sector') FROM party_writes;
SELECT is(dependency_other, 'ERROR: ministry meti may not write a dependency of service instance 3', 'not of another sector''s') FROM party_writes;
SELECT is(impact_party, '4', 'impact() answers for the party') FROM party_writes;
SELECT is(audit_party, '00000000-0000-0000-0000-0000000000ae', '_audit_read as the party') FROM party_writes;
SELECT results_eq(
  $$SELECT reader::text COLLATE "default", party_kind, party_code, what FROM ceptoar.identity_reads
     WHERE report = '00000000-0000-0000-0000-0000000000ae'$$,
  $$VALUES ('regress_hostile_party', 'ministry', 'meti', 'description')$$,
  'the party''s read recorded with its party');
SELECT is(op_insert, 'exceeds,meti,3', 'an operator files its report (policies, WITH CHECK, triggers under RLS)') FROM party_writes_op;
SELECT is(op_sees, '2,regress-op', 'an operator sees its reports and itself') FROM party_writes_op;
SELECT is(op_alert_ack, 'true', 'an operator acknowledges its alert') FROM party_writes_op;
SELECT is(op_alert_ack_other, 'ERROR: you act as regress-op, not as ''other-op''', 'an operator acknowledges for itself only') FROM party_writes_op;
SELECT is(m_deliveries, 'meti,nisc', 'an amber+strict report is not delivered to the CEPTOAR') FROM party_writes_m;
SELECT is(m_verify, '', 'the ministry verifies') FROM party_writes_m;
SELECT is(m_ack, 'true', 'the ministry acknowledges') FROM party_writes_m;
SELECT is(m_revoke_unknown, 'ERROR: unknown report 00000000-0000-0000-0000-0000000000ff', 'revoke: an unknown report') FROM party_writes_m;
SELECT is(m_forward, '0', 'the ministry forwards (its operator has it already)') FROM party_writes_m;
SELECT is(m_issue, 'ERROR: permission denied for function issue_alert', 'a ministry does not issue alerts') FROM party_writes_m;
SELECT is(op_revoke, '', 'the operator revokes its report') FROM party_writes_op2;
SELECT is((SELECT pg_catalog.string_agg(pg_catalog.concat_ws(':', revision, changed_by, revoked_reason), ',' ORDER BY revision)
             FROM ceptoar.report_revision WHERE report = '00000000-0000-0000-0000-00000000000b'),
          '1:regress_hostile_op,2:regress_hostile_party,3:regress_hostile_op:filed twice', 'the revisions of the parties'' writes');
SELECT is(h.b, p.b::text, 'stix_bundle under a hostile path') FROM stix_hostile h, stix_plain p;
SELECT is(imported, '00000000-0000-0000-0000-00000000000c', 'import_stix under a hostile path') FROM stix_hostile;
SELECT is(unknown, 'ERROR: unknown report 00000000-0000-0000-0000-0000000000ff', 'stix_bundle: an unknown report, under a hostile path') FROM stix_hostile;

SELECT * FROM finish();
ROLLBACK;
