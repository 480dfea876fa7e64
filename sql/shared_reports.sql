-- shared_reports.sql: anonymised sharing (issue 13, sections 3 and 4): the view every party
-- reads reports through, cell by cell of the table of who sees what, under SET ROLE for
-- every kind of party; pseudonyms (stable within a party, unlinkable across parties, new
-- after a key rotation); the functions over one report (response_timeline,
-- suspected_origins, verdicts), their answers and errors per party, also when called from
-- another SECURITY DEFINER function (they answer for the session's role).
-- In a transaction rolled back (reports are never deleted, and later tests count them).
\i sql/try.psql
\set ON_ERROR_ROLLBACK on
BEGIN;
SET client_min_messages = warning;
CREATE ROLE regress_sr_o;              -- operator O (electricity, CEPTOAR electricity)
CREATE ROLE regress_sr_member;         -- another operator of O's CEPTOAR
CREATE ROLE regress_sr_other_op;       -- an operator of another CEPTOAR (gas)
CREATE ROLE regress_sr_m;              -- O's competent ministry (meti)
CREATE ROLE regress_sr_m_staff IN ROLE regress_sr_m;
CREATE ROLE regress_sr_other_m;        -- another ministry (fsa)
CREATE ROLE regress_sr_other_m_staff IN ROLE regress_sr_other_m;
CREATE ROLE regress_sr_nisc;
CREATE ROLE regress_sr_c;              -- O's CEPTOAR (electricity)
CREATE ROLE regress_sr_other_c;        -- another CEPTOAR (gas)
CREATE ROLE regress_sr_public;
CREATE ROLE regress_sr_nobody;         -- no party
CREATE ROLE regress_sr_two IN ROLE regress_sr_m, regress_sr_o;   -- two parties: none
RESET client_min_messages;

INSERT INTO ceptoar.rule_set (code, kind, title) VALUES ('sr-power-sla', 'service_level', 'Power Co''s own');
INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('sr-power-sla', 'electricity', 'duration >= 5 min');
INSERT INTO ceptoar.operator (code, name, sector, ceptoar, service_levels) VALUES
  ('sr-power', 'Power Co', 'electricity', 'electricity', 'sr-power-sla'),
  ('sr-power2', 'Other Power Co', 'electricity', 'electricity', NULL),
  ('sr-gas', 'Gas Co', 'gas', 'gas', NULL),
  ('sr-bank', 'Bank Co', 'finance', 'finance', NULL);
SELECT ceptoar.register_party('regress_sr_o', 'operator', 'sr-power'),
       ceptoar.register_party('regress_sr_member', 'operator', 'sr-power2'),
       ceptoar.register_party('regress_sr_other_op', 'operator', 'sr-gas'),
       ceptoar.register_party('regress_sr_m', 'ministry', 'meti'),
       ceptoar.register_party('regress_sr_other_m', 'ministry', 'fsa'),
       ceptoar.register_party('regress_sr_nisc', 'nisc'),
       ceptoar.register_party('regress_sr_c', 'ceptoar', 'electricity'),
       ceptoar.register_party('regress_sr_other_c', 'ceptoar', 'gas'),
       ceptoar.register_party('regress_sr_public', 'public');

-- the power operator's instance, the bank's that depends on it at once
INSERT INTO ceptoar.service_instance (id, service, operator, population) VALUES
  (901, 'electricity.supply', 'sr-power', 1000), (903, 'finance.bank.deposit', 'sr-bank', 100);
INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES (903, 901, '0');

-- O's reports, one at each TLP level and a red one with named recipients (the summary is
-- the label); one of the gas operator's; the bank's clear incident hit through power
INSERT INTO ceptoar.report (id, operator, kind, incident, instance, tlp, summary, description) VALUES
  ('5a000000-0000-0000-0000-000000000000', 'sr-power', 'incident',
   'service=electricity.supply, began=2024-06-01 10:00+09, lasted=1 hour', 901, 'clear', 'sr-c0', 'Power Co: clear'),
  ('5a000000-0000-0000-0000-000000000001', 'sr-power', 'threat', NULL, 901, 'green', 'sr-g1', 'Power Co: green'),
  ('5a000000-0000-0000-0000-000000000002', 'sr-power', 'incident',
   'service=electricity.supply, began=2024-06-01 10:10+09, lasted=1 hour', 901, 'amber', 'sr-a2', 'Power Co: amber'),
  ('5a000000-0000-0000-0000-000000000003', 'sr-power', 'threat', NULL, 901, 'amber+strict', 'sr-s3', 'Power Co: amber+strict'),
  ('5a000000-0000-0000-0000-000000000004', 'sr-power', 'threat', NULL, 901, 'red', 'sr-r4', 'Power Co: red'),
  ('5a000000-0000-0000-0000-000000000005', 'sr-power', 'threat', NULL, 901, 'red', 'sr-rn', 'Power Co: red, named'),
  ('5a000000-0000-0000-0000-000000000006', 'sr-gas', 'threat', NULL, NULL, 'clear', 'sr-gas', 'Gas Co: clear'),
  ('5a000000-0000-0000-0000-000000000007', 'sr-bank', 'incident',
   'service=finance.bank.deposit, began=2024-06-01 10:30+09', 903, 'clear', 'sr-bank', 'Bank Co: clear');
