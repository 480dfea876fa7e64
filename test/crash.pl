#!/usr/bin/perl
# test/crash.pl: kill -9 during bulk writes of the graph and during a write of the graph
# image (issue 9).  In a cluster of its own (PostgreSQL::Test::Cluster):
#   1. a loader commits batches of instances and dependencies while another session keeps
#      a batch uncommitted; the loader's backend is killed (the postmaster restarts the
#      others), then the postmaster and all its children;
#   2. the backend writing the graph image (graph_<db>.img.<pid>.tmp in pg_ceptoar) is
#      killed mid-write, then once the postmaster with it;
# after each restart: every batch whose COMMIT returned is there and whole, the batch
# whose COMMIT was in flight is whole or absent, nothing of the uncommitted batch is
# there, impact() answers as before the crash (full result sets), and after the next
# image write no temporary image file and no image of a dropped database is left.
#
#     prove test/crash.pl        (make crashcheck; as root it runs itself as postgres)
#
# Needs libipc-run-perl and the server's test modules (postgresql-server-dev-15 ships
# them under pg_config --pgxs); the extension must be installed.
use strict;
use warnings;

my $pgxs_perl;

BEGIN
{
	my $bindir = $ENV{PG_BINDIR} // '/usr/lib/postgresql/15/bin';
	my $pg_config = -x "$bindir/pg_config" ? "$bindir/pg_config" : 'pg_config';
	chomp(my $pgxs = `$pg_config --pgxs`);
	die "pg_config --pgxs failed\n" unless $pgxs;
	(my $top = $pgxs) =~ s{/src/makefiles/pgxs\.mk$}{};
	$pgxs_perl = "$top/src/test/perl";
	chomp(my $b = `$pg_config --bindir`);
	$ENV{PATH} = "$b:$ENV{PATH}";
	$ENV{PG_REGRESS} //= "$top/src/test/regress/pg_regress";

	# the test modules keep logs and data under $TESTDIR/tmp_check
	if (!$ENV{TESTDIR})
	{
		require File::Temp;
		$ENV{TESTDIR} = File::Temp::tempdir(TMPDIR => 1);
		$ENV{CEPTOAR_CRASH_OWN_TESTDIR} = 1;
	}

	# initdb refuses root: run as postgres
	if ($> == 0)
	{
		my ($uid, $gid) = (getpwnam('postgres'))[ 2, 3 ];
		die "running as root and there is no user postgres\n" unless defined $uid;
		chown $uid, $gid, $ENV{TESTDIR};
		require File::Spec;
		exec('runuser', '-u', 'postgres', '--', 'env', "PATH=$ENV{PATH}",
			"PG_REGRESS=$ENV{PG_REGRESS}", "TESTDIR=$ENV{TESTDIR}",
			"CEPTOAR_CRASH_OWN_TESTDIR=" . ($ENV{CEPTOAR_CRASH_OWN_TESTDIR} // ''),
			$^X, File::Spec->rel2abs($0))
		  or die "could not run as postgres: $!\n";
	}
}
use lib $pgxs_perl;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep time);

my $BATCH = 4000;		# instances (and dependencies less one) per committed batch
my $UNCOMMITTED = 999;	# the batch that is never committed

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->append_conf('postgresql.conf', qq{
restart_after_crash = on
log_statement = none
max_connections = 30
shared_buffers = 64MB
});
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE crash');
$node->safe_psql('crash', 'SET client_min_messages = warning; CREATE EXTENSION ceptoar_registry CASCADE');

# The base graph: 50,000 instances, 200,000 dependencies (four suppliers each, spread by
# fixed strides, buffers of 0 to 3 hours), every 50th instance located; long enough to
# read and write that a kill can land in the middle of an image write.
$node->safe_psql('crash', q{
INSERT INTO ceptoar.operator (code, name, sector)
SELECT 'op-' || s, 'operator of ' || s, s::ceptoar.sector
FROM unnest(ARRAY['electricity', 'telecom', 'water', 'finance', 'rail']) s;
INSERT INTO ceptoar.service_instance (id, service, operator, population, area)
SELECT g, v.service, 'op-' || ceptoar.sector(v.service)::text, 100 + g % 1000,
       CASE WHEN g % 50 = 0 THEN ST_Multi(ST_MakeEnvelope(g % 97, g % 80, g % 97 + 5, g % 80 + 5, 4326)) END
FROM generate_series(1, 50000) g,
     LATERAL (SELECT (ARRAY['electricity.supply', 'telecom.telecommunications', 'water.supply',
                            'finance.bank.deposit', 'rail.passenger']::ceptoar.service[])[1 + g % 5] AS service) v;
INSERT INTO ceptoar.dependency (dependent, supplier, buffer)
SELECT DISTINCT ON (d, s) d, s, make_interval(mins => 15 * ((d + k) % 13))
FROM (SELECT g AS d, 1 + (g * 7919 + k * 104729) % 50000 AS s, k
      FROM generate_series(1, 50000) g, generate_series(1, 4) k) x
WHERE d <> s;
ANALYZE ceptoar.service_instance, ceptoar.dependency;
});
my $base_deps = $node->safe_psql('crash', 'SELECT count(*) FROM ceptoar.dependency');
cmp_ok($base_deps, '>=', 199000, "base graph: $base_deps dependencies");

