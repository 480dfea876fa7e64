/*
 * impact_times.c
 *		The one-pass search of impact(), when no instance has an area or a
 *		site and no footprint is given.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "ceptoar_registry.h"
#include "impact.h"
#include "radix_heap.h"


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
 * stale copy in the heap is told by its key, which no longer matches.  The
 * onset is kept as the complement of its offset from the start: all zeros
 * (fresh memory) is "not reached", the latest onset there is.
 */
typedef struct FastNode
{
	uint64		late;			/* ~(onset - began); 0: not reached */
	int32		depth;
	int32		via;			/* index, -1: none */
} FastNode;

#define ONSET_KEY(began, t)	(~(uint64) ((t) - (began)))

/* a sort of int32 with the comparison inlined: ties are sorted by the thousand */
#define ST_SORT sort_int32
#define ST_ELEMENT_TYPE int32
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

static int
cmp_by_id(const void *a, const void *b, void *arg)
{
	const Graph *g = (const Graph *) arg;
	int64		x = cr_graph_id(g, *(const int32 *) a),
				y = cr_graph_id(g, *(const int32 *) b);

	return (x > y) - (x < y);
}

/* order[from .. to) settled at one (onset, depth): in the order of cr_graph_precedes */
static inline void
sort_ties(const Graph *g, int32 *order, int from, int to)
{
	if (to - from <= 1)
		return;
	if (cr_graph_new_instances(g))
		qsort_arg(order + from, to - from, sizeof(int32), cmp_by_id, (void *) g);
	else
		sort_int32(order + from, to - from);
}

/*
 * What one row takes in the tuplestore, in the rows' own context
 * (bump_context.c), at most: its minimal tuple (80 bytes, 72 without via)
 * and a 16-byte header, and a slot of the tuplestore's array, which grows by
 * doubling while half the memory is free and then to what the rest holds
 * (so never past a slot per 104 bytes allowed).  The megabyte added to the
 * rows' sum is for the rest of the tuplestore.
 */
#define TIMES_ROW_BUMP		104

/*
 * What one row takes in a tuplestore's usual memory (an AllocSet), at most:
 * its minimal tuple in a 128-byte chunk with a 16-byte header, and two slots
 * of the array; the 17 kB added are the array's first 16 kB.  Rows that fit
 * in work_mem so are kept in memory there already.
 */
#define TIMES_ROW_USUAL		160

static const char rows_context_name[] = "ceptoar impact rows";

/*
 * The nrows rows of the one-pass search, all of fixed width, stay in memory
 * when they all fit in ceptoar.impact_result_memory (and not in work_mem, as
 * the tuplestore's usual memory holds them): a national result is 100,000
 * rows, 9 MB, which at the default work_mem the tuplestore would write to a
 * temporary file and read back, a third of the call.  They go in a context
 * of their own, in huge pages, unmapped when the query ends: a call faults
 * in a few 2 MB pages, and leaves nothing behind in the backend.  Rows that
 * do not all fit keep to work_mem, as any set-returning function's: filling
 * the setting's memory first and spilling the rest after costs the faults on
 * top of the spill (at 1M instances, 88 MB of rows past the default 64MB:
 * 1.5 s against 0.77 s for a call after a few idle seconds, in which the host
 * has taken the freed memory back).  Whether rows fit in work_mem is told by
 * what they take there (TIMES_ROW_USUAL), not in their own context: else a
 * result of a few rows at a work_mem below a megabyte took a context and a
 * 2 MB page a call, and results of TIMES_ROW_BUMP bytes a row up to work_mem
 * were spilled from work_mem although the setting held them.  The context
 * is one that an earlier call of the query left empty (its tuplestore ended)
 * if there is one: impact() rescanned a million times in one query (LATERAL)
 * left a million empty contexts in the query's memory.  Called when the
 * search has settled the rows and none is stored yet.  Rows with areas
 * (impact_areas.c) keep to work_mem.
 */
static void
keep_rows_in_memory(ReturnSetInfo *rsinfo, int nrows)
{
	int64		kb = (int64) nrows * TIMES_ROW_BUMP / 1024 + 1024;
	int64		usual_kb = (int64) nrows * TIMES_ROW_USUAL / 1024 + 17;
	int			allowed = Max(work_mem, cr_impact_result_memory);
	MemoryContext rows,
				old;

	if (usual_kb <= work_mem || kb > allowed)
		return;
	rows = cr_bump_context_empty(rsinfo->econtext->ecxt_per_query_memory,
								 rows_context_name);
	cr_bump_context_expect(rows, (Size) kb * 1024);
	old = MemoryContextSwitchTo(rows);
	tuplestore_end(rsinfo->setResult);
	rsinfo->setResult = tuplestore_begin_heap((rsinfo->allowedModes & SFRM_Materialize_Random) != 0,
											  false, (int) kb);
	MemoryContextSwitchTo(old);
}

