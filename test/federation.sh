#!/usr/bin/env bash
# test/federation.sh: federation over logical replication (issue 14, section 2), with three
# clusters of their own (initdb in a temporary directory, Unix sockets only, wal_level
# logical): M holds two ministries' databases (m1, m2), H the hub, A two audiences (the
# public, the electricity CEPTOAR).  m1 and m2 publish their registries to the hub
# (federation_publication_sql); the hub publishes each audience's pseudonymised copy
# (federation_audience_sql).  Checked: the hub holds exactly what the ministries filed
# (revisions, verdicts, deliveries, revocations; no trigger fired twice), nothing flows
# back, the audiences receive what their party sees in shared_reports at the hub and never
# an operator's code, the hub's rule cache and graph image follow replicated changes,
# graph_version is never published, and stopped subscribers catch up.
# Needs initdb and pg_ctl (pg_config --bindir) and the extension installed there; prints TAP.
set -euo pipefail
bindir=$(pg_config --bindir)
T=$(mktemp -d -p /tmp)   # short: the clusters' sockets live below it
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$T"
cleanup() {
	for c in A H M; do
		[ -f "$T/$c/postmaster.pid" ] && as_pg "$bindir/pg_ctl -D $T/$c -m immediate stop" >/dev/null 2>&1 || true
	done
	[ "${fail:-0}" = 0 ] || for c in M H A; do tail -5 "$T/$c.log" 2>/dev/null | sed "s/^/# $c: /"; done
	rm -rf "$T"
}
trap cleanup EXIT
start() { as_pg "$bindir/pg_ctl -D $T/$1 -w -l $T/$1.log -o \"-c wal_level=logical -c listen_addresses='' -k $T/s$1 -p 5432 -c fsync=off -c max_wal_senders=10 -c max_replication_slots=10 -c max_logical_replication_workers=10 -c max_worker_processes=20\" start" >/dev/null; }
stop() { as_pg "$bindir/pg_ctl -D $T/$1 -w -m fast stop" >/dev/null; }
for c in M H A; do
	as_pg "$bindir/initdb -D $T/$c -A trust -U postgres --no-sync" >/dev/null
	as_pg "mkdir -p $T/s$c"
	start $c
done
conn() { echo "host=$T/s$1 port=5432 user=postgres dbname=$2"; }
q() {   # q cluster db sql...
	local c=$1 d=$2; shift 2
	local args=(); for s in "$@"; do args+=(-c "$s"); done
	psql -X -q -At -v ON_ERROR_STOP=1 -h "$T/s$c" -p 5432 -U postgres -d "$d" "${args[@]}"
}
n=0; fail=0
check() {   # check description expected actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"
	else echo "not ok $n - $1"; diff <(echo "$2") <(echo "$3") | head -30 | sed 's/^/#   /'; fail=1; fi
}
gexec() {   # gexec cluster db query: runs the statements the query returns
	printf '%s\n\\gexec\n' "$3" | psql -X -q -At -v ON_ERROR_STOP=1 -h "$T/s$1" -p 5432 -U postgres -d "$2" >/dev/null
}
wait_for() {   # wait_for cluster db query expected
	for _ in $(seq 1 300); do [ "$(q "$1" "$2" "$3" 2>/dev/null)" = "$4" ] && return 0; sleep 0.1; done
	echo "# timed out waiting on $1/$2 for: $3 = $4"
}

for d in m1 m2; do psql -X -q -h "$T/sM" -p 5432 -U postgres -d postgres -c "CREATE DATABASE $d"; done
psql -X -q -h "$T/sH" -p 5432 -U postgres -d postgres -c "CREATE DATABASE hub"
for d in pub elec; do psql -X -q -h "$T/sA" -p 5432 -U postgres -d postgres -c "CREATE DATABASE $d"; done
for cd in M/m1 M/m2 H/hub A/pub A/elec; do
	q "${cd%/*}" "${cd#*/}" "SET client_min_messages = warning" "CREATE EXTENSION ceptoar_registry CASCADE"
