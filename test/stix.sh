#!/usr/bin/env bash
# test/stix.sh: STIX 2.1 bundles (issue 14, section 1).  Reports exported by stix_bundle()
# as three parties (the owner, a ministry, a CEPTOAR that sees the operator pseudonymously)
# validate against the official STIX 2.1 JSON schemas, offline (test/stix_validate.py with
# Debian's python3-jsonschema); an export is deterministic (twice, byte for byte); a party
# gets only what it sees; exported, imported into a second database and exported again, a
# bundle comes back identical; import_stix() is strict (what it cannot map is an error
# naming its JSON path, or kept on request).  Runs as a superuser against PGHOST/PGPORT.
# Prints TAP.
set -euo pipefail
a=ceptoar_stix_a; b=ceptoar_stix_b; c=ceptoar_stix_c
roles="regress_stix_m regress_stix_c regress_stix_op"
here=$(cd "$(dirname "$0")" && pwd)
tmp=
cleanup() {
	[ -z "$tmp" ] || rm -rf "$tmp"
	for d in $a $b $c; do dropdb --if-exists $d >/dev/null 2>&1 || true; done
	for r in $roles; do psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
cleanup
tmp=$(mktemp -d)
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "SET search_path = public, ceptoar" -c "$2"; }
as() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "SET search_path = public, ceptoar" -c "SET ROLE $2" -c "$3"; }
err() {   # err db role sql: the SQLSTATE and message of the error, or ok
	local out
	if out=$(psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$1" -c "SET search_path = public, ceptoar" -c "SET ROLE $2" -c "$3" 2>&1); then echo ok
	else printf '%s\n' "$out" | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): \(.*\)/\1 \2/p' | head -1; fi
}
validate() { /usr/bin/python3 "$here/stix_validate.py" "$@"; }
n=0; fail=0
check() {   # check description expected actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "#   expected: '$2'"; echo "#   got:      '$3'"; fail=1; fi
}
same() {   # same description file1 file2
	n=$((n + 1))
	if cmp -s "$2" "$3"; then echo "ok $n - $1"
	else echo "not ok $n - $1"; diff -u "$2" "$3" | head -40 | sed 's/^/#   /'; fail=1; fi
}
valid() {   # valid description file
	local out
	n=$((n + 1))
	if out=$(validate "$2" 2>&1); then echo "ok $n - $1"
	else echo "not ok $n - $1"; printf '%s\n' "$out" | head -20 | sed 's/^/#   /'; fail=1; fi
}
echo "1..34"

R1=5a000000-0000-0000-0000-000000000001   # power, incident, clear, revision 1
R2=5a000000-0000-0000-0000-000000000002   # power, threat, amber, revision 1
R3=5a000000-0000-0000-0000-000000000003   # gas, incident, green, revision 1
R4=5a000000-0000-0000-0000-000000000004   # power, near miss, amber+strict, revised and revoked
R5=5a000000-0000-0000-0000-000000000005   # power, incident, green, revised three times (revision 4)
R6=5a000000-0000-0000-0000-000000000006   # gas, threat, clear, revised and revoked (revision 3)
ALL6="ARRAY['$R1', '$R2', '$R3', '$R4', '$R5', '$R6']::uuid[]"
setup() {   # the same operators (and rules) in both databases
	createdb "$1"
	q "$1" "CREATE EXTENSION ceptoar_registry CASCADE" 2>/dev/null
	psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SET search_path = public, ceptoar;
INSERT INTO rule_set (code, kind) VALUES ('power-sla', 'service_level');
INSERT INTO rule (rule_set, service, criterion) VALUES ('power-sla', 'electricity', 'duration >= 5 min');
INSERT INTO operator (code, name, sector, ceptoar, service_levels) VALUES
  ('power', 'Power Co', 'electricity', 'electricity', 'power-sla'),
  ('gasco', 'Gas Co', 'gas', 'gas', NULL);
SQL
}
setup $a
setup $b
for r in $roles; do q postgres "CREATE ROLE $r"; done
psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -d $a <<SQL
SET search_path = public, ceptoar;
SELECT register_party('regress_stix_m', 'ministry', 'meti'), register_party('regress_stix_c', 'ceptoar', 'electricity'),
       register_party('regress_stix_op', 'operator', 'gasco');
