#!/usr/bin/env bash
# test/dump_restore.sh: whatever users did to the extension's tables comes back exactly after
# pg_dump and restore, and the extension works in the restored database.
#   - rule sets and rules: users' rule sets and rules survive, the shipped ones are neither
#     duplicated nor changeable (UPDATE, DELETE, TRUNCATE refused);
#   - sector_dependency and sector_coefficient (issue 10, section 3): shipped rows deleted,
#     edited (values or pair), replaced by a row of the user's (INSERT over a shipped pair,
#     or DELETE then INSERT), TRUNCATE, users' own rows added and deleted: both tables,
#     sector_matrix_removed and sector_impact are the same after the restore;
#   - a role allowed to write a matrix needs nothing more for that;
#   - exercises (0.4): users' own exercises survive, the shipped ones are neither
#     duplicated nor changeable;
#   - instances, dependencies, identity, values of every type, classification.
# Each source database is restored from a custom-format dump with pg_restore --exit-on-error
# and from a plain-format dump through psql -v ON_ERROR_STOP=1; the second also with -j 4.
# Runs as a superuser against the server in PGHOST/PGPORT (scripts/test.sh runs it in its
# cluster).  Prints TAP.
set -euo pipefail
src=ceptoar_dump_src; src2=ceptoar_dump_src2; dst=ceptoar_dump_dst
role=regress_dump_matrix_writer
tmp=
cleanup() {
	[ -z "$tmp" ] || rm -rf "$tmp"
	for d in $src $src2 $dst; do dropdb --if-exists $d >/dev/null 2>&1 || true; done
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
tmp=$(mktemp -d)
# (the sector type's operators are in schema ceptoar)
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "SET search_path = public, ceptoar" -c "$2"; }
# sqlstate DB SQL: the SQLSTATE SQL fails with ("ok" if it does not)
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
echo "1..42"

# ---------------------------------------------------------------------------
# Source 1: a bit of everything
createdb $src
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE $role"
q $src "CREATE EXTENSION ceptoar_registry CASCADE"
psql -X -q -v ON_ERROR_STOP=1 -d $src <<-'SQL'
	SET search_path = public, ceptoar;
	INSERT INTO ceptoar.rule_set (code, kind, title, valid_from) VALUES
	  ('my-sla', 'service_level', 'ours', '2020-01-01'), ('old-name', 'legal_reporting', 'renamed', NULL);
	INSERT INTO ceptoar.rule (rule_set, service, criterion, clause_en) VALUES
	  ('my-sla', 'water', 'duration >= 30 min', 'half an hour'),
	  ('my-sla', 'electricity.supply', 'lost_kw >= 1000', 'a megawatt'),
	  ('old-name', 'gas', 'households >= 10', NULL);
	UPDATE ceptoar.rule_set SET code = 'new-name' WHERE code = 'old-name';
	INSERT INTO ceptoar.exercises (code, fiscal_year, held, theme_ja, theme_en, participants, source) VALUES
	  ('our-blackout', 2024, '2024-11-05', '広域停電', 'wide-area blackout', 40, 'ours'),
	  ('old-drill', 2023, NULL, NULL, NULL, NULL, NULL);
	UPDATE ceptoar.exercises SET code = 'renamed-drill', organisations = 3 WHERE code = 'old-drill';
	CREATE TABLE public.log (i ceptoar.incident, c ceptoar.criterion, s ceptoar.sector, v ceptoar.service);
	INSERT INTO public.log VALUES ('service=water.supply, began=2024-05-01 10:00+09, lasted=45 min, households=1200', 'households >= 1000', '水道', 'water.supply');
	INSERT INTO ceptoar.operator (code, name, sector) VALUES ('p', 'P', 'electricity'), ('w', 'W', 'water'), ('g', 'G', 'gas');
	INSERT INTO ceptoar.service_instance (service, operator, population, area) VALUES
	  ('electricity.supply', 'p', 100, ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 4326))), ('water.supply', 'w', 50, NULL);
	INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
	  SELECT w.id, p.id, '1 hour' FROM ceptoar.service_instance w, ceptoar.service_instance p WHERE w.operator = 'w' AND p.operator = 'p';

	-- sector_dependency: every kind of change
	DELETE FROM ceptoar.sector_dependency WHERE dependent = 'rail' AND supplier = 'electricity';          -- deleted
	UPDATE ceptoar.sector_dependency SET buffer = '9 hours' WHERE dependent = 'telecom' AND supplier = 'electricity';  -- edited
	UPDATE ceptoar.sector_dependency SET supplier = 'port' WHERE dependent = 'aviation' AND supplier = 'airport';       -- pair changed
	INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer, source) VALUES ('credit', 'port', '1 day', 'mine');  -- added
	DELETE FROM ceptoar.sector_dependency WHERE dependent = 'finance' AND supplier = 'electricity';       -- replaced:
	INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer, source) VALUES ('finance', 'electricity', '12 hours', 'mine');
	INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer, source) VALUES ('gas', 'electricity', '48 hours', 'mine');  -- over a shipped pair
	INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer, source) VALUES ('medical', 'water', '1 hour', 'mine');      -- replaced, then
	DELETE FROM ceptoar.sector_dependency WHERE dependent = 'medical' AND supplier = 'water';                                      -- deleted
	INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer, source) VALUES ('port', 'rail', '2 hours', 'mine');       -- added, then
	DELETE FROM ceptoar.sector_dependency WHERE dependent = 'port' AND supplier = 'rail';                                         -- deleted

	-- sector_coefficient: the three cases
	DELETE FROM ceptoar.sector_coefficient WHERE dependent = 'rail' AND supplier = 'electricity';
	UPDATE ceptoar.sector_coefficient SET coefficient = 0.5 WHERE dependent = 'telecom' AND supplier = 'electricity';
	INSERT INTO ceptoar.sector_coefficient (dependent, supplier, coefficient, source) VALUES ('credit', 'port', 0.4, 'mine');
