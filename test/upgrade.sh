#!/usr/bin/env bash
# test/upgrade.sh: ALTER EXTENSION ceptoar_registry UPDATE gives what a fresh install of the
# current version gives (issue 9, style 4.6).  For every frozen release in src/releases/,
# oldest first: install it in its own database, load users' data (rule sets and rules,
# instances with areas, dependencies, an own sector_dependency row, a public table of
# incidents and criteria), walk the chain of src/updates/ scripts one ALTER EXTENSION ...
# UPDATE TO at a time up to default_version; then compare with a fresh install of the
# current version loaded with the same data:
#   - the catalog: pg_dump --schema-only --binary-upgrade (which dumps every member of the
#     extension one by one), without OIDs and without the columns an update dropped;
#   - the members: pg_describe_object of every pg_depend row of deptype 'e';
#   - the configuration tables and their filters (pg_extension_config_dump);
#   - the data: users' rows, values of every type, and the answers of classify, exceeds,
#     impact and sector_impact;
#   - the same data after pg_dump and pg_restore of the updated database (what users of an
#     older release did to the shipped sector matrices survives: issue 10, section 3).
# A self-check first proves the catalog comparison sees a change (a column added in a
# copy of the fresh database).  Then 0.3's free-text operators: values that cannot become
# operators make the update to 0.4 refuse (55000), naming them, changing nothing; fixed
# as its HINT says, it goes through.  New releases need nothing here: freeze the install script
# in src/releases/, add the update script in src/updates/, and the path grows.
# Runs as a superuser against the server in PGHOST/PGPORT, with the extension installed
# (make install); prints TAP.  CEPTOAR_UPGRADE_KEEP=1 keeps the dumps in ./upgrade.out/.
set -euo pipefail
cd "$(dirname "$0")/.."
ext=ceptoar_registry
current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" $ext.control)
sharedir=$(pg_config --sharedir)/extension
out=$(mktemp -d)
dbs=()
cleanup() {
	for d in "${dbs[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1 || true; done
	if [ -n "${CEPTOAR_UPGRADE_KEEP:-}" ]; then rm -rf upgrade.out; cp -r "$out" upgrade.out; fi
	rm -rf "$out"
}
trap cleanup EXIT

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

n=0; fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
check() {   # check description expected actual
	if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "#   expected: '$2'"; echo "#   got:      '$3'"; fi
}
# same description file1 file2: the two files are equal, else the diff as TAP comments
same() {
	if cmp -s "$2" "$3"; then ok "$1"
	else notok "$1"; diff -u "$2" "$3" | head -${CEPTOAR_UPGRADE_DIFF_LINES:-60} | sed 's/^/#   /'; fi
}

# The releases, oldest first, and the update chain from each to the current version.
releases=$(ls src/releases/ 2>/dev/null | sed -n "s/^$ext--\([^-]*\)\.sql$/\1/p" | sort -V)
if [ -z "$releases" ]; then
	echo "1..1"
	echo "not ok 1 - a frozen release in src/releases/ (committed? .gitignore ignores $ext--*.sql)"
	exit 1
fi
# next_version V: the version the update script from V leads to (the highest, if several)
next_version() {
	ls src/updates/ | sed -n "s/^$ext--$(printf '%s' "$1" | sed 's/\./\\./g')--\([^-]*\)\.\(sql\|parts\)$/\1/p" | sort -V | tail -1
}
chain() {   # chain V: V and every version after it up to the current one
	local v=$1 steps=0
	echo "$v"
	while [ "$v" != "$current" ]; do
		v=$(next_version "$v")
		[ -n "$v" ] || return 1
		echo "$v"
		steps=$((steps + 1)); [ $steps -lt 100 ] || return 1
	done
}