INSERT INTO ceptoar.report_recipient (report, recipient) VALUES
  ('5a000000-0000-0000-0000-000000000005', 'nisc'), ('5a000000-0000-0000-0000-000000000005', 'fsa');
SELECT ceptoar.revoke('5a000000-0000-0000-0000-000000000001', 'withdrawn by Power Co');
INSERT INTO ceptoar.report_step (report, step, done_at, note)
  SELECT r.id, 'contact', r.reported, 'Power Co called' FROM ceptoar.report r WHERE r.summary LIKE 'sr-%';

-- What a party sees: for each report, I (with identity) or P (pseudonymously), and whether
-- every row keeps to its column rules (identity-level columns NULL where P, the pseudonym's
-- form, the real operator where I).
CREATE FUNCTION pg_temp.sight() RETURNS TABLE (sees text, columns_ok boolean)
LANGUAGE sql AS $$
  SELECT COALESCE(string_agg(pg_catalog.substr(s.summary, 4) || '=' || CASE WHEN s.identified THEN 'I' ELSE 'P' END,
                             ' ' ORDER BY s.summary), '-'),
         COALESCE(bool_and(CASE WHEN s.identified
           THEN s.operator = ANY ('{sr-power,sr-gas,sr-bank}') AND s.description IS NOT NULL
                AND s.changed_by IS NOT NULL AND (s.instance IS NOT NULL OR s.summary = 'sr-gas')
                AND (s.revoked_reason IS NOT NULL) = (s.summary = 'sr-g1')
           ELSE s.operator ~ '^anon:[0-9a-f]{16}$' AND s.description IS NULL AND s.instance IS NULL
                AND s.changed_by IS NULL AND s.revoked_reason IS NULL END
           AND s.summary IS NOT NULL AND s.tlp_rank IS NOT NULL AND s.sector_code IS NOT NULL
           AND s.is_revoked = (s.summary = 'sr-g1') AND (s.revoked IS NOT NULL) = (s.summary = 'sr-g1')), true)
    FROM ceptoar.shared_reports s WHERE s.summary LIKE 'sr-%' $$;
-- What a party reads through the functions over one report: for each, '-' (the error of an
-- unknown report, exactly as for a report that does not exist), or t (the timeline without
-- notes) / T (with notes), and the number of verdicts (+s: with the operator's own
-- service-level verdict).
CREATE FUNCTION pg_temp.reads() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r record;
  e record;
  out text := '';
  notes boolean;
  n integer;
  sl boolean;