INSERT INTO report (id, operator, kind, incident, detected, reported, tlp, summary, description) VALUES
  ('$R1', 'power', 'incident', 'service=electricity.supply, began=2024-06-01 10:00+09, lasted=2 hours, users=5000, lost_kw=120000',
   '2024-06-01 10:05+09', '2024-06-01 10:30+09', 'clear', 'outage in the north', 'Power Co: line 3 tripped'),
  ('$R3', 'gasco', 'incident', 'service=gas.supply, began=2024-06-01 11:00+09, effect=degradation, households=40',
   NULL, '2024-06-01 12:00+09', 'green', 'pressure low', 'Gas Co: compressor');
INSERT INTO report (id, operator, kind, reported, tlp, summary, description) VALUES
  ('$R2', 'power', 'threat', '2024-06-02 09:00+09', 'amber', 'scanning', 'Power Co: scans on the SCADA gateway'),
  ('$R4', 'power', 'near_miss', '2024-06-03 09:00+09', 'amber+strict', 'almost', 'Power Co: a near miss');
UPDATE report SET status = 'under_review' WHERE id = '$R4';
SELECT revoke('$R4', 'filed twice');
INSERT INTO report (id, operator, kind, incident, reported, tlp, summary, description) VALUES
  ('$R5', 'power', 'incident', 'service=electricity.supply, began=2024-06-04 08:00+09, lasted=40 min, users=900',
   '2024-06-04 09:00+09', 'green', 'short outage', 'Power Co: a fuse');
UPDATE report SET summary = 'short outage, south' WHERE id = '$R5';
UPDATE report SET description = 'Power Co: a fuse at substation 7' WHERE id = '$R5';
UPDATE report SET status = 'under_review' WHERE id = '$R5';
INSERT INTO report (id, operator, kind, reported, tlp, summary, description) VALUES
  ('$R6', 'gasco', 'threat', '2024-06-05 09:00+09', 'clear', 'phishing', 'Gas Co: phishing mails');
UPDATE report SET summary = 'phishing, again' WHERE id = '$R6';
SELECT revoke('$R6', 'not a threat to us');
INSERT INTO report_link (report, related, kind, created) VALUES
  ('$R2', '$R1', 'cascade_from', '2024-06-02 10:00+09'), ('$R3', '$R1', 'same_cause', '2024-06-02 11:00+09');
SQL

# --- the owner: everything, with identities
q $a "SELECT stix_bundle(ARRAY['$R1', '$R2', '$R3', '$R4']::uuid[])" > "$tmp/owner.json"
valid "the owner's bundle of four reports validates against the official STIX 2.1 schemas" "$tmp/owner.json"
q $a "SELECT stix_bundle(ARRAY['$R4', '$R3', '$R2', '$R1', '$R1']::uuid[])" > "$tmp/owner2.json"
same "exported twice (ids in another order, one twice): identical" "$tmp/owner.json" "$tmp/owner2.json"
check "the owner's bundle: its objects by type" \
	"extension-definition:1 identity:3 incident:4 marking-definition:4 relationship:2" \
	"$(q $a "SELECT string_agg(t || ':' || c, ' ' ORDER BY t) FROM (SELECT o->>'type' AS t, count(*) AS c FROM jsonb_array_elements('$(cat "$tmp/owner.json")'::jsonb->'objects') o GROUP BY 1) x")"