# Users' data, written with what every release has had since 0.1.  Before 0.4 an
# instance's operator was free text; from 0.4 it is an operator's code (ceptoar.operator),
# and the update makes each value an operator of that code and name in its instances'
# sector: a database of 0.4 or later (a fresh install, a release from 0.4 on) gets the same
# operators by hand first.
load_data() {
	if [ "$(q "$1" "SELECT to_regclass('ceptoar.operator') IS NOT NULL")" = t ]; then
		q "$1" "INSERT INTO ceptoar.operator (code, name, sector) VALUES
		        ('p', 'p', 'electricity'), ('w', 'w', 'water'), ('t', 't', 'telecom'), ('g', 'g', 'gas')"
	fi
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" <<-'SQL'
	INSERT INTO ceptoar.rule_set (code, kind, title, valid_from) VALUES ('my-sla', 'service_level', 'ours', '2020-01-01');
	INSERT INTO ceptoar.rule (rule_set, service, criterion, clause_en) VALUES
	  ('my-sla', 'water', 'duration >= 30 min', 'half an hour'),
	  ('my-sla', 'electricity.supply', 'lost_kw >= 1000 or (users >= 10 and not effect in (delay))', 'ours');
	INSERT INTO ceptoar.service_instance (service, operator, population, area) VALUES
	  ('electricity.supply', 'p', 1000, ST_Multi(ST_MakeEnvelope(0, 0, 2, 2, 4326))),
	  ('water.supply', 'w', 500, ST_Multi(ST_MakeEnvelope(1, 1, 3, 3, 4326))),
	  ('telecom.telecommunications.voice', 't', 300, NULL),
	  ('gas.supply', 'g', 200, ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 4326)));
	INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
	  SELECT d.id, s.id, b FROM (VALUES ('w', 'p', interval '1 hour'), ('t', 'p', interval '0'),
	                                    ('g', 't', interval '30 min'), ('p', 't', interval '2 hours')) v(dep, sup, b)
	  JOIN ceptoar.service_instance d ON d.operator = v.dep JOIN ceptoar.service_instance s ON s.operator = v.sup;
	INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer, source) VALUES ('credit', 'port', '1 day', 'mine');
	-- shipped rows of the sector matrices deleted, edited (a value, a pair), replaced
	SET search_path = public, ceptoar;
	DELETE FROM ceptoar.sector_dependency WHERE dependent = 'rail' AND supplier = 'electricity';
	UPDATE ceptoar.sector_dependency SET buffer = '9 hours' WHERE dependent = 'telecom' AND supplier = 'electricity';
	UPDATE ceptoar.sector_dependency SET supplier = 'port' WHERE dependent = 'aviation' AND supplier = 'airport';
	DELETE FROM ceptoar.sector_dependency WHERE dependent = 'finance' AND supplier = 'electricity';
	INSERT INTO ceptoar.sector_dependency (dependent, supplier, buffer, source) VALUES ('finance', 'electricity', '12 hours', 'mine');
	DELETE FROM ceptoar.sector_coefficient WHERE dependent = 'rail' AND supplier = 'electricity';
	UPDATE ceptoar.sector_coefficient SET coefficient = 0.5 WHERE dependent = 'telecom' AND supplier = 'electricity';
	INSERT INTO ceptoar.sector_coefficient (dependent, supplier, coefficient, source) VALUES ('credit', 'port', 0.4, 'mine');
	RESET search_path;
	CREATE TABLE public.incidents (id int PRIMARY KEY, i ceptoar.incident, c ceptoar.criterion, s ceptoar.sector, v ceptoar.service);
	INSERT INTO public.incidents VALUES
	  (1, 'service=water.supply, began=2024-05-01 10:00+09, lasted=45 min, households=1200', 'households >= 1000', '水道', 'water.supply'),
	  (2, 'service=telecom.telecommunications.voice, began=2024-01-15 09:00+09, lasted=3 h 10 min, users=45000', 'users >= 30000 and duration >= 2 h', 'telecom', 'telecom'),
	  (3, 'service=electricity.supply, began=2024-01-15 09:00+09, lasted=1 h', 'lost_kw >= 100000 and duration >= 10 min', '電力', 'electricity.supply'),
	  (4, 'service=gas.supply, began=2010-03-01 00:00+09, households=29, flags={}', 'any', 'gas', 'gas');
	CREATE INDEX ON public.incidents (i);
	CREATE INDEX ON public.incidents (s, v);
	SQL
}

