#!/usr/bin/env bash
# test/graph_image.sh: the dependency graph shared between backends through its image
# file (src/graph_image.c), and the changes since an image laid over it (src/graph_delta.c).
# Each impact() below runs in a new session, which reads the graph from the image, from
# the image and the keys changed since (delta), or from the tables (it says which at
# DEBUG1); whichever it reads, the answer must be that of the committed tables, and the
# image alone is used only while it is current.  Also: the change counter ceptoar.graph_version (once per
# (sub)transaction, by roles that cannot write it, guarded against lowering).
# Runs against the server in PGHOST/PGPORT as a superuser; prints TAP.
set -euo pipefail
db=ceptoar_graph_image; pub=ceptoar_graph_pub; sub=ceptoar_graph_sub
cleanup() {
	psql -X -q -d $sub -c "ALTER SUBSCRIPTION s DISABLE" -c "ALTER SUBSCRIPTION s SET (slot_name = NONE)" \
		-c "DROP SUBSCRIPTION s" >/dev/null 2>&1 || true
	psql -X -q -d $pub -c "SELECT pg_drop_replication_slot('ceptoar_graph_s')" >/dev/null 2>&1 || true
	for d in $db $pub $sub; do dropdb --if-exists $d 2>/dev/null; done
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS regress_graph_writer" 2>/dev/null || true
}
trap cleanup EXIT
cleanup
createdb $db
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d $db -c "$1"; }
q "CREATE EXTENSION ceptoar_registry CASCADE" 2>/dev/null

# a hub (1) with two dependents, each with one of its own; a cycle back to the hub
q "INSERT INTO ceptoar.operator (code, name, sector) VALUES ('tel', 'Tel', 'telecom'), ('w', 'W', 'water')"
q "INSERT INTO ceptoar.service_instance (id, service, operator, population)
   SELECT g, 'telecom.telecommunications', 'tel', 10 * g FROM generate_series(1, 6) g"
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
	*"folded into a new image"*) src=fold ;;
	*"changed keys"*) src=delta ;;
	*"from the shared image"*) src=image ;;
	*"from the tables"*) src=tables ;;
	*) src=cached ;;
	esac
	echo "$src|$(grep -v '^DEBUG' <<<"$out" | tail -1)"
}
image_file() { q "SELECT 'pg_ceptoar/graph_' || oid || '.img' FROM pg_database WHERE datname = current_database()"; }
changes() { q "SELECT coalesce(sum(changes), 0) FROM ceptoar.graph_version"; }
# the image replaced by the bytea $1, written beside it and renamed over it as the engine
# writes one: a backend that has the old file mapped keeps it (written in place, it faults)
replace_image() {
	local f lo
	f="$(q "SELECT current_setting('data_directory')")/$(image_file)"
	lo=$(q "SELECT lo_from_bytea(0, $1)")
	q "SELECT lo_export($lo, '$f.tmp'), lo_unlink($lo)" >/dev/null
	q "COPY (SELECT) TO PROGRAM 'mv ''$f.tmp'' ''$f'''"
}

n=0; fail=0
check() {   # check description expected actual
	n=$((n + 1))
	if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 (expected '$2', got '$3')"; fail=1; fi
}
echo "1..37"

r1="1:0:09:00 2:1:10:00 3:1:11:00 4:2:10:00 5:2:11:30"
check "the first session reads the tables" "tables|$r1" "$(fresh)"
check "and leaves an image" "1" "$(q "SELECT count(*) FROM pg_ls_dir('pg_ceptoar') f WHERE 'pg_ceptoar/' || f = '$(image_file)'")"
check "the next session reads the image, same answer" "image|$r1" "$(fresh)"

# a committed change: laid over the image (the keys it touched), not the tables
q "UPDATE ceptoar.dependency SET buffer = '3 hours' WHERE dependent = 3"
r2="1:0:09:00 2:1:10:00 3:1:12:00 4:2:10:00 5:2:12:30"
check "after a committed change: the image and the change, the new answer" "delta|$r2" "$(fresh)"
check "the change is one key (the supplier whose out-edges changed)" "1" \
	"$(psql -X -q -At -d $db -c "SET client_min_messages = debug1" -c "$impact" 2>&1 | sed -n 's/.*the shared image and \([0-9]*\) changed keys.*/\1/p')"

# a transaction's own change: seen by its own impact(), never put into the image
r3="1:0:09:00 2:1:10:00 3:1:12:00 4:2:10:00"
check "own uncommitted change: laid over the image, seen" "delta|$r3" \
	"$(fresh -c "BEGIN" -c "DELETE FROM ceptoar.dependency WHERE dependent = 5")"
check "rolled back: the image and the committed change" "delta|$r2" "$(fresh)"

# another session's uncommitted change does not retire the image; its commit does
psql -X -q -d $db -c "BEGIN" -c "DELETE FROM ceptoar.dependency WHERE dependent = 4" \
	-c "SELECT pg_sleep(4)" -c "COMMIT" >/dev/null &
writer=$!
for _ in $(seq 1 100); do
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'")" = 1 ] && break
	sleep 0.1
