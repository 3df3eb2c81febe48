#include "pv_perf.h"

#include <errno.h>

#if defined(__linux__)
#include <linux/perf_event.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int pv_perf_open(uint32_t type, uint64_t config, int group_fd, int user_only) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = type;
    attr.config = config;
    attr.disabled = 1;
    attr.inherit = 0;
    attr.exclude_kernel = user_only ? 1 : 0;
    attr.exclude_hv = user_only ? 1 : 0;
    attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    long fd = syscall(SYS_perf_event_open, &attr, 0 /* this thread */, -1 /* any CPU */, group_fd,
                      PERF_FLAG_FD_CLOEXEC);
    return fd < 0 ? -errno : (int)fd;
}

static int pv_perf_ioctl(int fd, unsigned long request, int whole_group) {
    return ioctl(fd, request, whole_group ? PERF_IOC_FLAG_GROUP : 0) < 0 ? -errno : 0;
}

int pv_perf_enable(int fd, int whole_group) { return pv_perf_ioctl(fd, PERF_EVENT_IOC_ENABLE, whole_group); }
int pv_perf_disable(int fd, int whole_group) { return pv_perf_ioctl(fd, PERF_EVENT_IOC_DISABLE, whole_group); }
int pv_perf_reset(int fd, int whole_group) { return pv_perf_ioctl(fd, PERF_EVENT_IOC_RESET, whole_group); }

int pv_perf_read_group(int leader_fd, uint64_t *values, int capacity, uint64_t *time_enabled,
                       uint64_t *time_running) {
    /* { u64 nr; u64 time_enabled; u64 time_running; u64 values[nr]; } */
    uint64_t buf[3 + 64];
    ssize_t n;
    do {
        n = read(leader_fd, buf, sizeof buf);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return -errno;
    if (n < (ssize_t)(3 * sizeof(uint64_t))) return -EIO;
    uint64_t nr = buf[0];
    if (nr > 64 || (size_t)n < (3 + nr) * sizeof(uint64_t)) return -EIO;
    *time_enabled = buf[1];
    *time_running = buf[2];
    for (uint64_t i = 0; i < nr && i < (uint64_t)capacity; i++) values[i] = buf[3 + i];
    return (int)nr;
}

void pv_perf_close(int fd) { close(fd); }

#else

int pv_perf_open(uint32_t type, uint64_t config, int group_fd, int user_only) {
    (void)type; (void)config; (void)group_fd; (void)user_only;
    return -ENOSYS;
}
int pv_perf_enable(int fd, int whole_group) { (void)fd; (void)whole_group; return -ENOSYS; }
int pv_perf_disable(int fd, int whole_group) { (void)fd; (void)whole_group; return -ENOSYS; }
int pv_perf_reset(int fd, int whole_group) { (void)fd; (void)whole_group; return -ENOSYS; }
int pv_perf_read_group(int leader_fd, uint64_t *values, int capacity, uint64_t *time_enabled,
                       uint64_t *time_running) {
    (void)leader_fd; (void)values; (void)capacity; (void)time_enabled; (void)time_running;
    return -ENOSYS;
}
void pv_perf_close(int fd) { (void)fd; }

#endif
