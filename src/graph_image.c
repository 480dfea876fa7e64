/*
 * graph_image.c
 *		The dependency graph shared between backends: an image in a file, used
 *		while the token (the tables' files and the change counter,
 *		graph_counter.c) says it is still the graph.
 *
 * The graph is one for all backends of a database: a backend that has read
 * the tables (graph.c) writes what it built, the CSR arrays, to
 * $PGDATA/pg_ceptoar/graph_<db>.img, and every backend, the writer too, maps
 * that file read-only (MAP_SHARED) and walks the arrays where they lie: each
 * at an aligned offset, no pointers, the index of dense ids included.  So
 * the graph is in memory once, in the page cache, not once per backend (at
 * national size 200 MB each), and a new backend maps it in a few
 * milliseconds instead of reading the tables.  A mapping lives as long as
 * the cached graph's context (a reset callback unmaps it); a newer image
 * replaces the file by a rename, so the old one stays whole for whoever still
 * maps it until they unmap it.  An image is never truncated or rewritten in
 * place: a mapped file cut short would kill its readers with SIGBUS.
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
 *
 * An image that is no longer current is not thrown away: it records the
 * snapshot it was read with, and a backend lays what changed since over it
 * (graph_delta.c), folding a grown delta into a new image (graph.c).
 */
#include "postgres.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/tableam.h"
#include "access/transam.h"
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
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "graph.h"

#define IMAGE_DIR		"pg_ceptoar"
#define IMAGE_MAGIC		0x49475243	/* "CRGI" */
#define IMAGE_VERSION	4		/* 2: aligned arrays, mapped where they lie;
								 * 3: the snapshot read with; 4: the buffers'
								 * unit and bound */
#define IMAGE_ALIGN		64		/* every array starts on a cache line */

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
	int64		dense_base;
	int64		dense_len;		/* 0: no dense index */
	Oid			log_relid;		/* graph_change as it was */
	Oid			log_relfilenode;
	uint64		xmin;			/* the snapshot read with, full ids */
	uint64		xmax;
	int32		nxip;			/* -1: unknown */
	int32		compact;		/* 1: the edges again in 8 bytes */
	int64		buffer_unit;	/* Graph's */
	int64		buffer_max;
	uint64		size;			/* of the file */
	pg_crc32c	crc;			/* of the header before it and of the rest of
								 * the file */
} ImageHeader;

/* the arrays of an image, in file order, each at an IMAGE_ALIGN offset */
#define IMAGE_PARTS 10

typedef struct Layout
{
	Size		off[IMAGE_PARTS];
	Size		len[IMAGE_PARTS];
	Size		size;			/* of the file */
} Layout;

/*
 * Where the arrays of a graph of n instances, m dependencies and a dense
 * index of dense_len entries lie in its image; false if that is more than a
 * file here can hold.
 */
static bool
image_layout(int64 n, int64 m, int64 dense_len, int32 nxip, bool compact, Layout *l)
{
	Size		off = TYPEALIGN(IMAGE_ALIGN, sizeof(ImageHeader));

	if (n < 0 || n > PG_INT32_MAX || m < 0 || dense_len < 0 || nxip < -1 ||
		(uint64) m > (SIZE_MAX / 4) / sizeof(Edge) ||
		(uint64) dense_len > (SIZE_MAX / 4) / sizeof(int32) ||
		(uint64) n > (SIZE_MAX / 4) / 64)
		return false;
	l->len[0] = sizeof(int64) * n;	/* ids */
	l->len[1] = sizeof(int64) * n;	/* population */
	l->len[2] = sizeof(int64) * (n + 1);	/* out_start */
	l->len[3] = sizeof(Edge) * m;	/* out */
	l->len[4] = sizeof(Service) * n;	/* service */
	l->len[5] = sizeof(int32) * dense_len;	/* dense */
	l->len[6] = n;				/* has */
	l->len[7] = sizeof(uint64) * Max(nxip, 0);	/* xip */
	l->len[8] = compact ? sizeof(int32) * (n + 1) : 0;	/* start32 */
	l->len[9] = compact ? sizeof(uint64) * m : 0;	/* out8 */
	for (int k = 0; k < IMAGE_PARTS; k++)
	{
		l->off[k] = off;
		off = TYPEALIGN(IMAGE_ALIGN, off + l->len[k]);
	}
	l->size = off;
	return true;
}

