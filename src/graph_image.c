/*
 * graph_image.c
 *		The dependency graph shared between backends: an image in a file, and
 *		the change counter that says whether an image is still the graph.
 *
 * Every backend keeps the graph in memory (impact.c), but a new backend would
 * read both tables first: at national size a million rows, and the first
 * touch of each shared buffer page costs a page fault in every new process,
 * so that reading 72 MB from shared buffers took 200 ms in a new session
 * against 45 ms in an old one.  A backend that has read the tables writes
 * what it built (the CSR arrays, 20 MB) to $PGDATA/pg_ceptoar/graph_<db>.img;
 * a new backend reads that file instead, in a few milliseconds, when it was
 * made from the tables as they are now.
 *
 * "As they are now" is a token: the tables' relfilenodes and lengths (which
 * TRUNCATE, rewrites and bulk loads change) and the sum of
 * ceptoar.graph_version.changes, which the statement trigger on both tables
 * raises by one in every (sub)transaction that changes them, in a row of its
 * own backend slot, so that concurrent writers never wait for each other.
 * A committed change raises the sum and nothing lowers it (a trigger guards
 * the table), and of two snapshots the later one sees every commit the
 * earlier saw: equal sums mean the same committed graph.  A transaction that
 * has changed the graph itself neither reads nor writes the image (its
 * changes may roll back).  The token is read with the same snapshot as the
 * tables, and an image is written under a temporary name and renamed, so a
 * reader sees a whole image or none; a CRC catches a damaged file, and
 * whatever goes wrong with the file, the tables are read instead.  What an
 * image shows is durable before it is written (see graph_image_write).
 */
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/tableam.h"
#include "access/xlog.h"
#include "access/xlog_internal.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "port/pg_crc32c.h"
#include "storage/backendid.h"
#include "storage/bufmgr.h"
#include "storage/fd.h"
#include "storage/proc.h"
#include "storage/procarray.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "graph.h"

#define IMAGE_DIR		"pg_ceptoar"
#define IMAGE_MAGIC		0x49475243	/* "CRGI" */
#define IMAGE_VERSION	1

/*
 * The sources that wrote an image (a hash the Makefile takes of the files
 * that build and read the graph): another build may read the arrays
 * differently (what a buffer or a mode means), so it makes its own.
 */
#ifndef CR_GRAPH_SOURCES
#define CR_GRAPH_SOURCES "unknown"
#endif
#define IMAGE_BUILD		CR_GRAPH_SOURCES

typedef struct ImageHeader
{
	uint32		magic;
	uint32		version;
	char		build[24];
	uint32		header_size;
	uint32		edge_size;
	GraphToken	tok;
	int64		m;
	int32		n;
	int32		any_geometry;
	pg_crc32c	crc;			/* of the header before it and of every array */
} ImageHeader;

/* the arrays of an image, in file order */
typedef struct Part
{
	void	   *p;
	Size		len;
} Part;

static int
image_parts(const Graph *g, Part *parts)
{
	Size		n = g->n;

	parts[0] = (Part) {g->ids, sizeof(int64) * n};
	parts[1] = (Part) {g->population, sizeof(int64) * n};
	parts[2] = (Part) {g->out_start, sizeof(int64) * (n + 1)};
	parts[3] = (Part) {g->service, sizeof(Service) * n};
	parts[4] = (Part) {g->has, n};
	parts[5] = (Part) {g->out, sizeof(Edge) * g->m};
	return 6;
}

static char *
image_path(void)
{
	return psprintf("%s/graph_%u.img", IMAGE_DIR, MyDatabaseId);
}

bool
graph_token_equal(const GraphToken *a, const GraphToken *b)
{
	if (a->dboid != b->dboid || a->changes != b->changes)
		return false;
	for (int k = 0; k < GRAPH_RELS; k++)
		if (a->relid[k] != b->relid[k] || a->relfilenode[k] != b->relfilenode[k] ||
			a->nblocks[k] != b->nblocks[k])
			return false;
	return true;
}

/*
 * The token of the tables rels (service_instance, dependency, graph_version)
 * as snap sees them; false if this transaction has changed the graph.
 */
