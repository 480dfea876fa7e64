/*
 * graph_image.c
 *		The dependency graph shared between backends: an image in a file, used
 *		while the token (the tables' files and the change counter,
 *		graph_counter.c) says it is still the graph.
 *
 * Every backend keeps the graph in memory (graph.c), but a new backend would
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
 * image shows is durable before it is written (see cr_graph_image_write).
 */
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "access/xlog_internal.h"
#include "miscadmin.h"
#include "port/pg_crc32c.h"
#include "storage/bufmgr.h"
#include "storage/fd.h"
#include "storage/procarray.h"
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
	void	   *p[] = {g->ids, g->population, g->out_start, g->service, g->has,
	g->out};
	Size		len[] = {sizeof(int64) * n, sizeof(int64) * n,
	sizeof(int64) * (n + 1), sizeof(Service) * n, n, sizeof(Edge) * g->m};

	for (int k = 0; k < NELEM(p); k++)
	{
		parts[k].p = p[k];
		parts[k].len = len[k];
	}
	return NELEM(p);
}

static char *
image_path(void)
{
	return psprintf("%s/graph_%u.img", IMAGE_DIR, MyDatabaseId);
}

bool
cr_graph_token_equal(const GraphToken *a, const GraphToken *b)
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
cr_graph_token(Relation *rels, Snapshot snap, GraphToken *tok)
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
cr_graph_image_read(const GraphToken *tok, Graph *g, MemoryContext cxt)
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
		!cr_graph_token_equal(&h.tok, tok) || h.n < 0 || h.m < 0 ||
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
	cr_graph_alloc_instances(g, icxt);
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
cr_graph_image_write(const GraphToken *tok, const Graph *g)
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
