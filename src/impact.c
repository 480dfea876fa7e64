/*
 * impact.c
 *		How an IT failure spreads between service instances: the C engine of
 *		ceptoar.impact().  The semantics are defined in docs/impact-semantics.md
 *		and checked against a plain-SQL reference on randomized graphs.
 *
 * The dependency graph (ids, services, populations, which instances have an
 * area or a site, and the dependencies in compressed sparse rows by supplier)
 * is read with plain heap scans and kept per backend in CacheMemoryContext.
 * Geometry is not cached: each call fetches the areas it needs with SPI,
 * round by round, filtered by the bounding box of what is failing, so a
 * failure far from most areas never reads them.
 *
 * One snapshot rule: the graph and the geometry are both read with the
 * statement's snapshot, so impact() answers as a plain query of the same
 * statement would (a cursor as of its DECLARE, REPEATABLE READ as of the
 * transaction, READ COMMITTED as of each statement).  The cached graph is
 * used for a statement when the token read with its snapshot (graph_image.c:
 * the change counter and the tables' files) is the one it was built from;
 * the token is checked once per snapshot.  A transaction that sees its own
 * uncommitted changes of the graph gets a graph of its own for the
 * statement, neither cached nor shared.
 */
#include "postgres.h"

#include <math.h>

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "ceptoar_registry.h"
#include "gis.h"
#include "graph.h"
#include "radix_heap.h"

static Graph *graph = NULL;		/* the cached graph, built from graph_tok */
static MemoryContext graph_cxt = NULL;
static GraphToken graph_tok;
static CrSnapshotKey graph_key;	/* the snapshot graph was last found valid for */
static Oid	instance_relid = InvalidOid;
static Oid	dependency_relid = InvalidOid;
static Oid	version_relid = InvalidOid;

static int
cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* index of an instance id, or -1 */
static inline int
graph_index(const Graph *g, int64 id)
{
	int			lo = 0,
				hi = g->n - 1;

	if (g->dense)
	{
		/* unsigned: ids may span all of bigint; one below the base wraps high */
		uint64		k = (uint64) id - (uint64) g->dense_base;

		return (k < (uint64) g->dense_len) ? g->dense[k] : -1;
	}
	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (g->ids[mid] == id)
			return mid;
		if (g->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
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

typedef struct Lead
{
	int			n;				/* columns 1..n; 0: always heap_deform_tuple() */
	int32		off[LEAD_MAX];	/* a varlena's: before its alignment */
} Lead;

static void
lead_init(Lead *l, TupleDesc desc, int n)
{
	int32		off = 0;

	l->n = 0;
	if (n > LEAD_MAX || n > desc->natts)
		return;
	for (int i = 0; i < n; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attisdropped || (a->attlen < 0 && (a->attlen != -1 || i != n - 1)))
			return;
		if (a->attlen == -1)
			l->off[i] = off;	/* a short varlena is not aligned: done per row */
		else
		{
			off = att_align_nominal(off, a->attalign);
			l->off[i] = off;
			off += a->attlen;
		}
	}
	l->n = n;
}

/* columns 1..l->n of tup into v and isnull (sized for the whole descriptor) */
static inline void
lead_deform(const Lead *l, TupleDesc desc, HeapTuple tup, Datum *v, bool *isnull)
{
	HeapTupleHeader h = tup->t_data;
	char	   *tp = (char *) h + h->t_hoff;

	if (l->n == 0 || HeapTupleHeaderGetNatts(h) < l->n)
	{
		heap_deform_tuple(tup, desc, v, isnull);
		return;
	}
	for (int i = 0; i < l->n; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);
		int32		off = l->off[i];

		if (HeapTupleHasNulls(tup) && att_isnull(i, h->t_bits))
		{
			if (i < l->n - 1)
			{
				/* the columns after it start earlier */
				heap_deform_tuple(tup, desc, v, isnull);
				return;
			}
			v[i] = (Datum) 0;
			isnull[i] = true;
			continue;
		}
		if (a->attlen == -1)
			off = att_align_pointer(off, a->attalign, -1, tp + off);
		v[i] = fetchatt(a, tp + off);
		isnull[i] = false;
	}
}

/*
 * An interval in microseconds, months as 30 days (as interval comparison
 * counts them), exact in 128 bits: days and time of opposite signs may meet
 * within the int64 range though either alone overflows it.
 */
static inline int128
interval_span(const Interval *iv)
{
	return (int128) iv->month * DAYS_PER_MONTH * USECS_PER_DAY +
		(int128) iv->day * USECS_PER_DAY + iv->time;
}

/*
 * A dependency's buffer in microseconds.  The table refuses buffers beyond
 * the int64 range (and months); should one get past (the check dropped), it
 * counts as longer than any outage, which is what such a buffer means, and
 * never wraps around to a short or negative one.
 */
static int64
buffer_usec(const Interval *iv)
{
	int128		r = interval_span(iv);

	if (r < 0)
		return 0;
	if (r > PG_INT64_MAX)
		return PG_INT64_MAX;
	return (int64) r;
}

/*
 * The per-instance arrays of g (g->n set) in one block of cxt: a few huge
 * pages rather than a thousand small ones.  stamp is zeroed and whole_area
 * marked unmeasured; the rest is for the caller to fill.
 */
void
graph_alloc_instances(Graph *g, MemoryContext cxt)
{
	Size		n = Max(g->n, 1);
	Size		per = sizeof(int64) * 3 + sizeof(AreaMemo) + sizeof(Service) +
		sizeof(uint32) + 1;
	char	   *block = cr_alloc_big(cxt, per * n + sizeof(int64), false);

	g->ids = (int64 *) block;
	g->population = (int64 *) (block += sizeof(int64) * n);
	g->out_start = (int64 *) (block += sizeof(int64) * n);	/* n + 1 */
	g->whole_area = (AreaMemo *) (block += sizeof(int64) * (n + 1));
	g->service = (Service *) (block += sizeof(AreaMemo) * n);
	g->stamp = (uint32 *) (block += sizeof(Service) * n);
	g->has = (uint8 *) (block + sizeof(uint32) * n);
	memset(g->stamp, 0, sizeof(uint32) * n);
	for (Size i = 0; i < n; i++)
		g->whole_area[i].area = -1;
}