BEGIN
  FOR r IN SELECT * FROM (VALUES ('c0', 0), ('g1', 1), ('a2', 2), ('s3', 3), ('r4', 4), ('rn', 5), ('gas', 6), ('bank', 7), ('none', 255)) v(label, n) LOOP
    e := pg_temp.try(format('SELECT * FROM ceptoar.response_timeline(%L)', '5a000000-0000-0000-0000-0000000000' || lpad(to_hex(r.n), 2, '0')));
    IF e.state <> '00000' THEN
      out := out || r.label || '=' || CASE WHEN e.state = '22023' AND e.message = 'unknown report 5a000000-0000-0000-0000-0000000000' || lpad(to_hex(r.n), 2, '0')
                                            AND e.hint = 'Reports are ids of ceptoar.report.' THEN '-' ELSE e.state || ' ' || e.message END;
      e := pg_temp.try(format('SELECT * FROM ceptoar.verdicts(%L)', '5a000000-0000-0000-0000-0000000000' || lpad(to_hex(r.n), 2, '0')));
      IF e.state <> '22023' THEN
        out := out || '(verdicts: ' || e.state || ')';
      END IF;
    ELSE
      SELECT bool_or(t.note IS NOT NULL) INTO notes
        FROM ceptoar.response_timeline(('5a000000-0000-0000-0000-0000000000' || lpad(to_hex(r.n), 2, '0'))::uuid) t;
      SELECT count(*), bool_or(v.rule_kind = 'service_level') INTO n, sl
        FROM ceptoar.verdicts(('5a000000-0000-0000-0000-0000000000' || lpad(to_hex(r.n), 2, '0'))::uuid) v;
      out := out || r.label || '=' || CASE WHEN notes THEN 'T' ELSE 't' END || n || CASE WHEN sl THEN '+s' ELSE '' END;
    END IF;
    out := out || ' ';
  END LOOP;
  RETURN rtrim(out);
END $$;
-- suspected origins of the bank's clear incident, as the party sees them
CREATE FUNCTION pg_temp.origins() RETURNS text LANGUAGE sql AS $$
  SELECT COALESCE(string_agg(pg_catalog.right(o.origin::text, 1) || ':' || o.origin_sector || ':' ||
                             COALESCE(o.origin_instance::text, '?') || ':' || COALESCE(o.via::text, '?'), ' ' ORDER BY o.origin), '-')
    FROM ceptoar.suspected_origins('5a000000-0000-0000-0000-000000000007') o $$;

-- the whole table, one role at a time (R = O's report; rows: c0 clear .. s3 amber+strict,
-- r4 red, rn red naming nisc and fsa; gas: the gas operator's clear report; bank: the bank's)
SET ROLE regress_sr_o;
SELECT 'O' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_m;
SELECT 'M' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_m_staff;
SELECT 'M''s staff' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_nisc;
SELECT 'NISC' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_c;
SELECT 'C' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_member;
SELECT 'member of C' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_other_op;
SELECT 'operator elsewhere' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_other_m;
SELECT 'other ministry' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_other_c;
SELECT 'other CEPTOAR' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_public;
SELECT 'public' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_nobody;
SELECT 'no party' AS party, * FROM pg_temp.sight();
SET ROLE regress_sr_two;
SELECT 'two parties' AS party, * FROM pg_temp.sight();
RESET ROLE;
SELECT 'superuser' AS party, * FROM pg_temp.sight();

-- the functions over one report, one role at a time (a report not seen: the error of one
-- that does not exist, like "none"); notes (T) and the service-level verdict (+s) only with
-- identity
SET ROLE regress_sr_o;
SELECT 'O' AS party, pg_temp.reads();
SET ROLE regress_sr_m_staff;
SELECT 'M''s staff' AS party, pg_temp.reads();
SET ROLE regress_sr_nisc;
SELECT 'NISC' AS party, pg_temp.reads();
SET ROLE regress_sr_c;
SELECT 'C' AS party, pg_temp.reads();
SET ROLE regress_sr_member;
SELECT 'member of C' AS party, pg_temp.reads();
SET ROLE regress_sr_other_op;
SELECT 'operator elsewhere' AS party, pg_temp.reads();
SET ROLE regress_sr_other_m;
SELECT 'other ministry' AS party, pg_temp.reads();
SET ROLE regress_sr_other_c;
SELECT 'other CEPTOAR' AS party, pg_temp.reads();
SET ROLE regress_sr_public;
SELECT 'public' AS party, pg_temp.reads();
SET ROLE regress_sr_nobody;
SELECT 'no party' AS party, pg_temp.reads();
SET ROLE regress_sr_two;
SELECT 'two parties' AS party, pg_temp.reads();
RESET ROLE;
SELECT 'superuser' AS party, pg_temp.reads();

