#!/usr/bin/env bash
# test/graph_image.sh: the dependency graph shared between backends through its image
# file (src/graph_image.c).  Each impact() below runs in a new session, which reads the
# graph either from the image or from the tables (it says which at DEBUG1); whichever it
# reads, the answer must be that of the committed tables, and the image is used only
# while it is current.  Also: the change counter ceptoar.graph_version (once per
# (sub)transaction, by roles that cannot write it, guarded against lowering).
# Runs against the server in PGHOST/PGPORT as a superuser; prints TAP.
set -euo pipefail
db=ceptoar_graph_image
trap 'dropdb --if-exists $db; psql -X -q -d postgres -c "DROP ROLE IF EXISTS regress_graph_writer" 2>/dev/null || true' EXIT
dropdb --if-exists $db
createdb $db
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db -c "$1"; }
q "CREATE EXTENSION ceptoar_registry CASCADE" 2>/dev/null

# a hub (1) with two dependents, each with one of its own; a cycle back to the hub
q "INSERT INTO ceptoar.service_instance (id, service, operator, population)
   SELECT g, 'telecom.telecommunications', 'op' || g, 10 * g FROM generate_series(1, 6) g"
q "INSERT INTO ceptoar.dependency (dependent, supplier, buffer) VALUES
   (2, 1, '1 hour'), (3, 1, '2 hours'), (4, 2, '0'), (5, 3, '30 min'), (1, 5, '0')"

impact="SELECT string_agg(instance || ':' || depth || ':' || to_char(onset, 'HH24:MI'), ' ' ORDER BY instance)
        FROM ceptoar.impact(1, '2024-01-15 09:00+09', '10 hours')"
# source|answer of impact() in a new session (optionally after other statements)
fresh() {
	local out src
	out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d $db -c "SET client_min_messages = debug1" \
		-c "SET TimeZone = 'Asia/Tokyo'" "$@" -c "$impact" 2>&1)
	case $out in
	*"from the shared image"*) src=image ;;
	*"from the tables"*) src=tables ;;
	*) src=cached ;;
	esac
	echo "$src|$(grep -v '^DEBUG' <<<"$out" | tail -1)"
}
image_file() { q "SELECT 'pg_ceptoar/graph_' || oid || '.img' FROM pg_database WHERE datname = current_database()"; }
changes() { q "SELECT coalesce(sum(changes), 0) FROM ceptoar.graph_version"; }

n=0; fail=0
check() {   # check description expected actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 (expected '$2', got '$3')"; fail=1; fi
}
echo "1..22"

r1="1:0:09:00 2:1:10:00 3:1:11:00 4:2:10:00 5:2:11:30"
check "the first session reads the tables" "tables|$r1" "$(fresh)"
check "and leaves an image" "1" "$(q "SELECT count(*) FROM pg_ls_dir('pg_ceptoar') f WHERE 'pg_ceptoar/' || f = '$(image_file)'")"
check "the next session reads the image, same answer" "image|$r1" "$(fresh)"

# a committed change retires the image
q "UPDATE ceptoar.dependency SET buffer = '3 hours' WHERE dependent = 3"
r2="1:0:09:00 2:1:10:00 3:1:12:00 4:2:10:00 5:2:12:30"
check "after a committed change: the tables again, the new answer" "tables|$r2" "$(fresh)"
check "then the new image" "image|$r2" "$(fresh)"

# a transaction's own change: seen by its own impact(), never put into the image
r3="1:0:09:00 2:1:10:00 3:1:12:00 4:2:10:00"
check "own uncommitted change: read from the tables, seen" "tables|$r3" \
	"$(fresh -c "BEGIN" -c "DELETE FROM ceptoar.dependency WHERE dependent = 5")"
check "rolled back: the image still holds the committed graph" "image|$r2" "$(fresh)"

# another session's uncommitted change does not retire the image; its commit does
psql -X -q -d $db -c "BEGIN" -c "DELETE FROM ceptoar.dependency WHERE dependent = 4" \
	-c "SELECT pg_sleep(4)" -c "COMMIT" >/dev/null &
writer=$!
for _ in $(seq 1 100); do
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'")" = 1 ] && break
	sleep 0.1
