/*
 * graph.c
 *		The impact engine's dependency graph: read from the tables, laid out
 *		for the searches, and then used from the image that every backend of
 *		the database maps (graph_image.c); each backend keeps only a Graph of
 *		pointers into that mapping.
 *
 * The graph holds ids, services, populations, which instances have an area
 * or a site, and the dependencies in compressed sparse rows by supplier; not
 * the geometry, which the searches fetch as they need it.  It is read with
 * plain heap scans, with the statement's snapshot, and cached (cache.c) with
 * the token it was read under (graph_image.c: the tables' files and the
 * change counter, graph_counter.c): the cached graph serves a statement when
 * the token read with the statement's snapshot is the same, checked once per
 * snapshot.  A transaction that sees its own uncommitted changes of the graph
 * gets a graph of its own for the statement, neither cached nor shared.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/tableam.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "ceptoar_registry.h"
#include "graph.h"

/* the cached graph (cache.c), built from graph_tok */
static CrCache graph_cache = {
	.ntables = GRAPH_RELS,
	.nchecked = 2,
	.tables = {"service_instance", "dependency", "graph_version"},
	.shared_detail = "The dependency graph is read once for every role of a session.",
};
static Graph *graph = NULL;
static GraphToken graph_tok;

static int
cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return (x > y) - (x < y);
}

static AttrNumber
column(Oid relid, const char *name)
{
	AttrNumber	a = get_attnum(relid, name);

	if (a == InvalidAttrNumber)
		elog(ERROR, "column \"%s\" of the ceptoar impact tables is missing", name);
	return a;
}

/* a dependency as read, 16 bytes like an Edge */
typedef struct RawEdge
{
	int64		buffer;
	int32		dep;
	uint32		sup:31,
				mode:1;
} RawEdge;

/* supplier partitions of the CSR build: a partition's edges fit in L2 */
#define CSR_PARTITION_BITS	12

/*
 * The dependencies in compressed sparse rows by supplier, from raw (which
 * is consumed).  Scattering a million 16-byte edges straight to their rows
 * writes to random cache lines all over the array; two passes, one
 * appending to a few hundred partitions of consecutive suppliers, one
 * scattering each partition within its own small region, keep both sets of
 * writes in cache, and took about half the time on the national graph.
 */
