/*
 * impact_scan.c
 *		A custom scan for impact() in FROM: its rows handed to the executor
 *		one by one, not stored first.
 *
 * PostgreSQL runs every set-returning function in FROM to the end and keeps
 * its rows in a tuplestore, which the scan then reads back: at a national
 * graph a million rows, written past work_mem to a temporary file and read
 * again, about 40 % of a call.  The search itself leaves each instance's
 * onset, depth and via in its arrays (impact_times.c), so the rows can be
 * formed from them as the executor asks for them.  When planning a query
 * that calls the C function behind impact(bigint[], ...) alone in FROM
 * (also through the overloads, which the planner inlines), the planner hook
 * adds a path "Custom Scan (CeptoarImpact)" next to the function scan.  It
 * evaluates the same arguments, checks them with the same code
 * (cr_impact_setup) and runs the same search, so the rows, their order and
 * the errors are the function's.  Searches with areas (impact_areas.c) keep
 * their rows in a tuplestore as the function does.
 *
 * What it leaves to the function scan: WITH ORDINALITY, ROWS FROM with
 * several functions, a column definition list, a reference to the whole row
 * (the scan forms no composite; row-locking statements carry it), a function
 * run as SECURITY DEFINER or with SET options, a row type altered under the
 * library (the function then refuses it too), and every query planned before
 * the module was loaded in the session.  The hook is installed when the
 * module is loaded; the planner's call of impact()'s support function
 * (impact_plan_support, below) loads it in time for a session's first
 * statement.  ceptoar.impact_scan = off leaves every query to the function
 * scan.
 *
 * The graph is read between rows, while another statement (a cursor's next
 * FETCH comes after other statements) or a nested call may replace the
 * cached graph: the scan pins it (cr_graph_pin), so that what it reads stays
 * mapped until the scan is rescanned or ends, also by an error.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/objectaccess.h"
#include "catalog/pg_language.h"
#include "catalog/pg_proc.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/extensible.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/restrictinfo.h"
#include "parser/parsetree.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "ceptoar_registry.h"
#include "impact.h"

/* the C function behind impact(bigint[], ...) (impact.c) */
extern Datum impact_run(PG_FUNCTION_ARGS);

#define IMPACT_NARGS	5
#define SCAN_NAME		"CeptoarImpact"

bool		cr_impact_scan = true;

static set_rel_pathlist_hook_type prev_pathlist_hook = NULL;

typedef struct ImpactScanState
{
	CustomScanState css;
	Oid			fn;
	List	   *args;			/* ExprState of each argument */
	MemoryContext call_cxt;		/* one search: reset by a rescan */
	bool		done;			/* the search has run for these arguments */
	bool		columns;		/* some column is read (else rows are counted
								 * only, as by count(*)) */
	/* the rows of a search without areas */
	const Graph *g;
	CrTimesRows *rows;
	int			nrows;
	int			cur;			/* the row last returned (-1: none yet, nrows:
								 * past the last) */
	/* else the rows in a tuplestore, as the function keeps them */
	Tuplestorestate *store;
	TupleTableSlot *read;
} ImpactScanState;

static Plan *plan_impact_path(PlannerInfo *root, RelOptInfo *rel, CustomPath *best_path,
							  List *tlist, List *clauses, List *custom_plans);
static Node *create_impact_state(CustomScan *cscan);
static void begin_impact_scan(CustomScanState *node, EState *estate, int eflags);
static TupleTableSlot *exec_impact_scan(CustomScanState *node);
static void end_impact_scan(CustomScanState *node);
static void rescan_impact_scan(CustomScanState *node);
static void explain_impact_scan(CustomScanState *node, List *ancestors, ExplainState *es);

static const CustomPathMethods path_methods = {
	.CustomName = SCAN_NAME,
	.PlanCustomPath = plan_impact_path,
};

static const CustomScanMethods scan_methods = {
	.CustomName = SCAN_NAME,
	.CreateCustomScanState = create_impact_state,
};

static const CustomExecMethods exec_methods = {
	.CustomName = SCAN_NAME,
	.BeginCustomScan = begin_impact_scan,
	.ExecCustomScan = exec_impact_scan,
	.EndCustomScan = end_impact_scan,
	.ReScanCustomScan = rescan_impact_scan,
	.ExplainCustomScan = explain_impact_scan,
};

/*
 * Whether fn is impact_run as a plain C function: checked in the catalogue
 * first, so that planning a call of another function loads nothing.  A
 * function run as SECURITY DEFINER or with SET options has another address
 * (fmgr's wrapper) and stays with the function scan.
 */