# What users see; the same text is expected from both databases.
users_view() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" <<-'SQL'
	SELECT 'rule_set', code, kind, title, valid_from FROM ceptoar.rule_set WHERE NOT shipped ORDER BY code;
	SELECT 'rule', rule_set, service, criterion, clause_en FROM ceptoar.rule WHERE NOT shipped ORDER BY 2, 3;
	SELECT 'shipped', (SELECT count(*) FROM ceptoar.rule_set WHERE shipped), (SELECT count(*) FROM ceptoar.rule WHERE shipped),
	       (SELECT count(*) FROM ceptoar.sector_dependency WHERE shipped);
	SELECT 'operator', code, name, name_ja, sector, ceptoar, contact, service_levels FROM ceptoar.operator ORDER BY code;
	SELECT 'instance', id, service, operator, population, ST_AsText(area) FROM ceptoar.service_instance ORDER BY id;
	SELECT 'dependency', dependent, supplier, buffer FROM ceptoar.dependency ORDER BY 2, 3;
	SELECT 'sector_dependency', d.* FROM ceptoar.sector_dependency d ORDER BY dependent, supplier;
	SELECT 'sector_coefficient', c.* FROM ceptoar.sector_coefficient c ORDER BY dependent, supplier;
	SELECT 'sector_matrix_removed', r.* FROM ceptoar.sector_matrix_removed r ORDER BY 2, 3, 4;
	SELECT 'incident', id, i, c, s, v FROM public.incidents ORDER BY id;
	SELECT 'classify', id, r, (ceptoar.classify(i, r)).*, ceptoar.exceeds(i, r), ceptoar.evaluate(c, i)
	  FROM public.incidents, unnest(ARRAY['nisc-2009', 'telecom-2015', 'gas-report', 'my-sla']) r ORDER BY id, r;
	SELECT 'rule_set', s.* FROM ceptoar.rule_set s WHERE shipped ORDER BY code;
	SELECT 'rule', r.* FROM ceptoar.rule r WHERE shipped ORDER BY rule_set, service;
	SELECT 'exercises', e.* FROM ceptoar.exercises e ORDER BY code;
	SELECT 'ceptoars', c.* FROM ceptoar.ceptoars c ORDER BY ordinal;
	SELECT 'impact', x.* FROM ceptoar.impact((SELECT id FROM ceptoar.service_instance WHERE operator = 't'),
	                                         '2024-01-15 09:00+09', '6 hours') x ORDER BY 2;
	SELECT 'sector_impact', x.* FROM ceptoar.sector_impact('electricity', '1 day') x ORDER BY 2;
	SELECT 'sorted', string_agg(id::text, ',' ORDER BY i) FROM public.incidents;
	INSERT INTO ceptoar.operator (code, name, sector) VALUES ('r', 'r', 'rail');
	INSERT INTO ceptoar.service_instance (service, operator) VALUES ('rail.passenger', 'r') RETURNING 'next id', id;
	SQL
}

# The catalog as pg_dump sees it in binary-upgrade mode (every member of the extension),
# without OIDs, and without the placeholders of columns an update dropped (a fresh install
# has none; the rest of the table must still match, column order included).
catalog() {
	pg_dump --schema-only --binary-upgrade -d "$1"
}
normalise() {
	# binary-upgrade statements carry OIDs and xids: pg_class's relfrozenxid (three lines),
	# pg_attribute's rows for dropped columns, the binary_upgrade_* calls
	sed -e '/^UPDATE pg_catalog.pg_class$/,/^WHERE oid = /d' \
		-e '/^UPDATE pg_catalog.pg_attribute$/,/^  AND attrelid = /d' \
		| grep -v -e 'binary_upgrade_' -e '^-- Dumped ' -e '^SET ' -e '^SELECT pg_catalog.set_config' \
			-e '^\\restrict ' -e '^\\unrestrict ' -e 'pg\.dropped\.' -e '^-- For binary upgrade' \
			-e '^--$' -e '^$'
}
members() {
	q "$1" "SELECT pg_describe_object(classid, objid, objsubid) FROM pg_depend
	        WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
	          AND refobjid = (SELECT oid FROM pg_extension WHERE extname = '$ext') ORDER BY 1"
}
config() {
	q "$1" "SELECT c::regclass || ' ' || coalesce(f, '(all rows)')
	        FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(c, f)
	        WHERE e.extname = '$ext' ORDER BY 1"
}

echo "# releases: $(echo $releases | tr '\n' ' ')current: $current"
count=8
for r in $releases; do count=$((count + 7)); done
echo "1..$count"

# The files the server uses are the ones in this tree.
stale=
for f in src/releases/$ext--*.sql src/updates/$ext--*.sql; do
	cmp -s "$f" "$sharedir/$(basename "$f")" || stale="$stale $(basename "$f")"
done
# an update script built from a .parts list (the version in development)
for f in src/updates/$ext--*.parts; do
	[ -e "$f" ] || continue
	cat $(sed -e 's/#.*//' "$f") | cmp -s - "$sharedir/$(basename "$f" .parts).sql" ||
		stale="$stale $(basename "$f" .parts).sql"