/*
 * The rows of the one-pass search, formed in place.  They are nine columns
 * of fixed width but the area, which is NULL here; via and population may be
 * NULL too, so a row has one of four layouts.  Each is taken once per call
 * from heap_form_tuple() (a template: header, null bitmap, zero data) with
 * the offsets of its columns; a row is then its template with eight values
 * stored in it, handed to tuplestore_puttuple(), which keeps a minimal tuple
 * byte for byte as tuplestore_putvalues() would have formed it, without
 * sizing, zeroing and filling the tuple column by column for every row.
 */
#define TIMES_TUPLE_MAX		128
#define TIMES_VIA_NULL		1
#define TIMES_POP_NULL		2

typedef union TimesTuple
{
	HeapTupleHeaderData h;
	char		c[TIMES_TUPLE_MAX];
	int64		align;
} TimesTuple;

typedef struct TimesLayout
{
	bool		ok;				/* the row type is the one expected */
	uint32		len[4];			/* by pattern (TIMES_VIA_NULL, TIMES_POP_NULL) */
	uint16		off[4][IMPACT_NCOLS];	/* from the tuple's start; 0: NULL */
	TimesTuple	tmpl[4];
} TimesLayout;

/* the widths impact_row's columns must have for the layouts (area: NULL) */
static const int16 times_attlen[IMPACT_NCOLS] = {8, 4, 2, 4, 8, 8, 8, -1, 8};

static void
times_layout(TimesLayout *L, TupleDesc desc)
{
	L->ok = false;
	if (desc->natts != IMPACT_NCOLS)
		return;
	for (int a = 0; a < IMPACT_NCOLS; a++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, a);

		if (att->attisdropped || att->attlen != times_attlen[a] ||
			att->attbyval != (times_attlen[a] > 0))
			return;
	}
	for (int p = 0; p < 4; p++)
	{
		Datum		v[IMPACT_NCOLS] = {0};
		bool		n[IMPACT_NCOLS] = {0};
		HeapTuple	t;
		uint32		off;

		n[6] = (p & TIMES_VIA_NULL) != 0;
		n[7] = true;
		n[8] = (p & TIMES_POP_NULL) != 0;
		t = heap_form_tuple(desc, v, n);
		if (t->t_len > TIMES_TUPLE_MAX)
			return;
		memcpy(L->tmpl[p].c, t->t_data, t->t_len);
		/* what heap_form_minimal_tuple leaves zero */
		ItemPointerSetBlockNumber(&L->tmpl[p].h.t_ctid, 0);
		L->tmpl[p].h.t_ctid.ip_posid = 0;
		off = L->tmpl[p].h.t_hoff;
		for (int a = 0; a < IMPACT_NCOLS; a++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, a);

			L->off[p][a] = 0;
			if (n[a])
				continue;
			off = att_align_nominal(off, att->attalign);
			L->off[p][a] = off;
			off += att->attlen;
		}
		if (off != t->t_len)
			return;
		L->len[p] = t->t_len;
		heap_freetuple(t);
	}
	L->ok = true;
}

static inline void
times_store(TimesTuple *t, uint16 off, int64 v, int16 len)
{
	switch (len)
	{
		case 8:
			memcpy(t->c + off, &v, 8);
			break;
		case 4:
			{
				int32		x = (int32) v;

				memcpy(t->c + off, &x, 4);
				break;
			}
		default:
			{
				int16		x = (int16) v;

				memcpy(t->c + off, &x, 2);
				break;
			}
	}
}

/* the row of instance s, as cr_impact_put_row() forms it */
static pg_noinline void
times_put_row(const ImpactQuery *q, const TimesLayout *L, const ImpactRow *row)
{
	const Graph *g = q->g;
	Service		service = cr_graph_service(g, row->i);
	int			p = (row->via < 0 ? TIMES_VIA_NULL : 0) | (row->population < 0 ? TIMES_POP_NULL : 0);
	TimesTuple	t;
	HeapTupleData ht;

	memcpy(t.c, L->tmpl[p].c, L->len[p]);
	times_store(&t, L->off[p][0], cr_graph_id(g, row->i), 8);
	times_store(&t, L->off[p][1], service, 4);
	times_store(&t, L->off[p][2], CR_SERVICE_SECTOR(service), 2);
	times_store(&t, L->off[p][3], row->depth, 4);
	times_store(&t, L->off[p][4], row->onset, 8);
	times_store(&t, L->off[p][5], row->end, 8);
	if (row->via >= 0)
		times_store(&t, L->off[p][6], cr_graph_id(g, row->via), 8);
	if (row->population >= 0)
		times_store(&t, L->off[p][8], row->population, 8);
	ht.t_len = L->len[p];
	ht.t_self.ip_posid = 0;
	ht.t_tableOid = InvalidOid;
	ht.t_data = &t.h;
	tuplestore_puttuple(q->rsinfo->setResult, &ht);
}