done

# the ministries' registries: m1 an electricity operator, its own service levels, exercise
# and graph; m2 a telecom operator.  Service instances in ranges of their own.
gexec M m1 "SELECT * FROM ceptoar.federation_publication_sql('ceptoar_ministry', 1000000000000)"
gexec M m2 "SELECT * FROM ceptoar.federation_publication_sql('ceptoar_ministry', 2000000000000)"
psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -h "$T/sM" -p 5432 -U postgres -d m1 <<'SQL'
SET search_path = public, ceptoar;
INSERT INTO rule_set (code, kind) VALUES ('grid-sla', 'service_level');
INSERT INTO rule (rule_set, service, criterion) VALUES ('grid-sla', 'electricity', 'duration >= 5 hours');
INSERT INTO exercises (code, fiscal_year) VALUES ('m1-drill', 2024);
INSERT INTO operator (code, name, sector, service_levels, ceptoar) VALUES ('grid', 'Grid Co', 'electricity', 'grid-sla', 'electricity');
INSERT INTO service_instance (service, operator) SELECT 'electricity.supply', 'grid' FROM generate_series(1, 3);
INSERT INTO dependency (dependent, supplier, buffer) VALUES (1000000000001, 1000000000000, '1 hour'), (1000000000002, 1000000000001, '0');
INSERT INTO report (id, operator, incident, instance, detected, reported, summary, description, tlp) VALUES
  ('00000000-0000-0000-0000-000000000001', 'grid', 'service=electricity.supply, began=2024-06-01 10:00+09, lost_kw=150000, lasted=ongoing',
   1000000000000, '2024-06-01 10:05+09', '2024-06-01 10:30+09', 'an outage', 'secret-desc one', 'clear'),
  ('00000000-0000-0000-0000-000000000002', 'grid', 'service=electricity.supply, began=2024-06-02 10:00+09, lost_kw=2000, lasted=3 hours',
   NULL, '2024-06-02 10:05+09', '2024-06-02 10:30+09', 'a small outage', 'secret-desc two', 'amber'),
  ('00000000-0000-0000-0000-000000000004', 'grid', 'service=electricity.supply, began=2024-06-04 10:00+09, lost_kw=9000, lasted=1 hour',
   NULL, '2024-06-04 10:05+09', '2024-06-04 10:30+09', 'a red one', 'secret-desc four', 'red');
INSERT INTO report (id, operator, kind, reported, summary, tlp, exercise) VALUES
  ('00000000-0000-0000-0000-000000000003', 'grid', 'near_miss', '2024-06-03 09:00+09', 'a drill', 'clear', 'm1-drill');
UPDATE report SET status = 'under_review', incident = 'service=electricity.supply, began=2024-06-01 10:00+09, lost_kw=150000, lasted=6 hours'
 WHERE id = '00000000-0000-0000-0000-000000000001';
SELECT verify('00000000-0000-0000-0000-000000000001', 'exceeds');
INSERT INTO report_step (report, step, done_at, note) VALUES ('00000000-0000-0000-0000-000000000001', 'contact', '2024-06-01 10:20+09', 'called');
INSERT INTO report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'same_cause');
SELECT acknowledge_report('00000000-0000-0000-0000-000000000001', 'electricity');
SQL
psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -h "$T/sM" -p 5432 -U postgres -d m2 <<'SQL'
SET search_path = public, ceptoar;
INSERT INTO operator (code, name, sector, ceptoar) VALUES ('tel', 'Tel Co', 'telecom', 'telecommunications');
INSERT INTO service_instance (service, operator) VALUES ('telecom.telecommunications', 'tel');
INSERT INTO report (id, operator, incident, instance, reported, summary, description, tlp) VALUES
  ('00000000-0000-0000-0000-000000000005', 'tel', 'service=telecom.telecommunications, began=2024-06-05 00:00+09, users=40000, lasted=3 hours',
   2000000000000, '2024-06-05 00:10+09', 'calls fail', 'secret-desc five', 'clear');