done
check "while another session's change is uncommitted: the image, the committed answer" "image|$r2" "$(fresh)"
wait $writer
r4="1:0:09:00 2:1:10:00 3:1:12:00 5:2:12:30"
check "once it commits: the tables, its change seen" "tables|$r4" "$(fresh)"
check "then the image again" "image|$r4" "$(fresh)"

# a damaged image is refused (CRC), the tables are read and a good image written
lo=$(q "SELECT lo_from_bytea(0, overlay(f placing '\\xff'::bytea from length(f) - 5 for 1)) FROM pg_read_binary_file('$(image_file)') AS f")
q "SELECT lo_export($lo, current_setting('data_directory') || '/$(image_file)'), lo_unlink($lo)" >/dev/null
check "a damaged image: the tables, the right answer" "tables|$r4" "$(fresh)"
check "then a good image" "image|$r4" "$(fresh)"
q "COPY (SELECT 'not an image') TO '$(q "SELECT current_setting('data_directory')")/$(image_file)'"
check "a file that is no image at all: the tables" "tables|$r4" "$(fresh)"

# TRUNCATE of the counter gives it a new relfilenode: no image made before counts
fresh >/dev/null
q "TRUNCATE ceptoar.graph_version"
check "after TRUNCATE of graph_version: the tables" "tables|$r4" "$(fresh)"

# rows loaded with the trigger disabled (pg_restore --disable-triggers) are not counted,
# but the table grew: the image is refused all the same
fresh >/dev/null
q "ALTER TABLE ceptoar.service_instance DISABLE TRIGGER graph_changed;
   INSERT INTO ceptoar.service_instance (id, service, operator) SELECT g, 'water.supply', 'w' || g FROM generate_series(100, 2099) g;
   ALTER TABLE ceptoar.service_instance ENABLE ALWAYS TRIGGER graph_changed"
check "rows loaded without the trigger (the table grew): not the old image" "tables" "$(fresh | cut -d'|' -f1)"

# the counter: once per (sub)transaction, written for roles that may not write it
before=$(changes)
q "BEGIN; INSERT INTO ceptoar.dependency VALUES (6, 1, '1 hour');
   UPDATE ceptoar.dependency SET buffer = '2 hours' WHERE dependent = 6; COMMIT"
check "two statements in one transaction count once" "$((before + 1))" "$(changes)"
before=$(changes)
q "BEGIN; SAVEPOINT a; DELETE FROM ceptoar.dependency WHERE dependent = 6; ROLLBACK TO a;
   UPDATE ceptoar.dependency SET buffer = '1 hour' WHERE dependent = 6; COMMIT"
check "a rolled-back savepoint's count goes with it; the rest counts" "$((before + 1))" "$(changes)"
q "SET client_min_messages = warning; DROP ROLE IF EXISTS regress_graph_writer; CREATE ROLE regress_graph_writer;
   GRANT SELECT, INSERT, UPDATE, DELETE ON ceptoar.dependency TO regress_graph_writer;
   GRANT SELECT ON ceptoar.service_instance TO regress_graph_writer"
before=$(changes)
q "SET ROLE regress_graph_writer; DELETE FROM ceptoar.dependency WHERE dependent = 6"
check "a role without rights on graph_version changes the graph: counted" "$((before + 1))" "$(changes)"
check "that role cannot read graph_version" "42501" \
	"$(psql -X -q -At -d $db -c "SET ROLE regress_graph_writer" -c "SELECT * FROM ceptoar.graph_version" 2>&1 | grep -o 'permission denied' | sed 's/permission denied/42501/')"
check "nobody lowers the counter (a guard, 42501)" "ceptoar.graph_version only grows" \
	"$(psql -X -q -At -d $db -c "DELETE FROM ceptoar.graph_version" 2>&1 | sed -n 's/^ERROR:  //p')"
r5="1:0:09:00 2:1:10:00 3:1:12:00 5:2:12:30"
check "a new session after all that: the committed answer" "$r5" "$(fresh | cut -d'|' -f2)"
check "and the one after it, from the image" "image|$r5" "$(fresh)"
exit $fail