bool
graph_token(Relation *rels, Snapshot snap, GraphToken *tok)
{
	Relation	ver = rels[2];
	AttrNumber	a_changes = get_attnum(RelationGetRelid(ver), "changes");
	TableScanDesc scan;
	HeapTuple	tup;
	bool		own = false;

	if (a_changes == InvalidAttrNumber)
		return false;
	memset(tok, 0, sizeof(GraphToken));
	tok->dboid = MyDatabaseId;
	for (int k = 0; k < GRAPH_RELS; k++)
	{
		tok->relid[k] = RelationGetRelid(rels[k]);
		tok->relfilenode[k] = rels[k]->rd_node.relNode;
		tok->nblocks[k] = RelationGetNumberOfBlocks(rels[k]);
	}
	scan = table_beginscan(ver, snap, 0, NULL);
	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, a_changes, RelationGetDescr(ver), &isnull);

		if (TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetXmin(tup->t_data)))
			own = true;
		if (!isnull)
			tok->changes += DatumGetInt64(d);
	}
	table_endscan(scan);
	return !own;
}

/* read len bytes, false on error or a short file */
static bool
read_all(int fd, void *p, Size len)
{
	char	   *c = p;

	while (len > 0)
	{
		ssize_t		r = read(fd, c, Min(len, (Size) 1 << 30));

		if (r <= 0)
		{
			if (r < 0 && errno == EINTR)
				continue;
			return false;
		}
		c += r;
		len -= r;
	}
	return true;
}

static bool
write_all(int fd, const void *p, Size len)
{
	const char *c = p;

	while (len > 0)
	{
		ssize_t		w = write(fd, c, Min(len, (Size) 1 << 30));

		if (w <= 0)
		{
			if (w < 0 && errno == EINTR)
				continue;
			if (w == 0)
				errno = ENOSPC;
			return false;
		}
		c += w;
		len -= w;
	}
	return true;
}

/* the arrays make a graph impact() can walk without checking bounds */
static bool
image_sane(const Graph *g)
{
	if (g->out_start[0] != 0 || g->out_start[g->n] != g->m)
		return false;
	for (int i = 0; i < g->n; i++)
		if (g->out_start[i + 1] < g->out_start[i] ||
			(i > 0 && g->ids[i] <= g->ids[i - 1]))
			return false;
	for (int64 x = 0; x < g->m; x++)
		if (g->out[x].dep < 0 || g->out[x].dep >= g->n || g->out[x].buffer < 0 ||
			g->out[x].mode > MODE_SITE)
			return false;
	return true;
}

/*
 * Fill g (ids, service, population, has, out_start, out, n, m,
 * any_geometry) from the image, if there is one of the graph tok describes.
 * Its arrays go to a child of cxt, which goes again if the image is refused.
 */
