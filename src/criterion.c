/*
 * criterion.c
 *		Type ceptoar.criterion: a threshold rule as a value.
 *
 *	  criterion := or
 *	  or        := and { "or" and }
 *	  and       := not { "and" not }
 *	  not       := "not" not | "(" or ")" | "any" | flag
 *	             | measure cmp count | "duration" cmp duration
 *	             | "effect" "in" "(" effect { "," effect } ")"
 *	  measure   := users | households | lost_kw | cancelled
 *	  cmp       := >= | > | <= | < | = | <> | !=
 *
 * A duration is written in time.c's language ("3 h 10 min"), the one of the
 * incident's text form.
 *
 * Parsed once into postfix nodes (stored in the value, so evaluation never
 * parses) and evaluated with Kleene's logic: a comparison on an unknown
 * measure is unknown; "false and unknown" is false, "true or unknown" true.
 *
 * Limits: at most MAX_NODES terms and operators, and at most MAX_NESTING
 * levels of "(" and "not" together (the parser recurses once a level; the
 * printer and the evaluator do not recurse).
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "ceptoar_registry.h"

#define MAX_NODES 256
#define MAX_NESTING 64

static const char *const cmp_names[] = {">=", ">", "<=", "<", "=", "<>"};

typedef struct Parser
{
	const char *input;
	const char *p;
	CrNode		nodes[MAX_NODES];
	int			n;
	int			depth;
} Parser;

static void parse_or(Parser *ps);

static void
syntax_error(Parser *ps, const char *expected)
{
	const char *at = ps->p;
	int			len = 0;

	/* characters, not bytes, and never half a character */
	int			pos = pg_mbstrlen_with_len(ps->input, at - ps->input) + 1;

	while (at[len] && !isspace((unsigned char) at[len]))
		len++;
	len = pg_mbcliplen(at, len, Max(20, pg_mblen(at)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type ceptoar.criterion: \"%s\"", ps->input),
			 *at ? errdetail("Unexpected \"%.*s\" at character %d.", len, at, pos)
			 : errdetail("Unexpected end of input at character %d.", pos),
			 errhint("Expected %s.", expected)));
}

/* one more level of "(" or "not" */
static void
enter(Parser *ps)
{
	check_stack_depth();
	if (++ps->depth > MAX_NESTING)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("criterion nests too deeply"),
				 errdetail("A criterion may nest at most %d levels of parentheses and \"not\".",
						   MAX_NESTING),
				 errhint("Write \"not not x\" as x, and take out parentheses that group nothing.")));
}

static void
skip(Parser *ps)
{
	while (isspace((unsigned char) *ps->p))
		ps->p++;
}

/* the next word, if it is "kw" (case-insensitive, whole word) */
static bool
accept_word(Parser *ps, const char *kw)
{
	int			len = strlen(kw);

	skip(ps);
	if (pg_strncasecmp(ps->p, kw, len) == 0 &&
		!(isalnum((unsigned char) ps->p[len]) || ps->p[len] == '_'))
	{
		ps->p += len;
		return true;
	}
	return false;
}

static bool
accept_char(Parser *ps, char c)
{
	skip(ps);
	if (*ps->p == c)
	{
		ps->p++;
		return true;
	}
	return false;
}

static void
emit(Parser *ps, uint8 op, uint8 field, uint8 cmp, uint8 arg, int64 value)
{
	CrNode	   *n;

	if (ps->n >= MAX_NODES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("criterion is too long"),
				 errdetail("A criterion may have at most %d terms and operators.", MAX_NODES)));
	n = &ps->nodes[ps->n++];
	memset(n, 0, sizeof(*n));
	n->op = op;
	n->field = field;
	n->cmp = cmp;
	n->arg = arg;
	n->value = value;
}

static int
parse_cmp(Parser *ps)
{
	static const char *const spell[] = {">=", ">", "<=", "<>", "!=", "<", "="};
	static const int code[] = {CR_CMP_GE, CR_CMP_GT, CR_CMP_LE, CR_CMP_NE, CR_CMP_NE,
	CR_CMP_LT, CR_CMP_EQ};

	skip(ps);
	for (int i = 0; i < NELEM(spell); i++)
		if (strncmp(ps->p, spell[i], strlen(spell[i])) == 0)
		{
			ps->p += strlen(spell[i]);
			return code[i];
		}
	syntax_error(ps, "a comparison: >=, >, <=, <, =, <>");
	return -1;
}

