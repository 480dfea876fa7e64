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
