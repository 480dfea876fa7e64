#!/usr/bin/env bash
# test/install_security.sh: CREATE EXTENSION refuses a schema someone else prepared (issue 9,
# D9, the CVE-2022-2625 class; src/sql/005_install_guard.sql), leaves nothing behind when it
# refuses, and installs normally otherwise; a hostile search_path and look-alike objects in
# public and pg_temp during CREATE EXTENSION change nothing in what gets installed.
# Runs as a superuser against the server in PGHOST/PGPORT (scripts/test.sh runs it in its
# cluster).  Prints TAP.
set -euo pipefail
db=ceptoar_install_sec
version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$(dirname "$0")/../ceptoar_registry.control")
evil=regress_install_mallory
cleanup() {
	dropdb --if-exists $db >/dev/null 2>&1 || true
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $evil" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE $evil LOGIN"

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db -c "$1"; }
# error SQL: the SQLSTATE and message of the error SQL raises ("ok" if none), one line
error() {
	local out
	if out=$(psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d $db -c "$1" 2>&1); then
		echo ok
	else
		printf '%s\n' "$out" | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\): /\1 /p' | head -1
	fi
}
# full SQL: everything psql prints for SQL, errors included
full() { psql -X -q -At -v VERBOSITY=verbose -d $db -c "$1" 2>&1 || true; }
fresh() {
	dropdb --if-exists $db
	createdb $db
	q "GRANT CREATE ON DATABASE $db TO $evil"
}
# as_evil SQL: SQL run as the unprivileged role (SET ROLE: the cluster may not let it log in)
as_evil() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db -c "SET ROLE $evil" -c "$1"; }
installed() { q "SELECT count(*) FROM pg_extension WHERE extname IN ('ceptoar_registry', 'postgis')"; }
# the objects in schema ceptoar, as descriptions, sorted
contents() {
	q "SELECT coalesce(string_agg(pg_describe_object(classid, objid, 0), ', ' ORDER BY 1), '')
	   FROM pg_depend WHERE refclassid = 'pg_namespace'::regclass AND refobjid = 'ceptoar'::regnamespace"
}

n=0; fail=0
check() {   # check description expected actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "#   expected: '$2'"; echo "#   got:      '$3'"; fail=1; fi
}
like() {    # like description pattern actual
	n=$((n + 1))
	if [[ "$3" == $2 ]]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "#   pattern: '$2'"; echo "#   got:     '$3'"; fail=1; fi
}
echo "1..26"

# 1. The attack of D9: a role with CREATE on the database prepares the schema.
fresh
as_evil "CREATE SCHEMA ceptoar"
as_evil "CREATE FUNCTION ceptoar.classify(text, text) RETURNS text LANGUAGE sql AS \$\$ SELECT 'owned' \$\$"
got=$(error "CREATE EXTENSION ceptoar_registry CASCADE")
check "schema pre-created by an unprivileged role: refused with 42501 naming schema and owner" \
	"42501 cannot install ceptoar_registry into schema \"ceptoar\": it is owned by role \"$evil\"" "$got"
like "the hint says what to do" "*HINT:  Check what the schema holds, then drop it (DROP SCHEMA ceptoar CASCADE)*" \
	"$(full "CREATE EXTENSION ceptoar_registry CASCADE")"
check "nothing installed (not even PostGIS by CASCADE)" "0" "$(installed)"
check "the schema holds only what its owner put there" "function ceptoar.classify(text,text)" "$(contents)"
check "the schema's comment was not changed" "" "$(q "SELECT coalesce(obj_description('ceptoar'::regnamespace, 'pg_namespace'), '')")"
q "DROP FUNCTION ceptoar.classify(text, text)"
check "an empty schema of an unprivileged role: refused too" \
	"42501" "$(error "CREATE EXTENSION ceptoar_registry CASCADE" | cut -c1-5)"
check "also when PostGIS is already there" \
	"42501" "$(q "CREATE EXTENSION postgis"; error "CREATE EXTENSION ceptoar_registry" | cut -c1-5)"
q "DROP SCHEMA ceptoar"
check "after DROP SCHEMA, the install works" "ok|$version" \
	"$(error "CREATE EXTENSION ceptoar_registry")|$(q "SELECT extversion FROM pg_extension WHERE extname = 'ceptoar_registry'")"
check "... into a schema the installer owns" "postgres" "$(q "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'ceptoar'")"
# also the explicit SCHEMA clause leads to the same check
fresh
as_evil "CREATE SCHEMA ceptoar"
check "CREATE EXTENSION ... SCHEMA ceptoar: refused the same way" \
	"42501" "$(error "CREATE EXTENSION ceptoar_registry SCHEMA ceptoar CASCADE" | cut -c1-5)"

# 2. A schema the superuser created, but with something foreign inside or open to others.
fresh
q "CREATE SCHEMA ceptoar; GRANT USAGE, CREATE ON SCHEMA ceptoar TO $evil"
as_evil "CREATE FUNCTION ceptoar.classify(text, text) RETURNS text LANGUAGE sql AS \$\$ SELECT 'owned' \$\$"
check "superuser's schema where another role may create: refused, 42501 names the grantee" \
	"42501 cannot install ceptoar_registry into schema \"ceptoar\" (owner \"postgres\"): other roles may create objects in it" \
	"$(error "CREATE EXTENSION ceptoar_registry CASCADE")"