static bool
is_impact_run(Oid fn)
{
	HeapTuple	tp = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	bool		candidate = false;
	FmgrInfo	finfo;

	if (!HeapTupleIsValid(tp))
		return false;
	if (((Form_pg_proc) GETSTRUCT(tp))->prolang == ClanguageId)
	{
		bool		isnull;
		Datum		src = SysCacheGetAttr(PROCOID, tp, Anum_pg_proc_prosrc, &isnull);

		candidate = !isnull && strcmp(TextDatumGetCString(src), "impact_run") == 0;
	}
	ReleaseSysCache(tp);
	if (!candidate)
		return false;
	fmgr_info(fn, &finfo);
	return finfo.fn_addr == impact_run;
}

/* whether any of the expressions refers to the whole row of relation rti */
static bool
whole_row_used(List *exprs, Index rti)
{
	Bitmapset  *attrs = NULL;

	pull_varattnos((Node *) exprs, rti, &attrs);
	return bms_is_member(InvalidAttrNumber - FirstLowInvalidHeapAttributeNumber, attrs);
}

static void
impact_pathlist(PlannerInfo *root, RelOptInfo *rel, Index rti, RangeTblEntry *rte)
{
	RangeTblFunction *rtfunc;
	FuncExpr   *fexpr;
	TupleDesc	desc;
	CustomPath *cp;
	Path	   *fscan = NULL;
	ListCell   *lc;
	List	   *clauses = NIL;

	if (prev_pathlist_hook)
		prev_pathlist_hook(root, rel, rti, rte);
	if (!cr_impact_scan || rte->rtekind != RTE_FUNCTION || rte->funcordinality ||
		list_length(rte->functions) != 1 || IS_DUMMY_REL(rel))
		return;
	rtfunc = linitial_node(RangeTblFunction, rte->functions);
	if (!IsA(rtfunc->funcexpr, FuncExpr) || rtfunc->funccolnames != NIL)
		return;
	fexpr = (FuncExpr *) rtfunc->funcexpr;
	if (!fexpr->funcretset || list_length(fexpr->args) != IMPACT_NARGS ||
		!is_impact_run(fexpr->funcid))
		return;
	/* a row type altered under the library: the function scan's error */
	desc = get_expr_result_tupdesc((Node *) fexpr, true);
	if (!cr_impact_row_type_ok(desc, get_func_namespace(fexpr->funcid)))
		return;

	/* the whole row (e.g. SELECT i FROM impact(...) i) needs a composite */
	if (rel->attr_needed[InvalidAttrNumber - rel->min_attr] != NULL)
		return;
	foreach(lc, rel->baserestrictinfo)
		clauses = lappend(clauses, lfirst_node(RestrictInfo, lc)->clause);
	foreach(lc, rel->joininfo)
		clauses = lappend(clauses, lfirst_node(RestrictInfo, lc)->clause);
	if (whole_row_used(rel->reltarget->exprs, rti) || whole_row_used(clauses, rti))
		return;

	/* the function scan's path, whose cost this one takes but for the store */
	foreach(lc, rel->pathlist)
	{
		Path	   *p = (Path *) lfirst(lc);

		if (p->pathtype == T_FunctionScan)
		{
			fscan = p;
			break;
		}
	}
	if (fscan == NULL)
		return;

	cp = makeNode(CustomPath);
	cp->path.pathtype = T_CustomScan;
	cp->path.parent = rel;
	cp->path.pathtarget = rel->reltarget;
	cp->path.param_info = fscan->param_info;
	cp->path.parallel_aware = false;
	cp->path.parallel_safe = fscan->parallel_safe;
	cp->path.parallel_workers = 0;
	cp->path.rows = fscan->rows;
	cp->path.startup_cost = fscan->startup_cost;
	/* the function scan reads each row back: half a cpu_tuple_cost */
	cp->path.total_cost = Max(fscan->startup_cost,
							  fscan->total_cost - 0.5 * cpu_tuple_cost * rel->tuples);
	cp->path.pathkeys = NIL;
	cp->flags = CUSTOMPATH_SUPPORT_BACKWARD_SCAN;	/* as the function scan */
	cp->custom_paths = NIL;
	cp->custom_private = list_make1(fexpr);
	cp->methods = &path_methods;
	add_path(rel, &cp->path);
}

