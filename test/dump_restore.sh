#!/usr/bin/env bash
# test/dump_restore.sh: users' rule sets and rules survive pg_dump / pg_restore, the
# shipped ones are not duplicated, and classification works in the restored database.
# Runs against the server in PGHOST/PGPORT (scripts/test.sh runs it in its cluster).
# Prints TAP.
set -euo pipefail
src=ceptoar_dump_src; dst=ceptoar_dump_dst
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists $src; dropdb --if-exists $dst' EXIT
dropdb --if-exists $src; dropdb --if-exists $dst
createdb $src; createdb $dst
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

q $src "CREATE EXTENSION ceptoar_registry CASCADE"
q $src "INSERT INTO ceptoar.rule_set (code, kind, title, valid_from) VALUES ('my-sla', 'service_level', 'ours', '2020-01-01')"
q $src "INSERT INTO ceptoar.rule (rule_set, service, criterion, clause_en) VALUES ('my-sla', 'water', 'duration >= 30 min', 'half an hour')"
q $src "CREATE TABLE public.log (i ceptoar.incident, c ceptoar.criterion, s ceptoar.sector, v ceptoar.service)"
q $src "INSERT INTO public.log VALUES ('service=water.supply, began=2024-05-01 10:00+09, lasted=45 min, households=1200', 'households >= 1000', '水道', 'water.supply')"

q $src "INSERT INTO ceptoar.service_instance (service, operator, population, area) VALUES ('electricity.supply', 'P', 100, ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 4326))), ('water.supply', 'W', 50, NULL)"
q $src "INSERT INTO ceptoar.dependency (dependent, supplier, buffer) SELECT w.id, p.id, '1 hour' FROM ceptoar.service_instance w, ceptoar.service_instance p WHERE w.operator = 'W' AND p.operator = 'P'"
q $src "INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer, source) VALUES ('credit', 'port', '1 day', 'mine')"

pg_dump -Fc -d $src -f "$tmp/dump"
pg_restore -d $dst --exit-on-error "$tmp/dump"

n=0; fail=0
check() {   # check description expected actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 (expected '$2', got '$3')"; fail=1; fi
}
echo "1..9"
check "user rule set restored" "my-sla|service_level" "$(q $dst "SELECT code || '|' || kind FROM ceptoar.rule_set WHERE NOT shipped")"
check "user rule restored" "water|duration >= 30 min" "$(q $dst "SELECT service || '|' || criterion FROM ceptoar.rule WHERE rule_set = 'my-sla'")"
check "shipped rule sets once each" "3|3" "$(q $dst "SELECT count(*) || '|' || count(DISTINCT code) FROM ceptoar.rule_set WHERE shipped")"
check "shipped rules unchanged" "$(q $src "SELECT count(*) FROM ceptoar.rule WHERE shipped")" "$(q $dst "SELECT count(*) FROM ceptoar.rule WHERE shipped")"
check "values of every type restored" "$(q $src "SELECT i::text || c::text || s::text || v::text FROM public.log")" "$(q $dst "SELECT i::text || c::text || s::text || v::text FROM public.log")"
check "classification in the restored database" "exceeds|exceeds" "$(q $dst "SELECT (ceptoar.classify(i, 'my-sla')).outcome || '|' || (ceptoar.classify(i)).outcome FROM public.log")"
check "instances and dependencies restored" "2|1" "$(q $dst "SELECT (SELECT count(*) FROM ceptoar.service_instance) || '|' || (SELECT count(*) FROM ceptoar.dependency)")"
check "identity continues after restore" "3" "$(q $dst "INSERT INTO ceptoar.service_instance (service, operator) VALUES ('gas.supply', 'G') RETURNING id")"
check "user sector dependency restored, shipped ones once" "1|41" "$(q $dst "SELECT count(*) FILTER (WHERE NOT shipped) || '|' || count(*) FILTER (WHERE shipped) FROM ceptoar.sector_dependency")"
exit $fail