like "the detail lists the grantees" "*DETAIL:  CREATE on schema ceptoar is granted to: $evil.*" "$(full "CREATE EXTENSION ceptoar_registry CASCADE")"
q "REVOKE CREATE ON SCHEMA ceptoar FROM $evil"
check "the same schema with the role's function still in it: refused, 55000" \
	"55000 cannot install ceptoar_registry into schema \"ceptoar\" (owner \"postgres\"): it already contains 1 object(s)" \
	"$(error "CREATE EXTENSION ceptoar_registry CASCADE")"
like "the detail names the object" "*DETAIL:  Found: function ceptoar.classify(pg_catalog.text,pg_catalog.text).  The extension*" "$(full "CREATE EXTENSION ceptoar_registry CASCADE")"
check "nothing installed, the function still the only object" "0|function ceptoar.classify(text,text)" "$(installed)|$(contents)"
fresh
q "CREATE SCHEMA ceptoar; CREATE TABLE ceptoar.rule (x int); CREATE TYPE ceptoar.sector AS ENUM ('a');
   CREATE OPERATOR ceptoar.= (LEFTARG = text, RIGHTARG = text, FUNCTION = pg_catalog.texteq)"
check "a superuser's own tables, types, operators left in the schema: refused, 55000" \
	"55000" "$(error "CREATE EXTENSION ceptoar_registry CASCADE" | cut -c1-5)"
fresh
q "CREATE SCHEMA ceptoar; GRANT CREATE ON SCHEMA ceptoar TO PUBLIC"
check "CREATE granted to PUBLIC: refused" "42501" "$(error "CREATE EXTENSION ceptoar_registry CASCADE" | cut -c1-5)"
fresh
q "CREATE SCHEMA ceptoar; ALTER DEFAULT PRIVILEGES IN SCHEMA ceptoar GRANT EXECUTE ON FUNCTIONS TO $evil"
check "default privileges left in the schema count as an object: refused" "55000" \
	"$(error "CREATE EXTENSION ceptoar_registry CASCADE" | cut -c1-5)"

# 3. Accepted: an empty schema of a superuser (documented), and the normal install.
fresh
q "CREATE SCHEMA ceptoar; GRANT USAGE ON SCHEMA ceptoar TO $evil"
check "an empty schema a superuser created (USAGE for others is fine): installed" "ok" \
	"$(error "CREATE EXTENSION ceptoar_registry CASCADE")"
check "... and it works" "exceeds" \
	"$(q "SELECT (ceptoar.classify('service=gas.supply, began=2024-01-15, households=30'::ceptoar.incident)).outcome")"
fresh
check "normal install into a database without the schema" "ok" "$(error "CREATE EXTENSION ceptoar_registry CASCADE")"
check "the schema belongs to the installer, nobody else may create in it" "postgres|false|false" \
	"$(q "SELECT nspowner::regrole || '|' || has_schema_privilege('$evil', 'ceptoar', 'CREATE') || '|' || has_schema_privilege('public', 'ceptoar', 'CREATE') FROM pg_namespace WHERE nspname = 'ceptoar'")"
q "DROP EXTENSION ceptoar_registry"
check "DROP EXTENSION leaves the schema behind, empty" "1|" "$(q "SELECT count(*) FROM pg_namespace WHERE nspname = 'ceptoar'")|$(contents)"
check "CREATE EXTENSION again into that schema works" "ok" "$(error "CREATE EXTENSION ceptoar_registry")"