SQL
# A role allowed to write the matrix, and nothing else, replaces and deletes shipped rows.
q $src "GRANT INSERT, UPDATE, DELETE ON ceptoar.sector_coefficient TO $role"
check "a role with INSERT on sector_coefficient replaces a shipped row (no privilege on sector_matrix_removed)" "ok" \
	"$(sqlstate $src "SET ROLE $role; INSERT INTO ceptoar.sector_coefficient (dependent, supplier, coefficient) VALUES ('finance', 'electricity', 0.6)")"
check "and deletes one" "ok" \
	"$(sqlstate $src "SET ROLE $role; DELETE FROM ceptoar.sector_coefficient WHERE dependent = 'chemical' AND supplier = 'port'")"
check "but cannot write sector_matrix_removed itself" "42501" \
	"$(sqlstate $src "SET ROLE $role; INSERT INTO ceptoar.sector_matrix_removed VALUES ('sector_coefficient', 'port', 'telecom')")"

# What the changes mean in the source database (the semantics of section 3)
check "an edited shipped row is the user's" "09:00:00|false" \
	"$(q $src "SELECT buffer || '|' || shipped FROM ceptoar.sector_dependency WHERE dependent = 'telecom' AND supplier = 'electricity'")"
check "a row inserted over a shipped pair replaced it" "48:00:00|mine|false" \
	"$(q $src "SELECT buffer || '|' || source || '|' || shipped FROM ceptoar.sector_dependency WHERE dependent = 'gas' AND supplier = 'electricity'")"
check "the pairs of the shipped rows that went are in sector_matrix_removed" \
	"sector_coefficient telecom electricity|sector_coefficient finance electricity|sector_coefficient rail electricity|sector_coefficient chemical port|sector_dependency telecom electricity|sector_dependency finance electricity|sector_dependency aviation airport|sector_dependency rail electricity|sector_dependency gas electricity|sector_dependency medical water" \
	"$(q $src "SELECT string_agg(matrix || ' ' || dependent || ' ' || supplier, '|' ORDER BY matrix, dependent, supplier) FROM ceptoar.sector_matrix_removed")"
check "users may not mark rows shipped (INSERT)" "42501" \
	"$(sqlstate $src "INSERT INTO ceptoar.sector_dependency VALUES ('port', 'gas', '1 hour', NULL, true)")"
check "users may not mark rows shipped (UPDATE)" "42501" \
	"$(sqlstate $src "UPDATE ceptoar.sector_coefficient SET shipped = true WHERE dependent = 'credit'")"
check "removed pairs cannot be deleted" "42501" \
	"$(sqlstate $src "DELETE FROM ceptoar.sector_matrix_removed")"
check "removed pairs cannot be changed" "42501" \
	"$(sqlstate $src "UPDATE ceptoar.sector_matrix_removed SET supplier = 'gas'")"