done
check "while another session's change is uncommitted: the committed answer" "delta|$r2" "$(fresh)"
wait $writer
r4="1:0:09:00 2:1:10:00 3:1:12:00 5:2:12:30"
check "once it commits: its change seen" "delta|$r4" "$(fresh)"
check "a new session again" "delta|$r4" "$(fresh)"

# a damaged image is refused (CRC), the tables are read and a good image written
replace_image "(SELECT overlay(f placing '\\xff'::bytea from length(f) - 5 for 1) FROM pg_read_binary_file('$(image_file)') AS f)"
check "a damaged image: the tables, the right answer" "tables|$r4" "$(fresh)"
check "then a good image" "image|$r4" "$(fresh)"
replace_image "'not an image'::bytea"
check "a file that is no image at all: the tables" "tables|$r4" "$(fresh)"

# the counter is never truncated: a REPEATABLE READ snapshot would see the truncated
# counter beside older rows of the graph, and could make an image that looks current
check "TRUNCATE of graph_version: refused (42501)" "42501|ceptoar.graph_version only grows" \
	"$(psql -X -q -At -d $db -v VERBOSITY=verbose -c "TRUNCATE ceptoar.graph_version" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]*\): /\1|/p')"

# an image written just after a WAL switch, when the insert position is just past a page
# header: flushing the WAL up to it once failed with "xlog flush request ... is not satisfied"
q "UPDATE ceptoar.dependency SET buffer = buffer WHERE dependent = 2"
replace_image "'not an image'::bytea"
q "SELECT pg_switch_wal()" >/dev/null
check "an image written right after pg_switch_wal(): no error" "tables|$r4" "$(fresh)"

# rows loaded with the trigger disabled (pg_restore --disable-triggers) are not counted,
# but the table grew: the image is refused all the same
fresh >/dev/null
q "ALTER TABLE ceptoar.service_instance DISABLE TRIGGER graph_changed;
   INSERT INTO ceptoar.service_instance (id, service, operator) SELECT g, 'water.supply', 'w' FROM generate_series(100, 2099) g;
   ALTER TABLE ceptoar.service_instance ENABLE ALWAYS TRIGGER graph_changed"
check "rows loaded without the trigger (the table grew): not the old image" "tables" "$(fresh | cut -d'|' -f1)"

# a delta of more than 1,000 keys (at this size) is folded into a new image, without the
# tables; more than 4,000: the tables
fresh >/dev/null
q "INSERT INTO ceptoar.service_instance (id, service, operator) SELECT g, 'water.supply', 'w' FROM generate_series(3000, 4000) g"
q "INSERT INTO ceptoar.dependency VALUES (3000, 1, '20 min'), (4000, 3000, '0')"
r6="1:0:09:00 2:1:10:00 3:1:12:00 5:2:12:30 3000:1:09:20 4000:2:09:20"
check "1,001 new instances: the delta folded into a new image, the answer with them" "fold|$r6" "$(fresh)"
check "then the new image alone" "image|$r6" "$(fresh)"
q "INSERT INTO ceptoar.service_instance (id, service, operator) SELECT g, 'water.supply', 'w' FROM generate_series(5000, 9000) g"
check "4,001 new instances: more than a delta takes, the tables" "tables|$r6" "$(fresh)"
# a statement of more than 50,000 rows logs "read everything"
q "INSERT INTO ceptoar.service_instance (id, service, operator) SELECT g, 'water.supply', 'w' FROM generate_series(10000, 60000) g"
check "a statement of 50,001 rows logs one row, read everything" "1|tables" \
	"$(q "SELECT count(*) FROM ceptoar.graph_change WHERE instance IS NULL AND supplier IS NULL")|$(fresh | cut -d'|' -f1)"
q "DELETE FROM ceptoar.service_instance WHERE id >= 3000"
fresh >/dev/null
q "TRUNCATE ceptoar.graph_change"
q "UPDATE ceptoar.dependency SET buffer = buffer WHERE dependent = 2"
check "the log truncated (another file): no delta over the image, the tables" "tables" "$(fresh | cut -d'|' -f1)"

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
check "nobody deletes from the counter (a guard, 42501)" "42501|ceptoar.graph_version only grows" \
	"$(psql -X -q -At -d $db -v VERBOSITY=verbose -c "DELETE FROM ceptoar.graph_version" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]*\): /\1|/p')"
check "nobody lowers a count (the same guard)" "42501|ceptoar.graph_version only grows" \
	"$(psql -X -q -At -d $db -v VERBOSITY=verbose -c "UPDATE ceptoar.graph_version SET changes = changes - 1" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]*\): /\1|/p')"
r5="1:0:09:00 2:1:10:00 3:1:12:00 5:2:12:30"
check "a new session after all that: the committed answer" "$r5" "$(fresh | cut -d'|' -f2)"
check "and the one after it, from the image and the changes" "delta|$r5" "$(fresh)"

