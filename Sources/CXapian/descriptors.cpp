// pipe2 and open file description locks: GNU extensions of glibc that Swift's Glibc module
// does not declare (it is built without _GNU_SOURCE; C++ builds with it).
#include <fcntl.h>
#include <unistd.h>

#include "cxapian.h"

extern "C" int cx_pipe_cloexec(int fds[2], int nonblocking) {
    return pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0));
}

namespace {

struct flock first_byte(short type) {
    struct flock lock = {};
    lock.l_type = type;
    lock.l_whence = SEEK_SET;
    lock.l_start = 0;
    lock.l_len = 1;
    return lock;  // l_pid 0, as F_OFD_* require
}

}  // namespace

extern "C" int cx_byte_lock(int fd, int locked) {
    struct flock lock = first_byte(locked ? F_WRLCK : F_UNLCK);
    return fcntl(fd, F_OFD_SETLK, &lock);
}

extern "C" int cx_byte_locked(int fd) {
    struct flock lock = first_byte(F_WRLCK);
    if (fcntl(fd, F_OFD_GETLK, &lock) != 0) return -1;
    return lock.l_type == F_UNLCK ? 0 : 1;
}