/*
 * What a search leaves for the rows: the instances settled, in the order of
 * the rows, and each one's onset, depth and via, in the state of one search
 * or the other.
 */
typedef struct TimesResult
{
	int32	   *order;
	int			norder;
	const FastNode *nd;			/* the radix heap's search, or NULL */
	const uint64 *key;			/* else the search by unit's: ~key */
	const int32 *via;
	int			db;				/* depth bits of a key */
	int64		unit;
	bool		edges8;			/* the image's 8-byte edges were used */
} TimesResult;

/*
 * The one-pass search with a radix heap: any buffers.  The state of an
 * instance is one 16-byte record, the dependents' records are prefetched a
 * few edges ahead and the next instance's edges one pop ahead.
 */
static void
search_radix(const ImpactQuery *query, TimesResult *r)
{
	const Graph *g = query->g;
	const int  *origins = query->origins;
	int			norigins = query->norigins;
	TimestampTz began = query->began;
	Size		n = Max(g->n, 1);
	int			nbase = g->delta ? g->delta->n_base : g->n;
	FastNode   *nd;
	int32	   *order;
	RadixHeap	heap;
	RadixHeap  *q = &heap;
	int			norder = 0,
				run = 0;		/* where the instances settled at (run_t,
								 * run_depth) begin */
	uint64		run_t = 0;
	uint32		run_depth = 0;

	/* the latest onset that passes: before the end, within the horizon */
	int64		last = Min(query->end - 1, query->limit);

	/*
	 * The state of this call, zero: in memory of its own, faulted in (in huge
	 * pages) where the search goes, and gone with the call.  A call that
	 * reaches a few instances touches a few pages of it, and nothing of this
	 * search stays in the backend between calls.
	 */
	nd = cr_alloc_big(CurrentMemoryContext, (sizeof(FastNode) + sizeof(int32)) * n, true);
	order = (int32 *) (nd + n);
	cr_radix_init(q, CurrentMemoryContext);

	for (int k = 0; k < norigins; k++)
	{
		if (nd[origins[k]].late == ONSET_KEY(began, began))
			continue;			/* given twice: one origin, settled once */
		nd[origins[k]].late = ONSET_KEY(began, began);
		nd[origins[k]].via = -1;
		cr_radix_push(q, 0, 0, origins[k]);
	}

	while (q->size > 0)
	{
		RadixItem	it = cr_radix_pop(q);
		int			s = it.i;
		FastNode   *ns = &nd[s];
		const RadixItem *next;
		const Edge *edges;
		int64		ts,
					first,
					count;
		int32		dnext;

		if (ns->depth != (int32) it.depth || ~ns->late != it.t)
			continue;			/* a stale copy: lowered since */
		if (it.t != run_t || it.depth != run_depth)
		{
			/* settled in (onset, depth) order; ties go by id, done below */
			sort_ties(g, order, run, norder);
			run = norder;
			run_t = it.t;
			run_depth = it.depth;
		}
		order[norder++] = s;
		if ((norder & 0x3FF) == 0)
			CHECK_FOR_INTERRUPTS();

		/*
		 * Software pipelining over the next instances in bucket 0, which stay
		 * put while s is processed (every push has a greater depth): the
		 * dependents' states of the next one, the edges of the one after, the
		 * offsets of the third.
		 */
		if ((next = cr_radix_peek(q, 0)) != NULL)
		{
			const Edge *ne = cr_graph_out(g, next->i, &first, &count);

			prefetch(&nd[next->i]);
			for (int64 k = 0; k < count; k++)
				prefetch(&nd[ne[k].dep]);
			if ((next = cr_radix_peek(q, 1)) != NULL && next->i < nbase)
			{
				prefetch(&g->out[g->out_start[next->i]]);
				if ((next = cr_radix_peek(q, 2)) != NULL && next->i < nbase)
					prefetch(&g->out_start[next->i]);
			}
		}

		ts = began + (int64) ~ns->late;
		dnext = ns->depth + 1;
		edges = cr_graph_out(g, s, &first, &count);
		for (int64 k = 0; k < count; k++)
		{
			const Edge *e = &edges[k];
			int			d = e->dep;
			FastNode   *p = &nd[d];
			int64		onset;
			uint64		key;

			if (k + PREFETCH_AHEAD < count)
				prefetch(&nd[edges[k + PREFETCH_AHEAD].dep]);
			/* mode site needs a site, and no instance has one here */
			if (e->buffer > last - ts || e->mode == MODE_SITE)
				continue;
			onset = ts + e->buffer;
			key = ONSET_KEY(began, onset);
			if (key > p->late || (key == p->late && dnext < p->depth))
			{
				p->late = key;
				p->depth = dnext;
				p->via = s;
				cr_radix_push(q, ~key, (uint32) dnext, d);
			}
			else if (key == p->late && dnext == p->depth && cr_graph_precedes(g, s, p->via))
				p->via = s;
		}
	}
	sort_ties(g, order, run, norder);
	r->order = order;
	r->norder = norder;
	r->nd = nd;
}

