/* seqcount.c with the reader's smp_rmb() left out, as x86 code that relies
 * on TSO does. On x86-64 smp_rmb() is only barrier() and the loads stay in
 * order: the counter check rejects every half-written value. On arm64 the
 * data load may be satisfied before the first counter load or after the
 * second, so a value made of one update's low half and another's high half
 * (the writer stores stolen_time as two 32-bit halves) can pass the check.
 * An x86-64 machine cannot show this; `validate --c` says so. */
#define SEQ_READER_RMB() barrier()
#include "seqcount.c"