static void
parse_primary(Parser *ps)
{
	skip(ps);
	if (accept_char(ps, '('))
	{
		enter(ps);
		parse_or(ps);
		ps->depth--;
		if (!accept_char(ps, ')'))
			syntax_error(ps, "\")\"");
		return;
	}
	if (accept_word(ps, "not"))
	{
		enter(ps);
		parse_primary(ps);
		ps->depth--;
		emit(ps, CR_OP_NOT, 0, 0, 0, 0);
		return;
	}
	if (accept_word(ps, "any"))
	{
		emit(ps, CR_OP_ANY, 0, 0, 0, 0);
		return;
	}
	for (int f = 0; f < CR_NFLAGS; f++)
		if (accept_word(ps, cr_flag_names[f]))
		{
			emit(ps, CR_OP_FLAG, 0, 0, 1 << f, 0);
			return;
		}
	for (int m = 0; m < CR_NMEASURES; m++)
		if (accept_word(ps, cr_measure_names[m]))
		{
			int			cmp = parse_cmp(ps);
			int64		v = 0;

			skip(ps);
			if (!isdigit((unsigned char) *ps->p))
				syntax_error(ps, "a whole number, e.g. 30000");
			while (isdigit((unsigned char) *ps->p) ||
				   (*ps->p == '_' && isdigit((unsigned char) ps->p[1])))
			{
				if (*ps->p != '_' &&
					(pg_mul_s64_overflow(v, 10, &v) ||
					 pg_add_s64_overflow(v, *ps->p - '0', &v)))
					ereport(ERROR,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("number out of range in criterion: \"%s\"", ps->input)));
				ps->p++;
			}
			if (isalpha((unsigned char) *ps->p))
				syntax_error(ps, "a whole number without a unit");
			emit(ps, CR_OP_CMP, m, cmp, 0, v);
			return;
		}
	if (accept_word(ps, "duration"))
	{
		int			cmp = parse_cmp(ps);
		int64		usec;

		skip(ps);
		if (!cr_parse_duration(&ps->p, &usec))
			syntax_error(ps, "a duration with its unit, e.g. 10 min, 2 h, 1 d");
		emit(ps, CR_OP_CMP, CR_FIELD_DURATION, cmp, 0, usec);
		return;
	}
	if (accept_word(ps, "effect"))
	{
		uint8		set = 0;

		if (!accept_word(ps, "in"))
			syntax_error(ps, "\"in\"");
		if (!accept_char(ps, '('))
			syntax_error(ps, "\"(\"");
		do
		{
			bool		found = false;

			for (int e = 0; e < CR_NEFFECTS && !found; e++)
				if (accept_word(ps, cr_effect_names[e]))
				{
					set |= 1 << e;
					found = true;
				}
			if (!found)
				syntax_error(ps, psprintf("an effect: %s", cr_join(cr_effect_names, CR_NEFFECTS)));
		} while (accept_char(ps, ','));
		if (!accept_char(ps, ')'))
			syntax_error(ps, "\",\" or \")\"");
		emit(ps, CR_OP_EFFECT_IN, 0, 0, set, 0);
		return;
	}
	syntax_error(ps, psprintf("a measure (users, households, lost_kw, cancelled, duration), "
							  "effect in (...), a flag (%s), any, not, or \"(\"",
							  cr_join(cr_flag_names, CR_NFLAGS)));
}

static void
parse_and(Parser *ps)
{
	parse_primary(ps);
	while (accept_word(ps, "and"))
	{
		parse_primary(ps);
		emit(ps, CR_OP_AND, 0, 0, 0, 0);
	}
}

static void
parse_or(Parser *ps)
{
	parse_and(ps);
	while (accept_word(ps, "or"))
	{
		parse_and(ps);
		emit(ps, CR_OP_OR, 0, 0, 0, 0);
	}
}