/*
 * The search by unit.  Every onset is the start plus a sum of buffers, so a
 * whole number of the graph's buffer unit (their common divisor: a minute
 * when they are all whole minutes), and the instances reached but not
 * settled lie within the next buffer_max units: a bucket queue of that many
 * onsets, used in a circle (Dial, 1969), holds them, an append a push, with
 * no key compared and no item moved as in the radix heap.  The bucket of the
 * onset being settled is spread into lists by depth, taken in order; an
 * edge of buffer 0 appends to the next depth's.  The state of an instance is
 * one word, (onset in units, depth), complemented (0: not reached), half the
 * radix search's, and the via in an array of its own, written only when an
 * instance is lowered.  The next instances of a list are prefetched at three
 * distances: the offsets of their edges, then the edges, then the
 * dependents' states.  Not used (false, nothing kept) if the onsets in units
 * and the depths would not fit in one word, or there would be too many
 * buckets or onsets to go through (buffers of odd fractions of a second
 * against hours): then the radix heap.
 */
#define UNIT_MAX_BUCKETS	65536
#define UNIT_MAX_STEPS		((int64) 1 << 22)

/* a bucket: instances and their depths (index | depth << 32) */
typedef struct UnitBucket
{
	uint64	   *a;
	int64		n;
	int64		cap;
} UnitBucket;

typedef struct DepthList
{
	int32	   *a;
	int64		n;
	int64		cap;
} DepthList;

#define UNIT_NEAR		64

/* where a depth's list is, for the onset being settled (depth -1: a free entry) */
typedef struct DepthSlot
{
	int32		depth;
	int32		slot;
} DepthSlot;

/*
 * The state of a search by unit, for its relaxing of an edge.  The lists of
 * the onset being settled are slots 0 .. nslots - 1, found by depth in a
 * small open-addressing table: an onset has a few depths, and a deep chain
 * beside a fan would make lists by absolute depth (a list for every depth
 * ever seen) cost memory and time in the depth.
 */
typedef struct UnitSearch
{
	const Graph *g;
	uint64	   *st;
	int32	   *via;
	UnitBucket **obp;			/* the ring, by pages of UNIT_PAGE buckets */
	int64		first_cap;		/* of a bucket's array */
	int64		width;
	int64		pending;
	DepthList  *dl;				/* by slot */
	int32	   *slot_depth;
	int			nslots;
	int			maxslots;		/* dl and slot_depth hold that many */
	DepthSlot  *ht;				/* power of two, at least 2 * maxslots */
	uint32		hmask;
	int			near[UNIT_NEAR];	/* the slots of depths 0 .. 63, -1: none */
	MemoryContext qcxt;
	MemoryContext big;
} UnitSearch;

/*
 * Bucket k of the ring, its page made (zero) at its first push: a call that
 * reaches a few instances touches a page or two of a ring of thousands of
 * onsets, not the whole of it.
 */
#define UNIT_PAGE_BITS	8
#define UNIT_PAGE		(1 << UNIT_PAGE_BITS)

static inline UnitBucket *
unit_bucket(UnitSearch *u, int64 k)
{
	UnitBucket *p = u->obp[k >> UNIT_PAGE_BITS];

	if (unlikely(p == NULL))
		p = u->obp[k >> UNIT_PAGE_BITS] =
			MemoryContextAllocZero(u->qcxt, sizeof(UnitBucket) * UNIT_PAGE);
	return &p[k & (UNIT_PAGE - 1)];
}

static inline uint32
depth_hash(int32 depth)
{
	return ((uint32) depth * 2654435761U) >> 7;
}

/* the table again, twice as big, from slot_depth */
static void
depth_table_grow(UnitSearch *u)
{
	int			grown = u->maxslots * 2;

	u->dl = repalloc(u->dl, sizeof(DepthList) * grown);
	memset(u->dl + u->maxslots, 0, sizeof(DepthList) * (grown - u->maxslots));
	u->slot_depth = repalloc(u->slot_depth, sizeof(int32) * grown);
	u->maxslots = grown;
	pfree(u->ht);
	u->hmask = (uint32) (2 * grown) - 1;
	u->ht = palloc(sizeof(DepthSlot) * 2 * grown);
	memset(u->ht, 0xFF, sizeof(DepthSlot) * 2 * grown);
	for (int k = 0; k < u->nslots; k++)
	{
		uint32		h = depth_hash(u->slot_depth[k]) & u->hmask;

		if (u->slot_depth[k] < UNIT_NEAR)
			continue;
		while (u->ht[h].depth != -1)
			h = (h + 1) & u->hmask;
		u->ht[h].depth = u->slot_depth[k];
		u->ht[h].slot = k;
	}
}

