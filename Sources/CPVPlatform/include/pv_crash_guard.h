/* A crash in code pvbench does not own (a C strategy file) ends the process
 * with one clear line instead of a core dump: the handler for SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE and SIGABRT writes "<prefix> crashed: <signal> in thread
 * <name> (<context>)" to stderr and _exits with status 70. It runs on an
 * alternate stack (a runaway recursion still gets its line) and uses only
 * async-signal-safe calls: write(2), _exit(2). Whatever the run had written
 * to result files stays whole: they are written to a temporary file and
 * renamed, and nothing is written after the crash. */
#ifndef PV_CRASH_GUARD_H
#define PV_CRASH_GUARD_H

/* Installs the handlers; `prefix` and `context` are copied (up to 255 bytes).
 * 0 or an errno value. */
int pv_crash_guard_install(const char *prefix, const char *context);
/* Updates the context line (e.g. the case being run). Not thread-safe
 * against a concurrent crash: call it between runs. */
void pv_crash_guard_set_context(const char *context);
/* Names the calling thread for the message and gives it an alternate
 * signal stack. Call from each thread that runs guarded code. */
void pv_crash_guard_enter_thread(const char *name);
/* Undoes pv_crash_guard_enter_thread before the thread ends: forgets its
 * name, and disables and frees the alternate stack it was given (one that
 * was already there stays). */
void pv_crash_guard_leave_thread(void);
/* Restores the previous actions. */
void pv_crash_guard_uninstall(void);
/* Writes "<prefix> hung: <what>" to stderr and _exits with status 70: for a
 * watchdog that finds a thread still inside guarded code past its deadline. */
void pv_crash_guard_abort(const char *what) __attribute__((noreturn));

#endif