/* index the ids directly when they are dense (identity columns are) */
static void
graph_index_dense(Graph *g, MemoryContext cxt)
{
	int			n = g->n;

	/* the span in unsigned arithmetic: ids from -2^63 to 2^63-1 span 2^64 - 1 */
	if (n > 0 && (uint64) g->ids[n - 1] - (uint64) g->ids[0] < (uint64) n * 4 + 1024)
	{
		g->dense_base = g->ids[0];
		g->dense_len = (int64) ((uint64) g->ids[n - 1] - (uint64) g->ids[0]) + 1;
		g->dense = cr_alloc_big(cxt, sizeof(int32) * g->dense_len, false);
		memset(g->dense, 0xFF, sizeof(int32) * g->dense_len);
		for (int i = 0; i < n; i++)
			g->dense[(uint64) g->ids[i] - (uint64) g->dense_base] = i;
	}
}

/* Read both tables (rels[0], rels[1]) into g, in cxt, as snap sees them. */
static void
read_tables(Graph *g, Relation *rels, Snapshot snap, MemoryContext cxt)
{
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;
	InstRow    *rows;
	int64		cap = 1024,
				n = 0;
	AttrNumber	a_id,
				a_service,
				a_pop,
				a_area,
				a_site,
				a_dep,
				a_sup,
				a_buf,
				a_mode;
	RawEdge    *raw;
	bool		sorted = true;	/* rows came in id order (as usual): no sort */
	int64		ecap = 1024,
				m = 0;

	/* instances */
	rel = rels[0];
	a_id = column(instance_relid, "id");
	a_service = column(instance_relid, "service");
	a_pop = column(instance_relid, "population");
	a_area = column(instance_relid, "area");
	a_site = column(instance_relid, "site");
	if (rel->rd_rel->reltuples > cap)
		cap = (int64) rel->rd_rel->reltuples + 1024;
	rows = cr_alloc_big(cxt, sizeof(InstRow) * cap, false);
	scan = table_beginscan(rel, snap, 0, NULL);
	{
		TupleDesc	desc = RelationGetDescr(rel);
		Datum	   *v = palloc(sizeof(Datum) * desc->natts);
		bool	   *isnull = palloc(sizeof(bool) * desc->natts);
		Lead		lead;

		lead_init(&lead, desc, Max(a_id, Max(a_service, a_pop)));
		while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
		{
			if ((n & 0xFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (n == cap)
			{
				rows = cr_realloc_big(cxt, rows, sizeof(InstRow) * cap, sizeof(InstRow) * cap * 2);
				cap *= 2;
			}
			lead_deform(&lead, desc, tup, v, isnull);
			rows[n].id = DatumGetInt64(v[a_id - 1]);
			rows[n].service = DatumGetService(v[a_service - 1]);
			rows[n].population = isnull[a_pop - 1] ? -1 : DatumGetInt64(v[a_pop - 1]);
			rows[n].has = (heap_attisnull(tup, a_area, desc) ? 0 : HAS_AREA) |
				(heap_attisnull(tup, a_site, desc) ? 0 : HAS_SITE);
			if (rows[n].has)
				g->any_geometry = true;
			if (n > 0 && rows[n].id < rows[n - 1].id)
				sorted = false;
			n++;
		}
	}
	table_endscan(scan);

	if (n > PG_INT32_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many service instances for the impact engine")));
	if (!sorted)
		qsort(rows, n, sizeof(InstRow), cmp_instrow);
	g->n = n;
	graph_alloc_instances(g, cxt);
	memset(g->out_start, 0, sizeof(int64) * (n + 1));
	for (int i = 0; i < n; i++)
	{
		g->ids[i] = rows[i].id;
		g->service[i] = rows[i].service;
		g->population[i] = rows[i].population;
		g->has[i] = rows[i].has;
	}
	cr_free_big(rows, sizeof(InstRow) * cap);
	graph_index_dense(g, cxt);

	/* dependencies, in the order read; then in rows by supplier */
	rel = rels[1];
	a_dep = column(dependency_relid, "dependent");
	a_sup = column(dependency_relid, "supplier");
	a_buf = column(dependency_relid, "buffer");
	a_mode = column(dependency_relid, "mode");
	/* start at the planner's estimate: regrowing 16 MB costs as much as filling it */
	if (rel->rd_rel->reltuples > ecap)
		ecap = (int64) rel->rd_rel->reltuples + 1024;
	raw = cr_alloc_big(cxt, sizeof(RawEdge) * ecap, false);
	scan = table_beginscan(rel, snap, 0, NULL);
	{
		TupleDesc	desc = RelationGetDescr(rel);
		Datum	   *v = palloc(sizeof(Datum) * desc->natts);
		bool	   *isnull = palloc(sizeof(bool) * desc->natts);
		Lead		lead;

		lead_init(&lead, desc, Max(Max(a_dep, a_sup), Max(a_buf, a_mode)));
		while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
		{
			Interval   *iv;
			text	   *mode;
			int			dep,
						sup;

			if ((m & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (m == ecap)
			{
				raw = cr_realloc_big(cxt, raw, sizeof(RawEdge) * ecap, sizeof(RawEdge) * ecap * 2);
				ecap *= 2;
			}
			lead_deform(&lead, desc, tup, v, isnull);
			dep = graph_index(g, DatumGetInt64(v[a_dep - 1]));
			sup = graph_index(g, DatumGetInt64(v[a_sup - 1]));
			if (dep < 0 || sup < 0)
				continue;		/* not visible together in this snapshot: skip */
			iv = DatumGetIntervalP(v[a_buf - 1]);
			mode = DatumGetTextPP(v[a_mode - 1]);
			raw[m].buffer = buffer_usec(iv);
			raw[m].dep = dep;
			raw[m].sup = sup;
			raw[m].mode = (VARSIZE_ANY_EXHDR(mode) == 4 && memcmp(VARDATA_ANY(mode), "site", 4) == 0)
				? MODE_SITE : 0;
			m++;
		}
	}
	table_endscan(scan);

	g->m = m;
	g->out = build_csr(raw, m, n, g->out_start);
}

/*
 * A new Graph in cxt, as snap sees the tables rels: the image another backend
 * left of the graph tok describes, or the tables (and then a new image),
 * unless shared is false (the graph this transaction sees is its own).
 */
static Graph *
load_graph(Relation *rels, Snapshot snap, const GraphToken *tok, bool shared,
		   MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Graph	   *g = palloc0(sizeof(Graph));
	instr_time	started,
				read;

	INSTR_TIME_SET_CURRENT(started);
	g->geometry_type = TupleDescAttr(RelationGetDescr(rels[0]),
									 column(instance_relid, "area") - 1)->atttypid;
	if (shared && graph_image_read(tok, g, cxt))
	{
		g->from_image = true;
		graph_index_dense(g, cxt);
	}
	else
	{
		read_tables(g, rels, snap, cxt);
		if (shared)
			graph_image_write(tok, g);
	}
	INSTR_TIME_SET_CURRENT(read);
	INSTR_TIME_SUBTRACT(read, started);
	elog(DEBUG1, "ceptoar impact: graph of %d instances and " INT64_FORMAT " dependencies read from %s in %.1f ms",
		 g->n, g->m, g->from_image ? "the shared image" : shared ? "the tables" : "the tables, for this statement only",
		 INSTR_TIME_GET_MILLISEC(read));
	MemoryContextSwitchTo(old);
	return g;
}

static void
check_table(Oid relid, const char *name)
{
	if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for table %s", name),
				 errhint("impact() reads ceptoar.service_instance and ceptoar.dependency; ask for SELECT on both.")));
	if (check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("impact() does not support row-level security on %s", name),
				 errdetail("The dependency graph is shared; keep it out of row-level security.")));
}

/*
 * The graph as the statement's snapshot snap sees it: the cached one if it
 * was built from what snap sees, else a new one (cached, unless this
 * transaction sees its own changes of the graph: then in query_cxt).
 */
static Graph *
get_graph(Oid nsp, Snapshot snap, MemoryContext query_cxt)
{
	CrSnapshotKey key = graph_key;
	Relation	rels[GRAPH_RELS];
	GraphToken	tok;
	bool		shared;
	Graph	   *g;

	/*
	 * The same snapshot as the last check: the same rows, the same graph (and
	 * the same tables: the last check's locks are held until the end of the
	 * transaction, which the key includes).
	 */
	if (cr_snapshot_key_same(&key, snap) && graph != NULL)
	{
		check_table(instance_relid, "ceptoar.service_instance");
		check_table(dependency_relid, "ceptoar.dependency");
		return graph;
	}
	graph_key.valid = false;	/* until a graph is found valid for snap */

	/* looked up for every new snapshot: the extension may have been re-created */
	instance_relid = get_relname_relid("service_instance", nsp);
	dependency_relid = get_relname_relid("dependency", nsp);
	version_relid = get_relname_relid("graph_version", nsp);
	if (!OidIsValid(instance_relid) || !OidIsValid(dependency_relid) ||
		!OidIsValid(version_relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("the tables of the impact engine are missing from schema %s",
						get_namespace_name(nsp)),
				 errhint("ALTER EXTENSION ceptoar_registry UPDATE, or re-create the extension.")));
	check_table(instance_relid, "ceptoar.service_instance");
	check_table(dependency_relid, "ceptoar.dependency");

	/* the token is read once the tables are locked: no TRUNCATE can come between */
	rels[0] = table_open(instance_relid, AccessShareLock);
	rels[1] = table_open(dependency_relid, AccessShareLock);
	rels[2] = table_open(version_relid, AccessShareLock);
	shared = graph_token(rels, snap, &tok);

	if (shared && graph != NULL && graph_token_equal(&tok, &graph_tok))
		g = graph;
	else if (!shared)
	{
		/* this transaction's own graph: for this statement only */
		g = load_graph(rels, snap, &tok, false,
					   AllocSetContextCreate(query_cxt, "ceptoar graph of this transaction",
											 ALLOCSET_DEFAULT_SIZES));
	}
	else
	{
		MemoryContext cxt = AllocSetContextCreate(CacheMemoryContext, "ceptoar graph",
												  ALLOCSET_DEFAULT_SIZES);

		cr_malloc_keep_blocks();
		PG_TRY();
		{
			g = load_graph(rels, snap, &tok, true, cxt);
		}
		PG_CATCH();
		{
			MemoryContextDelete(cxt);
			PG_RE_THROW();
		}
		PG_END_TRY();
		if (graph_cxt)
			MemoryContextDelete(graph_cxt);
		graph_cxt = cxt;
		graph = g;
		graph_tok = tok;
	}
	/*
	 * The locks are kept until the end of the transaction, as a plain query
	 * keeps them: no TRUNCATE or DROP may change the tables under a snapshot
	 * that has answered from them.
	 */
	for (int k = GRAPH_RELS - 1; k >= 0; k--)
		table_close(rels[k], NoLock);
	if (g == graph)
		graph_key = key;
	return g;
}

/* ---------- one computation ---------- */

#define ST_AFFECTED		0x01
#define ST_EVERYWHERE	0x02	/* affected area is NULL: not located, never clipped */
#define ST_FETCHED		0x04	/* own area and site are loaded */
#define ST_QUEUED		0x08
#define ST_ORIGIN		0x10
#define ST_SETTLED		0x20
#define ST_WANTED		0x40

typedef struct NodeState
{
	uint8		flags;
	int32		depth;
	int32		via;			/* index, -1 none */
	int64		t;
	int64		e;
	Datum		area;			/* affected area, unless ST_EVERYWHERE */
	double		planar;			/* planar area of "area" */
	Datum		own_area;		/* (Datum) 0 if NULL */
	Datum		own_site;
} NodeState;

typedef struct Run
{
	Graph	   *g;
	NodeState	   *node;
	uint8	   *edge_pass;
	CrGis		gis;
	bool		gis_ready;
	Oid			nsp;
	MemoryContext cxt;
	int64		limit;			/* began + horizon */
	Datum		footprint;
	bool		has_footprint;
} Run;

static inline NodeState *
node_of(Run *r, int i)
{
	NodeState	   *nd = &r->node[i];

	if (r->g->stamp[i] != r->g->call)
	{
		r->g->stamp[i] = r->g->call;
		memset(nd, 0, sizeof(NodeState));
		nd->via = -1;
		nd->depth = PG_INT32_MAX;
	}
	return nd;
}

static inline bool
touched(Run *r, int i)
{
	return r->g->stamp[i] == r->g->call;
}

/*
 * Fetch the area and site of the instances in "want" (indexes), keeping only
 * those whose boxes overlap "bbox" (a geometry[] of what is failing), unless
 * bbox is 0.  Instances left out stay unfetched: their boxes miss what is
 * failing now, so nothing passes to them this round.
 */
static void
fetch_geometry(Run *r, int *want, int nwant, Datum bbox)
{
	Datum	   *ids;
	Oid			argtypes[2];
	Datum		args[2];
	StringInfoData q;
	const char *nsp;
	const char *gis;
	int			ret;

	if (nwant == 0)
		return;
	Assert(r->gis_ready);		/* instances with geometry exist */
	nsp = quote_identifier(get_namespace_name(r->nsp));
	gis = quote_identifier(r->gis.schema);
	initStringInfo(&q);
	if (bbox != (Datum) 0 && nwant > 256)
	{
		/*
		 * Many instances: let the GiST indexes pick those whose boxes meet
		 * the failing areas and skip the others here (planning a list of
		 * thousands of ids costs more than the fetch).
		 */
		argtypes[0] = get_array_type(r->g->geometry_type);
		args[0] = bbox;
		appendStringInfo(&q, "SELECT id, area, site FROM %s.service_instance "
						 "WHERE area OPERATOR(%s.&&) %s.st_collect($1) OR site OPERATOR(%s.&&) %s.st_collect($1)",
						 nsp, gis, gis, gis, gis);
		ret = SPI_execute_with_args(q.data, 1, argtypes, args, NULL, true, 0);
	}
	else
	{
		ids = palloc(sizeof(Datum) * nwant);
		for (int k = 0; k < nwant; k++)
			ids[k] = Int64GetDatum(r->g->ids[want[k]]);
		argtypes[0] = INT8ARRAYOID;
		args[0] = PointerGetDatum(construct_array(ids, nwant, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		appendStringInfo(&q, "SELECT id, area, site FROM %s.service_instance WHERE id OPERATOR(pg_catalog.=) ANY ($1)",
						 nsp);
		if (bbox != (Datum) 0)
		{
			argtypes[1] = get_array_type(r->g->geometry_type);
			args[1] = bbox;
			appendStringInfo(&q, " AND (area OPERATOR(%s.&&) %s.st_collect($2) OR site OPERATOR(%s.&&) %s.st_collect($2))",
							 gis, gis, gis, gis);
		}
		ret = SPI_execute_with_args(q.data, bbox ? 2 : 1, argtypes, args, NULL, true, 0);
		pfree(ids);
	}
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "fetching service areas failed: %d", ret);
	for (uint64 k = 0; k < SPI_processed; k++)
	{
		HeapTuple	tup = SPI_tuptable->vals[k];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		int			i = graph_index(r->g, DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull)));
		NodeState	   *nd;
		Datum		d;
		MemoryContext old;

		if (i < 0 || !touched(r, i) || !(r->node[i].flags & ST_WANTED))
			continue;			/* not asked for (the query by boxes finds others too) */
		nd = &r->node[i];
		old = MemoryContextSwitchTo(r->cxt);
		d = SPI_getbinval(tup, desc, 2, &isnull);
		nd->own_area = isnull ? (Datum) 0 : PointerGetDatum(PG_DETOAST_DATUM_COPY(d));
		d = SPI_getbinval(tup, desc, 3, &isnull);
		nd->own_site = isnull ? (Datum) 0 : PointerGetDatum(PG_DETOAST_DATUM_COPY(d));
		MemoryContextSwitchTo(old);
		nd->flags |= ST_FETCHED;
	}
	SPI_freetuptable(SPI_tuptable);
}

/* the planar area, 0 for an empty geometry */
static inline double
planar(Run *r, Datum g)
{
	return cr_gis_area(&r->gis, g);
}

/*
 * What s passes to d along a dependency of this mode: false if nothing, else
 * *p with its planar area *pa (or *everywhere when it is not located).
 */
static bool
passed_area(Run *r, NodeState *s, int d, uint8 mode, Datum *p, double *pa,
			bool *everywhere)
{
	NodeState	   *nd = &r->node[d];
	bool		d_area = (r->g->has[d] & HAS_AREA) != 0;
	bool		d_site = (r->g->has[d] & HAS_SITE) != 0;

	*everywhere = false;
	if (mode == MODE_SITE)
	{
		if (!d_site)
			return false;
		if (!(s->flags & ST_EVERYWHERE))
		{
			if (!(nd->flags & ST_FETCHED))
				return false;	/* its boxes were disjoint from this round's */
			if (!cr_gis_bbox_overlaps(&r->gis, nd->own_site, s->area) ||
				!cr_gis_intersects(&r->gis, nd->own_site, s->area))
				return false;
		}
		if (!d_area)
		{
			*everywhere = true;
			return true;
		}
		if (!(nd->flags & ST_FETCHED))
			return false;		/* not wanted this round: see below */
		*p = nd->own_area;
		*pa = planar(r, *p);
		return *pa > 0;
	}

	if (s->flags & ST_EVERYWHERE)
	{
		if (!d_area)
		{
			*everywhere = true;
			return true;
		}

		/*
		 * d was not wanted when this round's areas were fetched: s then had
		 * an outage too short for this dependency, or was not everywhere.
		 * s has changed in this round, so it is queued again, and the next
		 * round fetches d's area and passes on.
		 */
		if (!(nd->flags & ST_FETCHED))
			return false;
		*p = nd->own_area;
		*pa = planar(r, *p);
		return *pa > 0;
	}
	if (!d_area)
	{
		*p = s->area;
		*pa = s->planar;
		return *pa > 0;
	}
	if (!(nd->flags & ST_FETCHED))
		return false;			/* disjoint boxes */
	if (!cr_gis_bbox_overlaps(&r->gis, nd->own_area, s->area) ||
		!cr_gis_intersects(&r->gis, nd->own_area, s->area))
		return false;			/* cheaper than clipping to nothing */
	*p = cr_gis_clip(&r->gis, nd->own_area, s->area);
	*pa = planar(r, *p);
	return *pa > 0;
}

/* merge [onset, end) over p into d; true if d changed in a way that matters */
static bool
merge(Run *r, int d, int64 onset, int64 end, Datum p, double pa, bool everywhere)
{
	NodeState	   *nd = &r->node[d];
	bool		changed = false;

	if (!(nd->flags & ST_AFFECTED))
	{
		nd->flags |= ST_AFFECTED;
		nd->t = onset;
		nd->e = end;
		if (everywhere)
			nd->flags |= ST_EVERYWHERE;
		else
		{
			nd->area = p;
			nd->planar = pa;
		}
		return true;
	}
	if (onset < nd->t)
	{
		nd->t = onset;
		changed = true;
	}
	if (end > nd->e)
	{
		nd->e = end;
		changed = true;
	}
	if (nd->flags & ST_EVERYWHERE)
		return changed;
	if (everywhere)
	{
		nd->flags |= ST_EVERYWHERE;
		return true;
	}
	{
		Datum		u = cr_gis_union(&r->gis, nd->area, p);
		double		a = planar(r, u);

		/* an area that did not grow keeps its vertices (docs: rule 3) */
		if (a > nd->planar * (1 + 1e-9))
		{
			nd->area = u;
			nd->planar = a;
			changed = true;
		}
	}
	return changed;
}

static int64
interval_usec(Interval *iv, const char *what)
{
	int128		r = interval_span(iv);

	if (iv->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be given in months or years", what),
				 errhint("Give it in days, hours and minutes.")));
	if (r > PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", what),
				 errhint("At most 106751991 days 04:00:54.775807.")));
	if (r < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", what)));
	return (int64) r;
}

