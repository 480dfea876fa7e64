/*
 * impact_areas.c
 *		The search of impact() over service areas and sites: the failure passes
 *		on round by round, each dependent's affected area clipped to its own,
 *		until nothing changes; then depth and via by shortest paths, and the
 *		population share of each affected area.
 *
 * Geometry is not cached: each round fetches the areas it needs with SPI,
 * under the statement's snapshot like the graph, filtered by the bounding
 * boxes of what is failing, so a failure far from most areas never reads them.
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "ceptoar_registry.h"
#include "impact.h"
#include "radix_heap.h"

#define ST_AFFECTED		0x01
#define ST_EVERYWHERE	0x02	/* affected area is NULL: not located, never
								 * clipped */
#define ST_FETCHED		0x04	/* own area and site are loaded */
#define ST_QUEUED		0x08
#define ST_ORIGIN		0x10
#define ST_SETTLED		0x20
#define ST_WANTED		0x40
#define ST_TOUCHED		0x80	/* initialised in this call */

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
	const Graph *g;
	NodeState  *node;
	uint8	   *edge_pass;
	CrGis	   *gis;
	Oid			nsp;
	MemoryContext cxt;
	int64		limit;			/* began + horizon */
	Datum		footprint;
	bool		has_footprint;
} Run;

/*
 * The states are zero memory of this call's own (cr_alloc_big), faulted in
 * where the search goes: a state is initialised when first touched.
 */
static inline NodeState *
node_of(Run *r, int i)
{
	NodeState  *nd = &r->node[i];

	if (!(nd->flags & ST_TOUCHED))
	{
		nd->flags = ST_TOUCHED;
		nd->via = -1;
		nd->depth = PG_INT32_MAX;
	}
	return nd;
}

static inline bool
touched(Run *r, int i)
{
	return (r->node[i].flags & ST_TOUCHED) != 0;
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
	Assert(r->gis);				/* instances with geometry exist */
	nsp = quote_identifier(get_namespace_name(r->nsp));
	gis = quote_identifier(r->gis->schema);
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
			ids[k] = Int64GetDatum(cr_graph_id(r->g, want[k]));
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
		int			i = cr_graph_index(r->g, DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull)));
		NodeState  *nd;
		Datum		d;
		MemoryContext old;

		if (i < 0 || !touched(r, i) || !(r->node[i].flags & ST_WANTED))
			continue;			/* not asked for (the query by boxes finds
								 * others too) */
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
	return cr_gis_area(r->gis, g);
}

/*
 * What s passes to d along a dependency of this mode: false if nothing, else
 * *p with its planar area *pa (or *everywhere when it is not located).
 */
