#include "pv_crash_guard.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const int guarded[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define GUARDED_COUNT ((int)(sizeof guarded / sizeof guarded[0]))
static struct sigaction saved[GUARDED_COUNT];
static int installed = 0;
static char prefix_text[256];
static char context_text[256];
static __thread char thread_name[32];

static void copy(char *dst, size_t size, const char *src) {
    size_t n = src ? strlen(src) : 0;
    if (n >= size) n = size - 1;
    if (n) memcpy(dst, src, n);
    dst[n] = 0;
}

static void put(const char *s) { (void)!write(2, s, strlen(s)); }

static const char *signal_name(int sig) {
    switch (sig) {
    case SIGSEGV: return "SIGSEGV (bad memory access)";
    case SIGBUS: return "SIGBUS (bad memory access)";
    case SIGILL: return "SIGILL (illegal instruction)";
    case SIGFPE: return "SIGFPE (arithmetic fault)";
    case SIGABRT: return "SIGABRT (abort)";
    default: return "a fatal signal";
    }
}

/* The first thread to report owns stderr; any other (two threads that
 * crash at once, a crash while the watchdog reports) waits for the _exit. */
static int reporting = 0;

static void claim_report(void) {
    if (__atomic_exchange_n(&reporting, 1, __ATOMIC_ACQ_REL))
        for (;;) pause();
}

static void handler(int sig) {
    claim_report();
    put(prefix_text);
    put(" crashed: ");
    put(signal_name(sig));
    put(" in thread ");
    put(thread_name[0] ? thread_name : "(unnamed)");
    if (context_text[0]) { put(" ("); put(context_text); put(")"); }
    put("\n");
    _exit(70);
}

int pv_crash_guard_install(const char *prefix, const char *context) {
    if (installed) return EBUSY;
    copy(prefix_text, sizeof prefix_text, prefix);
    copy(context_text, sizeof context_text, context);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < GUARDED_COUNT; i++) {
        if (sigaction(guarded[i], &action, &saved[i]) != 0) {
            int e = errno;
            while (i-- > 0) sigaction(guarded[i], &saved[i], NULL);
            return e;
        }
    }
    installed = 1;
    return 0;
}

void pv_crash_guard_set_context(const char *context) { copy(context_text, sizeof context_text, context); }

/* The alternate stack this file gave the thread, NULL when none (the
 * thread had one of its own, or has left). */
static __thread void *own_stack;

void pv_crash_guard_enter_thread(const char *name) {
    copy(thread_name, sizeof thread_name, name);
    /* One alternate stack per thread until pv_crash_guard_leave_thread. */
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE)) return;
    stack_t alt = {.ss_sp = malloc(64 * 1024), .ss_size = 64 * 1024, .ss_flags = 0};
    if (!alt.ss_sp) return;
    if (sigaltstack(&alt, NULL) == 0) own_stack = alt.ss_sp;
    else free(alt.ss_sp);
}

void pv_crash_guard_leave_thread(void) {
    thread_name[0] = 0;
    if (!own_stack) return;
    stack_t off = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    /* Fails (EPERM) only while running on it, where it must stay. */
    if (sigaltstack(&off, NULL) != 0) return;
    free(own_stack);
    own_stack = NULL;
}

void pv_crash_guard_uninstall(void) {
    if (!installed) return;
    for (int i = 0; i < GUARDED_COUNT; i++) sigaction(guarded[i], &saved[i], NULL);
    installed = 0;
}

void pv_crash_guard_abort(const char *what) {
    claim_report();
    put(prefix_text);
    put(" hung: ");
    put(what);
    if (context_text[0]) { put(" ("); put(context_text); put(")"); }
    put("\n");
    _exit(70);
}
