/* Interruption of long commands (SIGINT, SIGTERM). The handler does only
 * async-signal-safe things: it stores the signal number in a sig_atomic_t and
 * writes one byte to a pipe; a watcher thread in Swift reads the pipe and
 * stops the run. A second signal of a kind already received ends the process
 * at once with 128 + signal (_exit), so a stuck run can always be killed. */
#ifndef PVBENCH_PV_SIGNAL_H
#define PVBENCH_PV_SIGNAL_H

/* Installs the handler for `count` signals, writing to `notify_fd` (the
 * write end of a non-blocking pipe). Saves the previous actions.
 * Returns 0, EBUSY when already installed, or an errno value. */
int pv_signal_install(const int *signals, int count, int notify_fd);

/* Restores the actions saved by pv_signal_install. 0 or an errno value. */
int pv_signal_uninstall(void);

/* The first signal received since install, or 0. */
int pv_signal_first_received(void);

#endif
