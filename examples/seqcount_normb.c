/* seqcount.c with the reader's smp_rmb() left out, as x86 code that relies
 * on TSO does. On x86-64 smp_rmb() is only barrier() and the loads stay in
 * order: nothing can tear here. On arm64 the data load may be satisfied
 * before the first counter load or after the second: a torn or stale value
 * can pass the check. This machine can only show the arm64 bug if it is one. */
#define SEQ_READER_RMB() barrier()
#include "seqcount.c"