SQL

# the hub: subscribes to both ministries; registers the audiences and publishes their copies
for m in m1 m2; do
	gexec H hub "SELECT * FROM ceptoar.federation_subscription_sql('from_$m', '$(conn M $m)')" 2>/dev/null
done
q H hub "INSERT INTO ceptoar.federation_audience (code, kind, party_code) VALUES ('public', 'public', NULL), ('elec', 'ceptoar', 'electricity')"
gexec H hub "SELECT * FROM ceptoar.federation_audience_sql('public')"
gexec H hub "SELECT * FROM ceptoar.federation_audience_sql('elec', max_tlp => 'red')"
for a in pub elec; do
	p=$([ $a = pub ] && echo public || echo elec)
	q A $a "SET client_min_messages = warning" "$(q H hub "SELECT * FROM ceptoar.federation_subscription_sql('hub_$a', '$(conn H hub)', 'ceptoar_audience_$p')")"
done
# a role of each audience's party at the hub, to read shared_reports as that party
q H hub "CREATE ROLE regress_public" "CREATE ROLE regress_elec" \
	"SELECT ceptoar.register_party('regress_public', 'public')" \
	"SELECT ceptoar.register_party('regress_elec', 'ceptoar', 'electricity')" >/dev/null

# the registry's state, one line per row, of the reports in a set of databases
state_sql="SET TimeZone = 'UTC';
SELECT 'report|' || r::text FROM ceptoar.report r
UNION ALL SELECT 'revision|' || x::text FROM ceptoar.report_revision x
UNION ALL SELECT 'verdict|' || x::text FROM ceptoar.report_verdicts x
UNION ALL SELECT 'verification|' || x::text FROM ceptoar.report_verification x
UNION ALL SELECT 'link|' || x::text FROM ceptoar.report_link x
UNION ALL SELECT 'step|' || x::text FROM ceptoar.report_step x
UNION ALL SELECT 'recipient|' || x::text FROM ceptoar.report_recipient x
UNION ALL SELECT 'delivery|' || x::text FROM ceptoar.report_delivery x
UNION ALL SELECT 'operator|' || x.code || '|' || coalesce(x.ceptoar, '') || '|' || coalesce(x.service_levels, '') FROM ceptoar.operator x
UNION ALL SELECT 'instance|' || x::text FROM ceptoar.service_instance x
UNION ALL SELECT 'dependency|' || x::text FROM ceptoar.dependency x
UNION ALL SELECT 'rule|' || x::text FROM ceptoar.rule x WHERE NOT shipped
UNION ALL SELECT 'exercise|' || x.code FROM ceptoar.exercises x WHERE NOT shipped"
state() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$T/s$1" -p 5432 -U postgres -d "$2" -c "$state_sql" | sort; }
ministries() { { state M m1; state M m2; } | sort; }
# what an audience's party sees at the hub, and what the audience received
seen_sql="SELECT id, operator, kind, revision, tlp, status, is_revoked, summary, exercise, fiscal_year, began FROM"
party_view() { q H hub "SET ROLE regress_$1" "SET TimeZone = 'UTC'" "$seen_sql ceptoar.shared_reports WHERE NOT is_exercise ORDER BY id"; }
received() { q A "$1" "SET TimeZone = 'UTC'" "$seen_sql ceptoar.audience_copy ORDER BY id"; }
hub_state() { state H hub | grep -v -e nisc-hub -e 00000000-0000-0000-0000-000000000099; }
caught_up() {   # the hub holds every ministry's rows, and each audience what its party sees
	for _ in $(seq 1 300); do [ "$(hub_state)" = "$(ministries)" ] && break; sleep 0.1; done
	for a in public elec; do
		local d=$([ $a = public ] && echo pub || echo elec)
		for _ in $(seq 1 300); do [ "$(received $d)" = "$(party_view $a)" ] && break; sleep 0.1; done
	done
}
for cd in H/hub A/pub A/elec; do wait_for "${cd%/*}" "${cd#*/}" "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'" 0; done
caught_up