bool
graph_image_read(const GraphToken *tok, Graph *g, MemoryContext cxt)
{
	char	   *path = image_path();
	int			fd = OpenTransientFile(path, O_RDONLY | PG_BINARY);
	ImageHeader h;
	struct stat st;
	MemoryContext icxt;
	Part		parts[6];
	int			nparts;
	pg_crc32c	crc;
	Size		expect;
	bool		ok;

	if (fd < 0)
		return false;
	if (!read_all(fd, &h, sizeof(h)) || fstat(fd, &st) != 0 ||
		h.magic != IMAGE_MAGIC || h.version != IMAGE_VERSION ||
		strncmp(h.build, IMAGE_BUILD, sizeof(h.build)) != 0 ||
		h.header_size != sizeof(ImageHeader) || h.edge_size != sizeof(Edge) ||
		!graph_token_equal(&h.tok, tok) || h.n < 0 || h.m < 0 ||
		(Size) h.m > MaxAllocHugeSize / sizeof(Edge))
	{
		CloseTransientFile(fd);
		return false;
	}
	expect = sizeof(ImageHeader) + (sizeof(int64) * 3 + sizeof(Service) + 1) * (Size) h.n +
		sizeof(int64) + sizeof(Edge) * (Size) h.m;
	if ((Size) st.st_size != expect)
	{
		CloseTransientFile(fd);
		return false;
	}

	icxt = AllocSetContextCreate(cxt, "ceptoar graph image", ALLOCSET_SMALL_SIZES);
	g->n = h.n;
	g->m = h.m;
	g->any_geometry = h.any_geometry != 0;
	graph_alloc_instances(g, icxt);
	g->out = cr_alloc_big(icxt, sizeof(Edge) * h.m, false);
	nparts = image_parts(g, parts);

	INIT_CRC32C(crc);
	COMP_CRC32C(crc, &h, offsetof(ImageHeader, crc));
	ok = true;
	for (int k = 0; k < nparts && ok; k++)
	{
		CHECK_FOR_INTERRUPTS();
		ok = read_all(fd, parts[k].p, parts[k].len);
		if (ok)
			COMP_CRC32C(crc, parts[k].p, parts[k].len);
	}
	FIN_CRC32C(crc);
	CloseTransientFile(fd);
	if (!ok || !EQ_CRC32C(crc, h.crc) || !image_sane(g))
	{
		elog(DEBUG1, "ceptoar impact: the graph image \"%s\" is damaged; reading the tables", path);
		MemoryContextDelete(icxt);
		g->n = 0;
		g->m = 0;
		g->any_geometry = false;
		g->ids = g->population = g->out_start = NULL;
		g->service = NULL;
		g->has = NULL;
		g->stamp = NULL;
		g->whole_area = NULL;
		g->out = NULL;
		return false;
	}
	return true;
}

/*
 * The end of the WAL inserted so far.  GetXLogInsertRecPtr() points past the
 * header of the next page when the last record ended a page (after
 * pg_switch_wal(), or an archive_timeout on an idle server), and a flush
 * request there can never be satisfied (XLogFlush raises an error): the end
 * of the WAL is then the page boundary before that header.
 */
static XLogRecPtr
inserted_wal_end(void)
{
	XLogRecPtr	ptr = GetXLogInsertRecPtr();

	if (XLogSegmentOffset(ptr, wal_segment_size) == SizeOfXLogLongPHD)
		return ptr - SizeOfXLogLongPHD;
	if (ptr % XLOG_BLCKSZ == SizeOfXLogShortPHD)
		return ptr - SizeOfXLogShortPHD;
	return ptr;
}

/*
 * Remove what no backend will use again: temporary files of writers that
 * are gone (killed in the middle of a write; a crash restart keeps them) and
 * images of databases that no longer exist.  Run before each write, which
 * is rare, so that the directory never grows.
 */
static void
remove_stale_files(void)
{
	DIR		   *dir = AllocateDir(IMAGE_DIR);
	struct dirent *de;

	if (dir == NULL)
		return;
	while ((de = ReadDirExtended(dir, IMAGE_DIR, DEBUG1)) != NULL)
	{
		unsigned int db;
		int			pid,
					len = 0;
		bool		stale = false;

		if (sscanf(de->d_name, "graph_%u.img.%d.tmp%n", &db, &pid, &len) == 2 &&
			de->d_name[len] == '\0')
			stale = (pid != MyProcPid && BackendPidGetProc(pid) == NULL);
		else if (sscanf(de->d_name, "graph_%u.img%n", &db, &len) == 1 &&
				 de->d_name[len] == '\0')
			stale = !SearchSysCacheExists1(DATABASEOID, ObjectIdGetDatum((Oid) db));
		if (stale)
		{
			char	   *path = psprintf("%s/%s", IMAGE_DIR, de->d_name);

			if (unlink(path) != 0 && errno != ENOENT)
				ereport(DEBUG1,
						(errcode_for_file_access(),
						 errmsg("could not remove file \"%s\": %m", path)));
			pfree(path);
		}
	}
	FreeDir(dir);
}

/*
 * Leave an image of g, read from the tables as tok describes them, for the
 * next backends.  A cache: if it cannot be written, nothing is lost but time.
 */