static Criterion *
make_criterion(const CrNode *nodes, int n)
{
	Size		size = offsetof(Criterion, nodes) + n * sizeof(CrNode);
	Criterion  *c = palloc0(size);

	SET_VARSIZE(c, size);
	c->version = CR_CRITERION_VERSION;
	c->nnodes = n;
	memcpy(c->nodes, nodes, n * sizeof(CrNode));
	return c;
}

static Criterion *
criterion_parse(const char *input)
{
	Parser	   *ps = palloc0(sizeof(Parser));

	ps->input = input;
	ps->p = input;
	skip(ps);
	if (*ps->p == '\0')
		syntax_error(ps, "a criterion, e.g. users >= 30000 and duration >= 2 h");
	parse_or(ps);
	skip(ps);
	if (*ps->p != '\0')
		syntax_error(ps, "\"and\", \"or\" or the end");
	return make_criterion(ps->nodes, ps->n);
}

/* ---------- evaluation ---------- */

static inline CrTri
compare(int cmp, int64 a, int64 b)
{
	bool		r;

	switch (cmp)
	{
		case CR_CMP_GE:
			r = a >= b;
			break;
		case CR_CMP_GT:
			r = a > b;
			break;
		case CR_CMP_LE:
			r = a <= b;
			break;
		case CR_CMP_LT:
			r = a < b;
			break;
		case CR_CMP_EQ:
			r = a == b;
			break;
		default:
			r = a != b;
			break;
	}
	return r ? CR_TRUE : CR_FALSE;
}

/* Kleene's "not", "and", "or" on the top of a stack of three-valued results */
static inline void
combine(uint8 op, CrTri *stack, int *sp)
{
	switch (op)
	{
		case CR_OP_NOT:
			if (stack[*sp - 1] != CR_UNKNOWN)
				stack[*sp - 1] = (stack[*sp - 1] == CR_TRUE) ? CR_FALSE : CR_TRUE;
			break;
		case CR_OP_AND:
			(*sp)--;
			if (stack[*sp - 1] == CR_FALSE || stack[*sp] == CR_FALSE)
				stack[*sp - 1] = CR_FALSE;
			else if (stack[*sp - 1] == CR_UNKNOWN || stack[*sp] == CR_UNKNOWN)
				stack[*sp - 1] = CR_UNKNOWN;
			break;
		case CR_OP_OR:
			(*sp)--;
			if (stack[*sp - 1] == CR_TRUE || stack[*sp] == CR_TRUE)
				stack[*sp - 1] = CR_TRUE;
			else if (stack[*sp - 1] == CR_UNKNOWN || stack[*sp] == CR_UNKNOWN)
				stack[*sp - 1] = CR_UNKNOWN;
			break;
	}
}

static inline bool
is_term(uint8 op)
{
	return op == CR_OP_ANY || op == CR_OP_CMP || op == CR_OP_EFFECT_IN || op == CR_OP_FLAG;
}

/* Kleene: the postfix program over a small stack of three-valued results */
CrTri
cr_evaluate(const Criterion *c, const Incident *inc)
{
	CrTri		stack[MAX_NODES];
	int			sp = 0;

	for (int i = 0; i < c->nnodes; i++)
	{
		const CrNode *n = &c->nodes[i];

		switch (n->op)
		{
			case CR_OP_ANY:
				stack[sp++] = CR_TRUE;
				break;
			case CR_OP_CMP:
				if (n->field == CR_FIELD_DURATION)
					stack[sp++] = (inc->known & CR_KNOWN_LASTED) ?
						compare(n->cmp, inc->lasted, n->value) : CR_UNKNOWN;
				else
					stack[sp++] = (inc->known & (1 << n->field)) ?
						compare(n->cmp, inc->measure[n->field], n->value) : CR_UNKNOWN;
				break;
			case CR_OP_EFFECT_IN:
				stack[sp++] = (n->arg & (1 << inc->effect)) ? CR_TRUE : CR_FALSE;
				break;
			case CR_OP_FLAG:
				stack[sp++] = (inc->flags & n->arg) ? CR_TRUE : CR_FALSE;
				break;
			default:
				combine(n->op, stack, &sp);
				break;
		}
	}
	return stack[0];
}