check "the operators' identities, with their sectors" \
	"ceptoar_registry:system:-|gasco:organization:energy,utilities|power:organization:energy,utilities" \
	"$(q $a "SELECT string_agg(concat_ws(':', o->>'name', o->>'identity_class', COALESCE((SELECT string_agg(s, ',') FROM jsonb_array_elements_text(o->'sectors') s), '-')), '|' ORDER BY o->>'name') FROM jsonb_array_elements('$(cat "$tmp/owner.json")'::jsonb->'objects') o WHERE o->>'type' = 'identity'")"
check "the revised, revoked near miss: revoked, TLP:AMBER+STRICT, revision 3, failed-attempt, its tombstone's reason" \
	"true|TLP:AMBER+STRICT|3|failed-attempt|under_review|filed twice" \
	"$(q $a "SELECT concat_ws('|', o->>'revoked', (SELECT m->>'name' FROM jsonb_array_elements(b->'objects') m WHERE m->>'id' = o->'object_marking_refs'->>0),
	   o->'extensions'->_stix_ours()->>'revision', o->'extensions'->'extension-definition--ef765651-680c-498d-9894-99799f2fa126'->>'determination',
	   o->'extensions'->_stix_ours()->>'status', o->'extensions'->_stix_ours()->>'revoked_reason')
	   FROM (SELECT '$(cat "$tmp/owner.json")'::jsonb AS b) x, jsonb_array_elements(b->'objects') o
	  WHERE o->'extensions'->_stix_ours()->>'report_id' = '$R4'")"
check "the incident's facts: UTC timestamps with milliseconds, impact, measures, verdicts" \
	"2024-06-01T01:30:00.000Z|2024-06-01T01:00:00.000Z|100|5000|7200|2024|{nisc-2009,power-sla}" \
	"$(q $a "SELECT concat_ws('|', o->>'created', ours->>'began', core->'availability_impacts'->0->>'availability_impact',
	   core->'impacted_entity_counts'->>'customers-individual', ours->>'lasted_seconds', ours->>'fiscal_year',
	   (SELECT array_agg(v->>'rule_set' ORDER BY v->>'rule_set') FROM jsonb_array_elements(ours->'verdicts') v))
	   FROM jsonb_array_elements('$(cat "$tmp/owner.json")'::jsonb->'objects') o,
	        LATERAL (SELECT o->'extensions'->_stix_ours() AS ours, o->'extensions'->'extension-definition--ef765651-680c-498d-9894-99799f2fa126' AS core) e
	  WHERE ours->>'report_id' = '$R1'")"
check "the owner's bundle recorded its identity reads (four reports)" "4" \
	"$(q $a "SELECT count(DISTINCT report) FROM identity_reads WHERE what = 'identity'")"

# --- the ministry (METI: electricity and gas): identities, audited
q $a "TRUNCATE identity_reads" 2>/dev/null || true
as $a regress_stix_m "SELECT stix_bundle(ARRAY['$R1', '$R2', '$R3']::uuid[])" > "$tmp/ministry.json"
valid "the ministry's bundle validates" "$tmp/ministry.json"
as $a regress_stix_m "SELECT stix_bundle(ARRAY['$R1', '$R2', '$R3']::uuid[])" > "$tmp/ministry2.json"
same "the ministry's bundle, twice: identical" "$tmp/ministry.json" "$tmp/ministry2.json"
check "the ministry sees who reported" "gasco,power" \
	"$(q $a "SELECT string_agg(DISTINCT o->>'name', ',' ORDER BY o->>'name') FROM jsonb_array_elements('$(cat "$tmp/ministry.json")'::jsonb->'objects') o WHERE o->>'type' = 'identity' AND o->>'name' <> 'ceptoar_registry'")"
check "the ministry's reads of identity are audited, by party" "3 ministry meti" \
	"$(q $a "SELECT count(DISTINCT report) || ' ' || min(party_kind) || ' ' || min(party_code) FROM identity_reads WHERE reader = 'regress_stix_m'")"