-- suspected origins of the bank's incident (clear: every party but no party sees it):
-- origin:sector:instance:via, '?' where hidden.  O's clear (c0) and amber (a2) incidents
-- reach the bank through instance 901; each party gets the origins it sees, their
-- instance only with identity, via only with identity of both
SET ROLE regress_sr_o;
SELECT 'O' AS party, pg_temp.origins();
SET ROLE regress_sr_m;
SELECT 'M' AS party, pg_temp.origins();
SET ROLE regress_sr_nisc;
SELECT 'NISC' AS party, pg_temp.origins();
SET ROLE regress_sr_c;
SELECT 'C' AS party, pg_temp.origins();
SET ROLE regress_sr_other_m;
SELECT 'fsa (the bank''s ministry)' AS party, pg_temp.origins();
SET ROLE regress_sr_public;
SELECT 'public' AS party, pg_temp.origins();
SET ROLE regress_sr_nobody;
SELECT 'no party' AS party, e.state, e.message FROM pg_temp.try($$SELECT * FROM ceptoar.suspected_origins('5a000000-0000-0000-0000-000000000007')$$) e;
RESET ROLE;
SELECT 'superuser' AS party, pg_temp.origins();

-- pseudonyms: stable within a party (its two roles, two reports of O), different for
-- another operator, different across parties
SET ROLE regress_sr_other_m;
SELECT operator AS fsa_c0 FROM ceptoar.shared_reports WHERE summary = 'sr-c0' \gset
SELECT operator AS fsa_g1 FROM ceptoar.shared_reports WHERE summary = 'sr-g1' \gset
SELECT operator AS fsa_rn FROM ceptoar.shared_reports WHERE summary = 'sr-rn' \gset
SELECT operator AS fsa_gas FROM ceptoar.shared_reports WHERE summary = 'sr-gas' \gset
SET ROLE regress_sr_other_m_staff;
SELECT operator AS fsa_staff_c0 FROM ceptoar.shared_reports WHERE summary = 'sr-c0' \gset
SET ROLE regress_sr_c;
SELECT operator AS c_c0 FROM ceptoar.shared_reports WHERE summary = 'sr-c0' \gset
SELECT operator AS c_a2 FROM ceptoar.shared_reports WHERE summary = 'sr-a2' \gset
SET ROLE regress_sr_member;
SELECT operator AS member_c0 FROM ceptoar.shared_reports WHERE summary = 'sr-c0' \gset
SET ROLE regress_sr_other_op;
SELECT operator AS other_op_c0 FROM ceptoar.shared_reports WHERE summary = 'sr-c0' \gset
SET ROLE regress_sr_other_c;
SELECT operator AS other_c_c0 FROM ceptoar.shared_reports WHERE summary = 'sr-c0' \gset
SET ROLE regress_sr_public;
SELECT operator AS public_c0 FROM ceptoar.shared_reports WHERE summary = 'sr-c0' \gset
SELECT operator AS public_gas FROM ceptoar.shared_reports WHERE summary = 'sr-gas' \gset
RESET ROLE;
SELECT :'fsa_c0' = :'fsa_g1' AND :'fsa_c0' = :'fsa_rn' AS stable_across_reports,
       :'fsa_c0' = :'fsa_staff_c0' AS stable_across_a_partys_roles,
       :'c_c0' = :'c_a2' AS stable_for_the_ceptoar,
       :'fsa_c0' <> :'fsa_gas' AND :'public_c0' <> :'public_gas' AS another_operator_another_pseudonym;
SELECT count(DISTINCT p) AS parties, count(DISTINCT p) FILTER (WHERE p ~ '^anon:[0-9a-f]{16}$') AS pseudonyms,
       bool_and(p NOT LIKE '%sr-power%') AS none_names_o
  FROM unnest(ARRAY[:'fsa_c0', :'c_c0', :'member_c0', :'other_op_c0', :'other_c_c0', :'public_c0']) p;