done
cat $(ls src/sql/*.sql | sort) | cmp -s - "$sharedir/$ext--$current.sql" || stale="$stale $ext--$current.sql"
check "installed scripts are the tree's (make install)" "" "$stale"

fresh=${ext}_upgrade_fresh
dbs+=("$fresh" "${fresh}_mutant")
dropdb --if-exists "$fresh"; createdb "$fresh"
q "$fresh" "CREATE EXTENSION $ext CASCADE"
load_data "$fresh"
catalog "$fresh" | normalise > "$out/fresh.catalog"
members "$fresh" > "$out/fresh.members"
config "$fresh" > "$out/fresh.config"
users_view "$fresh" > "$out/fresh.data"

# Self-check: the comparison sees a column that only one side has.
dropdb --if-exists "${fresh}_mutant"
createdb -T "$fresh" "${fresh}_mutant"
q "${fresh}_mutant" "ALTER TABLE ceptoar.rule ADD COLUMN regress_extra int"
catalog "${fresh}_mutant" | normalise > "$out/mutant.catalog"
if cmp -s "$out/fresh.catalog" "$out/mutant.catalog"; then notok "self-check: a column added by hand shows in the catalog comparison"
else ok "self-check: a column added by hand shows in the catalog comparison"; fi

for r in $releases; do
	db=${ext}_upgrade_from_$(printf '%s' "$r" | tr -c 'a-zA-Z0-9\n' '_')
	dbs+=("$db")
	dropdb --if-exists "$db"; createdb "$db"
	if ! path=$(chain "$r"); then
		notok "from $r: a chain of update scripts leads to $current"
		for _ in 1 2 3 4 5 6; do notok "from $r: (no chain)"; done
		continue
	fi
	ok "from $r: chain $(echo $path | sed 's/ / -> /g')"
	q "$db" "CREATE EXTENSION $ext VERSION '$r' CASCADE"
	load_data "$db"
	steps_ok=1
	for v in $(echo "$path" | tail -n +2); do
		if ! msg=$(q "$db" "ALTER EXTENSION $ext UPDATE TO '$v'" 2>&1); then
			steps_ok=0; echo "#   ALTER EXTENSION $ext UPDATE TO '$v': $msg"; break
		fi
	done
	check "from $r: every ALTER EXTENSION ... UPDATE TO succeeds" "1|$current" \
		"$steps_ok|$(q "$db" "SELECT extversion FROM pg_extension WHERE extname = '$ext'")"
	pg_dump -Fc -d "$db" -f "$out/from_$r.dump"
	catalog "$db" | normalise > "$out/from_$r.catalog"
	members "$db" > "$out/from_$r.members"
	config "$db" > "$out/from_$r.config"
	users_view "$db" > "$out/from_$r.data"
	same "from $r: schema-only dump (binary-upgrade, every member) equals a fresh install's" \
		"$out/fresh.catalog" "$out/from_$r.catalog"
	same "from $r: the members of the extension are a fresh install's" "$out/fresh.members" "$out/from_$r.members"
	same "from $r: configuration tables and filters are a fresh install's" "$out/fresh.config" "$out/from_$r.config"
	same "from $r: users' data intact; classify, exceeds, impact, sector_impact answer the same" \
		"$out/fresh.data" "$out/from_$r.data"
	dbs+=("${db}_restored")
	dropdb --if-exists "${db}_restored"; createdb "${db}_restored"
	if msg=$(pg_restore --exit-on-error -d "${db}_restored" "$out/from_$r.dump" 2>&1); then
		users_view "${db}_restored" > "$out/from_$r.restored.data"
		same "from $r: after pg_dump and pg_restore of the updated database, the same data and answers" \
			"$out/fresh.data" "$out/from_$r.restored.data"
	else
		notok "from $r: after pg_dump and pg_restore of the updated database, the same data and answers"
		printf '%s\n' "$msg" | head -5 | sed 's/^/#   /'
	fi
done
# 0.3's free-text operators that cannot become operators (not a code, a reserved code,
# instances in two sectors): the update to 0.4 refuses, names them, changes nothing; done
# as its HINT says under 0.3, the update goes through.
refused=${ext}_upgrade_refused
dbs+=("$refused")
dropdb --if-exists "$refused"; createdb "$refused"
q "$refused" "CREATE EXTENSION $ext VERSION '0.3' CASCADE" 2>/dev/null
q "$refused" "INSERT INTO ceptoar.service_instance (id, service, operator) VALUES
              (1, 'electricity.supply', 'tepco'), (2, 'electricity.supply', 'Kansai Electric'),
              (3, 'electricity.supply', 'x'), (4, 'gas.supply', 'x'), (5, 'gas.supply', 'meti'),
              (6, 'water.supply', 'water'), (7, 'water.supply', 'yokohama-water');
              INSERT INTO ceptoar.dependency VALUES (3, 1, '1 hour')"
err=$(psql -X -q -At -v VERBOSITY=verbose -d "$refused" -c "ALTER EXTENSION $ext UPDATE TO '0.4'" 2>&1 || true)
check "0.3 -> 0.4 with operators that cannot be migrated: refused (55000), still 0.3, nothing changed" \
	"55000|0.3|||7" \
	"$(printf '%s\n' "$err" | sed -n 's/^ERROR:  \([0-9A-Z]*\):.*/\1/p')|$(q "$refused" "SELECT extversion FROM pg_extension WHERE extname = '$ext'")|$(q "$refused" "SELECT to_regclass('ceptoar.operator')")|$(q "$refused" "SELECT conname FROM pg_constraint WHERE conname = 'service_instance_operator_fkey'")|$(q "$refused" "SELECT count(*) FROM ceptoar.service_instance")"
check "the refusal names each value and why" \
	"DETAIL:  In 0.4 service_instance.operator refers to ceptoar.operator (code), and an operator delivers only its own sector's services. These values cannot be migrated: 'Kansai Electric' (not an operator code), 'meti' (the code of NISC, a ministry or a CEPTOAR), 'water' (the code of NISC, a ministry or a CEPTOAR), 'x' (instances in sectors electricity, gas)." \
	"$(printf '%s\n' "$err" | grep '^DETAIL:')"
check "and its HINT says what to run under 0.3" "yes" \
	"$(printf '%s\n' "$err" | grep -q "^HINT:  Under 0.3, give those instances operator values that are codes .*UPDATE ceptoar.service_instance SET operator = " && echo yes)"
q "$refused" "UPDATE ceptoar.service_instance SET operator = 'kansai-electric' WHERE operator = 'Kansai Electric';
              UPDATE ceptoar.service_instance SET operator = operator || '-' || ceptoar.sector(service) WHERE operator = 'x';
              UPDATE ceptoar.service_instance SET operator = 'meti-gas' WHERE operator = 'meti';
              UPDATE ceptoar.service_instance SET operator = 'water-co' WHERE operator = 'water'"
check "fixed as the HINT says: the update goes through, one operator per value, in its sector" \
	"0.4|kansai-electric:kansai-electric:electricity,meti-gas:meti-gas:gas,tepco:tepco:electricity,water-co:water-co:water,x-electricity:x-electricity:electricity,x-gas:x-gas:gas,yokohama-water:yokohama-water:water" \
	"$(q "$refused" "ALTER EXTENSION $ext UPDATE TO '0.4'" >/dev/null 2>&1; q "$refused" "SELECT extversion FROM pg_extension WHERE extname = '$ext'")|$(q "$refused" "SELECT string_agg(concat_ws(':', code, name, sector), ',' ORDER BY code) FROM ceptoar.operator" 2>&1)"
check "then service_instance.operator refers to ceptoar.operator (an unknown code: 23503; a code changes in cascade)" \
	"23503|x-power" \
	"$(psql -X -q -At -v VERBOSITY=verbose -d "$refused" -c "INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (100, 'gas.supply', 'x')" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]*\):.*/\1/p')|$(q "$refused" "UPDATE ceptoar.operator SET code = 'x-power' WHERE code = 'x-electricity'; SELECT operator FROM ceptoar.service_instance WHERE id = 3")"
dropdb "$refused"

# 0.1 did not refuse a schema another role prepared (D9): the update to 0.2 does.
oldest=$(echo "$releases" | head -1)
hostile=${ext}_upgrade_hostile
dbs+=("$hostile")
dropdb --if-exists "$hostile"; createdb "$hostile"
psql -X -q -d "$hostile" -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS regress_upgrade_evil" \
	-c "CREATE ROLE regress_upgrade_evil" -c "GRANT CREATE ON DATABASE $hostile TO regress_upgrade_evil" \
	-c "SET ROLE regress_upgrade_evil" -c "CREATE SCHEMA ceptoar" -c "RESET ROLE" \
	-c "CREATE EXTENSION $ext VERSION '$oldest' CASCADE" -c "SET ROLE regress_upgrade_evil" \
	-c "CREATE FUNCTION ceptoar.classify(text, text) RETURNS text LANGUAGE sql AS 'SELECT 1::text'" >/dev/null 2>&1
check "an update out of a schema another role prepared (as $oldest allowed) is refused (42501)" \
	"42501|$oldest" \
	"$(psql -X -q -At -v VERBOSITY=verbose -d "$hostile" -c "ALTER EXTENSION $ext UPDATE" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]*\):.*/\1/p')|$(q "$hostile" "SELECT extversion FROM pg_extension WHERE extname = '$ext'")"
dropdb "$hostile"
psql -X -q -d postgres -c "DROP ROLE regress_upgrade_evil" >/dev/null 2>&1 || true
exit $fail