# impact() of the base graph, full result sets as text (a hub, a leaf-ish instance, a
# compound failure clipped by a footprint)
my $impact_sql = q{
SET TimeZone = 'UTC';
SELECT count(*) || ' ' || md5(string_agg(concat_ws('|', instance, service, sector, depth, onset, recovery, via,
                                         ST_AsEWKT(area), population), E'\n' ORDER BY instance))
FROM (SELECT * FROM ceptoar.impact(1, '2024-01-15 00:00+00', '6 hours')
      UNION ALL
      SELECT * FROM ceptoar.impact(49999, '2024-01-15 00:00+00', '2 hours')
      UNION ALL
      SELECT * FROM ceptoar.impact(ARRAY[50, 100, 150]::bigint[], '2024-01-15 00:00+00', '4 hours',
                                   ST_MakeEnvelope(0, 0, 60, 60, 4326))) r};
my $before = $node->safe_psql('crash', $impact_sql);
like($before, qr/^\d{4,} [0-9a-f]{32}$/, "impact() before the crashes: $before");

my $imgdir = $node->data_dir . '/pg_ceptoar';
my $dboid = $node->safe_psql('crash', "SELECT oid FROM pg_database WHERE datname = 'crash'");

# a database with an image of its own, then dropped: its image must go
$node->safe_psql('postgres', 'CREATE DATABASE gone');
$node->safe_psql('gone', q{
SET client_min_messages = warning;
CREATE EXTENSION ceptoar_registry CASCADE;
INSERT INTO ceptoar.operator (code, name, sector) VALUES ('w', 'W', 'water'), ('g', 'G', 'gas');
INSERT INTO ceptoar.service_instance (id, service, operator) VALUES (1, 'water.supply', 'w'), (2, 'gas.supply', 'g');
INSERT INTO ceptoar.dependency (dependent, supplier) VALUES (2, 1)});
$node->safe_psql('gone', q{SELECT count(*) FROM ceptoar.impact(1, '2024-01-15', '1 hour')});
my $goneoid = $node->safe_psql('crash', "SELECT oid FROM pg_database WHERE datname = 'gone'");
ok(-e "$imgdir/graph_$goneoid.img", 'the database to be dropped has an image');
$node->safe_psql('postgres', 'DROP DATABASE gone');

# ---------- bulk inserts ----------

# batch k: instances 1,000,000 + k * 10,000 + (1..BATCH), a chain of dependencies
sub batch_sql
{
	my ($k) = @_;
	my $base = 1_000_000 + $k * 10_000;
	return qq{
INSERT INTO ceptoar.service_instance (id, service, operator, population)
SELECT $base + g, 'telecom.telecommunications', 'op-telecom', g FROM generate_series(1, $BATCH) g;
INSERT INTO ceptoar.dependency (dependent, supplier, buffer, source)
SELECT $base + g, $base + g - 1, '10 min', 'batch $k' FROM generate_series(2, $BATCH) g;
};
}

my $next_batch = 1;		# batches are numbered across the whole test
my %acked;				# batches whose COMMIT returned
my %in_flight;			# batches whose COMMIT was sent, no answer seen