check "the hub holds exactly what both ministries filed (reports, revisions, verdicts, verification, links, steps, deliveries, operators, graph, own rules and exercises)" \
	"$(ministries)" "$(state H hub)"
counts="SELECT (SELECT count(*) FROM ceptoar.report) || '|' || (SELECT count(*) FROM ceptoar.report_revision) || '|' || (SELECT count(*) FROM ceptoar.report_verdicts) || '|' || (SELECT count(*) FROM ceptoar.report_delivery)"
check "no registry trigger fired again at the hub: as many reports, revisions, verdicts and deliveries as both ministries" \
	"$(paste -d'|' <(q M m1 "$counts") <(q M m2 "$counts") | awk -F'|' '{print $1+$5 "|" $2+$6 "|" $3+$7 "|" $4+$8}')" "$(q H hub "$counts")"
check "graph_version is in no publication of any database" "0|0|0" \
	"$(q M m1 "SELECT count(*) FROM pg_publication_tables WHERE tablename = 'graph_version'")|$(q M m2 "SELECT count(*) FROM pg_publication_tables WHERE tablename = 'graph_version'")|$(q H hub "SELECT count(*) FROM pg_publication_tables WHERE tablename = 'graph_version'")"
check "the hub publishes only audience_copy; the audiences and ministries subscribe to nothing else" \
	"ceptoar_audience_elec|audience_copy
ceptoar_audience_public|audience_copy|0|0|1|1" \
	"$(q H hub "SELECT pubname || '|' || tablename FROM pg_publication_tables ORDER BY 1")|$(q M m1 "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")|$(q M m2 "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")|$(q A pub "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")|$(q A elec "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")"

# the graph at the hub: the replicated rows are counted in its own graph_version, and its
# image follows a replicated change
impact_sql="SELECT string_agg(instance::text || ':' || to_char(onset AT TIME ZONE 'Asia/Tokyo', 'HH24:MI'), ' ' ORDER BY instance) FROM ceptoar.impact(1000000000000, '2024-01-15 09:00+09', '10 hours')"
check "the hub's impact() over the replicated graph is the ministry's" "$(q M m1 "$impact_sql")" "$(q H hub "$impact_sql")"
q H hub "$impact_sql" >/dev/null   # leaves the image
q M m1 "UPDATE ceptoar.dependency SET buffer = '4 hours' WHERE dependent = 1000000000001"
wait_for H hub "SELECT buffer FROM ceptoar.dependency WHERE dependent = 1000000000001" "04:00:00"
check "after a replicated change of the graph, the hub's impact() follows it" \
	"1000000000000:09:00 1000000000001:13:00 1000000000002:13:00" "$(q H hub "$impact_sql")"
check "the hub counted the replicated changes in its own graph_version" "t" \
	"$(q H hub "SELECT sum(changes) > 0 FROM ceptoar.graph_version")"

# the rule cache: one hub session classifies, the ministry changes its rule, the same
# session waits for it and classifies again
cls="SELECT (ceptoar.classify('service=electricity.supply, began=2024-06-01 10:00+09, lasted=3 hours', 'grid-sla')).outcome"
check "the hub's rule cache in one session: before and after a replicated rule change" "within
exceeds" "$(psql -X -q -At -v ON_ERROR_STOP=1 -h "$T/sH" -p 5432 -U postgres -d hub <<SQL
$cls;
\\! psql -X -q -h $T/sM -p 5432 -U postgres -d m1 -c "UPDATE ceptoar.rule SET criterion = 'duration >= 2 hours' WHERE rule_set = 'grid-sla'"
DO \$\$ BEGIN
  FOR i IN 1..300 LOOP
    EXIT WHEN (SELECT criterion::text FROM ceptoar.rule WHERE rule_set = 'grid-sla') LIKE '%2 hours%';
    PERFORM pg_sleep(0.1);
  END LOOP;
END \$\$;
$cls;
SQL
)"