/*
 * The slot of depth dep's list, made if create, else -1 if there is none (a
 * slot, not a pointer: making one may move the lists)
 */
static inline int
depth_slot(UnitSearch *u, int32 dep, bool create)
{
	uint32		h;

	/* depths below 64, as nearly all are, directly */
	if (dep < UNIT_NEAR && (u->near[dep] >= 0 || !create))
		return u->near[dep];
	h = depth_hash(dep) & u->hmask;
	while (u->ht[h].depth != -1)
	{
		if (u->ht[h].depth == dep)
			return u->ht[h].slot;
		h = (h + 1) & u->hmask;
	}
	if (!create)
		return -1;
	if (u->nslots == u->maxslots)
	{
		MemoryContext old = MemoryContextSwitchTo(u->qcxt);

		depth_table_grow(u);
		MemoryContextSwitchTo(old);
		return depth_slot(u, dep, true);
	}
	if (dep < UNIT_NEAR)
		u->near[dep] = u->nslots;
	else
	{
		u->ht[h].depth = dep;
		u->ht[h].slot = u->nslots;
	}
	u->slot_depth[u->nslots] = dep;
	return u->nslots++;
}

/* the onset is settled: its lists (empty) are free for the next */
static void
depth_lists_reset(UnitSearch *u)
{
	for (int k = 0; k < u->nslots; k++)
	{
		uint32		h;

		if (u->slot_depth[k] < UNIT_NEAR)
		{
			u->near[u->slot_depth[k]] = -1;
			continue;
		}
		/* every entry is found, freed ones skipped, until all are free */
		h = depth_hash(u->slot_depth[k]) & u->hmask;
		while (u->ht[h].depth != u->slot_depth[k])
			h = (h + 1) & u->hmask;
		u->ht[h].depth = -1;
	}
	u->nslots = 0;
}

static inline void
unit_append(UnitSearch *u, int dep, int32 d)
{
	int			sl = depth_slot(u, dep, true);	/* may move the lists */
	DepthList  *L = &u->dl[sl];

	if (L->n == L->cap)
		cr_grow_array((void **) &L->a, &L->cap, L->n, sizeof(int32), 256, u->qcxt, &u->big);
	L->a[L->n++] = d;
}

/* s, settled at ks = (rel, dep), reaches d at bb units later */
static pg_attribute_always_inline void
unit_relax(UnitSearch *u, int s, int d, int64 bb, uint64 ks, int64 rel, int dep, int db)
{
	uint64		kn = ks + 1 + ((uint64) bb << db);
	uint64		cur = ~u->st[d];

	if (kn < cur)
	{
		u->st[d] = ~kn;
		u->via[d] = s;
		if (bb == 0)
			unit_append(u, dep + 1, d); /* taken right after dep */
		else
		{
			UnitBucket *nb = unit_bucket(u, (rel + bb) % u->width);

			if (nb->n == nb->cap)
				cr_grow_array((void **) &nb->a, &nb->cap, nb->n, sizeof(uint64), u->first_cap, u->qcxt, &u->big);
			nb->a[nb->n++] = (uint64) (uint32) d | ((uint64) (dep + 1) << 32);
			u->pending++;
		}
	}
	else if (kn == cur && cr_graph_precedes(u->g, s, u->via[d]))
		u->via[d] = s;
}

/* s's edges in 8 bytes (*count of them), if the image has them and no delta replaces them */
static inline const uint64 *
out8_of(const Graph *g, int s, int64 *count)
{
	if (g->delta)
	{
		const OverNode *o;

		if (s >= g->delta->n_base)
			return NULL;
		o = cr_graph_over(g, s);
		if (o && o->edges)
			return NULL;
	}
	*count = g->start32[s + 1] - g->start32[s];
	return g->out8 + g->start32[s];
}