# --- the electricity CEPTOAR: the operators pseudonymous, no description, no own service levels
as $a regress_stix_c "SELECT stix_bundle(ARRAY['$R1', '$R2', '$R3']::uuid[])" > "$tmp/ceptoar.json"
valid "the CEPTOAR's bundle validates" "$tmp/ceptoar.json"
as $a regress_stix_c "SELECT stix_bundle(ARRAY['$R1', '$R2', '$R3']::uuid[])" > "$tmp/ceptoar2.json"
as $a regress_stix_c "SELECT stix_bundle(ARRAY['$R1', '$R2']::uuid[])" > "$tmp/ceptoar12.json"
same "the CEPTOAR's bundle, twice: identical" "$tmp/ceptoar.json" "$tmp/ceptoar2.json"
check "the CEPTOAR sees pseudonyms, the same as in shared_reports" \
	"$(as $a regress_stix_c "SELECT string_agg(DISTINCT operator, ',' ORDER BY operator) FROM shared_reports WHERE id IN ('$R1', '$R2', '$R3')")" \
	"$(q $a "SELECT string_agg(DISTINCT o->>'name', ',' ORDER BY o->>'name') FROM jsonb_array_elements('$(cat "$tmp/ceptoar.json")'::jsonb->'objects') o WHERE o->>'type' = 'identity' AND o->>'name' <> 'ceptoar_registry'")"
check "nothing in the CEPTOAR's bundle names an operator or tells its description or its own service levels" "0" \
	"$(grep -c -e '"power"' -e '"gasco"' -e 'Power Co' -e 'Gas Co' -e 'power-sla' "$tmp/ceptoar.json" || true)"
check "the CEPTOAR's reads are not identity reads" "0" \
	"$(q $a "SELECT count(*) FROM identity_reads WHERE reader = 'regress_stix_c'")"
check "a report the CEPTOAR does not see is as unknown as one that does not exist" \
	"22023 unknown report $R4|22023 unknown report 5a000000-0000-0000-0000-0000000000ff" \
	"$(err $a regress_stix_c "SELECT stix_bundle('$R4'::uuid)")|$(err $a regress_stix_c "SELECT stix_bundle('5a000000-0000-0000-0000-0000000000ff'::uuid)")"
check "an operator exports its own report, not another's amber one" \
	"ok|22023 unknown report $R2" \
	"$(as $a regress_stix_op "SELECT stix_bundle('$R3'::uuid)" >/dev/null && echo ok)|$(err $a regress_stix_op "SELECT stix_bundle('$R2'::uuid)")"

# --- round trip: the owner's bundle of six reports (two at revision 1, four revised, two of
# them revoked) imported into the second database, exported again, by each party
q $a "SELECT stix_bundle($ALL6)" > "$tmp/six.json"
valid "the owner's bundle of six reports (revised, revoked) validates" "$tmp/six.json"
check "import_stix files the six reports in the second database" "$R1,$R2,$R3,$R4,$R5,$R6" \
	"$(psql -X -q -At -v ON_ERROR_STOP=1 -d $b -v bundle="$(cat "$tmp/six.json")" <<'SQL'
SELECT string_agg(r::text, ',' ORDER BY r) FROM ceptoar.import_stix(:'bundle') r;
SQL
)"
q $b "SELECT stix_bundle($ALL6)" > "$tmp/six_b.json"
same "exported, imported into another database, exported again: the same bundle, byte for byte, revised and revoked reports included" "$tmp/six.json" "$tmp/six_b.json"
check "... as jsonb too, and at the revisions the source had (1 1 1 3 4 3)" "true|1 1 1 3 4 3" \
	"$(q $b "SELECT ('$(cat "$tmp/six.json")'::jsonb = stix_bundle($ALL6))::text || '|' || string_agg(o->'extensions'->_stix_ours()->>'revision', ' ' ORDER BY o->'extensions'->_stix_ours()->>'report_id')
	   FROM jsonb_array_elements(stix_bundle($ALL6)->'objects') o WHERE o->>'type' = 'incident'")"
