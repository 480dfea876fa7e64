/*
 * shim.h
 *		What the fuzz harness and the backend shim (shim.c) share.
 */
#ifndef CEPTOAR_FUZZ_SHIM_H
#define CEPTOAR_FUZZ_SHIM_H

#include <setjmp.h>

/* the last error report */
typedef struct FuzzError
{
	int			elevel;
	int			sqlerrcode;
	char	   *message;
	char	   *detail;
	char	   *hint;
	const char *filename;
	int			lineno;
	const char *funcname;
} FuzzError;

extern FuzzError fuzz_error;
extern sigjmp_buf *fuzz_error_jmp;	/* where ERROR returns to */
extern int	fuzz_encoding;			/* PG_UTF8 or PG_SQL_ASCII */
extern char *fuzz_stack_base;		/* the harness's frame */
extern long fuzz_stack_soft;		/* check_stack_depth() raises 54001 past it */
extern long fuzz_stack_hard;		/* deeper than this is a finding */
extern const unsigned char *fuzz_input;	/* the current input, for findings */
extern size_t fuzz_input_len;

extern void fuzz_finding(const char *fmt,...)
			pg_attribute_printf(1, 2) pg_attribute_noreturn();
extern void fuzz_arena_reset(void);
extern int	fuzz_utf8_char(const unsigned char *s, int len);
extern int	fuzz_utf8_invalid_at(const char *s, int len);

#endif							/* CEPTOAR_FUZZ_SHIM_H */