check "removed pairs cannot be truncated" "42501" \
	"$(sqlstate $src "TRUNCATE ceptoar.sector_matrix_removed")"
check "a pair of another table is refused" "23514" \
	"$(sqlstate $src "INSERT INTO ceptoar.sector_matrix_removed VALUES ('rule', 'port', 'gas')")"
check "shipped rule sets cannot be changed" "42501|42501|42501" \
	"$(sqlstate $src "UPDATE ceptoar.rule_set SET title = 'x' WHERE code = 'nisc-2009'")|$(sqlstate $src "DELETE FROM ceptoar.rule WHERE rule_set = 'gas-report'")|$(sqlstate $src "INSERT INTO ceptoar.rule (rule_set, service, criterion) VALUES ('nisc-2009', 'port', 'any')")"
check "nor truncated (rule, rule_set)" "42501|42501" \
	"$(sqlstate $src "TRUNCATE ceptoar.rule")|$(sqlstate $src "TRUNCATE ceptoar.rule_set CASCADE")"
check "shipped exercises cannot be changed, deleted or truncated; their codes are reserved" "42501|42501|42501|23514" \
	"$(sqlstate $src "UPDATE ceptoar.exercises SET theme_en = 'x' WHERE code = 'fy2009'")|$(sqlstate $src "DELETE FROM ceptoar.exercises WHERE code = 'fy2006'")|$(sqlstate $src "TRUNCATE ceptoar.exercises CASCADE")|$(sqlstate $src "INSERT INTO ceptoar.exercises (code, fiscal_year) VALUES ('fy2014', 2014)")"

# ---------------------------------------------------------------------------
# Source 2: the issue's case: every shipped row deleted, the user's own matrix inserted
# (colliding with the shipped pairs); sector_coefficient emptied with TRUNCATE.
createdb $src2
q $src2 "CREATE EXTENSION ceptoar_registry CASCADE"
psql -X -q -v ON_ERROR_STOP=1 -d $src2 <<-'SQL'
	SET search_path = public, ceptoar;
	DELETE FROM ceptoar.sector_dependency WHERE shipped;
	INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer, source) VALUES
	  ('finance', 'electricity', '6 hours', 'ours'), ('telecom', 'electricity', '9 hours', 'ours'),
	  ('water', 'electricity', '1 day', 'ours'), ('credit', 'port', '2 days', 'ours');
	TRUNCATE ceptoar.sector_coefficient;
	INSERT INTO ceptoar.sector_coefficient (dependent, supplier, coefficient, source) VALUES
	  ('finance', 'electricity', 0.9, 'ours'), ('water', 'electricity', 0.8, 'ours');
SQL
check "source 2: 41 pairs removed from each matrix" "41|41" \
	"$(q $src2 "SELECT count(*) FILTER (WHERE matrix = 'sector_dependency') || '|' || count(*) FILTER (WHERE matrix = 'sector_coefficient') FROM ceptoar.sector_matrix_removed")"

# ---------------------------------------------------------------------------
# What must come back, as text, one line per row
state() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" <<-'SQL'
	SELECT 'rule_set', r.* FROM ceptoar.rule_set r ORDER BY code;
	SELECT 'rule', r.* FROM ceptoar.rule r ORDER BY rule_set, service;
	SELECT 'exercises', e.* FROM ceptoar.exercises e ORDER BY code;
	SELECT 'sector_dependency', d.* FROM ceptoar.sector_dependency d ORDER BY dependent, supplier;
	SELECT 'sector_coefficient', c.* FROM ceptoar.sector_coefficient c ORDER BY dependent, supplier;
	SELECT 'removed', r.* FROM ceptoar.sector_matrix_removed r ORDER BY 2, 3, 4;
	SELECT 'sector_impact', x.* FROM ceptoar.sector_impact('electricity', '1 day') x ORDER BY 2;
	SELECT 'sector_inoperability', x.* FROM ceptoar.sector_inoperability('{electricity}', '{0.5}') x;
	SQL
}
state $src > "$tmp/src.state"
state $src2 > "$tmp/src2.state"
pg_dump -Fc -d $src -f "$tmp/src.dump"
pg_dump -Fp -d $src -f "$tmp/src.sql"
pg_dump -Fc -d $src2 -f "$tmp/src2.dump"
pg_dump -Fp -d $src2 -f "$tmp/src2.sql"

