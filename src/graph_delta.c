/*
 * graph_delta.c
 *		What changed in the dependency graph since an image of it, laid over
 *		the image: a change of a few rows costs the next call in proportion to
 *		the change, not to the graph.
 *
 * The statement triggers of service_instance and dependency (and, on a
 * logical-replication subscriber, their row triggers) log every key they
 * touch in ceptoar.graph_change, with the top-level transaction that touched
 * it (080_graph.sql).  An image records the snapshot it was read with
 * (graph_image.c).  A key can differ between the image and a statement only
 * if a transaction that touched it is seen as done by one snapshot and not
 * by the other (or is the statement's own): those log rows are found by the
 * index on the transaction, from the older of the two snapshots' xmin on,
 * read with the statement's snapshot when the image is not newer than it
 * (then it sees every log row that matters), else with a snapshot taken
 * after the image was mapped (not in parallel mode: there, the tables).  The keys' rows are then read as the
 * statement sees them, through the primary key and the index by supplier:
 * the instances touched (changed, deleted or new) and the whole out-edge
 * list of every supplier with a dependency touched.  A key read needlessly
 * (a transaction both see) gives what the image already has: harmless.
 *
 * A log row of NULL keys (a statement of more than 50,000 rows), more keys
 * than the caller allows, or an image whose snapshot is unknown: no delta,
 * the caller reads the tables.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/transam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/xid8.h"

#include "graph.h"

/* image index -> slot of over[] */
typedef struct IndexEntry
{
	int32		index;
	int32		slot;
	char		status;
} IndexEntry;

#define SH_PREFIX		dix
#define SH_ELEMENT_TYPE IndexEntry
#define SH_KEY_TYPE		int32
#define SH_KEY			index
#define SH_HASH_KEY(tb, key) murmurhash32((uint32) (key))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* id -> index (-1: deleted), of instances new or deleted */
typedef struct IdEntry
{
	int64		id;
	int32		index;
	char		status;
} IdEntry;

#define SH_PREFIX		did
#define SH_ELEMENT_TYPE IdEntry
#define SH_KEY_TYPE		int64
#define SH_KEY			id
#define SH_HASH_KEY(tb, key) hash_bytes_uint32_extended((uint32) (key), (uint32) ((uint64) (key) >> 32))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* a set of ids */
typedef struct KeyEntry
{
	int64		id;
	char		status;
} KeyEntry;

#define SH_PREFIX		kset
#define SH_ELEMENT_TYPE KeyEntry
#define SH_KEY_TYPE		int64
#define SH_KEY			id
#define SH_HASH_KEY(tb, key) hash_bytes_uint32_extended((uint32) (key), (uint32) ((uint64) (key) >> 32))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/*
 * A 32-bit transaction id of the last 2^31 as a full one (as xid8 has it),
 * by the epoch of the next one.
 */
uint64
cr_full_xid(TransactionId xid)
{
	FullTransactionId next = ReadNextFullTransactionId();
	uint32		epoch = EpochFromFullTransactionId(next);

	if (!TransactionIdIsNormal(xid))
		return (uint64) xid;
	if (xid > XidFromFullTransactionId(next) && epoch > 0)
		epoch--;
	return U64FromFullTransactionId(FullTransactionIdFromEpochAndXid(epoch, xid));
}

const OverNode *
cr_graph_over_slow(const GraphDelta *d, int i)
{
	IndexEntry *e = dix_lookup((dix_hash *) d->by_index, i);

	return e ? &d->over[e->slot] : NULL;
}

int
cr_graph_index_delta(const Graph *g, int64 id)
{
	IdEntry    *e = did_lookup((did_hash *) g->delta->by_id, id);

	return e ? e->index : cr_graph_index_base(g, id);
}

/* a snapshot as full ids: xmin, xmax and those running (ascending) */
typedef struct FullSnap
{
	uint64		xmin;
	uint64		xmax;
	int32		nxip;
	const uint64 *xip;
} FullSnap;