/* the program with its terms' values given, in postfix order */
static CrTri
evaluate_terms(const Criterion *c, const CrTri *values)
{
	CrTri		stack[MAX_NODES];
	int			sp = 0;
	int			t = 0;

	for (int i = 0; i < c->nnodes; i++)
	{
		if (is_term(c->nodes[i].op))
			stack[sp++] = values[t++];
		else
			combine(c->nodes[i].op, stack, &sp);
	}
	return stack[0];
}

/* the words of the facts, with their lengths (the names as in incident.c) */
typedef struct Words
{
	const char *s;
	int			len;
} Words;

#define WORDS(x) {x, sizeof(x) - 1}

static const Words unit_words[CR_NMEASURES] = {
	WORDS(" users"), WORDS(" households"), WORDS(" kW"), WORDS(" cancelled")
};
static const Words unknown_words[CR_NMEASURES] = {
	WORDS("users unknown"), WORDS("households unknown"), WORDS("lost_kw unknown"),
	WORDS("cancelled unknown")
};
static const Words effect_words[CR_NEFFECTS] = {
	WORDS("stop"), WORDS("degradation"), WORDS("delay"), WORDS("loss")
};
static const Words flag_words[CR_NFLAGS] = {
	WORDS(", rights_impaired"), WORDS(", water_quality"), WORDS(", cargo_lost"),
	WORDS(", records_impaired")
};
static const Words no_flag_words[CR_NFLAGS] = {
	WORDS(", no rights_impaired"), WORDS(", no water_quality"), WORDS(", no cargo_lost"),
	WORDS(", no records_impaired")
};

static uint32
facts_of(const Criterion *c)
{
	uint32		used = 0;

	for (int i = 0; i < c->nnodes; i++)
	{
		if (c->nodes[i].op == CR_OP_CMP)
			used |= 1 << c->nodes[i].field;
		else if (c->nodes[i].op == CR_OP_EFFECT_IN || c->nodes[i].op == CR_OP_ANY)
			used |= CR_FACTS_EFFECT;
		else if (c->nodes[i].op == CR_OP_FLAG)
			used |= c->nodes[i].arg << 8;
	}
	return used;
}

/*
 * c compiled into out (see CrCompiled), which points to c: c must live as
 * long as out.  The truth table is filled by evaluating the program for
 * every combination of its terms' values, so it answers as cr_evaluate.
 */
void
cr_criterion_compile(const Criterion *c, CrCompiled *out)
{
	int			n = 0;

#ifdef USE_ASSERT_CHECKING
	for (int e = 0; e < CR_NEFFECTS; e++)
		Assert(strcmp(effect_words[e].s, cr_effect_names[e]) == 0);
	for (int f = 0; f < CR_NFLAGS; f++)
		Assert(strcmp(flag_words[f].s + 2, cr_flag_names[f]) == 0);
	for (int m = 0; m < CR_NMEASURES; m++)
		Assert(strncmp(unknown_words[m].s, cr_measure_names[m], strlen(cr_measure_names[m])) == 0);
#endif
	memset(out, 0, sizeof(*out));
	out->criterion = c;
	out->facts = facts_of(c);
	for (int i = 0; i < c->nnodes; i++)
		if (is_term(c->nodes[i].op))
			n++;
	if (n > CR_COMPILED_TERMS)
	{
		out->nterms = -1;
		return;
	}
	out->nterms = n;
	n = 0;
	for (int i = 0; i < c->nnodes; i++)
	{
		const CrNode *node = &c->nodes[i];
		CrTerm	   *t;

		if (!is_term(node->op))
			continue;
		t = &out->terms[n++];
		switch (node->op)
		{
			case CR_OP_ANY:
				t->kind = CR_TERM_BITS;
				t->offset = offsetof(Incident, effect);
				t->mask = PG_UINT32_MAX;
				break;
			case CR_OP_EFFECT_IN:
				t->kind = CR_TERM_BITS;
				t->offset = offsetof(Incident, effect);
				t->mask = node->arg;
				break;
			case CR_OP_FLAG:
				t->kind = CR_TERM_BITS;
				t->offset = offsetof(Incident, flags);
				for (int v = 0; v < 32; v++)
					if (v & node->arg)
						t->mask |= (uint32) 1 << v;
				break;
			case CR_OP_CMP:
				t->kind = CR_TERM_CMP;
				t->value = node->value;
				if (node->field == CR_FIELD_DURATION)
				{
					t->offset = offsetof(Incident, lasted);
					t->known = CR_KNOWN_LASTED;
				}
				else
				{
					t->offset = offsetof(Incident, measure) + node->field * sizeof(int64);
					t->known = 1 << node->field;
				}
				/* bit 0: x > value, bit 1: x = value, bit 2: x < value */
				t->results = (compare(node->cmp, 1, 0) == CR_TRUE ? 1 : 0) |
					(compare(node->cmp, 0, 0) == CR_TRUE ? 2 : 0) |
					(compare(node->cmp, -1, 0) == CR_TRUE ? 4 : 0);
				break;
		}
	}
	for (int idx = 0; idx < (1 << (2 * n)); idx++)
	{
		CrTri		values[CR_COMPILED_TERMS];
		bool		possible = true;

		for (int i = 0; i < n; i++)
		{
			int			v = (idx >> (2 * i)) & 3;

			possible &= (v != 3);
			values[i] = (CrTri) v;
		}
		out->table[idx] = possible ? evaluate_terms(c, values) : CR_UNKNOWN;
	}
}

