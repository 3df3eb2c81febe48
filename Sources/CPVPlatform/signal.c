#include "pv_signal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define PV_SIGNAL_MAX 8

static volatile sig_atomic_t first_received = 0;
static volatile sig_atomic_t notify_fd = -1;
static int installed_count = 0;
static int installed_signals[PV_SIGNAL_MAX];
static struct sigaction previous[PV_SIGNAL_MAX];

/* Async-signal-safe only: sig_atomic_t stores, write(2), _exit(2). */
static void pv_signal_handler(int sig) {
    int saved = errno;
    if (first_received == sig) _exit(128 + sig);   /* second time: give up now */
    if (first_received == 0) first_received = sig;
    unsigned char byte = (unsigned char)sig;
    if (notify_fd >= 0) (void)!write(notify_fd, &byte, 1);
    errno = saved;
}

int pv_signal_install(const int *signals, int count, int fd) {
    if (installed_count != 0) return EBUSY;
    if (count < 1 || count > PV_SIGNAL_MAX || fd < 0) return EINVAL;
    first_received = 0;
    notify_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = pv_signal_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < count; i++) sigaddset(&action.sa_mask, signals[i]);
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, &previous[i]) != 0) {
            int rc = errno;
            for (int j = 0; j < i; j++) sigaction(installed_signals[j], &previous[j], NULL);
            notify_fd = -1;
            return rc;
        }
        installed_signals[i] = signals[i];
    }
    installed_count = count;
    return 0;
}

int pv_signal_uninstall(void) {
    int rc = 0;
    for (int i = 0; i < installed_count; i++) {
        if (sigaction(installed_signals[i], &previous[i], NULL) != 0) rc = errno;
    }
    installed_count = 0;
    notify_fd = -1;
    return rc;
}

int pv_signal_first_received(void) { return first_received; }