static bool
passed_area(Run *r, NodeState *s, int d, uint8 mode, Datum *p, double *pa,
			bool *everywhere)
{
	NodeState  *nd = &r->node[d];
	uint8		has = cr_graph_has(r->g, d);
	bool		d_area = (has & HAS_AREA) != 0;
	bool		d_site = (has & HAS_SITE) != 0;

	*everywhere = false;
	if (mode == MODE_SITE)
	{
		if (!d_site)
			return false;
		if (!(s->flags & ST_EVERYWHERE))
		{
			if (!(nd->flags & ST_FETCHED))
				return false;	/* its boxes were disjoint from this round's */
			if (!cr_gis_bbox_overlaps(r->gis, nd->own_site, s->area) ||
				!cr_gis_intersects(r->gis, nd->own_site, s->area))
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
		 * an outage too short for this dependency, or was not everywhere. s
		 * has changed in this round, so it is queued again, and the next
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
	if (!cr_gis_bbox_overlaps(r->gis, nd->own_area, s->area) ||
		!cr_gis_intersects(r->gis, nd->own_area, s->area))
		return false;			/* cheaper than clipping to nothing */
	*p = cr_gis_clip(r->gis, nd->own_area, s->area);
	*pa = planar(r, *p);
	return *pa > 0;
}

/* merge [onset, end) over p into d; true if d changed in a way that matters */
static bool
merge(Run *r, int d, int64 onset, int64 end, Datum p, double pa, bool everywhere)
{
	NodeState  *nd = &r->node[d];
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
		Datum		u = cr_gis_union(r->gis, nd->area, p);
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

static int
cmp_result(const void *a, const void *b, void *arg)
{
	Run		   *r = (Run *) arg;
	int			x = *(const int *) a,
				y = *(const int *) b;
	NodeState  *nx = &r->node[x],
			   *ny = &r->node[y];

	if (nx->t != ny->t)
		return nx->t < ny->t ? -1 : 1;
	if (nx->depth != ny->depth)
		return nx->depth < ny->depth ? -1 : 1;
	return cr_graph_precedes(r->g, x, y) ? -1 : cr_graph_precedes(r->g, y, x) ? 1 : 0;
}

/*
 * The geodesic area of an instance's own area, the denominator of its
 * population share: costly (thousands of points projected), and the same
 * until the area changes.  Kept per backend by a hash of the geometry's
 * bytes (the graph comes from one snapshot and the geometry from the
 * statement's, which can differ): sparse, only the areas measured, and
 * emptied when it grows past AREA_MEMO_MAX entries.
 */
typedef struct AreaMemo
{
	uint64		hash;			/* the key */
	double		area;
} AreaMemo;

#define AREA_MEMO_MAX	65536

static HTAB *area_memo = NULL;

static double
whole_area(Run *r, Datum own_area)
{
	uint64		h = hash_bytes_extended((const unsigned char *) DatumGetPointer(own_area),
										VARSIZE(DatumGetPointer(own_area)), 0);
	AreaMemo   *memo;
	double		whole;
	bool		found;

	if (area_memo != NULL && hash_get_num_entries(area_memo) >= AREA_MEMO_MAX)
	{
		hash_destroy(area_memo);
		area_memo = NULL;
	}
	if (area_memo == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(uint64);
		ctl.entrysize = sizeof(AreaMemo);
		ctl.hcxt = TopMemoryContext;
		area_memo = hash_create("ceptoar geodesic areas", 256, &ctl,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	memo = hash_search(area_memo, &h, HASH_FIND, NULL);
	if (memo)
		return memo->area;
	/* measured first: an error leaves no entry half-written */
	whole = cr_gis_geodesic_area(r->gis, own_area);
	memo = hash_search(area_memo, &h, HASH_ENTER, &found);
	memo->area = whole;
	return whole;
}

/*
 * The people of instance i in its affected area: its population scaled by
 * the affected share of its own area (geodesic areas).
 */
static int64
population_share(Run *r, int i, NodeState *nd)
{
	const Graph *g = r->g;
	double		whole;

	int64		population = cr_graph_population(g, i);

	if (population < 0)
		return -1;
	if ((nd->flags & ST_EVERYWHERE) || !(cr_graph_has(g, i) & HAS_AREA))
		return population;
	whole = whole_area(r, nd->own_area);
	return whole == 0 ? 0 :
		(int64) rint((double) population *
					 cr_gis_geodesic_area(r->gis, nd->area) / whole);
}

/* the least fixpoint of docs/impact-semantics.md, with areas */
void
cr_impact_areas(const ImpactQuery *q)
{
	Run			run = {0};
	Run		   *r = &run;
	const Graph *g = q->g;
	int			norigins = q->norigins;
	TimestampTz began = q->began;
	int		   *queue,
			   *round,
			   *want,
				nqueue = 0;
	int		   *affected;
	int			naffected = 0;
	RadixHeap	heap;

	r->g = g;
	r->gis = q->gis;
	r->nsp = q->nsp;
	r->cxt = q->cxt;
	r->limit = q->limit;
	r->footprint = q->footprint;
	r->has_footprint = q->footprint != (Datum) 0;

	/* zero, faulted in where the search goes, gone with the call */
	r->node = cr_alloc_big(CurrentMemoryContext, sizeof(NodeState) * Max(g->n, 1), true);
	r->edge_pass = cr_alloc_big(CurrentMemoryContext, Max(g->m, 1), true);
	queue = cr_alloc_big(CurrentMemoryContext, sizeof(int) * Max(g->n, 1), false);
	round = cr_alloc_big(CurrentMemoryContext, sizeof(int) * Max(g->n, 1), false);
	want = cr_alloc_big(CurrentMemoryContext, sizeof(int) * Max(g->n, 1), false);
	affected = cr_alloc_big(CurrentMemoryContext, sizeof(int) * Max(g->n, 1), false);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/* 1. origins */
	{
		int			nwant = 0;

		for (int k = 0; k < norigins; k++)
		{
			int			i = q->origins[k];
			NodeState  *nd = node_of(r, i);

			if (nd->flags & ST_ORIGIN)
				continue;
			nd->flags |= ST_ORIGIN | ST_AFFECTED | ST_QUEUED;
			nd->t = began;
			nd->e = q->end;
			nd->depth = 0;
			queue[nqueue++] = i;
			if (cr_graph_has(g, i))
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
			if ((cr_graph_has(g, want[k]) & HAS_AREA) && !(r->node[want[k]].flags & ST_FETCHED))
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("the service area of instance " INT64_FORMAT " has changed while it was read",
								cr_graph_id(g, want[k])),
						 errhint("Run the query again.")));
		}
		for (int k = 0; k < nqueue; k++)
		{
			NodeState  *nd = &r->node[queue[k]];

			if (!(cr_graph_has(g, queue[k]) & HAS_AREA))
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
					cr_gis_clip(r->gis, nd->own_area, r->footprint) : nd->own_area;
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

		/*
		 * what this round needs: areas and sites of the dependents it may
		 * reach
		 */
		for (int k = 0; k < nround; k++)
		{
			int			s = round[k];
			NodeState  *ns = &r->node[s];
			int64		first,
						count;
			const Edge *edges = cr_graph_out(g, s, &first, &count);

			ns->flags &= ~ST_QUEUED;
			if (ns->flags & ST_EVERYWHERE)
				everywhere = true;
			else
				boxes[nboxes++] = ns->area;
			for (int64 j = 0; j < count; j++)
			{
				int			d = edges[j].dep;
				NodeState  *nd;

				if (!(ns->e - ns->t > edges[j].buffer) || ns->t + edges[j].buffer > r->limit)
					continue;
				if (!cr_graph_has(g, d))
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
			NodeState  *ns = &r->node[s];

			int64		first,
						count;
			const Edge *edges = cr_graph_out(g, s, &first, &count);

			for (int64 j = 0; j < count; j++)
			{
				int64		x = first + j;
				int			d = edges[j].dep;
				int64		b = edges[j].buffer;
				Datum		p = (Datum) 0;
				double		pa = 0;
				bool		everywhere_p;

				if ((x & 0x3FF) == 0)
					CHECK_FOR_INTERRUPTS();
				r->edge_pass[x] = 0;
				if (!(ns->e - ns->t > b) || ns->t + b > r->limit)
					continue;
				node_of(r, d);
				if (!passed_area(r, ns, d, edges[j].mode, &p, &pa, &everywhere_p))
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

	/*
	 * 4. depth and via: shortest paths by (onset, edges) over the passing
	 * dependencies
	 */
	cr_radix_init(&heap, CurrentMemoryContext);
	for (int k = 0; k < norigins; k++)
		cr_radix_push(&heap, 0, 0, q->origins[k]);
	while (heap.size > 0)
	{
		RadixItem	it = cr_radix_pop(&heap);
		NodeState  *ns = &r->node[it.i];
		int64		first,
					count;
		const Edge *edges;

		if (ns->flags & ST_SETTLED)
			continue;
		ns->flags |= ST_SETTLED;
		affected[naffected++] = it.i;
		CHECK_FOR_INTERRUPTS();
		edges = cr_graph_out(g, it.i, &first, &count);

		for (int64 k = 0; k < count; k++)
		{
			int64		x = first + k;
			int			d = edges[k].dep;
			NodeState  *nd = &r->node[d];

			if (!r->edge_pass[x] || (nd->flags & (ST_ORIGIN | ST_SETTLED)) ||
				ns->t + edges[k].buffer != nd->t)
				continue;
			if (ns->depth + 1 < nd->depth ||
				(ns->depth + 1 == nd->depth && cr_graph_precedes(g, it.i, nd->via)))
			{
				nd->depth = ns->depth + 1;
				nd->via = it.i;
				cr_radix_push(&heap, (uint64) (nd->t - began), (uint32) nd->depth, d);
			}
		}
	}

	/* 5-6. rows */
	qsort_arg(affected, naffected, sizeof(int), cmp_result, r);
	for (int k = 0; k < naffected; k++)
	{
		int			i = affected[k];
		NodeState  *nd = &r->node[i];
		ImpactRow	row;

		row.i = i;
		row.depth = nd->depth;
		row.via = nd->via;
		row.onset = nd->t;
		row.end = nd->e;
		row.area = (nd->flags & ST_EVERYWHERE) ? (Datum) 0 : cr_gis_multi(r->gis, nd->area);
		row.population = population_share(r, i, nd);
		cr_impact_put_row(q, &row);
	}
	SPI_finish();
}