static bool
search_by_unit(const ImpactQuery *query, TimesResult *r)
{
	const Graph *g = query->g;
	int			n = Max(g->n, 1);
	int			nbase = g->delta ? g->delta->n_base : g->n;
	int64		span = Min(query->end - 1, query->limit) - query->began;
	int64		unit = g->buffer_unit > 0 ? g->buffer_unit : 1; /* 0: all are 0 */
	double		per_unit = 1.0 / (double) unit;
	int			db = pg_leftmost_one_pos32((uint32) n) + 1;
	bool		use8;
	int64		ratio;
	int64		last_rel,
				maxb;
	UnitSearch	u;
	int32	   *order;
	int			norder = 0;
	bool		broken = false;
	int32	   *deps = NULL;	/* the depths of a bucket */
	int64		ndeps_cap = 0;

	/* the onsets that pass, span - began at most, in units: exact in a double */
	if (g->buffer_unit < 0 || span >= ((int64) 1 << 50) || db > 31)
		return false;
	last_rel = span < 0 ? -1 : span / unit;
	maxb = g->buffer_max / unit;
	if (last_rel >= ((int64) 1 << (62 - db)))
		return false;
	memset(&u, 0, sizeof(u));
	u.g = g;
	u.width = Min(maxb, Max(last_rel, 0)) + 1;

	/*
	 * the onsets walked: to the last one reached, at most n - 1 widest
	 * buffers
	 */
	if (u.width > UNIT_MAX_BUCKETS || Min(last_rel, (int64) n * (u.width - 1)) > UNIT_MAX_STEPS)
		return false;
	/* the image's edges in 8 bytes count in its unit, which ours divides */
	use8 = g->out8 != NULL && g->out8_unit % unit == 0;
	ratio = use8 ? g->out8_unit / unit : 0;

	u.st = cr_alloc_big(CurrentMemoryContext, (sizeof(uint64) + 2 * sizeof(int32)) * (Size) n, true);
	order = (int32 *) (u.st + n);
	u.via = order + n;
	u.qcxt = AllocSetContextCreate(CurrentMemoryContext, "ceptoar search queue",
								   ALLOCSET_DEFAULT_SIZES);
	u.obp = MemoryContextAllocZero(u.qcxt, sizeof(UnitBucket *) * ((u.width >> UNIT_PAGE_BITS) + 1));

	/*
	 * a long ring (a fine unit against long buffers) holds a few in each
	 * bucket
	 */
	u.first_cap = u.width > 4096 ? 16 : 256;
	u.maxslots = 64;
	u.dl = MemoryContextAllocZero(u.qcxt, sizeof(DepthList) * u.maxslots);
	u.slot_depth = MemoryContextAlloc(u.qcxt, sizeof(int32) * u.maxslots);
	u.hmask = 2 * u.maxslots - 1;
	u.ht = MemoryContextAlloc(u.qcxt, sizeof(DepthSlot) * 2 * u.maxslots);
	memset(u.ht, 0xFF, sizeof(DepthSlot) * 2 * u.maxslots);
	memset(u.near, 0xFF, sizeof(u.near));

	for (int k = 0; k < query->norigins; k++)
	{
		int			o = query->origins[k];
		UnitBucket *b0;

		if (u.st[o] == ~UINT64CONST(0))
			continue;			/* given twice: one origin, settled once */
		u.st[o] = ~UINT64CONST(0);
		u.via[o] = -1;
		b0 = unit_bucket(&u, 0);
		if (b0->n == b0->cap)
			cr_grow_array((void **) &b0->a, &b0->cap, b0->n, sizeof(uint64), u.first_cap, u.qcxt, &u.big);
		b0->a[b0->n++] = (uint32) o;
		u.pending++;
	}

	for (int64 rel = 0; u.pending > 0 && !broken; rel++)
	{
		UnitBucket *page = u.obp[(rel % u.width) >> UNIT_PAGE_BITS];
		UnitBucket *b = page ? &page[(rel % u.width) & (UNIT_PAGE - 1)] : NULL;
		int64		lim_us = span - rel * unit; /* a buffer passes up to it */
		int64		lim_rel = last_rel - rel;	/* in units */
		int			ndeps = 0,
					next_dep = 0,
					dep = -1,
					sl;

		if (b == NULL || b->n == 0)
			continue;
		u.pending -= b->n;

		/*
		 * The bucket spread by depth; the depths present, ascending, are the
		 * lists to take (a list of dep + 1 that dep's edges of buffer 0 start
		 * is taken right after dep): not every depth between the least and
		 * the greatest, which a chain beside a fan would make quadratic.
		 */
		for (int64 k = 0; k < b->n; k++)
		{
			int			d = (int) (b->a[k] >> 32);
			int			before = u.nslots;

			unit_append(&u, d, (int32) (uint32) b->a[k]);
			if (u.nslots > before)
			{
				if (ndeps == ndeps_cap)
					cr_grow_array((void **) &deps, &ndeps_cap, ndeps, sizeof(int32), 16, u.qcxt, &u.big);
				deps[ndeps++] = d;
			}
		}
		b->n = 0;
		sort_int32(deps, ndeps);

		while (!broken)
		{
			uint64		ks;
			int			run = norder;

			if (dep >= 0 && (sl = depth_slot(&u, dep + 1, false)) >= 0 && u.dl[sl].n > 0)
				dep++;
			else
			{
				while (next_dep < ndeps && deps[next_dep] <= dep)
					next_dep++;
				if (next_dep == ndeps)
					break;
				dep = deps[next_dep];
			}
			ks = ((uint64) rel << db) | (uint64) dep;
			sl = depth_slot(&u, dep, false);

			for (int64 j = 0; j < u.dl[sl].n && !broken; j++)
			{
				const int32 *list = u.dl[sl].a;
				int64		len = u.dl[sl].n;
				int			s = list[j];
				const uint64 *e8;
				int64		count;

				if (u.st[s] != ~ks)
					continue;	/* a stale entry: lowered since */
				order[norder++] = s;
				if ((norder & 0x3FF) == 0)
					CHECK_FOR_INTERRUPTS();

				/*
				 * The next ones of the list, at three distances: the
				 * dependents' states, the edges, the offsets.
				 */
				if (j + 3 < len)
				{
					int64		first;

					if (use8 && (e8 = out8_of(g, list[j + 3], &count)) != NULL)
						for (int64 k = 0; k < count; k++)
							prefetch(&u.st[(int32) (uint32) e8[k]]);
					else
					{
						const Edge *ne = cr_graph_out(g, list[j + 3], &first, &count);

						for (int64 k = 0; k < count; k++)
							prefetch(&u.st[ne[k].dep]);
					}
				}
				if (j + 8 < len && list[j + 8] < nbase)
				{
					const char *a,
							   *z;

					if (use8)
					{
						a = (const char *) &g->out8[g->start32[list[j + 8]]];
						z = (const char *) &g->out8[g->start32[list[j + 8] + 1]];
					}
					else
					{
						a = (const char *) &g->out[g->out_start[list[j + 8]]];
						z = (const char *) &g->out[g->out_start[list[j + 8] + 1]];
					}
					for (; a < z; a += 64)
						prefetch(a);
				}
				if (j + 16 < len && list[j + 16] < nbase)
				{
					if (use8)
						prefetch(&g->start32[list[j + 16]]);
					else
						prefetch(&g->out_start[list[j + 16]]);
					prefetch(&u.st[list[j + 16]]);
				}

				if (use8 && (e8 = out8_of(g, s, &count)) != NULL)
				{
					for (int64 k = 0; k < count; k++)
					{
						uint64		e = e8[k];
						int64		bb = (int64) ((e >> 32) & 0x7FFFFFFF) * ratio;

						if (k + PREFETCH_AHEAD < count)
							prefetch(&u.st[(int32) (uint32) e8[k + PREFETCH_AHEAD]]);

						/*
						 * mode site needs a site, and no instance has one
						 * here
						 */
						if (bb > lim_rel || (e & OUT8_SITE) != 0)
							continue;
						if (unlikely(bb > maxb))
						{
							broken = true;	/* not the graph's bound: the
											 * radix heap */
							break;
						}
						unit_relax(&u, s, (int32) (uint32) e, bb, ks, rel, dep, db);
					}
				}
				else
				{
					int64		first;
					const Edge *edges = cr_graph_out(g, s, &first, &count);

					for (int64 k = 0; k < count; k++)
					{
						const Edge *e = &edges[k];
						int64		bb;

						if (k + PREFETCH_AHEAD < count)
							prefetch(&u.st[edges[k + PREFETCH_AHEAD].dep]);
						if (e->buffer > lim_us || e->mode == MODE_SITE)
							continue;
						bb = (int64) ((double) e->buffer * per_unit + 0.5);
						if (unlikely(bb > maxb || bb * unit != e->buffer))
						{
							broken = true;	/* not the graph's unit: the radix
											 * heap */
							break;
						}
						unit_relax(&u, s, e->dep, bb, ks, rel, dep, db);
					}
				}
			}
			u.dl[sl].n = 0;
			sort_ties(g, order, run, norder);
		}
		depth_lists_reset(&u);
	}
	MemoryContextDelete(u.qcxt);
	if (broken)
	{
		cr_free_big(u.st, (sizeof(uint64) + 2 * sizeof(int32)) * (Size) n);
		return false;
	}
	r->order = order;
	r->norder = norder;
	r->nd = NULL;
	r->key = u.st;
	r->via = u.via;
	r->db = db;
	r->unit = unit;
	r->edges8 = use8;
	return true;
}