# Start a loader (one psql, batches until killed) and a session holding batch 999
# uncommitted; wait until the loader has committed a few batches.
sub start_load
{
	my $first = $next_batch;
	my $dir = $PostgreSQL::Test::Utils::tmp_check;
	my $script = '';
	for my $k ($first .. $first + 400)
	{
		$script .= "BEGIN;\n" . batch_sql($k) . "\\echo sent $k\nCOMMIT;\n\\echo committed $k\n";
	}
	PostgreSQL::Test::Utils::append_to_file("$dir/load_$first.sql", $script);
	PostgreSQL::Test::Utils::append_to_file("$dir/hold_$first.sql",
		"BEGIN;\n" . batch_sql($UNCOMMITTED) . "SELECT pg_sleep(600);\n");
	my $out = "$dir/load_$first.out";
	my $h = IPC::Run::start(
		[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', "$dir/load_$first.sql",
		  '-d', $node->connstr('crash') . ' application_name=crash_loader' ],
		'<', \undef, '>', $out, '2>', "$out.err");
	my $hold = IPC::Run::start(
		[ 'psql', '-X', '-q', '-f', "$dir/hold_$first.sql",
		  '-d', $node->connstr('crash') . ' application_name=crash_holder' ],
		'<', \undef, '>', "$dir/hold_$first.out", '2>&1');
	$node->poll_query_until('crash',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'crash_holder' AND wait_event = 'PgSleep'")
	  or die "the holding session did not start";
	$node->poll_query_until('crash',
		"SELECT count(*) >= 3 FROM ceptoar.service_instance WHERE id > 1000000 + $first * 10000 AND id % 10000 = 1")
	  or die "the loader did not commit";
	usleep(int(rand(300_000)));    # somewhere inside a batch, or at its commit
	return { h => $h, out => $out, hold => $hold, first => $first };
}

# After the kill: which batches were acknowledged, which was in flight.
sub finish_load
{
	my ($l) = @_;
	for my $h ($l->{h}, $l->{hold})
	{
		eval { $h->finish; };
	}
	my $out = PostgreSQL::Test::Utils::slurp_file($l->{out});
	my @acked = $out =~ /^committed (\d+)$/mg;
	my @sent = $out =~ /^sent (\d+)$/mg;
	$acked{$_} = 1 for @acked;
	my %a = map { $_ => 1 } @acked;
	my @flight = grep { !$a{$_} } @sent;
	$in_flight{$_} = 1 for @flight;
	my $last = @sent ? $sent[-1] : $l->{first} - 1;
	$next_batch = $last + 2;    # the batch being inserted when killed is never reused
	return (scalar(@acked), join(',', @flight));
}

# the loader's backend, and what it is doing (a note: in a transaction that wrote, or not)
sub loader_pid
{
	my ($pid, $doing) = split /\|/, $node->safe_psql('crash',
		"SELECT pid, CASE WHEN backend_xid IS NOT NULL THEN 'in a writing transaction: ' ELSE 'at ' END
		            || left(regexp_replace(query, '\\s+', ' ', 'g'), 40)
		 FROM pg_stat_activity WHERE application_name = 'crash_loader'");
	note("loader $pid $doing");
	return $pid;
}

# every child of the postmaster, by its pid
sub postmaster_children
{
	my $pm = $node->{_pid};
	my @kids;
	for my $stat (glob '/proc/[0-9]*/stat')
	{
		open my $f, '<', $stat or next;
		my $line = <$f>;
		close $f;
		next unless defined $line && $line =~ /^(\d+) \(.*\) \S (\d+) /;
		push @kids, $1 if $2 == $pm;
	}
	return @kids;
}

# kill -9 the postmaster, then the given pids and each of its children (listed before
# while they are still its children, or given as a list), and start again
sub kill_postmaster
{
	my ($first, $kids) = @_;
	my @kids = $kids ? @$kids : postmaster_children();
	my @first = $first ? ($first) : ();
	my $pm = $node->{_pid};
	kill 'KILL', $pm;
	kill 'KILL', @first if @first;
	kill 'KILL', @kids;
	# wait until every one of them is gone
	for (1 .. 500)
	{
		last unless grep { kill 0, $_ } ($pm, @first, @kids);
		usleep(10_000);
	}
	$node->{_pid} = undef;
	$node->start;
}

# wait for the crash restart the postmaster does after a backend died
sub wait_restart
{
	$node->poll_query_until('postgres', 'SELECT true')
	  or die "the server did not come back";
}

sub check_state
{
	my ($what) = @_;
	my $rows = $node->safe_psql('crash', q{
SELECT b, count(*), (SELECT count(*) FROM ceptoar.dependency d WHERE d.source = 'batch ' || b)
FROM (SELECT (id - 1000000) / 10000 AS b FROM ceptoar.service_instance WHERE id > 1000000) x
GROUP BY b ORDER BY b});
	my %have;
	my @partial;
	for my $r (split /\n/, $rows)
	{
		my ($b, $n, $d) = split /\|/, $r;
		$have{$b} = 1;
		push @partial, "$b ($n, $d)" unless $n == $BATCH && $d == $BATCH - 1;
	}
	my @lost = grep { !$have{$_} } sort { $a <=> $b } keys %acked;
	my @extra = grep { !$acked{$_} && !$in_flight{$_} } sort { $a <=> $b } keys %have;
	is(join(',', @lost), '', "$what: every committed batch is there (" . scalar(keys %acked) . ')');
	is(join(', ', @partial), '', "$what: no batch is there in part");
	is(join(',', @extra), '', "$what: no batch that was never committed is there");
	ok(!$have{$UNCOMMITTED}, "$what: nothing of the uncommitted batch");
	is( $node->safe_psql('crash', $impact_sql), $before, "$what: impact() answers as before");
}

# 1. kill -9 the loader's backend in the middle of its bulk inserts (twice)
for my $round (1 .. 2)
{
	my $l = start_load();
	my $pid = loader_pid();
	kill 'KILL', $pid;
	my ($n, $flight) = finish_load($l);
	note("loader backend $pid killed after $n committed batches; in flight: $flight");
	wait_restart();
	check_state("backend killed during bulk inserts ($round)");
}

# 2. kill -9 the postmaster and every child in the middle of the bulk inserts (twice)
for my $round (1 .. 2)
{
	my $l = start_load();
	loader_pid();
	kill_postmaster();
	my ($n, $flight) = finish_load($l);
	note("postmaster killed after $n committed batches; in flight: $flight");
	check_state("postmaster killed during bulk inserts ($round)");
}

# ---------- the graph image write ----------

sub tmp_files
{
	opendir(my $d, $imgdir) or return ();
	my @f = grep { /^graph_\d+\.img\.\d+\.tmp$/ } readdir $d;
	closedir $d;
	return @f;
}

# Retire the image (a new file of the counter: since 0.5 a change is laid over the image,
# and a statement of no row changes no key), start a new session whose impact() reads the
# tables and writes the image, and kill it (or the postmaster) as soon as its temporary file
# appears.  True if the kill hit a write.
sub kill_during_write
{
	my ($postmaster) = @_;
	$node->safe_psql('crash', 'VACUUM FULL ceptoar.graph_version');
	my $sql = "SELECT count(*) FROM ceptoar.impact(1, '2024-01-15', '1 hour')";
	my ($out, $err) = ('', '');
	my $h = IPC::Run::start([ 'psql', '-X', '-At', '-d', $node->connstr('crash'), '-c', $sql ],
		'>', \$out, '2>', \$err);
	my @kids = $postmaster ? postmaster_children() : ();
	my $hit;
	my $deadline = time + 20;
	my $spins = 0;
	while (!$hit && time < $deadline)
	{
		if (++$spins % 200 == 0)
		{
			$h->pump_nb;
			last unless $h->pumpable;
		}
		for my $f (tmp_files())
		{
			my ($pid) = $f =~ /\.img\.(\d+)\.tmp$/;
			next if $pid == 0 || !kill(0, $pid);
			if ($postmaster) { kill_postmaster($pid, \@kids); }
			else { kill 'KILL', $pid; }
			$hit = $f;
			last;
		}
	}
	eval { $h->finish; };
	wait_restart() if $hit && !$postmaster;
	if (!$hit)
	{
		wait_restart();
		return undef;
	}
	return $hit;
}

my ($hits, $tries) = (0, 0);
my @left;
while ($hits < 3 && $tries < 40)
{
	$tries++;
	my $f = kill_during_write($hits == 2);
	next unless $f;
	$hits++;
	push @left, $f if -e "$imgdir/$f";
}
note("$tries image writes started, $hits killed in the middle");
cmp_ok($hits, '>=', 3, 'killed the image writer mid-write (twice the backend, once the postmaster)');
ok(@left > 0, 'a killed write left its temporary file (the case the cleanup is for): ' . join(' ', @left));

check_state('after the kills during image writes');
# check_state's impact() wrote a new image: the temporary files are gone, and the image
# of the dropped database too
is(join(' ', tmp_files()), '', 'no temporary image file left after the next image write');
ok(!-e "$imgdir/graph_$goneoid.img", 'no image of the dropped database');
ok(-e "$imgdir/graph_$dboid.img", 'the current image was written');
is($node->safe_psql('crash', $impact_sql), $before, 'impact() from the new image answers as before');

# a clean restart: the image is read again, same answer
$node->restart;
is($node->safe_psql('crash', $impact_sql), $before, 'after a clean restart, the same answer');
is(join(' ', tmp_files()), '', 'no temporary image file after a clean restart');

$node->stop;
done_testing();

# the logs stay when something failed
if (Test::More->builder->is_passing && $ENV{CEPTOAR_CRASH_OWN_TESTDIR})
{
	require File::Path;
	File::Path::rmtree($ENV{TESTDIR});
}
else
{
	diag("logs: $PostgreSQL::Test::Utils::tmp_check/log");
}