static int
cmp_u64(const void *a, const void *b)
{
	uint64		x = *(const uint64 *) a,
				y = *(const uint64 *) b;

	return (x > y) - (x < y);
}

/* false if snap's running transactions are unknown (a standby's, overflowed) */
static bool
full_snap(Snapshot snap, FullSnap *f)
{
	uint64	   *xip;
	int32		n = 0;

	if (!IsMVCCSnapshot(snap) || (snap->takenDuringRecovery && snap->suboverflowed))
		return false;
	f->xmin = cr_full_xid(snap->xmin);
	f->xmax = cr_full_xid(snap->xmax);
	xip = palloc(sizeof(uint64) * (snap->xcnt + Max(snap->subxcnt, 0) + 1));
	for (uint32 k = 0; k < snap->xcnt; k++)
		xip[n++] = cr_full_xid(snap->xip[k]);
	for (int32 k = 0; k < snap->subxcnt; k++)
		xip[n++] = cr_full_xid(snap->subxip[k]);
	qsort(xip, n, sizeof(uint64), cmp_u64);
	f->nxip = n;
	f->xip = xip;
	return true;
}

/* the top-level transaction x had ended when f was taken */
static bool
done_in(const FullSnap *f, uint64 x)
{
	if (x < f->xmin)
		return true;
	if (x >= f->xmax)
		return false;
	return bsearch(&x, f->xip, f->nxip, sizeof(uint64), cmp_u64) == NULL;
}

/* every transaction done for the image is done for the statement too */
static bool
not_newer(const FullSnap *img, const FullSnap *stmt)
{
	if (img->xmax > stmt->xmax)
		return false;
	for (int32 k = 0; k < stmt->nxip; k++)
		if (stmt->xip[k] < img->xmax && done_in(img, stmt->xip[k]))
			return false;
	return true;
}

static AttrNumber
attnum(Relation rel, const char *name)
{
	AttrNumber	a = get_attnum(RelationGetRelid(rel), name);

	if (a == InvalidAttrNumber)
		elog(ERROR, "column \"%s\" of the ceptoar impact tables is missing", name);
	return a;
}

static Oid
index_named(Relation rel, const char *name)
{
	Oid			idx = get_relname_relid(name, RelationGetNamespace(rel));

	if (!OidIsValid(idx))
		elog(ERROR, "index \"%s\" of the ceptoar impact tables is missing", name);
	return idx;
}

/* a growing array of over[] slots */
typedef struct Builder
{
	GraphDelta *d;
	int			cap;
	dix_hash   *by_index;
	did_hash   *by_id;
	uint64	   *changed;
	Edge	   *out;
	int64		out_cap;
	const Graph *base;
} Builder;

static OverNode *
new_slot(Builder *b)
{
	if (b->d->nover == b->cap)
	{
		b->cap *= 2;
		b->d->over = repalloc_huge(b->d->over, sizeof(OverNode) * b->cap);
	}
	return &b->d->over[b->d->nover++];
}

/* the slot of image instance i, made from the image's row if new */
static OverNode *
slot_of_base(Builder *b, int i)
{
	bool		found;
	IndexEntry *e = dix_insert(b->by_index, i, &found);
	OverNode   *o;

	if (found)
		return &b->d->over[e->slot];
	e->slot = b->d->nover;
	o = new_slot(b);
	memset(o, 0, sizeof(OverNode));
	o->id = b->base->ids[i];
	o->service = b->base->service[i];
	o->population = b->base->population[i];
	o->has = b->base->has[i];
	b->changed[i >> 6] |= UINT64CONST(1) << (i & 63);
	return o;
}

/* the instance's row as snap sees it (by the primary key): false if none */
typedef struct InstanceRow
{
	int64		id;
	Service		service;
	int64		population;
	uint8		has;
	bool		found;
} InstanceRow;