static Edge *
build_csr(RawEdge *raw, int64 m, int n, int64 *out_start)
{
	int			nparts = (n >> CSR_PARTITION_BITS) + 1;
	int64	   *part_fill = palloc(sizeof(int64) * nparts);
	int64	   *fill;
	RawEdge    *parted;
	Edge	   *out;

	for (int64 k = 0; k < m; k++)
		out_start[raw[k].sup + 1]++;
	for (int i = 0; i < n; i++)
		out_start[i + 1] += out_start[i];

	/* 1. by partition, in the order read */
	parted = cr_alloc_big(CurrentMemoryContext, sizeof(RawEdge) * m, false);
	for (int p = 0; p < nparts; p++)
		part_fill[p] = out_start[Min((int64) p << CSR_PARTITION_BITS, n)];
	for (int64 k = 0; k < m; k++)
	{
		if ((k & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		parted[part_fill[raw[k].sup >> CSR_PARTITION_BITS]++] = raw[k];
	}

	/* 2. within each partition, to the suppliers' rows; raw becomes the rows */
	out = (Edge *) raw;
	StaticAssertStmt(sizeof(Edge) == sizeof(RawEdge), "an Edge replaces a RawEdge in place");
	fill = palloc(sizeof(int64) * Max(n, 1));
	memcpy(fill, out_start, sizeof(int64) * n);
	for (int64 k = 0; k < m; k++)
	{
		Edge	   *e = &out[fill[parted[k].sup]++];

		if ((k & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();

		e->buffer = parted[k].buffer;
		e->dep = parted[k].dep;
		e->mode = parted[k].mode;
	}
	pfree(fill);
	cr_free_big(parted, sizeof(RawEdge) * m);
	pfree(part_fill);
	return out;
}

typedef struct InstRow
{
	int64		id;
	Service		service;
	int64		population;
	uint8		has;
} InstRow;

static int
cmp_instrow(const void *a, const void *b)
{
	return cmp_int64(&((const InstRow *) a)->id, &((const InstRow *) b)->id);
}

/*
 * Reading the leading columns of a million rows.  heap_deform_tuple() walks
 * every column of every row and was a fifth of a national graph's load; the
 * columns the graph needs come first, and when none of them is dropped and
 * all but the last are fixed-width, their offsets are the same in every row
 * with no NULL before them.  Other rows take heap_deform_tuple().
 */
#define LEAD_MAX	8

typedef struct LeadScan
{
	TableScanDesc scan;
	int64		rows;			/* read so far */
	TupleDesc	desc;
	HeapTuple	tup;			/* the current row */
	Datum	   *v;				/* its columns 1..n (sized for all) */
	bool	   *isnull;
	int			n;				/* 0: always heap_deform_tuple() */
	int32		off[LEAD_MAX];	/* a varlena's: before its alignment */
	int64		capacity;		/* rows to allocate for first: the planner's
								 * estimate */
} LeadScan;

/* a scan of rel as snap sees it, reading columns 1..n of each row */
static void
lead_begin(LeadScan *l, Relation rel, Snapshot snap, int n)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int32		off = 0;

	l->desc = desc;
	l->v = palloc(sizeof(Datum) * desc->natts);
	l->isnull = palloc(sizeof(bool) * desc->natts);

	/*
	 * start at the planner's estimate: regrowing 16 MB costs as much as
	 * filling it
	 */
	l->capacity = Max(1024, (int64) rel->rd_rel->reltuples + 1024);
	l->n = 0;
	l->rows = 0;
	if (n <= LEAD_MAX && n <= desc->natts)
	{
		for (int i = 0; i < n; i++)
		{
			Form_pg_attribute a = TupleDescAttr(desc, i);

			if (a->attisdropped || (a->attlen < 0 && (a->attlen != -1 || i != n - 1)))
			{
				n = 0;
				break;
			}
			if (a->attlen == -1)
				l->off[i] = off;	/* a short varlena is not aligned: done
									 * per row */
			else
			{
				off = att_align_nominal(off, a->attalign);
				l->off[i] = off;
				off += a->attlen;
			}
		}
		l->n = n;
	}
	l->scan = table_beginscan(rel, snap, 0, NULL);
}

/* the next row into l->tup, l->v and l->isnull; false at the end */
static inline bool
lead_next(LeadScan *l)
{
	HeapTuple	tup = heap_getnext(l->scan, ForwardScanDirection);
	HeapTupleHeader h;
	char	   *tp;

	if (tup == NULL)
		return false;
	if ((++l->rows & 0xFFF) == 0)
		CHECK_FOR_INTERRUPTS();
	l->tup = tup;
	h = tup->t_data;
	tp = (char *) h + h->t_hoff;
	if (l->n == 0 || HeapTupleHeaderGetNatts(h) < l->n)
	{
		heap_deform_tuple(tup, l->desc, l->v, l->isnull);
		return true;
	}
	for (int i = 0; i < l->n; i++)
	{
		Form_pg_attribute a = TupleDescAttr(l->desc, i);
		int32		off = l->off[i];

		if (HeapTupleHasNulls(tup) && att_isnull(i, h->t_bits))
		{
			if (i < l->n - 1)
			{
				/* the columns after it start earlier */
				heap_deform_tuple(tup, l->desc, l->v, l->isnull);
				return true;
			}
			l->v[i] = (Datum) 0;
			l->isnull[i] = true;
			continue;
		}
		if (a->attlen == -1)
			off = att_align_pointer(off, a->attalign, -1, tp + off);
		l->v[i] = fetchatt(a, tp + off);
		l->isnull[i] = false;
	}
	return true;
}

static void
lead_end(LeadScan *l)
{
	table_endscan(l->scan);
	pfree(l->v);
	pfree(l->isnull);
}

/* room for one more element in *arr of *cap, doubling it in cxt when full */
static inline void *
grow(MemoryContext cxt, void *arr, int64 *cap, int64 used, Size elem)
{
	if (used < *cap)
		return arr;
	arr = cr_realloc_big(cxt, arr, elem * *cap, elem * *cap * 2);
	*cap *= 2;
	return arr;
}

/*
 * An index of ids (ascending, n of them) by their value, when they are dense
 * (identity columns are): NULL otherwise.  In cxt, *base and *len set.
 */
int32 *
cr_graph_index_dense(const int64 *ids, int n, int64 *base, int64 *len, MemoryContext cxt)
{
	int32	   *dense;

	*base = 0;
	*len = 0;
	/* the span in unsigned arithmetic: ids from -2^63 to 2^63-1 span 2^64 - 1 */
	if (n == 0 || (uint64) ids[n - 1] - (uint64) ids[0] >= (uint64) n * 4 + 1024)
		return NULL;
	*base = ids[0];
	*len = (int64) ((uint64) ids[n - 1] - (uint64) ids[0]) + 1;
	dense = cr_alloc_big(cxt, sizeof(int32) * *len, false);
	memset(dense, 0xFF, sizeof(int32) * *len);
	for (int i = 0; i < n; i++)
		dense[(uint64) ids[i] - (uint64) *base] = i;
	return dense;
}

/* The instances (rels[0]) into g, in cxt, as snap sees them. */
static void
read_instances(Graph *g, Relation rel, Snapshot snap, MemoryContext cxt)
{
	Oid			relid = RelationGetRelid(rel);
	AttrNumber	a_id = column(relid, "id"),
				a_service = column(relid, "service"),
				a_pop = column(relid, "population"),
				a_area = column(relid, "area"),
				a_site = column(relid, "site");
	LeadScan	ls;
	InstRow    *rows;
	int64		cap,
				n = 0;
	bool		sorted = true;	/* rows came in id order (as usual): no sort */
	int64	   *ids,
			   *population;
	Service    *service;
	uint8	   *has;

	lead_begin(&ls, rel, snap, Max(a_id, Max(a_service, a_pop)));
	cap = ls.capacity;
	rows = cr_alloc_big(cxt, sizeof(InstRow) * cap, false);
	while (lead_next(&ls))
	{
		rows = grow(cxt, rows, &cap, n, sizeof(InstRow));
		rows[n].id = DatumGetInt64(ls.v[a_id - 1]);
		rows[n].service = DatumGetService(ls.v[a_service - 1]);
		rows[n].population = ls.isnull[a_pop - 1] ? -1 : DatumGetInt64(ls.v[a_pop - 1]);
		rows[n].has = (heap_attisnull(ls.tup, a_area, ls.desc) ? 0 : HAS_AREA) |
			(heap_attisnull(ls.tup, a_site, ls.desc) ? 0 : HAS_SITE);
		if (rows[n].has)
			g->any_geometry = true;
		if (n > 0 && rows[n].id < rows[n - 1].id)
			sorted = false;
		n++;
	}
	lead_end(&ls);

	if (n > PG_INT32_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many service instances for the impact engine")));
	if (!sorted)
		qsort(rows, n, sizeof(InstRow), cmp_instrow);
	g->n = n;
	g->ids = ids = cr_alloc_big(cxt, sizeof(int64) * Max(n, 1), false);
	g->population = population = cr_alloc_big(cxt, sizeof(int64) * Max(n, 1), false);
	g->service = service = cr_alloc_big(cxt, sizeof(Service) * Max(n, 1), false);
	g->has = has = cr_alloc_big(cxt, Max(n, 1), false);
	for (int i = 0; i < n; i++)
	{
		ids[i] = rows[i].id;
		service[i] = rows[i].service;
		population[i] = rows[i].population;
		has[i] = rows[i].has;
	}
	cr_free_big(rows, sizeof(InstRow) * cap);
	g->dense = cr_graph_index_dense(g->ids, n, &g->dense_base, &g->dense_len, cxt);
}

/*
 * The dependencies (rel) between g's instances into g, in cxt, as snap sees
 * them: in the order read, then in rows by supplier.
 */
static void
read_dependencies(Graph *g, Relation rel, Snapshot snap, MemoryContext cxt)
{
	Oid			relid = RelationGetRelid(rel);
	AttrNumber	a_dep = column(relid, "dependent"),
				a_sup = column(relid, "supplier"),
				a_buf = column(relid, "buffer"),
				a_mode = column(relid, "mode");
	LeadScan	ls;
	RawEdge    *raw;
	int64		cap,
				m = 0;
	int64	   *out_start;

	lead_begin(&ls, rel, snap, Max(Max(a_dep, a_sup), Max(a_buf, a_mode)));
	g->buffer_unit = 0;
	g->buffer_max = 0;
	cap = ls.capacity;
	raw = cr_alloc_big(cxt, sizeof(RawEdge) * cap, false);
	while (lead_next(&ls))
	{
		text	   *mode;
		int			dep,
					sup;

		raw = grow(cxt, raw, &cap, m, sizeof(RawEdge));
		dep = cr_graph_index(g, DatumGetInt64(ls.v[a_dep - 1]));
		sup = cr_graph_index(g, DatumGetInt64(ls.v[a_sup - 1]));
		if (dep < 0 || sup < 0)
			continue;			/* not visible together in this snapshot: skip */
		mode = DatumGetTextPP(ls.v[a_mode - 1]);

		/*
		 * the table's CHECK refuses what would raise here: months, negative,
		 * too long
		 */
		raw[m].buffer = cr_interval_usec(DatumGetIntervalP(ls.v[a_buf - 1]), "buffer");
		cr_graph_note_buffer(&g->buffer_unit, &g->buffer_max, raw[m].buffer);
		raw[m].dep = dep;
		raw[m].sup = sup;
		raw[m].mode = (VARSIZE_ANY_EXHDR(mode) == 4 && memcmp(VARDATA_ANY(mode), "site", 4) == 0)
			? MODE_SITE : 0;
		m++;
	}
	lead_end(&ls);

	g->m = m;
	g->out_start = out_start = cr_alloc_big(cxt, sizeof(int64) * (g->n + 1), true);
	g->out = build_csr(raw, m, g->n, out_start);
}

/*
 * The images this backend maps: the newest it has seen (cur_image) and the
 * one the cached graph lies on (cached_image), often the same.  Each in a
 * context of its own below CacheMemoryContext, whose deletion unmaps it; an
 * image neither of them is unmapped at once.
 */
static GraphImage *cur_image = NULL;
static GraphImage *cached_image = NULL;

static void
keep_image(GraphImage *img)
{
	MemoryContextSetParent(img->cxt, CacheMemoryContext);
}

/*
 * Pins: a scan that hands out impact()'s rows one by one (impact_scan.c)
 * reads the graph between its rows, while another call of the same query
 * (a LATERAL function, a cursor's next statement) may replace the cached
 * graph and unmap its image.  A pin counts, per memory context, the scans
 * reading what lies there (the cached graph's context and its image's).
 * Such a context that would be freed is only marked retired, and freed when
 * its last pin goes; graphs and images that no scan reads are freed as
 * ever.  A pin goes with the memory context its holder gave (also on
 * error), so no pin outlives its query.
 */
typedef struct GraphPin
{
	MemoryContext cxt;
	int			pins;
	bool		retired;		/* replaced: freed with its last pin */
} GraphPin;

static GraphPin *pinned = NULL; /* in TopMemoryContext */
static int	npinned = 0;
static int	maxpinned = 0;
static MemoryContext retired_graphs = NULL; /* the retired ones' parent */

/* what a holder pinned, and its callback */
#define PIN_CONTEXTS	2		/* the graph's context, its image's */

typedef struct PinHold
{
	MemoryContextCallback cb;
	MemoryContext cxt[PIN_CONTEXTS];
} PinHold;

static GraphPin *
find_pin(MemoryContext cxt)
{
	for (int k = 0; k < npinned; k++)
		if (pinned[k].cxt == cxt)
			return &pinned[k];
	return NULL;
}

static void
free_or_retire(MemoryContext cxt)
{
	GraphPin   *p = find_pin(cxt);

	if (p == NULL)
	{
		MemoryContextDelete(cxt);
		return;
	}
	/* below a context of their own, so that a DBA sees them */
	if (retired_graphs == NULL)
		retired_graphs = AllocSetContextCreate(TopMemoryContext, "ceptoar retired graphs",
											   ALLOCSET_SMALL_SIZES);
	MemoryContextSetParent(cxt, retired_graphs);
	p->retired = true;
}

static void
unpin(void *arg)
{
	PinHold    *h = (PinHold *) arg;

	for (int k = 0; k < PIN_CONTEXTS; k++)
	{
		GraphPin   *p = h->cxt[k] ? find_pin(h->cxt[k]) : NULL;
		MemoryContext cxt;
		bool		retired;

		if (p == NULL || --p->pins > 0)
			continue;
		cxt = p->cxt;
		retired = p->retired;
		*p = pinned[--npinned];
		if (retired)
		{
			MemoryContextDelete(cxt);
			if (retired_graphs->firstchild == NULL)
			{
				MemoryContextDelete(retired_graphs);
				retired_graphs = NULL;
			}
		}
	}
}

/*
 * The graph g (as cr_graph_get gave it) and what it lies on stay until
 * holder is reset or deleted.  A graph of this statement only lives in the
 * query's memory and needs no pin.
 */
void
cr_graph_pin(const Graph *g, MemoryContext holder)
{
	PinHold    *h;

	if (g != graph)
		return;
	h = MemoryContextAllocZero(holder, sizeof(PinHold));
	/* room first, so that nothing is pinned without its callback */
	if (npinned + PIN_CONTEXTS > maxpinned)
	{
		int			grown = Max(8, 2 * maxpinned);

		pinned = pinned == NULL ?
			MemoryContextAlloc(TopMemoryContext, sizeof(GraphPin) * grown) :
			repalloc(pinned, sizeof(GraphPin) * grown);
		maxpinned = grown;
	}
	h->cxt[0] = graph_cache.cxt;
	h->cxt[1] = cached_image ? cached_image->cxt : NULL;
	for (int k = 0; k < PIN_CONTEXTS; k++)
	{
		GraphPin   *p;

		if (h->cxt[k] == NULL)
			continue;
		p = find_pin(h->cxt[k]);
		if (p == NULL)
		{
			p = &pinned[npinned++];
			p->cxt = h->cxt[k];
			p->pins = 0;
			p->retired = false;
		}
		p->pins++;
	}
	h->cb.func = unpin;
	h->cb.arg = h;
	MemoryContextRegisterResetCallback(holder, &h->cb);
}

static void
drop_unused(GraphImage *img)
{
	if (img != NULL && img != cur_image && img != cached_image)
		free_or_retire(img->cxt);
}

/* the image of this database as the file is now, mapped; NULL if none */
static GraphImage *
current_image(void)
{
	GraphImage *img,
			   *old = cur_image;

	if (cur_image != NULL && cr_graph_image_is_current(cur_image))
		return cur_image;
	img = cr_graph_image_map(CurrentMemoryContext);
	if (img == NULL)
		return NULL;
	keep_image(img);
	cur_image = img;
	drop_unused(old);
	return img;
}

/* the image holds a graph of these tables (its rows may be others) */
static bool
same_tables(const GraphToken *a, const GraphToken *b)
{
	if (a->dboid != b->dboid)
		return false;
	for (int k = 0; k < GRAPH_RELS; k++)
		if (a->relid[k] != b->relid[k] || a->relfilenode[k] != b->relfilenode[k])
			return false;
	return true;
}

/*
 * A new Graph in cxt, as snap sees the tables rels (and the log of their
 * changes, log, if it exists): the image of the graph tok describes, or an
 * older image with what changed since laid over it (graph_delta.c), or the
 * tables, and then, if shared, a new image (mapped: the arrays read go
 * again).  Unless shared is false (the graph this transaction sees is its
 * own), which is never written to the image.  *on: the image the graph lies
 * on, or NULL.
 */
static Graph *
load_graph(Relation *rels, Relation log, Snapshot snap, const GraphToken *tok, bool shared,
		   MemoryContext cxt, GraphImage **on)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Graph	   *g = palloc0(sizeof(Graph));
	Oid			geometry_type;
	instr_time	started,
				read;
	const char *source = NULL;

	INSTR_TIME_SET_CURRENT(started);
	*on = NULL;
	geometry_type = TupleDescAttr(RelationGetDescr(rels[0]),
								  column(RelationGetRelid(rels[0]), "area") - 1)->atttypid;
	for (int attempt = 0; attempt < 3 && source == NULL; attempt++)
	{
		GraphImage *img = current_image();

		/*
		 * a delta of more keys is folded into a new image; 4 times more: the
		 * tables
		 */
		int64		fold_at = img ? Max(1000, Min(50000, img->g.m / 100)) : 0;

		if (img == NULL || !same_tables(&img->tok, tok))
			break;
		if (shared && cr_graph_token_equal(&img->tok, tok))
		{
			*g = img->g;
			source = "the shared image";
			*on = img;
			break;
		}

		/*
		 * rows changed without the triggers (the tables grew): not counted,
		 * not logged
		 */
		if (img->tok.changes == tok->changes)
			break;
		if (log == NULL || !cr_graph_delta(g, img, rels, log, snap, 4 * fold_at, cxt))
			break;
		/* a newer image renamed in meanwhile may be the only one with all */
		if (!cr_graph_image_is_current(img))
		{
			memset(g, 0, sizeof(Graph));
			continue;
		}
		source = psprintf("the shared image and " INT64_FORMAT " changed keys (" INT64_FORMAT " edges laid over)",
						  g->delta->keys, g->delta->m_over);
		*on = img;

		/*
		 * A delta that has grown costs every new snapshot its keys and the
		 * out-edges it reads: folded into a new image, from the image and the
		 * delta (no table is read).
		 */
		if (shared && (g->delta->keys > fold_at || g->delta->m_over > Max(10000, img->g.m / 500)))
		{
			MemoryContext build = AllocSetContextCreate(cxt, "ceptoar graph fold",
														ALLOCSET_DEFAULT_SIZES);
			int64		keys = g->delta->keys;
			Graph	   *f = cr_graph_fold(g, build);
			GraphImage *folded = cr_graph_image_write(tok, log, snap, f, CurrentMemoryContext);

			if (folded)
			{
				GraphImage *prev = cur_image;

				keep_image(folded);
				cur_image = folded;
				*g = folded->g; /* nothing of img's any more */
				*on = folded;
				drop_unused(prev);
				source = psprintf("the shared image and " INT64_FORMAT " changed keys, folded into a new image",
								  keys);
			}
			MemoryContextDelete(build);
		}
	}
	if (source == NULL)
	{
		MemoryContext build = AllocSetContextCreate(cxt, "ceptoar graph read",
													ALLOCSET_DEFAULT_SIZES);
		GraphImage *img = NULL;

		memset(g, 0, sizeof(Graph));
		MemoryContextSwitchTo(build);
		read_instances(g, rels[0], snap, build);
		read_dependencies(g, rels[1], snap, build);
		MemoryContextSwitchTo(cxt);
		if (shared)
			img = cr_graph_image_write(tok, log, snap, g, CurrentMemoryContext);
		if (img)
		{
			GraphImage *prev = cur_image;

			keep_image(img);
			cur_image = img;
			drop_unused(prev);
			*g = img->g;
			*on = img;
			MemoryContextDelete(build); /* g is the image's mapping now */
		}
		source = shared ? "the tables" : "the tables, for this statement only";
	}
	g->geometry_type = geometry_type;
	INSTR_TIME_SET_CURRENT(read);
	INSTR_TIME_SUBTRACT(read, started);
	elog(DEBUG1, "ceptoar impact: graph of %d instances and " INT64_FORMAT " dependencies read from %s in %.1f ms",
		 g->n, g->m, source, INSTR_TIME_GET_MILLISEC(read));
	MemoryContextSwitchTo(old);
	return g;
}

/*
 * The last graph of this transaction's own (it changed the graph, so the
 * graph is read from the tables and never cached): a query that calls
 * impact() again and again with one snapshot (LATERAL, a subquery per row)
 * reads it once, not once a call.  Only within the query whose memory holds
 * it (a graph of another query could be freed under a scan of this one);
 * forgotten when that memory goes.
 */
typedef struct OwnGraph
{
	MemoryContext cxt;			/* NULL: none */
	MemoryContext query_cxt;	/* the query memory it is in */
	Oid			fn;
	CrSnapshotKey key;
	Graph	   *g;
} OwnGraph;

static OwnGraph own;

static void
forget_own(void *arg)
{
	if (own.cxt == (MemoryContext) arg)
		own.cxt = NULL;
}

/*
 * The graph as the statement's snapshot snap sees it, for impact() (the
 * function fn: the tables are in its schema): the cached one if it was built
 * from what snap sees, else a new one (cached, unless this transaction sees
 * its own changes of the graph: then in query_cxt, for this statement only).
 */
Graph *
cr_graph_get(Oid fn, Snapshot snap, MemoryContext query_cxt)
{
	Relation	rels[GRAPH_RELS];
	Relation	log = NULL;
	Oid			log_relid;
	GraphToken	tok;
	Graph	   *g;
	GraphImage *on;

	/*
	 * The same snapshot as the last check: the same rows, the same graph (and
	 * the same tables: the last check's locks are held until the end of the
	 * transaction, which the snapshot key includes).
	 */
	if (cr_cache_still_right(&graph_cache, fn, snap, "impact"))
		return graph;

	/*
	 * the token is read once the tables are locked: no TRUNCATE can come
	 * between
	 */
	for (int k = 0; k < GRAPH_RELS; k++)
		rels[k] = table_open(graph_cache.relids[k], AccessShareLock);
	log_relid = get_relname_relid("graph_change", RelationGetNamespace(rels[0]));
	if (OidIsValid(log_relid))
		log = table_open(log_relid, AccessShareLock);
	if (!cr_graph_token(rels, snap, &tok))
	{
		/* this transaction's own graph: for this query only */
		if (own.cxt != NULL && own.query_cxt == query_cxt && own.fn == fn &&
			cr_snapshot_key_same(&own.key, snap))
			g = own.g;
		else
		{
			MemoryContext cxt = AllocSetContextCreate(query_cxt, "ceptoar graph of this transaction",
													  ALLOCSET_DEFAULT_SIZES);
			MemoryContextCallback *cb;

			g = load_graph(rels, log, snap, &tok, false, cxt, &on);
			cb = MemoryContextAlloc(cxt, sizeof(MemoryContextCallback));
			cb->func = forget_own;
			cb->arg = cxt;
			MemoryContextRegisterResetCallback(cxt, cb);
			own.cxt = cxt;
			own.query_cxt = query_cxt;
			own.fn = fn;
			own.g = g;
			memset(&own.key, 0, sizeof(own.key));
			(void) cr_snapshot_key_same(&own.key, snap);
		}
	}
	else
	{
		if (graph_cache.cxt == NULL || !cr_graph_token_equal(&tok, &graph_tok))
		{
			MemoryContext cxt = cr_cache_build_context("ceptoar graph");
			Graph	   *built;
			GraphImage *prev = cached_image;

			built = load_graph(rels, log, snap, &tok, true, cxt, &on);
			if (graph_cache.cxt != NULL && find_pin(graph_cache.cxt) != NULL)
			{
				/* a scan still reads the graph being replaced */
				free_or_retire(graph_cache.cxt);
				graph_cache.cxt = NULL;
			}
			cr_cache_swap(&graph_cache, cxt);
			graph = built;
			graph_tok = tok;
			cached_image = on;
			drop_unused(prev);
		}
		g = graph;
		cr_cache_right_for_snapshot(&graph_cache);
	}

	/*
	 * The locks are kept until the end of the transaction, as a plain query
	 * keeps them: no TRUNCATE or DROP may change the tables under a snapshot
	 * that has answered from them.
	 */
	if (log)
		table_close(log, NoLock);
	for (int k = GRAPH_RELS - 1; k >= 0; k--)
		table_close(rels[k], NoLock);
	return g;
}