# nothing flows back: the hub's own report and m2's reach neither ministry
q H hub "INSERT INTO ceptoar.operator (code, name, sector) VALUES ('nisc-hub', 'Hub Co', 'finance')" \
	"INSERT INTO ceptoar.report (id, operator, kind, summary, tlp) VALUES ('00000000-0000-0000-0000-000000000099', 'nisc-hub', 'threat', 'hub own', 'clear')"
sleep 1
check "nothing from the hub or another ministry reaches a ministry" "4|1|0|0" \
	"$(q M m1 "SELECT count(*) FROM ceptoar.report")|$(q M m2 "SELECT count(*) FROM ceptoar.report")|$(q M m1 "SELECT count(*) FROM ceptoar.operator WHERE code <> 'grid'")|$(q M m2 "SELECT count(*) FROM ceptoar.report WHERE operator <> 'tel'")"

caught_up
check "the public audience received what the public party sees at the hub (pseudonyms included)" "$(party_view public)" "$(received pub)"
check "the CEPTOAR audience received what its party sees at the hub (pseudonyms included)" "$(party_view elec)" "$(received elec)"
check "the public audience: clear reports only, no exercise; the CEPTOAR's own amber one too" \
	"00000000-0000-0000-0000-000000000001|clear
00000000-0000-0000-0000-000000000005|clear
00000000-0000-0000-0000-000000000099|clear
-
00000000-0000-0000-0000-000000000001|clear
00000000-0000-0000-0000-000000000002|amber
00000000-0000-0000-0000-000000000005|clear
00000000-0000-0000-0000-000000000099|clear" \
	"$(q A pub "SELECT id || '|' || tlp FROM ceptoar.audience_copy ORDER BY id")
-
$(q A elec "SELECT id || '|' || tlp FROM ceptoar.audience_copy ORDER BY id")"
no_identity="SELECT count(*) FILTER (WHERE operator IN ('grid', 'tel', 'nisc-hub') OR operator !~ '^anon:[0-9a-f]{16}\$')
   || '|' || count(*) FILTER (WHERE x::text ~ 'secret-desc|1000000000000|2000000000000')
   || '|' || (SELECT count(*) FROM ceptoar.report) || '|' || (SELECT count(*) FROM ceptoar.operator) || '|' || (SELECT count(*) FROM ceptoar.service_instance)
  FROM ceptoar.audience_copy x"
check "no operator code, description or instance at the audiences (and nothing but the copy)" "0|0|0|0|0 0|0|0|0|0" \
	"$(q A pub "$no_identity") $(q A elec "$no_identity")"
check "the publication's columns: no operator code, description or instance" "f" \
	"$(q H hub "SELECT bool_or(a && ARRAY['description', 'instance', 'revoked_reason', 'changed_by']::name[]) FROM (SELECT attnames a FROM pg_publication_tables WHERE pubname LIKE 'ceptoar_audience_%') s")"

# a red report named to the CEPTOAR at the ministry reaches the CEPTOAR audience only
q M m1 "INSERT INTO ceptoar.report_recipient (report, recipient) VALUES ('00000000-0000-0000-0000-000000000004', 'electricity')"
wait_for A elec "SELECT count(*) FROM ceptoar.audience_copy WHERE tlp_rank = 4" 1
check "a red report named to the CEPTOAR: its audience receives it, the public's does not" "1|0" \
	"$(q A elec "SELECT count(*) FROM ceptoar.audience_copy WHERE tlp_rank = 4")|$(q A pub "SELECT count(*) FROM ceptoar.audience_copy WHERE tlp_rank = 4")"