static Plan *
plan_impact_path(PlannerInfo *root, RelOptInfo *rel, CustomPath *best_path,
				 List *tlist, List *clauses, List *custom_plans pg_attribute_unused())
{
	FuncExpr   *fexpr = linitial_node(FuncExpr, best_path->custom_private);
	RangeTblEntry *rte = planner_rt_fetch(rel->relid, root);
	TupleDesc	desc = get_expr_result_tupdesc((Node *) fexpr, false);
	CustomScan *cs = makeNode(CustomScan);
	List	   *scan_tlist = NIL;

	/* the scan's tuple: every column, as Vars of the function's RTE */
	for (int a = 0; a < desc->natts; a++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, a);
		Var		   *v = makeVar(rel->relid, a + 1, att->atttypid, att->atttypmod,
								att->attcollation, 0);

		scan_tlist = lappend(scan_tlist,
							 makeTargetEntry((Expr *) v, a + 1,
											 strVal(list_nth(rte->eref->colnames, a)), false));
	}
	cs->scan.plan.targetlist = tlist;
	cs->scan.plan.qual = extract_actual_clauses(clauses, false);
	cs->scan.scanrelid = 0;		/* no relation: the tuple is scan_tlist */
	cs->flags = best_path->flags;
	cs->custom_plans = NIL;
	cs->custom_exprs = copyObject(fexpr->args);
	cs->custom_private = list_make1_oid(fexpr->funcid);
	cs->custom_scan_tlist = scan_tlist;
	cs->methods = &scan_methods;
	return &cs->scan.plan;
}

/* whether an expression of the plan reads a column of the scan's tuple */
static bool
reads_column(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Var) && ((Var *) node)->varno == INDEX_VAR)
		return true;
	return expression_tree_walker(node, reads_column, context);
}

static Node *
create_impact_state(CustomScan *cscan)
{
	ImpactScanState *st = palloc0(sizeof(ImpactScanState));

	NodeSetTag(st, T_CustomScanState);
	st->css.methods = &exec_methods;
	st->fn = linitial_oid(cscan->custom_private);
	return (Node *) st;
}

static void
begin_impact_scan(CustomScanState *node, EState *estate, int eflags pg_attribute_unused())
{
	ImpactScanState *st = (ImpactScanState *) node;
	CustomScan *cs = (CustomScan *) node->ss.ps.plan;
	AclResult	aclresult;
	TupleDesc	desc;

	/* what the function scan checks when it is set up, EXPLAIN included */
	aclresult = pg_proc_aclcheck(st->fn, GetUserId(), ACL_EXECUTE);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_FUNCTION, get_func_name(st->fn));
	InvokeFunctionExecuteHook(st->fn);

	/* the type as it is now (ALTER TYPE does not replan) */
	if (get_func_result_type(st->fn, NULL, &desc) != TYPEFUNC_COMPOSITE ||
		!cr_impact_row_type_ok(desc, get_func_namespace(st->fn)))
		cr_impact_row_type_error();

	st->args = ExecInitExprList(cs->custom_exprs, &node->ss.ps);
	st->columns = reads_column((Node *) cs->scan.plan.targetlist, NULL) ||
		reads_column((Node *) cs->scan.plan.qual, NULL);
	st->call_cxt = AllocSetContextCreate(estate->es_query_cxt, "ceptoar impact scan",
										 ALLOCSET_DEFAULT_SIZES);
}

/* one search for the arguments as they are now */
static void
run_search(ImpactScanState *st)
{
	ExprContext *econtext = st->css.ss.ps.ps_ExprContext;
	Datum		args[IMPACT_NARGS];
	bool		nulls[IMPACT_NARGS];
	ImpactQuery q;
	MemoryContext old;
	int			k = 0;
	ListCell   *lc;

	Assert(list_length(st->args) == IMPACT_NARGS);
	if (st->store)
		tuplestore_end(st->store);	/* its temporary file, if any */
	MemoryContextReset(st->call_cxt);
	st->rows = NULL;
	st->store = NULL;
	st->nrows = 0;
	st->cur = -1;

	/* the arguments in per-tuple memory, used before the next row */
	ResetExprContext(econtext);
	old = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
	foreach(lc, st->args)
	{
		args[k] = ExecEvalExpr((ExprState *) lfirst(lc), econtext, &nulls[k]);
		k++;
	}

	MemoryContextSwitchTo(st->call_cxt);
	cr_impact_setup(&q, st->fn, st->css.ss.ps.state->es_query_cxt, args, nulls);
	st->g = q.g;
	if (q.gis == NULL)
	{
		/* the graph is read again for every row: keep it until the reset */
		cr_graph_pin(q.g, st->call_cxt);
		st->rows = cr_impact_times_search(&q, &st->nrows);
	}
	else
	{
		ReturnSetInfo rsinfo = {.type = T_ReturnSetInfo};
		TupleDesc	desc = st->css.ss.ss_ScanTupleSlot->tts_tupleDescriptor;

		rsinfo.econtext = econtext;
		rsinfo.allowedModes = SFRM_Materialize;
		rsinfo.returnMode = SFRM_Materialize;
		rsinfo.setDesc = desc;
		rsinfo.setResult = tuplestore_begin_heap(true, false, work_mem);	/* backward too */
		q.rsinfo = &rsinfo;
		cr_impact_areas(&q);
		st->store = rsinfo.setResult;
		if (st->read == NULL)
		{
			MemoryContextSwitchTo(st->css.ss.ps.state->es_query_cxt);
			st->read = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
		}
	}
	MemoryContextSwitchTo(old);
	st->done = true;
}

