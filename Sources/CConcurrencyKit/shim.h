#ifndef PVBENCH_CCK_SHIM_H
#define PVBENCH_CCK_SHIM_H
#include <stdint.h>
#include <ck_sequence.h>

/* ck_sequence's API is static inline functions and macros (the read loop is a
 * do/while macro); these wrappers give Swift callable, still-inlinable forms. */
static inline unsigned int pvck_read_begin(ck_sequence_t *s) { return ck_sequence_read_begin(s); }
static inline _Bool pvck_read_retry(ck_sequence_t *s, unsigned int v) { return ck_sequence_read_retry(s, v); }
static inline void pvck_write_begin(ck_sequence_t *s) { ck_sequence_write_begin(s); }
static inline void pvck_write_end(ck_sequence_t *s) { ck_sequence_write_end(s); }
#endif