q $a "SELECT stix_bundle(ARRAY['$R1', '$R2', '$R3']::uuid[])" > "$tmp/three.json"
q $b "SELECT stix_bundle(ARRAY['$R1', '$R2', '$R3']::uuid[])" > "$tmp/three_b.json"
same "... and any part of it (three reports at revision 1)" "$tmp/three.json" "$tmp/three_b.json"
check "the links came along" "$R2 cascade_from,$R3 same_cause" \
	"$(q $b "SELECT string_agg(report || ' ' || kind, ',' ORDER BY report) FROM report_link")"
# the other parties, registered alike in the second database, with the same pseudonym key
q $b "SELECT register_party('regress_stix_m', 'ministry', 'meti'), register_party('regress_stix_c', 'ceptoar', 'electricity')" >/dev/null
q $b "INSERT INTO pseudonym_key (inner_pad, outer_pad) VALUES $(q $a "SELECT format('(%L::bytea, %L::bytea)', inner_pad, outer_pad) FROM pseudonym_key")"
for party in regress_stix_m:"$ALL6" regress_stix_c:"ARRAY['$R1', '$R2', '$R3', '$R5', '$R6']::uuid[]"; do
	as $a "${party%%:*}" "SELECT stix_bundle(${party#*:})" > "$tmp/party_a.json"
	as $b "${party%%:*}" "SELECT stix_bundle(${party#*:})" > "$tmp/party_b.json"
	same "${party%%:*}'s bundle of the revised and revoked reports: the same in both databases" "$tmp/party_a.json" "$tmp/party_b.json"
done
as $a regress_stix_c "SELECT stix_bundle(ARRAY['$R1', '$R2', '$R5']::uuid[])" > "$tmp/ceptoar_power.json"
check "... the CEPTOAR's (pseudonyms, no description), imported into a third database as the operator given: filed at the revisions it saw" \
	"$R1,$R2,$R5|4" \
	"$(setup $c
	   (psql -X -q -At -v ON_ERROR_STOP=1 -d $c -v bundle="$(cat "$tmp/ceptoar_power.json")" <<'SQL'
SELECT string_agg(r::text, ',' ORDER BY r) FROM ceptoar.import_stix(:'bundle', operator => 'power') r;
SELECT string_agg(o->'extensions'->ceptoar._stix_ours()->>'revision', ' ' ORDER BY o->'extensions'->ceptoar._stix_ours()->>'report_id')
  FROM jsonb_array_elements(ceptoar.stix_bundle(ARRAY['5a000000-0000-0000-0000-000000000001', '5a000000-0000-0000-0000-000000000002',
                                                      '5a000000-0000-0000-0000-000000000005']::uuid[])->'objects') o
 WHERE o->>'type' = 'incident' AND o->'extensions'->ceptoar._stix_ours()->>'revision' <> '1';
SQL
	 ) | paste -sd'|')"
# a report changed where it was imported: its revisions go on from the source's
q $b "UPDATE report SET summary = 'short outage, south and east' WHERE id = '$R5'"
check "a report revised where it was imported: revision 5 after the source's 4, modified later, the revoked ones as the source said" \
	"5|t|t" \
	"$(q $b "WITH x AS (SELECT '$(cat "$tmp/six.json")'::jsonb AS src, stix_bundle($ALL6) AS here),
	   i AS (SELECT w, o FROM x, LATERAL (VALUES ('src', x.src), ('here', x.here)) v (w, b), jsonb_array_elements(v.b->'objects') o WHERE o->>'type' = 'incident')
	   SELECT concat_ws('|', (SELECT o->'extensions'->_stix_ours()->>'revision' FROM i WHERE w = 'here' AND o->'extensions'->_stix_ours()->>'report_id' = '$R5'),
	     (SELECT h.o->>'modified' > s.o->>'modified' FROM i h, i s WHERE h.w = 'here' AND s.w = 'src' AND h.o->>'id' = s.o->>'id' AND h.o->'extensions'->_stix_ours()->>'report_id' = '$R5'),
	     (SELECT bool_and(h.o = s.o) FROM i h, i s WHERE h.w = 'here' AND s.w = 'src' AND h.o->>'id' = s.o->>'id' AND h.o->>'revoked' = 'true'))")"