restore() {   # restore FORMAT FILE: into a new $dst; prints ok or the error
	dropdb --if-exists $dst >/dev/null 2>&1; createdb $dst
	case $1 in
	custom) pg_restore -d $dst --exit-on-error "$2" 2>&1 && echo ok ;;
	parallel) pg_restore -d $dst --exit-on-error -j 4 "$2" 2>&1 && echo ok ;;
	plain) psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -d $dst -f "$2" 2>&1 && echo ok ;;
	esac
}
same() {   # same description file1 file2
	n=$((n + 1))
	if cmp -s "$2" "$3"; then echo "ok $n - $1"
	else echo "not ok $n - $1"; diff -u "$2" "$3" | head -40 | sed 's/^/#   /'; fail=1; fi
}

for how in custom plain; do
	case $how in custom) f1=$tmp/src.dump; f2=$tmp/src2.dump ;; plain) f1=$tmp/src.sql; f2=$tmp/src2.sql ;; esac
	check "$how: restore exits 0 (errors stop it)" "ok" "$(restore $how "$f1" | tail -1)"
	state $dst > "$tmp/dst.state"
	same "$how: rule sets, rules, both matrices, removed pairs, sector_impact and IIM as in the source" "$tmp/src.state" "$tmp/dst.state"
	check "$how: shipped rule sets once each" "4|4" "$(q $dst "SELECT count(*) || '|' || count(DISTINCT code) FROM ceptoar.rule_set WHERE shipped")"
	check "$how: shipped exercises once each, users' exercises back" "8|8|renamed-drill,our-blackout" \
		"$(q $dst "SELECT count(*) FILTER (WHERE shipped) || '|' || count(DISTINCT code) FILTER (WHERE shipped) || '|' || string_agg(code, ',' ORDER BY code DESC) FILTER (WHERE NOT shipped) FROM ceptoar.exercises")"
	check "$how: values of every type restored" "$(q $src "SELECT i::text || c::text || s::text || v::text FROM public.log")" "$(q $dst "SELECT i::text || c::text || s::text || v::text FROM public.log")"
	check "$how: classification in the restored database" "exceeds|exceeds|no_rule" \
		"$(q $dst "SELECT (ceptoar.classify(i, 'my-sla')).outcome || '|' || (ceptoar.classify(i)).outcome || '|' || (ceptoar.classify(i, 'new-name')).outcome FROM public.log")"
	check "$how: instances and dependencies restored" "2|1" "$(q $dst "SELECT (SELECT count(*) FROM ceptoar.service_instance) || '|' || (SELECT count(*) FROM ceptoar.dependency)")"
	check "$how: identity continues after restore" "3" "$(q $dst "INSERT INTO ceptoar.service_instance (service, operator) VALUES ('gas.supply', 'g') RETURNING id")"
	check "$how: the restored matrix behaves the same (a deleted shipped pair, then the pair inserted again)" "ok|1|false" \
		"$(sqlstate $dst "INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer) VALUES ('rail', 'electricity', '1 hour')")|$(q $dst "SELECT count(*) || '|' || bool_or(shipped) FROM ceptoar.sector_dependency WHERE dependent = 'rail' AND supplier = 'electricity'")"
	check "$how: source 2 (all shipped rows deleted or truncated, colliding rows of the user's) restores" "ok" "$(restore $how "$f2" | tail -1)"
	state $dst > "$tmp/dst2.state"
	same "$how: source 2 comes back exactly" "$tmp/src2.state" "$tmp/dst2.state"
	check "$how: source 2 has no shipped matrix row" "0|0" \
		"$(q $dst "SELECT (SELECT count(*) FROM ceptoar.sector_dependency WHERE shipped) || '|' || (SELECT count(*) FROM ceptoar.sector_coefficient WHERE shipped)")"
done
# pg_restore -j copies the three tables at the same time.  (Only source 2: users' rules and
# dependencies cannot be restored in parallel, since pg_restore -j does not wait for the data
# of rule_set before that of rule, nor service_instance before dependency.)
check "parallel (-j 4): source 2 restores" "ok" "$(restore parallel "$tmp/src2.dump" | tail -1)"
state $dst > "$tmp/dst2.state"
same "parallel (-j 4): source 2 comes back exactly" "$tmp/src2.state" "$tmp/dst2.state"
exit $fail