# two-phase commit: a transaction that changed the graph cannot be prepared (its row of
# graph_version would stay locked); others are not refused by the extension
check "PREPARE of a transaction that changed the graph: refused" \
	"cannot PREPARE a transaction that has changed the impact dependency graph" \
	"$(psql -X -q -At -d $db -c "BEGIN" -c "UPDATE ceptoar.dependency SET buffer = buffer WHERE false" \
		-c "PREPARE TRANSACTION 'regress_graph'" 2>&1 | sed -n 's/^ERROR:  //p' | head -1)"
check "PREPARE after the graph change was rolled back to a savepoint: not refused by the extension" "" \
	"$(psql -X -q -At -d $db -c "BEGIN" -c "SAVEPOINT a" -c "UPDATE ceptoar.dependency SET buffer = buffer WHERE false" \
		-c "ROLLBACK TO a" -c "PREPARE TRANSACTION 'regress_graph_undone'" -c "ROLLBACK PREPARED 'regress_graph_undone'" 2>&1 | grep -o 'impact dependency graph' || true)"
check "PREPARE after a savepoint's change was kept (RELEASE): refused" "cannot PREPARE a transaction that has changed the impact dependency graph" \
	"$(psql -X -q -At -d $db -c "BEGIN" -c "SAVEPOINT a" -c "UPDATE ceptoar.dependency SET buffer = buffer WHERE false" \
		-c "RELEASE a" -c "SAVEPOINT b" -c "ROLLBACK TO b" -c "PREPARE TRANSACTION 'regress_graph_kept'" 2>&1 | sed -n 's/^ERROR:  //p' | head -1)"
check "PREPARE of another transaction: not refused by the extension" "" \
	"$(psql -X -q -At -d $db -c "BEGIN" -c "SELECT count(*) FROM ceptoar.dependency" \
		-c "PREPARE TRANSACTION 'regress_other'" -c "ROLLBACK PREPARED 'regress_other'" 2>&1 | grep -o 'impact dependency graph' || true)"

# a logical-replication subscriber: its apply worker fires row triggers only
if [ "$(q "SHOW wal_level")" != logical ]; then
	for _ in 1 2 3 4; do n=$((n + 1)); echo "ok $n # skip wal_level is not logical"; done
else
	for d in $pub $sub; do createdb $d; psql -X -q -d $d -c "SET client_min_messages = warning" -c "CREATE EXTENSION ceptoar_registry CASCADE" \
		-c "INSERT INTO ceptoar.operator (code, name, sector) VALUES ('w', 'W', 'water')"; done
	psql -X -q -d $pub -c "INSERT INTO ceptoar.service_instance (id, service, operator) SELECT g, 'water.supply', 'w' FROM generate_series(1, 4) g" \
		-c "INSERT INTO ceptoar.dependency VALUES (2, 1, '1 hour', 'area'), (3, 2, '0', 'area')" \
		-c "CREATE PUBLICATION p FOR TABLE ceptoar.service_instance, ceptoar.dependency" \
		-c "SELECT pg_create_logical_replication_slot('ceptoar_graph_s', 'pgoutput')" >/dev/null
	psql -X -q -d $sub -c "SET client_min_messages = warning" -c "CREATE SUBSCRIPTION s CONNECTION '$(
		printf "dbname=%s port=%s user=%s" $pub "${PGPORT:-5432}" "$(q "SELECT current_user")")${PGHOST:+ host=$PGHOST}${PGPASSWORD:+ password=$PGPASSWORD}' PUBLICATION p WITH (create_slot = false, slot_name = 'ceptoar_graph_s')"
	reached() { psql -X -q -At -d $sub -c "SET client_min_messages = debug1" -c "SELECT string_agg(instance::text, ',' ORDER BY instance) FROM ceptoar.impact(1, '2024-01-15 09:00+09', '10 hours')" 2>&1 |
		sed -n -e 's/.*changed keys.*/delta|/p' -e 's/.*from the shared image.*/image|/p' -e 's/.*from the tables.*/tables|/p' -e '/^[0-9,]*$/p' | tr -d '\n'; }
	wait_for() { for _ in $(seq 1 300); do [ "$(q_sub "$1")" = "$2" ] && return 0; sleep 0.1; done; echo "# timed out waiting for: $1 = $2"; }
	q_sub() { psql -X -q -At -d $sub -c "$1"; }
	wait_for "SELECT (SELECT count(*) FROM ceptoar.service_instance) || '/' || (SELECT count(*) FROM ceptoar.dependency)" 4/2
	reached >/dev/null || true
	check "subscriber: the replicated graph, then from its image" "image|1,2,3" "$(reached)"
	psql -X -q -d $pub -c "INSERT INTO ceptoar.dependency VALUES (4, 3, '0', 'area')"
	wait_for "SELECT count(*) FROM ceptoar.dependency" 3
	check "a replicated insert: logged by the apply worker, laid over the subscriber's image" "delta|1,2,3,4" "$(reached)"
	check "and again in the next session" "delta|1,2,3,4" "$(reached)"
	psql -X -q -d $pub -c "UPDATE ceptoar.dependency SET buffer = '20 hours' WHERE dependent = 2"
	wait_for "SELECT count(*) FROM ceptoar.dependency WHERE buffer = '20 hours'" 1
	check "a replicated update too" "delta|1" "$(reached)"
fi
exit $fail