-- after a rotation: new pseudonyms, still stable within a party
SELECT ceptoar.rotate_pseudonym_key();
SET ROLE regress_sr_other_m;
SELECT (SELECT operator FROM ceptoar.shared_reports WHERE summary = 'sr-c0') <> :'fsa_c0' AS new_pseudonym,
       (SELECT operator FROM ceptoar.shared_reports WHERE summary = 'sr-c0')
     = (SELECT operator FROM ceptoar.shared_reports WHERE summary = 'sr-g1') AS still_stable,
       (SELECT operator FROM ceptoar.shared_reports WHERE summary = 'sr-c0') ~ '^anon:[0-9a-f]{16}$' AS still_a_pseudonym;
-- the key, rotation and the owner's helpers are not a party's; nothing computes the
-- pseudonym of an operator a party names
SELECT e.state, e.message FROM (VALUES
  ($$SELECT * FROM ceptoar.pseudonym_key$$),
  ($$SELECT ceptoar.rotate_pseudonym_key()$$),
  ($$SELECT * FROM ceptoar._viewer$$),
  ($$SELECT ceptoar._sees('5a000000-0000-0000-0000-000000000004')$$),
  ($$SELECT * FROM ceptoar._pseudonym_pads()$$),
  ($$UPDATE ceptoar.pseudonym_key SET created = now()$$)
) AS t(stmt), LATERAL pg_temp.try(stmt) AS e;
SELECT count(*) AS callable_pseudonym_functions
  FROM pg_proc p WHERE p.pronamespace = 'ceptoar'::regnamespace
   AND has_function_privilege(p.oid, 'EXECUTE')
   AND p.proname ~ 'pseudonym|anon';
-- inside a SECURITY DEFINER function of a role that reads everything (the superuser's),
-- the view and the read functions still answer for the session's role: fsa sees O's clear
-- report pseudonymously, not its amber one
RESET ROLE;
CREATE FUNCTION pg_temp.definer_reads() RETURNS TABLE (shared text, c0_notes boolean, a2 text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  RETURN QUERY SELECT
    (SELECT string_agg(pg_catalog.substr(s.summary, 4) || '=' || CASE WHEN s.identified THEN 'I' ELSE 'P' END, ' ' ORDER BY s.summary)
       FROM ceptoar.shared_reports s WHERE s.summary LIKE 'sr-%'),
    (SELECT bool_or(t.note IS NOT NULL) FROM ceptoar.response_timeline('5a000000-0000-0000-0000-000000000000') t),
    (SELECT e.state || ' ' || e.message FROM pg_temp.try($q$SELECT * FROM ceptoar.verdicts('5a000000-0000-0000-0000-000000000002')$q$) e);
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.definer_reads() TO PUBLIC;
SELECT 'superuser' AS session, * FROM pg_temp.definer_reads();
SET ROLE regress_sr_other_m;
SELECT 'other ministry' AS session, * FROM pg_temp.definer_reads();
-- the view under a party's filter: its quals see the pseudonym, not the operator
SELECT count(*) AS by_real_code FROM ceptoar.shared_reports WHERE operator = 'sr-power';
SELECT count(*) AS by_pseudonym FROM ceptoar.shared_reports
 WHERE operator = (SELECT operator FROM ceptoar.shared_reports WHERE summary = 'sr-c0');
SELECT count(*) AS by_pseudonym_before_rotation FROM ceptoar.shared_reports WHERE operator = :'fsa_c0';
RESET ROLE;
ROLLBACK;
\set ON_ERROR_ROLLBACK off

-- one key, kept by pg_dump; a key written replaces it
SELECT count(*) AS keys, bool_and(length(inner_pad) = 64 AND length(outer_pad) = 64 AND inner_pad <> outer_pad) AS sized
  FROM ceptoar.pseudonym_key;
SELECT extcondition IS NOT NULL AS dumped FROM pg_extension e
 WHERE e.extname = 'ceptoar_registry' AND 'ceptoar.pseudonym_key'::regclass = ANY (e.extconfig);