static void
read_instance(Relation rel, Oid pkey, Snapshot snap, InstanceRow *r)
{
	TupleDesc	desc = RelationGetDescr(rel);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;

	ScanKeyInit(&key, attnum(rel, "id"), BTEqualStrategyNumber, F_INT8EQ,
				Int64GetDatum(r->id));
	scan = systable_beginscan(rel, pkey, true, snap, 1, &key);
	r->found = false;
	if ((tup = systable_getnext(scan)) != NULL)
	{
		bool		isnull;
		Datum		v;

		r->found = true;
		r->service = DatumGetService(heap_getattr(tup, attnum(rel, "service"), desc, &isnull));
		v = heap_getattr(tup, attnum(rel, "population"), desc, &isnull);
		r->population = isnull ? -1 : DatumGetInt64(v);
		r->has = (heap_attisnull(tup, attnum(rel, "area"), desc) ? 0 : HAS_AREA) |
			(heap_attisnull(tup, attnum(rel, "site"), desc) ? 0 : HAS_SITE);
	}
	systable_endscan(scan);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* the ids of a set, ascending, in *n */
static int64 *
set_ids(kset_hash *set, int *n)
{
	kset_iterator it;
	KeyEntry   *e;
	int64	   *ids = palloc(sizeof(int64) * Max(set->members, 1));

	*n = 0;
	kset_start_iterate(set, &it);
	while ((e = kset_iterate(set, &it)) != NULL)
		ids[(*n)++] = e->id;
	qsort(ids, *n, sizeof(int64), cmp_i64);
	return ids;
}

/*
 * g: the graph of img with what changed laid over it, as the statement's
 * snapshot snap sees the tables rels (service_instance, dependency) with the
 * log "log", in cxt.  False (g untouched, nothing kept) if there is no delta
 * to lay over this image: the caller reads the tables.
 */
bool
cr_graph_delta(Graph *g, const GraphImage *img, Relation *rels, Relation log,
			   Snapshot snap, int64 max_keys, MemoryContext cxt)
{
	MemoryContext old;
	MemoryContext work;
	FullSnap	fs,
				fi;
	Snapshot	latest;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	TupleDesc	ldesc = RelationGetDescr(log);
	AttrNumber	a_xid = attnum(log, "xid"),
				a_inst = attnum(log, "instance"),
				a_sup = attnum(log, "supplier");
	kset_hash  *instances,
			   *suppliers;
	int64		nkeys = 0;
	bool		ok = true;
	bool		newer;
	Builder		b;
	GraphDelta *d;
	int64	   *inst_ids,
			   *sup_ids;
	int			ninst,
				nsup;
	InstanceRow *rows;
	Oid			pkey,
				by_supplier;
	Relation	deps = rels[1];
	TupleDesc	ddesc = RelationGetDescr(deps);
	AttrNumber	a_dep = attnum(deps, "dependent"),
				a_dsup = attnum(deps, "supplier"),
				a_buf = attnum(deps, "buffer"),
				a_mode = attnum(deps, "mode");

	if (img->nxip < 0 || RelationGetRelid(log) != img->log_relid ||
		log->rd_node.relNode != img->log_relfilenode)
		return false;
	/* the image is complete for its snapshot: the log must be for snap too */
	if (!cr_graph_log_complete_for(log, snap))
		return false;
	work = AllocSetContextCreate(CurrentMemoryContext, "ceptoar graph delta work",
								 ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	if (!full_snap(snap, &fs))
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(work);
		return false;
	}
	fi.xmin = img->xmin;
	fi.xmax = img->xmax;
	fi.nxip = img->nxip;
	fi.xip = img->xip;

	/* 1. the keys the two snapshots may see differently */
	instances = kset_create(work, 64, NULL);
	suppliers = kset_create(work, 64, NULL);

	/*
	 * The log rows either snapshot may need: those the statement sees, if the
	 * image is not newer than it (the usual case); else a snapshot taken now,
	 * after the image was mapped, sees them (not in parallel mode).
	 */
	newer = !not_newer(&fi, &fs);
	if (newer && IsInParallelMode())
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(work);
		return false;
	}
	latest = newer ? RegisterSnapshot(GetLatestSnapshot()) : snap;
	ScanKeyInit(&key, a_xid, BTGreaterEqualStrategyNumber, F_XID8GE,
				FullTransactionIdGetDatum(FullTransactionIdFromU64(Min(fs.xmin, fi.xmin))));
	scan = systable_beginscan(log, index_named(log, "graph_change_xid"), true, latest, 1, &key);
	while ((tup = systable_getnext(scan)) != NULL)
	{
		bool		isnull,
					inull,
					snull;
		uint64		x = U64FromFullTransactionId(DatumGetFullTransactionId(heap_getattr(tup, a_xid, ldesc, &isnull)));
		Datum		inst = heap_getattr(tup, a_inst, ldesc, &inull);
		Datum		sup = heap_getattr(tup, a_sup, ldesc, &snull);
		bool		found;

		CHECK_FOR_INTERRUPTS();
		if (!TransactionIdIsCurrentTransactionId(XidFromFullTransactionId(FullTransactionIdFromU64(x))) &&
			done_in(&fs, x) && done_in(&fi, x))
			continue;			/* both see it */
		if (inull && snull)
		{
			ok = false;			/* "read everything" */
			break;
		}
		if (!inull)
			kset_insert(instances, DatumGetInt64(inst), &found);
		else
			kset_insert(suppliers, DatumGetInt64(sup), &found);
		if (!found && ++nkeys > max_keys)
		{
			ok = false;
			break;
		}
	}
	systable_endscan(scan);
	if (newer)
		UnregisterSnapshot(latest);
	if (!ok)
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(work);
		return false;
	}

	/* 2. the instances touched, as snap sees them */
	inst_ids = set_ids(instances, &ninst);
	sup_ids = set_ids(suppliers, &nsup);
	rows = palloc(sizeof(InstanceRow) * Max(ninst, 1));
	pkey = index_named(rels[0], "service_instance_pkey");
	for (int k = 0; k < ninst; k++)
	{
		rows[k].id = inst_ids[k];
		read_instance(rels[0], pkey, snap, &rows[k]);
	}

	MemoryContextSwitchTo(cxt);
	d = palloc0(sizeof(GraphDelta));
	d->n_base = img->g.n;
	d->m_base = img->g.m;
	d->keys = nkeys;
	memset(&b, 0, sizeof(b));
	b.d = d;
	b.base = &img->g;
	b.cap = Max(ninst + nsup, 4);
	d->over = palloc(sizeof(OverNode) * b.cap);
	b.by_index = dix_create(cxt, Max(ninst + nsup, 16), NULL);
	b.by_id = did_create(cxt, Max(ninst, 16), NULL);

	/*
	 * zero pages of their own: only the words of instances touched are
	 * faulted in
	 */
	b.changed = cr_alloc_big(cxt, sizeof(uint64) * (img->g.n / 64 + 1), true);
	b.out_cap = 64;
	b.out = palloc(sizeof(Edge) * b.out_cap);

	/* new instances first: their indexes follow the image's */
	for (int k = 0; k < ninst; k++)
	{
		bool		found;
		IdEntry    *e;
		OverNode   *o;

		if (!rows[k].found || cr_graph_index_base(&img->g, rows[k].id) >= 0)
			continue;
		if (d->n_base + d->nnew >= PG_INT32_MAX / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many service instances for the impact engine")));
		e = did_insert(b.by_id, rows[k].id, &found);
		e->index = d->n_base + d->nnew;
		o = new_slot(&b);
		memset(o, 0, sizeof(OverNode));
		o->id = rows[k].id;
		o->service = rows[k].service;
		o->population = rows[k].population;
		o->has = rows[k].has;
		o->edges = true;		/* none unless it supplies */
		d->nnew++;
	}
	/* then the image's instances changed or gone */
	for (int k = 0; k < ninst; k++)
	{
		int			i = cr_graph_index_base(&img->g, rows[k].id);
		OverNode   *o;

		if (i < 0)
			continue;
		o = slot_of_base(&b, i);
		if (rows[k].found)
		{
			o->service = rows[k].service;
			o->population = rows[k].population;
			o->has = rows[k].has;
		}
		else
		{
			bool		found;
			IdEntry    *e = did_insert(b.by_id, rows[k].id, &found);

			e->index = -1;
			o->deleted = true;
			o->edges = true;	/* none */
			o->has = 0;
		}
	}

	/*
	 * g now knows every instance: the out-edges of the suppliers touched, as
	 * snap sees them, by the index by supplier
	 */
	*g = img->g;
	g->delta = d;
	d->by_index = b.by_index;
	d->by_id = b.by_id;
	d->changed = b.changed;
	g->n = d->n_base + d->nnew;
	by_supplier = index_named(deps, "dependency_supplier");
	for (int k = 0; k < nsup; k++)
	{
		int			s = cr_graph_index(g, sup_ids[k]);
		OverNode   *o;

		if (s < 0)
			continue;			/* gone, or never was */
		o = s >= d->n_base ? &d->over[s - d->n_base] : slot_of_base(&b, s);
		o->edges = true;
		o->lo = d->m_over;
		ScanKeyInit(&key, a_dsup, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(sup_ids[k]));
		scan = systable_beginscan(deps, by_supplier, true, snap, 1, &key);
		while ((tup = systable_getnext(scan)) != NULL)
		{
			bool		isnull;
			int			dep = cr_graph_index(g, DatumGetInt64(heap_getattr(tup, a_dep, ddesc, &isnull)));
			text	   *mode;

			CHECK_FOR_INTERRUPTS();
			if (dep < 0)
				continue;		/* not visible together in this snapshot */
			if (d->m_over == b.out_cap)
			{
				b.out_cap *= 2;
				b.out = repalloc_huge(b.out, sizeof(Edge) * b.out_cap);
			}
			mode = DatumGetTextPP(heap_getattr(tup, a_mode, ddesc, &isnull));
			memset(&b.out[d->m_over], 0, sizeof(Edge)); /* no undefined padding
														 * in an image */
			b.out[d->m_over].buffer =
				cr_interval_usec(DatumGetIntervalP(heap_getattr(tup, a_buf, ddesc, &isnull)), "buffer");
			cr_graph_note_buffer(&g->buffer_unit, &g->buffer_max, b.out[d->m_over].buffer);
			b.out[d->m_over].dep = dep;
			b.out[d->m_over].mode =
				(VARSIZE_ANY_EXHDR(mode) == 4 && memcmp(VARDATA_ANY(mode), "site", 4) == 0)
				? MODE_SITE : 0;
			d->m_over++;
		}
		systable_endscan(scan);
		/* slot_of_base may have moved over[] */
		o = s >= d->n_base ? &d->over[s - d->n_base] : (OverNode *) cr_graph_over(g, s);
		o->hi = d->m_over;
	}
	d->out = b.out;
	g->m = d->m_base + d->m_over;
	for (int k = 0; k < d->nover; k++)
		if (d->over[k].has)
			g->any_geometry = true;
	g->from_image = true;
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	return true;
}