# 4. Hostile search_path and look-alikes during CREATE EXTENSION.  The script runs with
# search_path = ceptoar, public (PostGIS's schema) and pg_temp searched first for
# relations and types, whatever the session's path; the database owner (not a superuser)
# owns public in PG 15.  Traps raise; if the install script resolved any name to them,
# CREATE EXTENSION would fail or an extension object would depend on them.
fresh
q "ALTER DATABASE $db OWNER TO $evil"
q "CREATE EXTENSION postgis"
as_evil "CREATE SCHEMA mallory"
for s in public mallory; do
	as_evil "
	CREATE FUNCTION $s.trap_tt(text, text) RETURNS boolean LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'trapped: $s.= (text, text)'; END \$\$;
	CREATE OPERATOR $s.= (LEFTARG = text, RIGHTARG = text, FUNCTION = $s.trap_tt);
	CREATE FUNCTION $s.trap_nn(name, name) RETURNS boolean LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'trapped: $s.= (name, name)'; END \$\$;
	CREATE OPERATOR $s.= (LEFTARG = name, RIGHTARG = name, FUNCTION = $s.trap_nn);
	CREATE FUNCTION $s.trap_vv(varchar, varchar) RETURNS boolean LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'trapped: $s.= (varchar, varchar)'; END \$\$;
	CREATE OPERATOR $s.= (LEFTARG = varchar, RIGHTARG = varchar, FUNCTION = $s.trap_vv);
	CREATE FUNCTION $s.trap_oo(oid, oid) RETURNS boolean LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'trapped: $s.= (oid, oid)'; END \$\$;
	CREATE OPERATOR $s.= (LEFTARG = oid, RIGHTARG = oid, FUNCTION = $s.trap_oo);
	CREATE FUNCTION $s.trap_oo2(oid, oid) RETURNS boolean LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'trapped: $s.<> (oid, oid)'; END \$\$;
	CREATE OPERATOR $s.<> (LEFTARG = oid, RIGHTARG = oid, FUNCTION = $s.trap_oo2);
	CREATE FUNCTION $s.classify(text, text) RETURNS text LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'trapped: $s.classify'; END \$\$;
	CREATE FUNCTION $s.format(text, VARIADIC text[]) RETURNS text LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'trapped: $s.format'; END \$\$;
	CREATE FUNCTION $s.lower(varchar) RETURNS text LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'trapped: $s.lower'; END \$\$;
	CREATE FUNCTION $s.now() RETURNS timestamptz LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'trapped: $s.now'; END \$\$;
	CREATE TABLE $s.rule_set (code text); CREATE TABLE $s.rule (rule_set text);
	CREATE TABLE $s.service_instance (id bigint); CREATE TABLE $s.dependency (dependent bigint);
	CREATE TABLE $s.sector_dependency (dependent text); CREATE TABLE $s.graph_version (n bigint)"
done
# In the installer's own session: temp tables and functions with the extension's names,
# and a session path that starts with the hostile schemas and puts pg_temp first.
got=$(psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d $db 2>&1 <<-SQL || true
	CREATE TEMP TABLE rule_set (code text); CREATE TEMP TABLE rule (rule_set text);
	CREATE TEMP TABLE service_instance (id bigint); CREATE TEMP TABLE dependency (dependent bigint);
	CREATE TEMP TABLE sector_dependency (dependent text); CREATE TEMP TABLE graph_version (n bigint);
	CREATE FUNCTION pg_temp.classify(text, text) RETURNS text LANGUAGE sql AS \$\$ SELECT 'temp' \$\$;
	SET search_path = pg_temp, mallory, public, pg_catalog;
	SET client_min_messages = warning;   -- (0.5) not the NOTICE that the database's path lacks ceptoar
	CREATE EXTENSION ceptoar_registry;
	RESET search_path;
	SELECT 'installed ' || extversion FROM pg_extension WHERE extname = 'ceptoar_registry';
	-- no member of the extension may depend on a look-alike (the role's objects, temp objects)
	SELECT 'depends on a look-alike: ' || pg_describe_object(d.refclassid, d.refobjid, 0)
	  FROM pg_depend e JOIN pg_depend d ON d.classid = e.classid AND d.objid = e.objid
	 WHERE e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e'
	   AND e.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ceptoar_registry')
	   AND (d.refclassid, d.refobjid) IN (
	         SELECT 'pg_proc'::regclass, oid FROM pg_proc WHERE proowner = '$evil'::regrole OR pronamespace = pg_my_temp_schema()
	         UNION SELECT 'pg_operator'::regclass, oid FROM pg_operator WHERE oprowner = '$evil'::regrole
	         UNION SELECT 'pg_class'::regclass, oid FROM pg_class WHERE relowner = '$evil'::regrole OR relpersistence = 't'
	         UNION SELECT 'pg_type'::regclass, oid FROM pg_type WHERE typowner = '$evil'::regrole OR typnamespace = pg_my_temp_schema());
	SELECT 'temp members: ' || count(*) FROM pg_depend e JOIN pg_class c ON e.classid = 'pg_class'::regclass AND e.objid = c.oid
	 WHERE e.deptype = 'e' AND c.relpersistence = 't';
SQL
)
check "CREATE EXTENSION with look-alikes in public, a hostile schema and pg_temp on the path" \
	"installed $version|temp members: 0" "$(printf '%s\n' "$got" | tr '\n' '|' | sed 's/|$//')"
# In a new session of a plain user with the hostile schema first: the extension's own
# objects answer (the shipped rules, the catalogue views, the sector matrix).
got=$(psql -X -q -At -v ON_ERROR_STOP=1 -d $db 2>&1 <<-SQL || true
	SET ROLE $evil;
	SET search_path = mallory, public, ceptoar, pg_catalog;
	SELECT (ceptoar.classify('service=gas.supply, began=2024-01-15, households=30'::ceptoar.incident, 'nisc-2009')).outcome;
	SELECT ceptoar.exceeds('service=gas.supply, began=2024-01-15, households=29'::ceptoar.incident);
	SELECT count(*) FROM ceptoar.sectors_on('2024-04-01');
	SELECT count(*) FROM ceptoar.sector_impact('electricity', '2 hours');
SQL
)
check "the extension's functions use its own objects under that path" "exceeds|f|15|$(q "SELECT count(*) FROM ceptoar.sector_impact('electricity', '2 hours')")" \
	"$(printf '%s\n' "$got" | tr '\n' '|' | sed 's/|$//')"
exit $fail