static int
cmp_result(const void *a, const void *b, void *arg)
{
	Run		   *r = (Run *) arg;
	int			x = *(const int *) a,
				y = *(const int *) b;
	NodeState	   *nx = &r->node[x],
			   *ny = &r->node[y];

	if (nx->t != ny->t)
		return nx->t < ny->t ? -1 : 1;
	if (nx->depth != ny->depth)
		return nx->depth < ny->depth ? -1 : 1;
	return (r->g->ids[x] > r->g->ids[y]) - (r->g->ids[x] < r->g->ids[y]);
}

#if defined(__GNUC__) || defined(__clang__)
#define prefetch(p)		__builtin_prefetch(p)
#else
#define prefetch(p)		((void) 0)
#endif
/* how many edges ahead the one-pass search asks for a dependent's state */
#define PREFETCH_AHEAD	6

/*
 * The one-pass search's state of an instance: 16 bytes, one cache line.  No
 * "settled" flag: keys pop in ascending order and a node's keys only go
 * down, so a settled node is never lowered again, nor tied (a later
 * supplier has a greater key, so its dependents a greater depth), and a
 * stale copy in the heap is told by its key, which no longer matches.
 */
typedef struct FastNode
{
	int64		t;				/* onset, PG_INT64_MAX: not reached */
	int32		depth;
	int32		via;			/* index, -1: none */
} FastNode;