/* ---------- text: canonical form and plain-language descriptions ---------- */

#define PREC_OR 1
#define PREC_AND 2
#define PREC_NOT 3
#define PREC_ATOM 4

typedef struct Piece
{
	char	   *text;
	int			prec;
} Piece;

/*
 * Rebuild the tree from postfix and print it.  "human" gives the sentence
 * used in explanations ("30,000 users for 2 h") instead of the canonical
 * syntax ("users >= 30000 and duration >= 2 h").
 */
static char *
render(const Criterion *c, bool human)
{
	Piece		stack[MAX_NODES];
	int			sp = 0;

	for (int i = 0; i < c->nnodes; i++)
	{
		const CrNode *n = &c->nodes[i];
		StringInfoData b;

		initStringInfo(&b);
		switch (n->op)
		{
			case CR_OP_ANY:
				appendStringInfoString(&b, human ? "any disruption" : "any");
				stack[sp].prec = PREC_ATOM;
				break;
			case CR_OP_FLAG:
				for (int f = 0; f < CR_NFLAGS; f++)
					if (n->arg == (1 << f))
						appendStringInfoString(&b, cr_flag_names[f]);
				stack[sp].prec = PREC_ATOM;
				break;
			case CR_OP_EFFECT_IN:
				appendStringInfoString(&b, human ? "effect " : "effect in (");
				for (int e = 0, k = 0; e < CR_NEFFECTS; e++)
					if (n->arg & (1 << e))
						appendStringInfo(&b, "%s%s", k++ ? (human ? " or " : ", ") : "",
										 cr_effect_names[e]);
				if (!human)
					appendStringInfoChar(&b, ')');
				stack[sp].prec = PREC_ATOM;
				break;
			case CR_OP_CMP:
				if (!human)
				{
					appendStringInfo(&b, "%s %s ",
									 n->field == CR_FIELD_DURATION ? "duration" :
									 cr_measure_names[n->field], cmp_names[n->cmp]);
					if (n->field == CR_FIELD_DURATION)
						cr_append_duration(&b, n->value);
					else
						appendStringInfo(&b, INT64_FORMAT, n->value);
				}
				else
				{
					if (n->cmp != CR_CMP_GE)
						appendStringInfo(&b, "%s ", cmp_names[n->cmp]);
					if (n->field == CR_FIELD_DURATION)
					{
						appendStringInfoString(&b, n->cmp == CR_CMP_GE ? "for " : "");
						cr_append_duration(&b, n->value);
					}
					else
					{
						static const char *const units[] = {"users", "households", "kW",
						"cancelled"};

						cr_append_count(&b, n->value);
						appendStringInfo(&b, " %s", units[n->field]);
					}
				}
				stack[sp].prec = PREC_ATOM;
				break;
			case CR_OP_NOT:
				sp--;
				appendStringInfo(&b, stack[sp].prec < PREC_NOT ? "not (%s)" : "not %s",
								 stack[sp].text);
				stack[sp].prec = PREC_NOT;
				break;
			case CR_OP_AND:
			case CR_OP_OR:
				{
					int			prec = (n->op == CR_OP_AND) ? PREC_AND : PREC_OR;
					Piece		l = stack[sp - 2],
								r = stack[sp - 1];
					const char *word = (n->op == CR_OP_AND) ? " and " : " or ";

					/* "30,000 users for 2 h": a duration joins without "and" */
					if (human && n->op == CR_OP_AND && strncmp(r.text, "for ", 4) == 0)
						word = " ";
					sp -= 2;

					/*
					 * Parentheses where precedence needs them, and also
					 * around an "and" inside an "or" in the canonical form,
					 * which reads better and parses the same.  The right
					 * operand of equal precedence needs them: the operators
					 * group left.
					 */
					appendStringInfo(&b, (l.prec < prec || (!human && prec == PREC_OR && l.prec == PREC_AND)) ?
									 "(%s)" : "%s", l.text);
					appendStringInfoString(&b, word);
					appendStringInfo(&b, (r.prec <= prec || (!human && prec == PREC_OR && r.prec == PREC_AND)) ?
									 "(%s)" : "%s", r.text);
					stack[sp].prec = prec;
				}
				break;
		}
		stack[sp].text = b.data;
		sp++;
	}
	return stack[0].text;
}