/* the arrays of g (and xip), in the order of image_layout */
static void
image_arrays(const Graph *g, const uint64 *xip, const void **p)
{
	p[0] = g->ids;
	p[1] = g->population;
	p[2] = g->out_start;
	p[3] = g->out;
	p[4] = g->service;
	p[5] = g->dense;
	p[6] = g->has;
	p[7] = xip;
	p[8] = NULL;				/* made by the writer */
	p[9] = NULL;
}

/* g's arrays where they lie in an image mapped at base */
static void
point_into(Graph *g, const char *base, const Layout *l)
{
	g->ids = (const int64 *) (base + l->off[0]);
	g->population = (const int64 *) (base + l->off[1]);
	g->out_start = (const int64 *) (base + l->off[2]);
	g->out = (const Edge *) (base + l->off[3]);
	g->service = (const Service *) (base + l->off[4]);
	g->dense = g->dense_len > 0 ? (const int32 *) (base + l->off[5]) : NULL;
	g->has = (const uint8 *) (base + l->off[6]);
	if (l->len[8] > 0)
	{
		g->start32 = (const int32 *) (base + l->off[8]);
		g->out8 = (const uint64 *) (base + l->off[9]);
	}
	else
	{
		g->start32 = NULL;
		g->out8 = NULL;
	}
}

/*
 * The image of header h mapped at base (in mcxt, which holds the mapping): g
 * is the graph it holds, pointed into the mapping.  The reader and the writer
 * of an image both make it here.
 */
static GraphImage *
image_of(MemoryContext mcxt, const struct stat *st, const ImageHeader *h,
		 const char *base, const Layout *l, const Graph *g)
{
	GraphImage *img = MemoryContextAllocZero(mcxt, sizeof(GraphImage));

	img->cxt = mcxt;
	img->dev = (uint64) st->st_dev;
	img->ino = (uint64) st->st_ino;
	img->tok = h->tok;
	img->log_relid = h->log_relid;
	img->log_relfilenode = h->log_relfilenode;
	img->xmin = h->xmin;
	img->xmax = h->xmax;
	img->nxip = h->nxip;
	img->xip = (const uint64 *) (base + l->off[7]);
	img->g = *g;
	point_into(&img->g, base, l);
	img->g.out8_unit = Max(h->buffer_unit, 1);
	img->g.mapped = true;
	return img;
}

/* a mapped image, unmapped with the context that holds it */
typedef struct ImageMap
{
	MemoryContextCallback cb;
	void	   *base;
	Size		size;
} ImageMap;

static void
image_unmap(void *arg)
{
	ImageMap   *im = (ImageMap *) arg;

	if (im->base != NULL)
		(void) munmap(im->base, im->size);
	im->base = NULL;
}

/*
 * size bytes of the file fd, mapped read-only and shared for as long as cxt
 * lives; NULL if it cannot be.  The pages are mapped at once (MAP_POPULATE):
 * one call rather than a fault per 4 kB page.
 */
static const char *
map_file(int fd, Size size, MemoryContext cxt)
{
	ImageMap   *im = MemoryContextAllocZero(cxt, sizeof(ImageMap));
	int			flags = MAP_SHARED;
	void	   *base;

#ifdef MAP_POPULATE
	flags |= MAP_POPULATE;
#endif
	base = mmap(NULL, size, PROT_READ, flags, fd, 0);
	if (base == MAP_FAILED)
	{
		ereport(DEBUG1,
				(errcode_for_file_access(),
				 errmsg("could not map the graph image: %m")));
		pfree(im);
		return NULL;
	}
	im->base = base;
	im->size = size;
	im->cb.func = image_unmap;
	im->cb.arg = im;
	MemoryContextRegisterResetCallback(cxt, &im->cb);
	return base;
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
			(g->buffer_unit >= 0 && g->out[x].buffer > g->buffer_max) ||
			g->out[x].mode > MODE_SITE)
			return false;
	if (g->out8)
	{
		/* the edges in 8 bytes: where the others are, of instances there are */
		for (int i = 0; i <= g->n; i++)
			if (g->start32[i] != g->out_start[i])
				return false;
		for (int64 x = 0; x < g->m; x++)
			if ((int32) g->out8[x] < 0 || (int32) g->out8[x] >= g->n)
				return false;
	}
	if (g->dense_len > 0)
	{
		/* the dense index is the one the ids make, no more and no less */
		int64		found = 0;

		if (g->n == 0 || g->dense_base != g->ids[0] ||
			(uint64) g->dense_len != (uint64) g->ids[g->n - 1] - (uint64) g->ids[0] + 1)
			return false;
		for (int64 k = 0; k < g->dense_len; k++)
		{
			int32		i = g->dense[k];

			if (i == -1)
				continue;
			if (i < 0 || i >= g->n || (uint64) g->ids[i] - (uint64) g->dense_base != (uint64) k)
				return false;
			found++;
		}
		if (found != g->n)
			return false;
	}
	return true;
}