/*
 * The next row in the executor's direction into the scan's (virtual) slot;
 * an empty slot past either end.  Backward as a tuplestore reads: a cursor's
 * FETCH BACKWARD gets the row before the current one.
 */
static TupleTableSlot *
next_row(ScanState *ss)
{
	ImpactScanState *st = (ImpactScanState *) ss;
	TupleTableSlot *slot = ss->ss_ScanTupleSlot;
	bool		forward = ScanDirectionIsForward(ss->ps.state->es_direction);

	if (!st->done)
		run_search(st);
	ExecClearTuple(slot);
	if (st->rows != NULL)
	{
		ImpactRow	row;

		if (forward)
			st->cur = Min(st->cur + 1, st->nrows);
		else
			st->cur = Max(st->cur - 1, -1);
		if (st->cur < 0 || st->cur >= st->nrows)
			return slot;
		if (likely(st->columns))
		{
			cr_impact_times_row(st->rows, st->cur, &row);
			cr_impact_row_values(st->g, &row, slot->tts_values, slot->tts_isnull);
		}
		else
			memset(slot->tts_isnull, true, IMPACT_NCOLS);	/* never read */
		return ExecStoreVirtualTuple(slot);
	}
	if (st->store != NULL && tuplestore_gettupleslot(st->store, forward, false, st->read))
		ExecCopySlot(slot, st->read);
	return slot;
}

/* no EvalPlanQual recheck: the rows are computed, not read from a table */
static bool
recheck_row(ScanState *ss pg_attribute_unused(), TupleTableSlot *slot pg_attribute_unused())
{
	return true;
}

static TupleTableSlot *
exec_impact_scan(CustomScanState *node)
{
	return ExecScan(&node->ss, next_row, recheck_row);
}

static void
end_impact_scan(CustomScanState *node)
{
	ImpactScanState *st = (ImpactScanState *) node;

	if (st->read)
		ExecDropSingleTupleTableSlot(st->read);
	if (st->store)
		tuplestore_end(st->store);
	MemoryContextDelete(st->call_cxt);	/* unpins the graph */
}

/*
 * As the function scan: the same arguments (no parameter of them changed)
 * give the same rows again without a new search; changed ones, a new search.
 */
static void
rescan_impact_scan(CustomScanState *node)
{
	ImpactScanState *st = (ImpactScanState *) node;

	ExecScanReScan(&node->ss);
	if (node->ss.ps.chgParam != NULL || !st->done)
	{
		st->done = false;
		return;
	}
	st->cur = -1;
	if (st->store)
		tuplestore_rescan(st->store);
}

static void
explain_impact_scan(CustomScanState *node, List *ancestors pg_attribute_unused(), ExplainState *es)
{
	ImpactScanState *st = (ImpactScanState *) node;

	if (es->verbose)
		ExplainPropertyText("Function", format_procedure_qualified(st->fn), es);
}

void
cr_impact_scan_init(void)
{
	RegisterCustomScanMethods(&scan_methods);
	prev_pathlist_hook = set_rel_pathlist_hook;
	set_rel_pathlist_hook = impact_pathlist;
}

PG_FUNCTION_INFO_V1(impact_plan_support);
/*
 * ceptoar._impact_plan_support(internal), the planner support function of
 * impact(bigint[], ...): the planner calls it before it chooses the call's
 * scan, and calling it loads this module and so the hook above.  It answers
 * no request (NULL: the function's own estimates stand).
 */
Datum
impact_plan_support(PG_FUNCTION_ARGS pg_attribute_unused())
{
	PG_RETURN_POINTER(NULL);
}