char *
cr_criterion_text(const Criterion *c)
{
	return render(c, false);
}

char *
cr_criterion_describe(const Criterion *c)
{
	return render(c, true);
}

/* a string literal, its length known when compiled */
#define PUT_LITERAL(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

static inline char *
put(char *p, const Words *w)
{
	memcpy(p, w->s, w->len);
	return p + w->len;
}

/*
 * "45,000 users for 3 h 10 min": the incident's values of what c looks at,
 * written at out, which has room for CR_FACTS_MAXLEN bytes; returns the end
 * (a NUL is written there).
 */
char *
cr_write_incident_facts(char *out, const Criterion *c, const Incident *inc)
{
	CrCompiled	k;

	k.facts = facts_of(c);
	return cr_write_facts(out, &k, inc);
}

/*
 * The same with what the criterion looks at known (k->facts, made by
 * cr_criterion_compile): classify() writes it once a row, straight into the
 * buffer, without format strings.
 */
char *
cr_write_facts(char *out, const CrCompiled *k, const Incident *inc)
{
	uint32		used = k->facts;
	char	   *start = out;
	char	   *p = out;

	for (int m = 0; m < CR_NMEASURES; m++)
		if (used & (1 << m))
		{
			if (p > start)
				p = PUT_LITERAL(p, ", ");
			if (inc->known & (1 << m))
			{
				p += cr_write_count(p, inc->measure[m]);
				p = put(p, &unit_words[m]);
			}
			else
				p = put(p, &unknown_words[m]);
		}
	if (used & (1 << CR_FIELD_DURATION))
	{
		if (inc->known & CR_KNOWN_LASTED)
		{
			p = (p > start) ? PUT_LITERAL(p, " for ") : PUT_LITERAL(p, "for ");
			p += cr_write_duration(p, inc->lasted);
		}
		else
		{
			if (p > start)
				p = PUT_LITERAL(p, ", ");
			p = (inc->known & CR_ONGOING) ? PUT_LITERAL(p, "duration ongoing") :
				PUT_LITERAL(p, "duration unknown");
		}
	}
	if ((used & CR_FACTS_EFFECT) || p == start)
	{
		if (p > start)
			p = PUT_LITERAL(p, ", ");
		p = put(p, &effect_words[inc->effect]);
	}
	for (int f = 0; f < CR_NFLAGS; f++)
		if (CR_FACTS_FLAGS(used) & (1 << f))
			p = put(p, (inc->flags & (1 << f)) ? &flag_words[f] : &no_flag_words[f]);
	*p = '\0';
	return p;
}

/* ---------- SQL interface ---------- */