# subscribers that were down catch up: the hub and the audiences stopped, the ministry files,
# revises and revokes, they start again
stop A; stop H
psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -h "$T/sM" -p 5432 -U postgres -d m1 <<'SQL'
SET search_path = public, ceptoar;
INSERT INTO report (id, operator, incident, reported, summary, tlp) VALUES
  ('00000000-0000-0000-0000-000000000006', 'grid', 'service=electricity.supply, began=2024-06-06 10:00+09, lost_kw=500, lasted=1 hour',
   '2024-06-06 10:30+09', 'filed while the hub was down', 'clear');
UPDATE report SET status = 'closed' WHERE id = '00000000-0000-0000-0000-000000000006';
SELECT revoke('00000000-0000-0000-0000-000000000001', 'filed twice');
UPDATE report SET tlp = 'amber' WHERE id = '00000000-0000-0000-0000-000000000005';
SQL
q M m2 "UPDATE ceptoar.report SET tlp = 'amber' WHERE id = '00000000-0000-0000-0000-000000000005'"
start H; start A
wait_for H hub "SELECT count(*) FROM ceptoar.report WHERE id = '00000000-0000-0000-0000-000000000006'" 1
caught_up
check "after the hub was down: it holds exactly what the ministries hold" "$(ministries)" "$(hub_state)"
check "the revocation and the revision reached the hub (is_revoked, revision 4; the new report at revision 2)" "true|4|2|closed" \
	"$(q H hub "SELECT r1.is_revoked || '|' || r1.revision || '|' || r6.revision || '|' || r6.status FROM ceptoar.report r1, ceptoar.report r6 WHERE r1.id = '00000000-0000-0000-0000-000000000001' AND r6.id = '00000000-0000-0000-0000-000000000006'")"
check "after the audiences were down: the public's copy is what the public sees at the hub" "$(party_view public)" "$(received pub)"
check "and the CEPTOAR's" "$(party_view elec)" "$(received elec)"
check "the public audience: the tombstone kept, the new report in, the report marked amber since gone" \
	"00000000-0000-0000-0000-000000000001|true|4
00000000-0000-0000-0000-000000000006|false|2
00000000-0000-0000-0000-000000000099|false|1" \
	"$(q A pub "SELECT id || '|' || is_revoked || '|' || revision FROM ceptoar.audience_copy ORDER BY id")"

# federation_refresh() rebuilds the same copies; the helpers refuse bad input
before=$(q H hub "SELECT md5(string_agg(x::text, ',' ORDER BY audience, id)) FROM ceptoar.audience_copy x")
q H hub "SELECT ceptoar.federation_refresh()" >/dev/null
check "federation_refresh() rebuilds the same copies" "$before" \
	"$(q H hub "SELECT md5(string_agg(x::text, ',' ORDER BY audience, id)) FROM ceptoar.audience_copy x")"
check "federation_audience_sql of an unknown audience: 22023" "22023" \
	"$(psql -X -q -At -h "$T/sH" -p 5432 -U postgres -d hub -v VERBOSITY=verbose -c "SELECT ceptoar.federation_audience_sql('nobody')" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]*\):.*/\1/p')"
check "a bad publication name: 22023" "22023" \
	"$(psql -X -q -At -h "$T/sH" -p 5432 -U postgres -d hub -v VERBOSITY=verbose -c "SELECT ceptoar.federation_publication_sql('x; DROP TABLE y')" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]*\):.*/\1/p')"

