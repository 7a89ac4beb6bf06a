// The one POSIX call the server needs that Swift's Glibc module hides behind _GNU_SOURCE.
#ifndef C_SOCKET_SHIMS_H
#define C_SOCKET_SHIMS_H

#include <sys/epoll.h>
#include <sys/socket.h>

/// accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC: one call instead of accept + two fcntl.
int csocket_accept_nonblocking(int fd);

#endif