void
graph_image_write(const GraphToken *tok, const Graph *g)
{
	char	   *path = image_path();
	char	   *tmp = psprintf("%s.%d.tmp", path, MyProcPid);
	ImageHeader h;
	Part		parts[6];
	int			nparts = image_parts(g, parts);
	int			fd;
	bool		ok;

	if (MakePGDirectory(IMAGE_DIR) < 0 && errno != EEXIST)
	{
		ereport(DEBUG1,
				(errcode_for_file_access(),
				 errmsg("could not create directory \"%s\": %m", IMAGE_DIR)));
		return;
	}
	remove_stale_files();
	memset(&h, 0, sizeof(h));
	h.magic = IMAGE_MAGIC;
	h.version = IMAGE_VERSION;
	strlcpy(h.build, IMAGE_BUILD, sizeof(h.build));
	h.header_size = sizeof(ImageHeader);
	h.edge_size = sizeof(Edge);
	h.tok = *tok;
	h.n = g->n;
	h.m = g->m;
	h.any_geometry = g->any_geometry ? 1 : 0;
	INIT_CRC32C(h.crc);
	COMP_CRC32C(h.crc, &h, offsetof(ImageHeader, crc));
	for (int k = 0; k < nparts; k++)
		COMP_CRC32C(h.crc, parts[k].p, parts[k].len);
	FIN_CRC32C(h.crc);

	/*
	 * With synchronous_commit off, a commit is seen before it is durable, and
	 * a crash can lose it: then later changes could bring the count back to
	 * this image's with other contents.  So the state the image shows is made
	 * durable first (a standby's replayed state already is).
	 */
	if (!RecoveryInProgress())
		XLogFlush(inserted_wal_end());

	fd = OpenTransientFile(tmp, O_WRONLY | O_CREAT | O_TRUNC | PG_BINARY);
	if (fd < 0)
	{
		ereport(DEBUG1,
				(errcode_for_file_access(),
				 errmsg("could not create file \"%s\": %m", tmp)));
		return;
	}
	ok = write_all(fd, &h, sizeof(h));
	for (int k = 0; k < nparts && ok; k++)
		ok = write_all(fd, parts[k].p, parts[k].len);
	if (CloseTransientFile(fd) != 0)
		ok = false;
	/* no fsync: after a crash the CRC or the token refuses what is left */
	if (!ok || rename(tmp, path) != 0)
	{
		ereport(DEBUG1,
				(errcode_for_file_access(),
				 errmsg("could not write the graph image \"%s\": %m", path)));
		(void) unlink(tmp);
	}
}

/* ---------- the change counter ---------- */

/*
 * Raise this backend's row of graph_version (in schema nsp) by one, as the
 * table's owner: whoever may change the graph may count the change, and
 * nobody else may write the counter.
 */