# --- strict import
/usr/bin/python3 - "$tmp/three.json" "$tmp/labels.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
for o in b['objects']:
    if o['type'] == 'incident':
        o['labels'] = ['from-misp']
        o['extensions']['extension-definition--ef765651-680c-498d-9894-99799f2fa126']['determination'] = 'successful-attempt'
        break
json.dump(b, open(sys.argv[2], 'w'))
PY
first=$(/usr/bin/python3 -c "import json,sys; b=json.load(open(sys.argv[1])); print(['\$.objects[%d]: report %s' % (i, o['extensions']['$(q $a "SELECT _stix_ours()")']['report_id']) for i,o in enumerate(b['objects']) if o['type'] == 'incident'][0])" "$tmp/three.json")
first_pseudo=$(/usr/bin/python3 -c "import json,sys; b=json.load(open(sys.argv[1])); print([i for i,o in enumerate(b['objects']) if o['type'] == 'incident'][0])" "$tmp/ceptoar12.json")
label_path=$(/usr/bin/python3 -c "import json,sys; b=json.load(open(sys.argv[1])); print('\$.objects[%d].labels' % [i for i,o in enumerate(b['objects']) if 'labels' in o][0])" "$tmp/labels.json")
imp() {   # imp db bundle-file [more arguments]: the SQLSTATE and message, or the ids
	local out
	if out=$(psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$1" -v bundle="$(cat "$2")" 2>&1 <<SQL
BEGIN;
SELECT string_agg(r::text, ',' ORDER BY r) FROM ceptoar.import_stix(:'bundle'${3:-}) r;
SELECT count(*) FROM ceptoar.stix_unmapped;
ROLLBACK;
SQL
); then printf '%s\n' "$out" | paste -sd' '
	else printf '%s\n' "$out" | sed -n 's/^\(psql:[^ ]* \)\{0,1\}ERROR:  \([0-9A-Z]\{5\}\): \(.*\)/\2 \3/p' | head -1; fi
}
check "a property import_stix cannot map is an error naming its JSON path" \
	"22023 cannot map STIX at $label_path" "$(imp $b "$tmp/labels.json")"
check "... a report that exists is an error" \
	"22023 cannot import STIX at $first exists" "$(imp $b "$tmp/three.json")"
check "keep_unmapped: filed, and the unmapped part kept with its path" \
	"5a000000-0000-0000-0000-000000000001,5a000000-0000-0000-0000-000000000002,5a000000-0000-0000-0000-000000000003 1" \
	"$(dropdb --if-exists ${b}; setup $b; imp $b "$tmp/labels.json" ", keep_unmapped => true")"
check "a pseudonymous identity names no operator: an error naming created_by_ref" \
	"22023 cannot map STIX at \$.objects[$first_pseudo].created_by_ref: no operator 'anon:" \
	"$(imp $b "$tmp/ceptoar12.json" | sed "s/\(no operator 'anon:\).*/\1/")"
check "... filed as an operator given by the caller (the CEPTOAR's view: no description)" \
	"$R1,$R2 0" "$(imp $b "$tmp/ceptoar12.json" ", operator => 'power'")"
check "a bundle that would not validate is an error naming the JSON path (no null in STIX)" \
	"22023 invalid STIX bundle at \$.objects[0].description: null or an empty list" \
	"$(psql -X -q -At -v VERBOSITY=verbose -d $b -c "SELECT ceptoar.import_stix(jsonb_set('$(cat "$tmp/three.json")'::jsonb, '{objects,0,description}', 'null'))" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): \(.*\)/\1 \2/p')"
exit $fail