/*
 * Map the image of this database, whatever graph it holds, in a new context
 * below parent (deleted to unmap it): NULL if there is none, or it is of
 * another build or damaged.  The CRC and the arrays' sanity are checked
 * once, here; the caller compares what it was read from.
 */
GraphImage *
cr_graph_image_map(MemoryContext parent)
{
	char	   *path = image_path();
	int			fd = OpenTransientFile(path, O_RDONLY | PG_BINARY);
	ImageHeader h;
	struct stat st;
	Layout		l;
	MemoryContext mcxt;
	const char *base;
	pg_crc32c	crc;
	GraphImage *img;

	if (fd < 0)
		return NULL;
	if (!read_all(fd, &h, sizeof(h)) || fstat(fd, &st) != 0 ||
		h.magic != IMAGE_MAGIC || h.version != IMAGE_VERSION ||
		strncmp(h.build, IMAGE_BUILD, sizeof(h.build)) != 0 ||
		h.header_size != sizeof(ImageHeader) || h.edge_size != sizeof(Edge) ||
		h.tok.dboid != MyDatabaseId ||
		(h.compact != 0 && h.compact != 1) ||
		!image_layout(h.n, h.m, h.dense_len, h.nxip, h.compact != 0, &l) ||
		h.size != (uint64) l.size || (uint64) st.st_size != h.size)
	{
		CloseTransientFile(fd);
		return NULL;
	}
	mcxt = AllocSetContextCreate(parent, "ceptoar graph image", ALLOCSET_SMALL_SIZES);
	base = map_file(fd, l.size, mcxt);
	CloseTransientFile(fd);
	if (base == NULL)
	{
		MemoryContextDelete(mcxt);
		return NULL;
	}

	{
		Graph		g = {0};

		g.n = h.n;
		g.m = h.m;
		g.any_geometry = h.any_geometry != 0;
		g.buffer_unit = h.buffer_unit;
		g.buffer_max = h.buffer_max;
		g.dense_base = h.dense_base;
		g.dense_len = h.dense_len;
		g.from_image = true;
		img = image_of(mcxt, &st, &h, base, &l, &g);
	}

	INIT_CRC32C(crc);
	COMP_CRC32C(crc, &h, offsetof(ImageHeader, crc));
	for (Size off = sizeof(ImageHeader); off < l.size; off += (Size) 1 << 24)
	{
		CHECK_FOR_INTERRUPTS();
		COMP_CRC32C(crc, base + off, Min((Size) 1 << 24, l.size - off));
	}
	FIN_CRC32C(crc);
	if (!EQ_CRC32C(crc, h.crc) || !image_sane(&img->g))
	{
		elog(DEBUG1, "ceptoar impact: the graph image \"%s\" is damaged; reading the tables", path);
		MemoryContextDelete(mcxt);
		return NULL;
	}
	for (int k = 1; k < img->nxip; k++)
		if (img->xip[k] <= img->xip[k - 1])
		{
			img->nxip = -1;		/* not usable for a delta */
			break;
		}
	return img;
}

/* img's file is still the image of this database (no newer one renamed over it) */
bool
cr_graph_image_is_current(const GraphImage *img)
{
	char	   *path = image_path();
	struct stat st;
	bool		same;

	same = stat(path, &st) == 0 && (uint64) st.st_dev == img->dev &&
		(uint64) st.st_ino == img->ino;
	pfree(path);
	return same;
}