static void
count_change(Oid nsp)
{
	static SPIPlanPtr plan = NULL;
	static char plan_nsp[NAMEDATALEN] = "";
	char	   *nspname = get_namespace_name(nsp);
	Oid			ver = get_relname_relid("graph_version", nsp);
	HeapTuple	ctup;
	Oid			owner,
				save_user;
	int			save_sec;
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(MyBackendId)};

	if (!OidIsValid(ver) || nspname == NULL)
		return;
	ctup = SearchSysCache1(RELOID, ObjectIdGetDatum(ver));
	if (!HeapTupleIsValid(ctup))
		elog(ERROR, "cache lookup failed for relation %u", ver);
	owner = ((Form_pg_class) GETSTRUCT(ctup))->relowner;
	ReleaseSysCache(ctup);

	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* the statement names the schema: prepared again if it is renamed */
	if (plan == NULL || strcmp(plan_nsp, nspname) != 0)
	{
		char	   *q = psprintf("INSERT INTO %s.graph_version AS v (slot, changes) VALUES ($1, 1) "
								 "ON CONFLICT (slot) DO UPDATE SET changes = v.changes OPERATOR(pg_catalog.+) 1",
								 quote_identifier(nspname));
		SPIPlanPtr	p = SPI_prepare(q, 1, argtypes);

		if (p == NULL)
			elog(ERROR, "could not prepare the graph change counter: %s",
				 SPI_result_code_string(SPI_result));
		if (plan)
			SPI_freeplan(plan);
		plan = NULL;
		if (SPI_keepplan(p) != 0)
			elog(ERROR, "SPI_keepplan failed");
		plan = p;
		strlcpy(plan_nsp, nspname, sizeof(plan_nsp));
	}
	if (SPI_execute_plan(plan, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not count a change of the dependency graph");
	SPI_finish();
	SetUserIdAndSecContext(save_user, save_sec);
}

static LocalTransactionId counted_lxid = InvalidLocalTransactionId;
static SubTransactionId counted_subxid = InvalidSubTransactionId;

/*
 * The (sub)transactions of transaction counted_lxid whose counts still stand,
 * in the order they counted.  A subtransaction that aborts takes its count
 * and those of all subtransactions begun inside it with it: they have
 * greater ids, and they are the entries on top.  A deeper nesting than the
 * stack holds is remembered as "still counted" (refusing is the safe side).
 */
#define COUNTED_MAX 64
static SubTransactionId counted_stack[COUNTED_MAX];
static int	counted_depth = 0;
static bool counted_overflow = false;

static void
forget_aborted_counts(SubXactEvent event, SubTransactionId mySubid,
					  SubTransactionId parentSubid, void *arg)
{
	if (event != SUBXACT_EVENT_ABORT_SUB || counted_lxid != MyProc->lxid)
		return;
	while (counted_depth > 0 && counted_stack[counted_depth - 1] >= mySubid)
		counted_depth--;
	if (counted_subxid >= mySubid)
		counted_subxid = InvalidSubTransactionId;	/* count again if it changes again */
}

/*
 * A prepared transaction would keep its backend slot's row of graph_version
 * locked after its session has moved on, and the session's next change of
 * the graph would wait for it forever: such a transaction is refused, as
 * PostgreSQL refuses one that used temporary tables.
 */
static void
refuse_prepare(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_PRE_PREPARE && counted_lxid == MyProc->lxid &&
		(counted_depth > 0 || counted_overflow))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot PREPARE a transaction that has changed the impact dependency graph"),
				 errdetail("It changed ceptoar.service_instance or ceptoar.dependency."),
				 errhint("Commit changes of the graph in a transaction of their own.")));
}

PG_FUNCTION_INFO_V1(graph_changed);
/*
 * BEFORE ... FOR EACH STATEMENT on service_instance and dependency: the
 * change is counted once per (sub)transaction, before it is made, which
 * retires every backend's cached graph and the shared image (impact.c
 * compares the token read with each statement's snapshot).  Also BEFORE ... FOR EACH ROW, enabled for replicas only:
 * a logical-replication subscriber applies rows without firing statement
 * triggers, so there each command's first row does the same.
 */
Datum
graph_changed(PG_FUNCTION_ARGS)
{
	static bool callback_registered = false;
	static CommandId row_cid = InvalidCommandId;
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HeapTuple	row = NULL;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "graph_changed must be called as a trigger");
	if (!callback_registered)
	{
		RegisterXactCallback(refuse_prepare, NULL);
		RegisterSubXactCallback(forget_aborted_counts, NULL);
		callback_registered = true;
	}
	if (TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
	{
		CommandId	cid = GetCurrentCommandId(false);

		row = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
			trigdata->tg_newtuple : trigdata->tg_trigtuple;
		if (MyProc->lxid == counted_lxid && GetCurrentSubTransactionId() == counted_subxid &&
			cid == row_cid)
			PG_RETURN_POINTER(row);
		row_cid = cid;
	}
	/* a subtransaction's count may roll back with it: each counts for itself */
	if (MyProc->lxid != counted_lxid || GetCurrentSubTransactionId() != counted_subxid)
	{
		count_change(RelationGetNamespace(trigdata->tg_relation));
		if (MyProc->lxid != counted_lxid)
		{
			counted_depth = 0;
			counted_overflow = false;
		}
		counted_lxid = MyProc->lxid;
		counted_subxid = GetCurrentSubTransactionId();
		if (counted_depth < COUNTED_MAX)
			counted_stack[counted_depth++] = counted_subxid;
		else
			counted_overflow = true;
	}
	PG_RETURN_POINTER(row);
}