/*
 * The graph g (an image with a delta over it) as arrays of its own, in cxt,
 * laid out as if read from the tables: the instances in id order (the
 * deleted ones gone, the new ones in their places), the edges by supplier,
 * the dense index.  What an image is written from when a delta has grown
 * (graph.c): no table is read again.
 */
Graph *
cr_graph_fold(const Graph *g, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	const GraphDelta *d = g->delta;
	Graph	   *f = palloc0(sizeof(Graph));
	int32	   *order;			/* new index -> old */
	int32	   *remap;			/* old index -> new, -1: gone */
	int64	   *ids,
			   *population,
			   *out_start;
	Service    *service;
	uint8	   *has;
	Edge	   *out;
	int			n = 0,
				k = 0;
	int64		m = 0;

	Assert(d != NULL);
	order = cr_alloc_big(cxt, sizeof(int32) * Max(g->n, 1), false);
	remap = cr_alloc_big(cxt, sizeof(int32) * Max(g->n, 1), false);

	/*
	 * the image's instances are in id order, the new ones sorted apart:
	 * merged
	 */
	{
		int32	   *fresh = palloc(sizeof(int32) * Max(d->nnew, 1));
		int			i = 0;

		for (int j = 0; j < d->nnew; j++)
			fresh[j] = d->n_base + j;
		for (int a = 1; a < d->nnew; a++)
		{
			int32		x = fresh[a];
			int			b = a - 1;

			/* insertion sort by id: few new instances (a delta's) */
			while (b >= 0 && d->over[fresh[b] - d->n_base].id > d->over[x - d->n_base].id)
			{
				fresh[b + 1] = fresh[b];
				b--;
			}
			fresh[b + 1] = x;
		}
		while (i < d->n_base || k < d->nnew)
		{
			int32		next;
			const OverNode *o;

			if (k >= d->nnew || (i < d->n_base && g->ids[i] < d->over[fresh[k] - d->n_base].id))
				next = i++;
			else
				next = fresh[k++];
			o = cr_graph_over(g, next);
			if (o && o->deleted)
			{
				remap[next] = -1;
				continue;
			}
			remap[next] = n;
			order[n++] = next;
		}
		pfree(fresh);
	}

	f->n = n;
	f->ids = ids = cr_alloc_big(cxt, sizeof(int64) * Max(n, 1), false);
	f->population = population = cr_alloc_big(cxt, sizeof(int64) * Max(n, 1), false);
	f->service = service = cr_alloc_big(cxt, sizeof(Service) * Max(n, 1), false);
	f->has = has = cr_alloc_big(cxt, Max(n, 1), false);
	f->out_start = out_start = cr_alloc_big(cxt, sizeof(int64) * (n + 1), false);
	for (int j = 0; j < n; j++)
	{
		int64		first,
					count;
		const Edge *e = cr_graph_out(g, order[j], &first, &count);

		ids[j] = cr_graph_id(g, order[j]);
		population[j] = cr_graph_population(g, order[j]);
		service[j] = cr_graph_service(g, order[j]);
		has[j] = cr_graph_has(g, order[j]);
		if (has[j])
			f->any_geometry = true;
		out_start[j] = m;
		for (int64 x = 0; x < count; x++)
			if (remap[e[x].dep] >= 0)
				m++;
	}
	out_start[n] = m;
	f->m = m;
	f->out = out = cr_alloc_big(cxt, sizeof(Edge) * Max(m, 1), false);
	for (int j = 0; j < n; j++)
	{
		int64		first,
					count;
		const Edge *e = cr_graph_out(g, order[j], &first, &count);
		int64		w = out_start[j];

		if ((j & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int64 x = 0; x < count; x++)
			if (remap[e[x].dep] >= 0)
			{
				out[w] = e[x];
				out[w].dep = remap[e[x].dep];
				cr_graph_note_buffer(&f->buffer_unit, &f->buffer_max, out[w].buffer);
				w++;
			}
	}
	f->dense = cr_graph_index_dense(ids, n, &f->dense_base, &f->dense_len, cxt);
	f->geometry_type = g->geometry_type;
	cr_free_big(order, sizeof(int32) * Max(g->n, 1));
	cr_free_big(remap, sizeof(int32) * Max(g->n, 1));
	MemoryContextSwitchTo(old);
	return f;
}
