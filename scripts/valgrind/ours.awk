# scripts/valgrind/ours.awk: prints the valgrind errors (between the error markers of
# run.sh) that are ours: a frame of the error's stack, or of the stack that created the
# uninitialised value (--track-origins), is in ceptoar_registry.so.  A frame is ours when
# valgrind names the object (no debug info: "(in .../ceptoar_registry.so)"), or when its
# function is one of the library's symbols (-v syms=FILE, one per line) and its source
# file one of ours (-v srcs=FILE, basenames of src/*.[ch]).
# Exception: undefined bytes that a WAL flush writes (Syscall param pwrite64 under
# XLogFlush) were put in the WAL by whoever inserted the record, not by the caller of
# the flush (graph_image.c flushes before writing an image): those count as ours only
# when the origin stack is.
# Output: each error, then a line "# N" with the count.
BEGIN {
	while ((getline s < syms) > 0) sym[s] = 1
	while ((getline s < srcs) > 0) src[s] = 1
}
function ourframe(line,    fn, file) {
	if (line ~ /ceptoar_registry/) return 1
	if (line !~ /(at|by) 0x[0-9A-F]+: /) return 0
	fn = line; sub(/.*(at|by) 0x[0-9A-F]+: /, "", fn); sub(/ .*/, "", fn); sub(/\..*/, "", fn)
	file = line; if (!match(file, /\(([^():]+):[0-9]+\)$/)) return 0
	file = substr(file, RSTART + 1, RLENGTH - 2); sub(/:[0-9]+$/, "", file); sub(/.*\//, "", file)
	return (fn in sym) && (file in src)
}
/VALGRINDERROR-BEGIN/ { inerr = 1; buf = ""; stack = 0; origin = 0; wal = 0; inorigin = 0; next }
/VALGRINDERROR-END/ {
	if (wal ? origin : (stack || origin)) { n++; print "---- " FILENAME; printf "%s", buf }
	inerr = 0; next
}
inerr {
	buf = buf $0 "\n"
	if ($0 ~ /Syscall param pwrite64\(buf\)/) wal = -1
	if (wal == -1 && $0 ~ /XLogFlush|XLogWrite/) wal = 1
	if ($0 ~ /Uninitialised value was created/) inorigin = 1
	if (ourframe($0)) { if (inorigin) origin = 1; else stack = 1 }
}
END { print "# " n + 0 }