/*
 * The one-pass search's working memory, kept with the graph and reused: a
 * national search would otherwise fault in megabytes of fresh pages on every
 * call.  Each search starts by resetting all of it.
 */
typedef struct Scratch
{
	FastNode   *nd;
	int32	   *order;
	RadixHeap	q;
} Scratch;

static Scratch *
get_scratch(Graph *g)
{
	MemoryContext cxt = GetMemoryChunkContext(g);
	Scratch    *sc;
	Size		n = Max(g->n, 1);

	if (g->scratch)
	{
		radix_reset(&g->scratch->q);
		return g->scratch;
	}
	sc = MemoryContextAllocZero(cxt, sizeof(Scratch));
	/* one block: at the national size just under 2 MB, one huge page */
	sc->nd = cr_alloc_big(cxt, (sizeof(FastNode) + sizeof(int32)) * n, false);
	sc->order = (int32 *) (sc->nd + n);
	radix_init(&sc->q, cxt);
	g->scratch = sc;
	return sc;
}

/* a sort of int32 with the comparison inlined: ties are sorted by the thousand */
#define ST_SORT sort_int32
#define ST_ELEMENT_TYPE int32
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* order[from .. to) settled at one (onset, depth): put them in index (= id) order */
static inline void
sort_ties(int32 *order, int from, int to)
{
	if (to - from > 1)
		sort_int32(order + from, to - from);
}

