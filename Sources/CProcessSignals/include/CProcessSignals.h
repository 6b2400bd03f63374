#ifndef C_PROCESS_SIGNALS_H
#define C_PROCESS_SIGNALS_H

#include <sys/types.h>

/// Opens a pidfd for `pid` (Linux 5.3+): a descriptor that names that very process, never a later one
/// that reuses its pid. Returns -1 with errno set on failure (ENOSYS on kernels without pidfds).
int c_process_pidfd_open(pid_t pid);

/// Sends `signal` to the process a pidfd names. Returns 0, or -1 with errno set (ESRCH once the process
/// has exited and been reaped: the signal then reaches nobody).
int c_process_pidfd_send_signal(int pidfd, int signal);

#endif