static int
cmp_uint64(const void *a, const void *b)
{
	uint64		x = *(const uint64 *) a,
				y = *(const uint64 *) b;

	return (x > y) - (x < y);
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

/* write the header, then each array after zeros up to its offset */
static bool
write_image(int fd, const ImageHeader *h, const Layout *l, const void **p)
{
	static const char zeros[IMAGE_ALIGN] = {0};
	Size		at = sizeof(ImageHeader);

	if (!write_all(fd, h, sizeof(ImageHeader)))
		return false;
	for (int k = 0; k < IMAGE_PARTS; k++)
	{
		CHECK_FOR_INTERRUPTS();
		if (!write_all(fd, zeros, l->off[k] - at) ||
			(l->len[k] > 0 && !write_all(fd, p[k], l->len[k])))
			return false;
		at = l->off[k] + l->len[k];
	}
	return write_all(fd, zeros, l->size - at);
}

/*
 * The edges again in 8 bytes, for the search by unit (impact_times.c): the
 * dependent's index, the buffer in the graph's unit (31 bits) and the mode
 * in the top bit, with offsets of 4 bytes; half the memory the search walks,
 * and on this file's 4 kB pages (a shared file mapping gets no 2 MB pages)
 * half the page-table misses.  When every buffer is a whole number of units
 * below 2^31 of them and the edges number less than 2^31.
 */
static bool
compactable(const Graph *g)
{
	int64		unit = Max(g->buffer_unit, 1);

	return g->buffer_unit >= 0 && g->buffer_max / unit < PG_INT32_MAX && g->m < PG_INT32_MAX &&
		g->delta == NULL;
}

/* make them (p[8], p[9]); false (none kept) if an edge is not as its graph says */
static bool
compact_edges(const Graph *g, const Layout *l, const void **p)
{
	int64		unit = Max(g->buffer_unit, 1);
	int32	   *start32 = cr_alloc_big(CurrentMemoryContext, l->len[8], false);
	uint64	   *out8 = cr_alloc_big(CurrentMemoryContext, Max(l->len[9], 1), false);

	for (int i = 0; i <= g->n; i++)
		start32[i] = (int32) g->out_start[i];
	for (int64 x = 0; x < g->m; x++)
	{
		const Edge *e = &g->out[x];
		int64		units = e->buffer / unit;

		if ((x & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (e->buffer < 0 || units * unit != e->buffer || units >= PG_INT32_MAX)
		{
			cr_free_big(start32, l->len[8]);
			cr_free_big(out8, Max(l->len[9], 1));
			return false;
		}
		out8[x] = (uint64) (uint32) e->dep | ((uint64) units << 32) |
			(e->mode == MODE_SITE ? OUT8_SITE : 0);
	}
	p[8] = start32;
	p[9] = out8;
	return true;
}

static void
free_compact(const Layout *l, const void **p)
{
	if (p[8])
		cr_free_big((void *) p[8], l->len[8]);
	if (p[9])
		cr_free_big((void *) p[9], Max(l->len[9], 1));
	p[8] = p[9] = NULL;
}

/*
 * Whether graph_change as it is now holds the rows of every transaction that
 * snap does not see.  TRUNCATE (how a DBA prunes it) gives the table a new
 * file without the rows of the transactions before it: a snapshot older than
 * the TRUNCATE misses those that committed in between, which no delta
 * between its graph and another's could then find, whichever of the two is
 * the image (written from snap) or the statement (that reads a newer image
 * with snap).  Told by the xmin of the table's pg_class row, which the
 * TRUNCATE (and any later change of the row: then no change is laid over,
 * which costs one read of the tables) sets: it must be a transaction snap
 * sees as committed (this transaction's own TRUNCATE is not: a REPEATABLE
 * READ snapshot may be older than the changes it took).
 */
bool
cr_graph_log_complete_for(Relation log, Snapshot snap)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(RelationGetRelid(log)));
	TransactionId xmin;
	bool		seen;

	if (!HeapTupleIsValid(tup))
		return false;
	xmin = HeapTupleHeaderGetRawXmin(tup->t_data);
	seen = HeapTupleHeaderXminFrozen(tup->t_data) || !TransactionIdIsNormal(xmin) ||
		(!XidInMVCCSnapshot(xmin, snap) && TransactionIdDidCommit(xmin));
	ReleaseSysCache(tup);
	return seen;
}

/*
 * Leave an image of g, read from the tables as tok describes them with the
 * snapshot snap, for the next backends, and map it (in a new context below
 * parent): NULL if it cannot be written or mapped (an image is a cache:
 * nothing is lost but memory and time), else the mapping, whose graph
 * replaces g.  The file written is mapped before it is renamed to the
 * image's name, so it is this graph even if another backend renames a newer
 * one over it at once.
 */
GraphImage *
cr_graph_image_write(const GraphToken *tok, Relation log, Snapshot snap, const Graph *g,
					 MemoryContext parent)
{
	char	   *path = image_path();
	char	   *tmp = psprintf("%s.%d.tmp", path, MyProcPid);
	ImageHeader h;
	Layout		l;
	const void *p[IMAGE_PARTS];
	static const char zeros[IMAGE_ALIGN] = {0};
	MemoryContext mcxt;
	const char *base;
	GraphImage *img;
	struct stat st;
	uint64	   *xip = NULL;
	int32		nxip = -1;
	Size		at;
	int			fd;
	bool		ok;

	/*
	 * The snapshot, in full transaction ids: those running then (on a standby
	 * all are in subxip; if it overflowed there, they are unknown).
	 */
	if (IsMVCCSnapshot(snap) && !(snap->takenDuringRecovery && snap->suboverflowed))
	{
		nxip = 0;
		xip = palloc(sizeof(uint64) * (snap->xcnt + Max(snap->subxcnt, 0) + 1));
		for (uint32 k = 0; k < snap->xcnt; k++)
			xip[nxip++] = cr_full_xid(snap->xip[k]);
		for (int32 k = 0; k < snap->subxcnt; k++)
			xip[nxip++] = cr_full_xid(snap->subxip[k]);
		qsort(xip, nxip, sizeof(uint64), cmp_uint64);
		/* no duplicates: a transaction listed twice counts once */
		if (nxip > 1)
		{
			int32		w = 1;

			for (int32 k = 1; k < nxip; k++)
				if (xip[k] != xip[w - 1])
					xip[w++] = xip[k];
			nxip = w;
		}
	}

	if (!image_layout(g->n, g->m, g->dense_len, nxip, compactable(g), &l))
		return NULL;
	image_arrays(g, xip, p);
	if (l.len[8] > 0 && !compact_edges(g, &l, p))
		return NULL;
	if (MakePGDirectory(IMAGE_DIR) < 0 && errno != EEXIST)
	{
		ereport(DEBUG1,
				(errcode_for_file_access(),
				 errmsg("could not create directory \"%s\": %m", IMAGE_DIR)));
		free_compact(&l, p);
		return NULL;
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
	h.buffer_unit = g->buffer_unit;
	h.buffer_max = g->buffer_max;
	h.compact = l.len[8] > 0 ? 1 : 0;
	h.dense_base = g->dense_base;
	h.dense_len = g->dense_len;
	if (log)
	{
		h.log_relid = RelationGetRelid(log);
		h.log_relfilenode = log->rd_node.relNode;
	}
	h.xmin = cr_full_xid(snap->xmin);
	h.xmax = cr_full_xid(snap->xmax);
	h.nxip = log && cr_graph_log_complete_for(log, snap) ? nxip : -1;
	h.size = l.size;
	/* the CRC of the file after the header as written: arrays and zeros */
	INIT_CRC32C(h.crc);
	COMP_CRC32C(h.crc, &h, offsetof(ImageHeader, crc));
	at = sizeof(ImageHeader);
	for (int k = 0; k < IMAGE_PARTS; k++)
	{
		COMP_CRC32C(h.crc, zeros, l.off[k] - at);
		if (l.len[k] > 0)
			COMP_CRC32C(h.crc, p[k], l.len[k]);
		at = l.off[k] + l.len[k];
	}
	COMP_CRC32C(h.crc, zeros, l.size - at);
	FIN_CRC32C(h.crc);

	/*
	 * With synchronous_commit off, a commit is seen before it is durable, and
	 * a crash can lose it: then later changes could bring the count back to
	 * this image's with other contents.  So the state the image shows is made
	 * durable first (a standby's replayed state already is).
	 */
	if (!RecoveryInProgress())
		XLogFlush(inserted_wal_end());

	fd = OpenTransientFile(tmp, O_RDWR | O_CREAT | O_TRUNC | PG_BINARY);
	if (fd < 0)
	{
		ereport(DEBUG1,
				(errcode_for_file_access(),
				 errmsg("could not create file \"%s\": %m", tmp)));
		free_compact(&l, p);
		return NULL;
	}
	ok = write_image(fd, &h, &l, p) && fstat(fd, &st) == 0;
	free_compact(&l, p);
	mcxt = AllocSetContextCreate(parent, "ceptoar graph image", ALLOCSET_SMALL_SIZES);
	base = ok ? map_file(fd, l.size, mcxt) : NULL;
	if (CloseTransientFile(fd) != 0)
		ok = false;
	/* no fsync: after a crash the CRC or the token refuses what is left */
	if (!ok || base == NULL || rename(tmp, path) != 0)
	{
		ereport(DEBUG1,
				(errcode_for_file_access(),
				 errmsg("could not write the graph image \"%s\": %m", path)));
		(void) unlink(tmp);
		MemoryContextDelete(mcxt);
		return NULL;
	}
	img = image_of(mcxt, &st, &h, base, &l, g);
	img->g.from_image = false;
	return img;
}
