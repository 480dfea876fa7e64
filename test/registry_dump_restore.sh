#!/usr/bin/env bash
# test/registry_dump_restore.sh: the registry comes back exactly after pg_dump and restore.
# The history is the record: pg_dump keeps operators, report_revision and what refers to a
# revision (verdicts, verification, links, steps, deliveries) and the alerts with their
# deliveries whole; ceptoar.report, the current state, is
# rebuilt from the revisions as they are restored.  Checks every registry table, column by
# column, after a custom-format restore (pg_restore --exit-on-error) and a plain one (psql
# ON_ERROR_STOP), and that the restored registry goes on (the next UPDATE is the next
# revision; DELETE is still refused; a restored report is not delivered again; a new one is).  Runs as a superuser against PGHOST/PGPORT.  Prints TAP.
set -euo pipefail
src=ceptoar_regdump_src; dst=ceptoar_regdump_dst
tmp=
cleanup() {
	[ -z "$tmp" ] || rm -rf "$tmp"
	for d in $src $dst; do dropdb --if-exists $d >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
cleanup
tmp=$(mktemp -d)
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "SET search_path = public, ceptoar" -c "$2"; }
sqlstate() {
	local out
	if out=$(psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$1" -c "SET search_path = public, ceptoar" -c "$2" 2>&1); then echo ok
	else printf '%s\n' "$out" | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' | head -1; fi
}
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
echo "1..15"

createdb $src
q $src "CREATE EXTENSION ceptoar_registry CASCADE" 2>/dev/null
psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -d $src <<'SQL'
SET search_path = public, ceptoar;
INSERT INTO rule_set (code, kind) VALUES ('grid-sla', 'service_level');
INSERT INTO rule (rule_set, service, criterion) VALUES ('grid-sla', 'electricity', 'duration >= 5 min');
INSERT INTO operator (code, name, sector, service_levels) VALUES
  ('grid', 'Grid Co', 'electricity', 'grid-sla'), ('tel', 'Tel Co', 'telecom', NULL);
UPDATE operator SET ceptoar = 'electricity' WHERE code = 'grid';
INSERT INTO service_instance (id, service, operator) VALUES (1, 'electricity.supply', 'grid'), (2, 'telecom.telecommunications', 'tel');
INSERT INTO dependency (dependent, supplier, buffer) VALUES (2, 1, '30 min');
INSERT INTO report (id, operator, incident, instance, detected, reported, summary) VALUES
  ('00000000-0000-0000-0000-000000000001', 'grid', 'service=electricity.supply, began=2024-03-31 23:00+09, lost_kw=150000, lasted=ongoing', 1,
   '2024-03-31 23:05+09', '2024-03-31 23:30+09', 'outage'),
  ('00000000-0000-0000-0000-000000000002', 'tel', 'service=telecom.telecommunications, began=2024-04-01 00:00+09, users=40000, lasted=3 hours', 2,
   '2024-04-01 00:01+09', '2024-04-01 00:10+09', 'calls fail');
INSERT INTO report (id, operator, kind, reported, summary, tlp) VALUES
  ('00000000-0000-0000-0000-000000000003', 'tel', 'near_miss', '2024-04-02 09:00+09', 'a rumour', 'green');
UPDATE report SET incident = 'service=electricity.supply, began=2024-03-31 23:00+09, lost_kw=150000, lasted=2 hours', status = 'under_review'
 WHERE id = '00000000-0000-0000-0000-000000000001';
SELECT verify('00000000-0000-0000-0000-000000000001', 'exceeds');
UPDATE report SET status = 'closed' WHERE id = '00000000-0000-0000-0000-000000000001';
INSERT INTO report_link (report, related, kind) VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'cascade_from');
INSERT INTO report_step (report, step, done_at, note) VALUES ('00000000-0000-0000-0000-000000000001', 'contact', '2024-03-31 23:20+09', 'called');
SELECT revoke('00000000-0000-0000-0000-000000000002', 'filed twice');
SELECT acknowledge_report('00000000-0000-0000-0000-000000000001', 'electricity');
SELECT acknowledge_report('00000000-0000-0000-0000-000000000002', 'nisc');
SELECT forward_alert(issue_alert('Grid alert', 'Check relays.', ARRAY['electricity', 'telecom']::sector[], 'red'), 'meti');
SELECT acknowledge_alert(a.id, 'grid') FROM alert a;
SELECT issue_alert('Unread', NULL, ARRAY['telecom']::sector[]);
SQL
check "source: report 3 is a near miss kept" "near_miss" "$(q $src "SELECT kind FROM report WHERE id = '00000000-0000-0000-0000-000000000003'" 2>/dev/null || true)"
check "source: 7 report deliveries (2 acknowledged), 2 alerts with 4 deliveries (2 acknowledged)" "7|2|2|4|2" \
	"$(q $src "SELECT (SELECT count(*) FROM report_delivery) || '|' || (SELECT count(acknowledged_at) FROM report_delivery) || '|' || (SELECT count(*) FROM alert) || '|' || (SELECT count(*) FROM alert_delivery) || '|' || (SELECT count(acknowledged_at) FROM alert_delivery)")"

state() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" <<-'SQL'
	SET TimeZone = 'UTC';
	SELECT 'operator', o.* FROM ceptoar.operator o ORDER BY code;
	SELECT 'report', r.* FROM ceptoar.report r ORDER BY id;
	SELECT 'revision', r.* FROM ceptoar.report_revision r ORDER BY report, revision;
	SELECT 'verdict', v.* FROM ceptoar.report_verdicts v ORDER BY report, revision, rule_set;
	SELECT 'verification', v.* FROM ceptoar.report_verification v ORDER BY report, verified_at;
	SELECT 'link', l.* FROM ceptoar.report_link l ORDER BY 2, 3, 4;
	SELECT 'step', s.* FROM ceptoar.report_step s ORDER BY 2, 3;
	SELECT 'delivery', d.* FROM ceptoar.report_delivery d ORDER BY 2, 3;
	SELECT 'alert', a.* FROM ceptoar.alert a ORDER BY id;
	SELECT 'alert_delivery', d.* FROM ceptoar.alert_delivery d ORDER BY 2, 3, 4;
	SELECT 'unacknowledged', u.subject, u.id, u.recipient, u.recipient_kind, u.delivered_at FROM ceptoar.unacknowledged u ORDER BY 2, 3, 4;
	SQL
}
state $src > "$tmp/src.state"
pg_dump -Fc -d $src -f "$tmp/src.dump"
pg_dump -Fp -d $src -f "$tmp/src.sql"

for how in custom plain; do
	dropdb --if-exists $dst >/dev/null 2>&1; createdb $dst
	case $how in
	custom) out=$(pg_restore -d $dst --exit-on-error "$tmp/src.dump" 2>&1 && echo ok) ;;
	plain) out=$(psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -d $dst -f "$tmp/src.sql" 2>&1 && echo ok) ;;
	esac
	check "$how: restore exits 0" "ok" "$(printf '%s\n' "$out" | tail -1)"
	state $dst > "$tmp/dst.state"
	same "$how: operators, reports (current state), revisions, verdicts, verification, links, steps, deliveries, alerts as in the source" "$tmp/src.state" "$tmp/dst.state"
	check "$how: a restored report was not delivered again; a new one is delivered" "7|10" \
		"$(q $dst "SELECT count(*) FROM report_delivery")|$(q $dst "INSERT INTO report (operator, kind, summary) VALUES ('grid', 'threat', 'after restore'); SELECT count(*) FROM report_delivery")"
	check "$how: the next UPDATE is the next revision" "5" \
		"$(q $dst "UPDATE report SET status = 'revision_required' WHERE id = '00000000-0000-0000-0000-000000000001' RETURNING revision")"
	check "$how: DELETE is still refused" "0A000" "$(sqlstate $dst "DELETE FROM report")"
	check "$how: the tombstone is still a tombstone" "55000" "$(sqlstate $dst "UPDATE report SET summary = 'x' WHERE id = '00000000-0000-0000-0000-000000000002'")"
done
check "the restored report kept its verification and derived columns" "verified|exceeds|meti|2023" \
	"$(q $dst "SELECT (SELECT status FROM report_revision WHERE report = '00000000-0000-0000-0000-000000000001' AND revision = 3) || '|' || level || '|' || ministry_code || '|' || fiscal_year FROM report WHERE id = '00000000-0000-0000-0000-000000000001'")"
exit $fail