/* the rows ahead of row k, fetched: rows go in onset order, the arrays in id order */
static inline void
times_prefetch(const Graph *g, const TimesResult *res, int nbase, int k)
{
	if (k + 2 * PREFETCH_AHEAD < res->norder)
	{
		int			a = res->order[k + 2 * PREFETCH_AHEAD];

		if (res->nd)
			prefetch(&res->nd[a]);
		else
		{
			prefetch(&res->key[a]);
			prefetch(&res->via[a]);
		}
	}
	if (k + PREFETCH_AHEAD < res->norder && res->order[k + PREFETCH_AHEAD] < nbase)
	{
		int			a = res->order[k + PREFETCH_AHEAD];
		int			v = res->nd ? res->nd[a].via : res->via[a];

		prefetch(&g->ids[a]);
		prefetch(&g->service[a]);
		prefetch(&g->population[a]);
		if (v >= 0 && v < nbase)
			prefetch(&g->ids[v]);
	}
}

/* row k of a search's result; row->end and row->area are the caller's */
static inline void
times_row(const Graph *g, const TimesResult *res, TimestampTz began, int k, ImpactRow *row)
{
	int			s = res->order[k];

	row->i = s;
	if (res->nd)
	{
		row->depth = res->nd[s].depth;
		row->via = res->nd[s].via;
		row->onset = began + (int64) ~res->nd[s].late;
	}
	else
	{
		uint64		key = ~res->key[s];

		row->depth = (int32) (key & ((UINT64CONST(1) << res->db) - 1));
		row->via = res->via[s];
		row->onset = began + (int64) (key >> res->db) * res->unit;
	}
	row->population = cr_graph_population(g, s);
}