PG_FUNCTION_INFO_V1(criterion_in);
/* text -> criterion, parsed once */
Datum
criterion_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_CRITERION_P(criterion_parse(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(criterion_out);
/* criterion -> canonical text */
Datum
criterion_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(cr_criterion_text(PG_GETARG_CRITERION_P(0)));
}

PG_FUNCTION_INFO_V1(criterion_send);
/* binary: a version byte, then the canonical text (reparsed on receipt) */
Datum
criterion_send(PG_FUNCTION_ARGS)
{
	char	   *text = cr_criterion_text(PG_GETARG_CRITERION_P(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, CR_CRITERION_VERSION);
	pq_sendtext(&buf, text, strlen(text));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(criterion_recv);
Datum
criterion_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_CRITERION_P(criterion_parse(cr_recv_name(buf, "ceptoar.criterion")));
}

PG_FUNCTION_INFO_V1(criterion_eq);
/* same canonical form */
Datum
criterion_eq(PG_FUNCTION_ARGS)
{
	Criterion  *a = PG_GETARG_CRITERION_P(0);
	Criterion  *b = PG_GETARG_CRITERION_P(1);

	PG_RETURN_BOOL(VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0);
}

/*
 * A total order for btree (0.5): by canonical text, then, for the rare rules
 * whose texts are equal but whose stored forms differ, by the stored form, so
 * that the order agrees with = (same stored form) and with the hash.
 */
static int
cr_criterion_cmp(Criterion *a, Criterion *b)
{
	char	   *ta = cr_criterion_text(a);
	char	   *tb = cr_criterion_text(b);
	int			r = strcmp(ta, tb);
	Size		la = VARSIZE(a),
				lb = VARSIZE(b);

	pfree(ta);
	pfree(tb);
	if (r != 0)
		return r < 0 ? -1 : 1;
	r = memcmp(a, b, Min(la, lb));
	if (r != 0)
		return r < 0 ? -1 : 1;
	return la < lb ? -1 : (la > lb ? 1 : 0);
}

PG_FUNCTION_INFO_V1(criterion_cmp);
Datum
criterion_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(cr_criterion_cmp(PG_GETARG_CRITERION_P(0), PG_GETARG_CRITERION_P(1)));
}

PG_FUNCTION_INFO_V1(criterion_ne);
Datum
criterion_ne(PG_FUNCTION_ARGS)
{
	Criterion  *a = PG_GETARG_CRITERION_P(0);
	Criterion  *b = PG_GETARG_CRITERION_P(1);

	PG_RETURN_BOOL(!(VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0));
}

PG_FUNCTION_INFO_V1(criterion_lt);
Datum
criterion_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cr_criterion_cmp(PG_GETARG_CRITERION_P(0), PG_GETARG_CRITERION_P(1)) < 0);
}

PG_FUNCTION_INFO_V1(criterion_le);
Datum
criterion_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cr_criterion_cmp(PG_GETARG_CRITERION_P(0), PG_GETARG_CRITERION_P(1)) <= 0);
}

PG_FUNCTION_INFO_V1(criterion_gt);
Datum
criterion_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cr_criterion_cmp(PG_GETARG_CRITERION_P(0), PG_GETARG_CRITERION_P(1)) > 0);
}

PG_FUNCTION_INFO_V1(criterion_ge);
Datum
criterion_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cr_criterion_cmp(PG_GETARG_CRITERION_P(0), PG_GETARG_CRITERION_P(1)) >= 0);
}

PG_FUNCTION_INFO_V1(criterion_hash);
/* hash of the stored form, which = compares */
Datum
criterion_hash(PG_FUNCTION_ARGS)
{
	Criterion  *a = PG_GETARG_CRITERION_P(0);

	return hash_any((unsigned char *) a, VARSIZE(a));
}

PG_FUNCTION_INFO_V1(criterion_hash_extended);
Datum
criterion_hash_extended(PG_FUNCTION_ARGS)
{
	Criterion  *a = PG_GETARG_CRITERION_P(0);

	return hash_any_extended((unsigned char *) a, VARSIZE(a), PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(criterion_evaluate);
/* evaluate(criterion, incident): true, false, or NULL when undetermined */
Datum
criterion_evaluate(PG_FUNCTION_ARGS)
{
	CrTri		r = cr_evaluate(PG_GETARG_CRITERION_P(0), PG_GETARG_INCIDENT_P(1));

	if (r == CR_UNKNOWN)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(r == CR_TRUE);
}