/*
 * No geometry anywhere (no instance has an area or a site, and no footprint):
 * every outage ends at began + lasted, so "the outage outlasts the buffer" is
 * t_s + b < end, areas never block (but dependencies of mode site never pass:
 * there is no site), and the least fixpoint is a shortest-path tree by
 * (onset, edges).  One Dijkstra pass settles each instance once, with depth
 * and via, in the order of the rows (up to ties in (onset, depth), sorted by
 * id afterwards).  The search is memory-bound: its state is one 16-byte
 * record an instance, the dependents' records are prefetched a few edges
 * ahead and the next instance's edges one pop ahead, and the rows are formed
 * only after the search, so that the tuplestore's writes do not evict it.
 */
static void
run_times_only(Run *r, ReturnSetInfo *rsinfo, int *origins, int norigins,
			   TimestampTz began, int64 end)
{
	Graph	   *g = r->g;
	int			n = g->n;
	Scratch    *sc = get_scratch(g);
	FastNode   *nd = sc->nd;
	int32	   *order = sc->order;
	RadixHeap  *q = &sc->q;
	int			norder = 0,
				run = 0;		/* where the instances settled at (run_t, run_depth) begin */
	uint64		run_t = 0;
	uint32		run_depth = 0;
	instr_time	started,
				searched,
				formed;
	/* the latest onset that passes: before the end, within the horizon */
	int64		last = Min(end - 1, r->limit);

	for (int i = 0; i < n; i++)
	{
		nd[i].t = PG_INT64_MAX;
		nd[i].depth = 0;
		nd[i].via = -1;
	}
	INSTR_TIME_SET_CURRENT(started);
	for (int k = 0; k < norigins; k++)
	{
		if (nd[origins[k]].t == began)
			continue;			/* given twice: one origin, settled once */
		nd[origins[k]].t = began;
		radix_push(q, 0, 0, origins[k]);
	}

	while (q->size > 0)
	{
		RadixItem	it = radix_pop(q);
		int			s = it.i;
		FastNode   *ns = &nd[s];
		const RadixItem *next;
		int64		ts,
					lo,
					hi;
		int32		dnext;

		if (ns->depth != (int32) it.depth || (uint64) (ns->t - began) != it.t)
			continue;			/* a stale copy: lowered since */
		if (it.t != run_t || it.depth != run_depth)
		{
			/* settled in (onset, depth) order; ties go by id, done below */
			sort_ties(order, run, norder);
			run = norder;
			run_t = it.t;
			run_depth = it.depth;
		}
		order[norder++] = s;
		if ((norder & 0x3FF) == 0)
			CHECK_FOR_INTERRUPTS();
		/*
		 * Software pipelining over the next instances in bucket 0, which
		 * stay put while s is processed (every push has a greater depth):
		 * the dependents' states of the next one, the edges of the one after,
		 * the offsets of the third.
		 */
		if ((next = radix_peek(q, 0)) != NULL)
		{
			prefetch(&nd[next->i]);
			for (int64 x = g->out_start[next->i]; x < g->out_start[next->i + 1]; x++)
				prefetch(&nd[g->out[x].dep]);
			if ((next = radix_peek(q, 1)) != NULL)
			{
				prefetch(&g->out[g->out_start[next->i]]);
				if ((next = radix_peek(q, 2)) != NULL)
					prefetch(&g->out_start[next->i]);
			}
		}

		ts = ns->t;
		dnext = ns->depth + 1;
		lo = g->out_start[s];
		hi = g->out_start[s + 1];
		for (int64 x = lo; x < hi; x++)
		{
			const Edge *e = &g->out[x];
			int			d = e->dep;
			FastNode   *p = &nd[d];
			int64		onset;

			if (x + PREFETCH_AHEAD < hi)
				prefetch(&nd[g->out[x + PREFETCH_AHEAD].dep]);
			/* mode site needs a site, and no instance has one here */
			if (e->buffer > last - ts || e->mode == MODE_SITE)
				continue;
			onset = ts + e->buffer;
			if (onset < p->t || (onset == p->t && dnext < p->depth))
			{
				p->t = onset;
				p->depth = dnext;
				p->via = s;
				radix_push(q, (uint64) (onset - began), (uint32) dnext, d);
			}
			else if (onset == p->t && dnext == p->depth && s < p->via)
				p->via = s;		/* indexes are in id order */
		}
	}

	INSTR_TIME_SET_CURRENT(searched);
	sort_ties(order, run, norder);

	for (int k = 0; k < norder; k++)
	{
		int			s = order[k];
		Datum		v[9];
		bool		nulls[9] = {0};

		/* rows go in onset order, the arrays in id order: fetch ahead */
		if (k + 2 * PREFETCH_AHEAD < norder)
			prefetch(&nd[order[k + 2 * PREFETCH_AHEAD]]);
		if (k + PREFETCH_AHEAD < norder)
		{
			int			a = order[k + PREFETCH_AHEAD];

			prefetch(&g->ids[a]);
			prefetch(&g->service[a]);
			prefetch(&g->population[a]);
			if (nd[a].via >= 0)
				prefetch(&g->ids[nd[a].via]);
		}

		v[0] = Int64GetDatum(g->ids[s]);
		v[1] = ServiceGetDatum(g->service[s]);
		v[2] = SectorGetDatum(CR_SERVICE_SECTOR(g->service[s]));
		v[3] = Int32GetDatum(nd[s].depth);
		v[4] = TimestampTzGetDatum(nd[s].t);
		v[5] = TimestampTzGetDatum(end);
		nulls[6] = (nd[s].via < 0);
		v[6] = nulls[6] ? (Datum) 0 : Int64GetDatum(g->ids[nd[s].via]);
		nulls[7] = true;
		nulls[8] = (g->population[s] < 0);
		v[8] = nulls[8] ? (Datum) 0 : Int64GetDatum(g->population[s]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		if ((k & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	INSTR_TIME_SET_CURRENT(formed);
	INSTR_TIME_SUBTRACT(formed, searched);
	INSTR_TIME_SUBTRACT(searched, started);
	elog(DEBUG1, "ceptoar impact: %d instances reached in %.1f ms, rows formed in %.1f ms",
		 norder, INSTR_TIME_GET_MILLISEC(searched), INSTR_TIME_GET_MILLISEC(formed));
}

/* the index of origins[k], with the errors a caller can make */
static int
origin_index(const Graph *g, Datum *ids, bool *nulls, int k)
{
	int			i;

	if (nulls[k])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("origins must not contain NULL")));
	i = graph_index(g, DatumGetInt64(ids[k]));
	if (i < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown service instance " INT64_FORMAT, DatumGetInt64(ids[k])),
				 errhint("Origins are ids of ceptoar.service_instance.")));
	return i;
}

PG_FUNCTION_INFO_V1(impact_run);
/* impact(origins bigint[], began, lasted, footprint, horizon) */
Datum
impact_run(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Run			run = {0};
	Run		   *r = &run;
	Graph	   *g;
	ArrayType  *origins_arr;
	Datum	   *origin_ids;
	bool	   *origin_nulls;
	int			norigins;
	TimestampTz began;
	int64		lasted,
				horizon;
	int		   *queue,
			   *round,
			   *want,
				nqueue = 0;
	int		   *affected;
	int			naffected = 0;
	RadixHeap	heap;

	for (int k = 0; k < 3; k++)
		if (PG_ARGISNULL(k))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be NULL", k == 0 ? "origins" : k == 1 ? "began" : "lasted")));
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("horizon must not be NULL")));
	origins_arr = PG_GETARG_ARRAYTYPE_P(0);
	began = PG_GETARG_TIMESTAMPTZ(1);
	lasted = interval_usec(PG_GETARG_INTERVAL_P(2), "lasted");
	horizon = interval_usec(PG_GETARG_INTERVAL_P(4), "horizon");
	if (TIMESTAMP_NOT_FINITE(began))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("began must be finite")));
	{
		TimestampTz end;

		if (pg_add_s64_overflow(began, lasted, &end) || !IS_VALID_TIMESTAMP(end))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("the outage ends out of the range of timestamps"),
					 errdetail("began + lasted must be a valid timestamp."),
					 errhint("Timestamps end in 294276 AD; give a shorter outage.")));
	}
	deconstruct_array(origins_arr, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &origin_ids, &origin_nulls, &norigins);
	if (norigins == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("impact needs at least one origin")));

	r->nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	r->cxt = rsinfo->econtext->ecxt_per_query_memory;
	g = r->g = get_graph(r->nsp, GetActiveSnapshot(), r->cxt);
	if (pg_add_s64_overflow(began, horizon, &r->limit))
		r->limit = PG_INT64_MAX;

	InitMaterializedSRF(fcinfo, 0);
	r->has_footprint = !PG_ARGISNULL(3);
	if (!g->any_geometry && !r->has_footprint)
	{
		int		   *orig = palloc(sizeof(int) * norigins);

		for (int k = 0; k < norigins; k++)
			orig[k] = origin_index(g, origin_ids, origin_nulls, k);
		run_times_only(r, rsinfo, orig, norigins, began, began + lasted);
		return (Datum) 0;
	}

	if (++g->call == 0)
	{
		memset(g->stamp, 0, sizeof(uint32) * g->n);
		g->call = 1;
	}
	r->node = cr_alloc_big(CurrentMemoryContext, sizeof(NodeState) * g->n, false);
	r->edge_pass = cr_alloc_big(CurrentMemoryContext, g->m, true);
	queue = palloc(sizeof(int) * Max(g->n, 1));
	round = palloc(sizeof(int) * Max(g->n, 1));
	want = palloc(sizeof(int) * Max(g->n, 1));
	affected = palloc(sizeof(int) * Max(g->n, 1));

	if (r->has_footprint || g->any_geometry)
	{
		cr_gis_init(&r->gis, g->geometry_type, r->cxt);
		r->gis_ready = true;
	}
	if (r->has_footprint)
	{
		r->footprint = PointerGetDatum(PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(3)));
		if (cr_gis_srid(&r->gis, r->footprint) != 4326)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("footprint must have SRID 4326, not %d",
							cr_gis_srid(&r->gis, r->footprint)),
					 errhint("Use ST_Transform(footprint, 4326) or ST_SetSRID(footprint, 4326).")));
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/* 1. origins */
	{
		int			nwant = 0;

		for (int k = 0; k < norigins; k++)
		{
			int			i = origin_index(g, origin_ids, origin_nulls, k);
			NodeState	   *nd = node_of(r, i);

			if (nd->flags & ST_ORIGIN)
				continue;
			nd->flags |= ST_ORIGIN | ST_AFFECTED | ST_QUEUED;
			nd->t = began;
			nd->e = began + lasted;
			nd->depth = 0;
			queue[nqueue++] = i;
			if (g->has[i])
			{
				nd->flags |= ST_WANTED;
				want[nwant++] = i;
			}
		}
		fetch_geometry(r, want, nwant, (Datum) 0);
		for (int k = 0; k < nwant; k++)
		{
			r->node[want[k]].flags &= ~ST_WANTED;
			/* the graph and the areas come from one snapshot: never happens */
			if ((g->has[want[k]] & HAS_AREA) && !(r->node[want[k]].flags & ST_FETCHED))
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("the service area of instance " INT64_FORMAT " has changed while it was read",
								g->ids[want[k]]),
						 errhint("Run the query again.")));
		}
		for (int k = 0; k < nqueue; k++)
		{
			NodeState	   *nd = &r->node[queue[k]];

			if (!(g->has[queue[k]] & HAS_AREA))
			{
				if (r->has_footprint)
				{
					nd->area = r->footprint;
					nd->planar = planar(r, nd->area);
				}
				else
					nd->flags |= ST_EVERYWHERE;
			}
			else
			{
				nd->area = r->has_footprint ?
					cr_gis_clip(&r->gis, nd->own_area, r->footprint) : nd->own_area;
				nd->planar = planar(r, nd->area);
			}
		}
	}

	/* 2-3. pass the failure on, round by round, until nothing changes */
	while (nqueue > 0)
	{
		int			nround = nqueue;
		int			nwant = 0;
		bool		everywhere = false;
		Datum	   *boxes;
		int			nboxes = 0;

		memcpy(round, queue, sizeof(int) * nqueue);
		nqueue = 0;
		boxes = palloc(sizeof(Datum) * nround);

		/* what this round needs: areas and sites of the dependents it may reach */
		for (int k = 0; k < nround; k++)
		{
			int			s = round[k];
			NodeState	   *ns = &r->node[s];

			ns->flags &= ~ST_QUEUED;
			if (ns->flags & ST_EVERYWHERE)
				everywhere = true;
			else
				boxes[nboxes++] = ns->area;
			for (int64 x = g->out_start[s]; x < g->out_start[s + 1]; x++)
			{
				int			d = g->out[x].dep;
				NodeState	   *nd;

				if (!(ns->e - ns->t > g->out[x].buffer) || ns->t + g->out[x].buffer > r->limit)
					continue;
				if (!g->has[d])
					continue;
				nd = node_of(r, d);
				if (!(nd->flags & (ST_FETCHED | ST_WANTED)))
				{
					nd->flags |= ST_WANTED;
					want[nwant++] = d;
				}
			}
		}
		if (nwant > 0)
			fetch_geometry(r, want, nwant,
						   everywhere ? (Datum) 0 :
						   PointerGetDatum(construct_array(boxes, nboxes, g->geometry_type,
														   -1, false, TYPALIGN_DOUBLE)));
		for (int k = 0; k < nwant; k++)
			r->node[want[k]].flags &= ~ST_WANTED;
		pfree(boxes);

		for (int k = 0; k < nround; k++)
		{
			int			s = round[k];
			NodeState	   *ns = &r->node[s];

			for (int64 x = g->out_start[s]; x < g->out_start[s + 1]; x++)
			{
				int			d = g->out[x].dep;
				int64		b = g->out[x].buffer;
				Datum		p = (Datum) 0;
				double		pa = 0;
				bool		everywhere_p;

				if ((x & 0x3FF) == 0)
					CHECK_FOR_INTERRUPTS();
				r->edge_pass[x] = 0;
				if (!(ns->e - ns->t > b) || ns->t + b > r->limit)
					continue;
				node_of(r, d);
				if (!passed_area(r, ns, d, g->out[x].mode, &p, &pa, &everywhere_p))
					continue;
				r->edge_pass[x] = 1;
				if (merge(r, d, ns->t + b, ns->e, p, pa, everywhere_p) &&
					!(r->node[d].flags & ST_QUEUED))
				{
					r->node[d].flags |= ST_QUEUED;
					queue[nqueue++] = d;
				}
			}
		}
	}

	/* 4. depth and via: shortest paths by (onset, edges) over the passing dependencies */
	radix_init(&heap, CurrentMemoryContext);
	for (int k = 0; k < norigins; k++)
		radix_push(&heap, 0, 0, graph_index(g, DatumGetInt64(origin_ids[k])));
	while (heap.size > 0)
	{
		RadixItem	it = radix_pop(&heap);
		NodeState	   *ns = &r->node[it.i];

		if (ns->flags & ST_SETTLED)
			continue;
		ns->flags |= ST_SETTLED;
		affected[naffected++] = it.i;
		CHECK_FOR_INTERRUPTS();
		for (int64 x = g->out_start[it.i]; x < g->out_start[it.i + 1]; x++)
		{
			int			d = g->out[x].dep;
			NodeState	   *nd = &r->node[d];

			if (!r->edge_pass[x] || (nd->flags & (ST_ORIGIN | ST_SETTLED)) ||
				ns->t + g->out[x].buffer != nd->t)
				continue;
			if (ns->depth + 1 < nd->depth ||
				(ns->depth + 1 == nd->depth && g->ids[it.i] < g->ids[nd->via]))
			{
				nd->depth = ns->depth + 1;
				nd->via = it.i;
				radix_push(&heap, (uint64) (nd->t - began), (uint32) nd->depth, d);
			}
		}
	}

	/* 5-6. rows */
	qsort_arg(affected, naffected, sizeof(int), cmp_result, r);
	for (int k = 0; k < naffected; k++)
	{
		int			i = affected[k];
		NodeState	   *nd = &r->node[i];
		Datum		v[9];
		bool		n[9] = {0};

		v[0] = Int64GetDatum(g->ids[i]);
		v[1] = ServiceGetDatum(g->service[i]);
		v[2] = SectorGetDatum(CR_SERVICE_SECTOR(g->service[i]));
		v[3] = Int32GetDatum(nd->depth);
		v[4] = TimestampTzGetDatum(nd->t);
		v[5] = TimestampTzGetDatum(nd->e);
		n[6] = (nd->via < 0);
		v[6] = n[6] ? (Datum) 0 : Int64GetDatum(g->ids[nd->via]);
		n[7] = (nd->flags & ST_EVERYWHERE) != 0;
		v[7] = n[7] ? (Datum) 0 : cr_gis_multi(&r->gis, nd->area);
		if (g->population[i] < 0)
			n[8] = true;
		else if ((nd->flags & ST_EVERYWHERE) || !(g->has[i] & HAS_AREA))
			v[8] = Int64GetDatum(g->population[i]);
		else
		{
			AreaMemo   *memo = &g->whole_area[i];
			uint64		h = hash_bytes_extended((const unsigned char *) DatumGetPointer(nd->own_area),
												VARSIZE(DatumGetPointer(nd->own_area)), 0);
			double		whole;

			if (memo->area < 0 || memo->hash != h)
			{
				memo->area = -1;	/* not half-written if the measuring fails */
				whole = cr_gis_geodesic_area(&r->gis, nd->own_area);
				memo->hash = h;
				memo->area = whole;
			}
			else
				whole = memo->area;

			v[8] = Int64GetDatum(whole == 0 ? 0 :
								 (int64) rint((double) g->population[i] *
											  cr_gis_geodesic_area(&r->gis, nd->area) / whole));
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	SPI_finish();
	return (Datum) 0;
}