/* the search by unit, else with the radix heap; its time and route at DEBUG1 */
static void
times_search(const ImpactQuery *query, TimesResult *res, const char *what)
{
	instr_time	started,
				searched;
	bool		by_unit;

	INSTR_TIME_SET_CURRENT(started);
	by_unit = search_by_unit(query, res);
	if (!by_unit)
		search_radix(query, res);
	INSTR_TIME_SET_CURRENT(searched);
	INSTR_TIME_SUBTRACT(searched, started);
	elog(DEBUG1, "ceptoar impact: %d instances reached in %.1f ms, %s (%s)",
		 res->norder, INSTR_TIME_GET_MILLISEC(searched), what,
		 !by_unit ? "radix heap" : res->edges8 ? "by unit, 8-byte edges" : "by unit");
}

/*
 * No geometry anywhere (no instance has an area or a site, and no footprint):
 * every outage ends at began + lasted, so "the outage outlasts the buffer" is
 * t_s + b < end, areas never block (but dependencies of mode site never pass:
 * there is no site), and the least fixpoint is a shortest-path tree by
 * (onset, edges).  One Dijkstra pass settles each instance once, with depth
 * and via, in the order of the rows (up to ties in (onset, depth), sorted by
 * id afterwards): by unit when the buffers have one, else with a radix heap.
 * The search is memory-bound, and the rows are formed only after it, so
 * that the tuplestore's writes do not evict its state.
 */
void
cr_impact_times(const ImpactQuery *query)
{
	const Graph *g = query->g;
	int			nbase = g->delta ? g->delta->n_base : g->n;
	TimesResult res = {0};
	instr_time	started,
				formed;
	ImpactRow	row;
	TimesLayout layout;

	times_search(query, &res, "rows stored");
	INSTR_TIME_SET_CURRENT(started);
	keep_rows_in_memory(query->rsinfo, res.norder);

	row.end = query->end;
	row.area = (Datum) 0;		/* nothing is located */
	times_layout(&layout, query->rsinfo->setDesc);

	for (int k = 0; k < res.norder; k++)
	{
		times_prefetch(g, &res, nbase, k);
		times_row(g, &res, query->began, k, &row);
		if (likely(layout.ok))
			times_put_row(query, &layout, &row);
		else
			cr_impact_put_row(query, &row);
		if ((k & 0x3FFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	INSTR_TIME_SET_CURRENT(formed);
	INSTR_TIME_SUBTRACT(formed, started);
	elog(DEBUG1, "ceptoar impact: %d rows formed in %.1f ms", res.norder, INSTR_TIME_GET_MILLISEC(formed));
}

/* the search's result, for its rows one by one (impact_scan.c) */
struct CrTimesRows
{
	const Graph *g;
	int			nbase;
	TimestampTz began;
	TimestampTz end;
	TimesResult res;
};

CrTimesRows *
cr_impact_times_search(const ImpactQuery *query, int *nrows)
{
	CrTimesRows *r = palloc0(sizeof(CrTimesRows));

	r->g = query->g;
	r->nbase = r->g->delta ? r->g->delta->n_base : r->g->n;
	r->began = query->began;
	r->end = query->end;
	times_search(query, &r->res, "rows streamed");
	*nrows = r->res.norder;
	return r;
}

void
cr_impact_times_row(const CrTimesRows *r, int k, ImpactRow *row)
{
	Assert(k >= 0 && k < r->res.norder);
	times_prefetch(r->g, &r->res, r->nbase, k);
	times_row(r->g, &r->res, r->began, k, row);
	row->end = r->end;
	row->area = (Datum) 0;
}