# an audience's database keeps the copy it received: it has no audience of its own, so a key
# rotation or federation_refresh() there makes no copies (and must not empty it)
received_before=$(q A pub "SELECT count(*) || '|' || md5(string_agg(x::text, ',' ORDER BY id)) FROM ceptoar.audience_copy x")
q A pub "SELECT ceptoar.rotate_pseudonym_key()" >/dev/null
q A pub "SELECT ceptoar.federation_refresh()" >/dev/null
check "an audience's own key rotation and federation_refresh() leave the copy it received" "$received_before" \
	"$(q A pub "SELECT count(*) || '|' || md5(string_agg(x::text, ',' ORDER BY id)) FROM ceptoar.audience_copy x")"

# TRUNCATE of a published table at a ministry is refused (it would empty the hub's table,
# every ministry's rows with it); where nothing is published, TRUNCATE works as before
verbose_err() {   # verbose_err cluster db sql: the SQLSTATE and the HINT of the error, or ok
	local out
	if out=$(psql -X -q -At -h "$T/s$1" -p 5432 -U postgres -d "$2" -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$3" 2>&1); then echo ok
	else printf '%s\n' "$out" | sed -n -e 's/^ERROR:  \([0-9A-Z]*\):.*/\1/p' -e 's/^HINT:  //p' | paste -sd'|'; fi
}
deps=$(q M m1 "SELECT count(*) FROM ceptoar.dependency")
check "at a ministry, TRUNCATE of a published table is refused (55000), the HINT says what to do instead" \
	"55000|Delete the rows instead (DELETE FROM ceptoar.dependency ...), or drop the publication first (DROP PUBLICATION ceptoar_ministry)." \
	"$(verbose_err M m1 "TRUNCATE ceptoar.dependency")"
check "... also with CASCADE and of a report table; the guard is on every published table; nothing truncated, here or at the hub" \
	"55000|55000|14|$deps|$deps" \
	"$(verbose_err M m1 "TRUNCATE ceptoar.service_instance CASCADE" | cut -d'|' -f1)|$(verbose_err M m1 "TRUNCATE ceptoar.report_step" | cut -d'|' -f1)|$(q M m1 "SELECT count(*) FROM ceptoar.federation_tables() t JOIN pg_trigger g ON g.tgrelid = t.tbl AND g.tgname = 'federation_truncate'")|$(q M m1 "SELECT count(*) FROM ceptoar.dependency")|$(q H hub "SELECT count(*) FROM ceptoar.dependency WHERE dependent < 2000000000000")"
psql -X -q -h "$T/sM" -p 5432 -U postgres -d postgres -c "CREATE DATABASE m3"
q M m3 "SET client_min_messages = warning" "CREATE EXTENSION ceptoar_registry CASCADE"
q M m3 "INSERT INTO ceptoar.operator (code, name, sector) VALUES ('x', 'X', 'gas')" \
	"INSERT INTO ceptoar.service_instance (service, operator) VALUES ('gas.supply', 'x'), ('gas.supply', 'x')" \
	"INSERT INTO ceptoar.dependency (dependent, supplier) SELECT max(id), min(id) FROM ceptoar.service_instance"
check "where nothing is published, TRUNCATE works as before" "ok|0|0" \
	"$(verbose_err M m3 "TRUNCATE ceptoar.dependency, ceptoar.service_instance CASCADE")|$(q M m3 "SELECT count(*) FROM ceptoar.dependency")|$(q M m3 "SELECT count(*) FROM ceptoar.service_instance")"
q M m3 "INSERT INTO ceptoar.service_instance (service, operator) VALUES ('gas.supply', 'x'), ('gas.supply', 'x')" \
	"INSERT INTO ceptoar.dependency (dependent, supplier) SELECT max(id), min(id) FROM ceptoar.service_instance" \
	"CREATE PUBLICATION no_truncate FOR TABLE ceptoar.dependency WITH (publish = 'insert, update, delete')"
check "... and where the publication does not publish TRUNCATE" "ok|0" \
	"$(verbose_err M m3 "TRUNCATE ceptoar.dependency")|$(q M m3 "SELECT count(*) FROM ceptoar.dependency")"

echo "1..$n"
exit $fail
