// Replicas (issue 17): a read-only copy of an index kept in step with it by Xapian's own
// replication — DatabaseMaster on the master's machine, DatabaseReplica on the replica's —
// over a TCP connection carrying Xapian's replication protocol. Presse adds only the
// connection (a time-out on every step, a stop from another thread) and, on the master's
// side, a wait: a replica that is up to date is answered when the index next changes.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

#include "internal.h"
#include "schema.h"

namespace schema = cxapian::schema;

using cxapian::fail;
using cxapian::translate_exception;

// Xapian's replication classes (api/replication.h in Xapian's source): libxapian exports them,
// as xapian-replicate uses them, but 1.4 does not install their header (the API is marked
// experimental). Declared here as Xapian 1.4.22 defines them; only the members Presse calls,
// all of them out of line in the library, plus the one data member, so the size is right.
#if XAPIAN_MAJOR_VERSION != 1 || XAPIAN_MINOR_VERSION != 4 || XAPIAN_REVISION != 22
#error "replication.cpp declares Xapian 1.4.22's DatabaseMaster and DatabaseReplica by hand: check them for this Xapian"
#endif
namespace Xapian {

struct ReplicationInfo {
    int changeset_count = 0;
    int fullcopy_count = 0;
    bool changed = false;
};

class DatabaseMaster {
    std::string path;

  public:
    explicit DatabaseMaster(const std::string &path_) : path(path_) {}
    void write_changesets_to_fd(int fd, const std::string &start_revision, ReplicationInfo *info) const;
};

class DatabaseReplica {
    class Internal;
    Xapian::Internal::intrusive_ptr<Internal> internal;

  public:
    DatabaseReplica(const DatabaseReplica &) = delete;
    void operator=(const DatabaseReplica &) = delete;
    explicit DatabaseReplica(const std::string &path);
    ~DatabaseReplica();
    std::string get_revision_info() const;
    void set_read_fd(int fd);
    bool apply_next_changeset(ReplicationInfo *info, double reader_close_time);
};

}  // namespace Xapian

namespace {

// Connections a master serves at once: one per replica, each mostly waiting; past this a
// connection is closed at once and its replica tries again.
constexpr int kMaxConnections = 64;
// How often a waiting connection looks at the index for a new commit, how long it lets a
// writer finish, and how long it waits for a commit's changeset file to follow its version
// file (it is fsynced first).
constexpr int kChangePollMs = 50;
constexpr int kWriterSettleMs = 200;
constexpr int kChangesetSettleMs = 1000;
// How long a replica has to send its request, and a master's write may stall (a replica that
// stopped reading): a lost peer frees its thread, never holds it for good.
constexpr int kRequestSeconds = 10;
constexpr int kSendSeconds = 60;

void set_timeout(int fd, int option, double seconds) {
    timeval tv{};
    tv.tv_sec = time_t(seconds);
    tv.tv_usec = suseconds_t((seconds - double(tv.tv_sec)) * 1e6);
    setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

// A peer that vanishes without closing (a machine switched off, a cable pulled) is found by
// TCP's keep-alive within about 20 s, on both sides.
void keep_alive(int fd) {
    int on = 1, idle = 10, interval = 5, count = 2;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

// Xapian's message framing (net/remoteconnection.cc, net/length.cc): a type byte, the
// length (one byte below 255, else 255 then 7 bits a byte, the last with its top bit set),
// the bytes. The replica's request is two messages, 'R' (its revision) and 'D' (a database
// name), as Xapian's ReplicateTcpClient sends them; what follows is DatabaseMaster's.
std::string frame(char type, const std::string &message) {
    std::string out(1, type);
    size_t length = message.size();
    if (length < 255) {
        out += char(length);
    } else {
        out += char(0xff);
        length -= 255;
        for (;;) {
            unsigned char low = length & 0x7f;
            length >>= 7;
            if (!length) {
                out += char(low | 0x80);
                break;
            }
            out += char(low);
        }
    }
    return out + message;
}

void send_all(int fd, const std::string &bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Xapian::NetworkError("cannot send the request", errno);
        sent += size_t(n);
    }
}

unsigned char read_byte(int fd) {
    unsigned char byte;
    for (;;) {
        ssize_t n = recv(fd, &byte, 1, 0);
        if (n == 1) return byte;
        if (n < 0 && errno == EINTR) continue;
        throw Xapian::NetworkError(n == 0 ? "the replica closed the connection" : "the replica's request did not come", errno);
    }
}

// One message of the replica's request, of the type expected; a request is small.
std::string read_message(int fd, char expected) {
    if (char(read_byte(fd)) != expected) throw Xapian::NetworkError("not a replica's request");
    size_t length = read_byte(fd);
    if (length == 0xff) {
        length = 0;
        for (int shift = 0;; shift += 7) {
            if (shift > 28) throw Xapian::NetworkError("a bad length in the request");
            unsigned char byte = read_byte(fd);
            length |= size_t(byte & 0x7f) << shift;
            if (byte & 0x80) break;
        }
        length += 255;
    }
    if (length > 65536) throw Xapian::NetworkError("an oversized request");
    std::string message(length, '\0');
    for (size_t i = 0; i < length; ++i) message[i] = char(read_byte(fd));
    return message;
}

// The replica's revision as DatabaseReplica::get_revision_info() writes it: the database's
// UUID (length-prefixed as above), then the revision number (7 bits a byte, low first, the
// top bit set on all but the last: Xapian's pack_uint). False when it does not read so (a
// new replica sends nothing): the master then answers at once.
bool parse_revision(const std::string &info, std::string *uuid, Xapian::rev *revision) {
    const unsigned char *p = reinterpret_cast<const unsigned char *>(info.data());
    const unsigned char *end = p + info.size();
    if (p == end || *p >= 255) return false;
    size_t length = *p++;
    if (size_t(end - p) < length) return false;
    uuid->assign(reinterpret_cast<const char *>(p), length);
    p += length;
    Xapian::rev value = 0;
    for (int shift = 0; p != end; shift += 7) {
        if (shift > 56) return false;
        unsigned char byte = *p++;
        value |= Xapian::rev(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *revision = value;
            return p == end;
        }
    }
    return false;
}

// Where the index's stub points and when it last changed: a rebuild or a compaction switches
// it to a new database, which a reopen of the old one would not see.
std::string stub_stamp(const std::string &index) {
    struct stat info {};
    if (stat((index + "/XAPIANDB").c_str(), &info) != 0) return "";
    return std::to_string(info.st_ino) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
           std::to_string(info.st_mtim.tv_nsec);
}

bool exists(const std::string &path) {
    struct stat info {};
    return stat(path.c_str(), &info) == 0;
}

// True while a writer holds the database's lock (Xapian's flintlock, an fcntl lock: F_GETLK
// sees it without taking it).
bool writer_holds_lock(const std::string &folder) {
    int fd = open((folder + "/flintlock").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    bool held = fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
    close(fd);
    return held;
}

// Waits, up to CX_REPLICATION_WAIT_SECONDS, while the index is at the replica's revision: a
// replica that is up to date is answered when the next commit (or a switch to a rebuilt
// database) lands, not when it next asks. Any doubt ends the wait: answering early is
// always correct, the replica just asks again.
void wait_for_change(const std::string &index, const std::string &revision_info) {
    std::string uuid;
    Xapian::rev revision = 0;
    if (!parse_revision(revision_info, &uuid, &revision)) return;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(CX_REPLICATION_WAIT_SECONDS);
    try {
        std::string stamp = stub_stamp(index);
        Xapian::Database db(index);
        while (db.get_uuid() == uuid && db.get_revision() == revision) {
            if (std::chrono::steady_clock::now() > deadline) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(kChangePollMs));
            std::string now = stub_stamp(index);
            if (now != stamp) {
                stamp = now;
                db = Xapian::Database(index);
            } else {
                db.reopen();
            }
        }
        if (db.get_uuid() != uuid) return;  // another database: sent whole
        // Glass writes a commit's version file first and renames its changeset into place
        // after: met in between, by this wake-up or by DatabaseMaster catching up with a
        // writer that commits again at once (`presse add` stamps the index after its
        // releases), there is no changeset for the revision and the whole index is sent.
        // Where the index keeps changesets (its setting file, IndexStore.keepChangesets),
        // the writer is let finish (briefly: `presse index` holds the lock for its whole
        // run), then the latest commit's changeset is waited for.
        if (!exists(index + "/changesets")) return;
        std::string folder = cxapian::live_folder(index);
        auto start = std::chrono::steady_clock::now();
        while (writer_holds_lock(folder) && std::chrono::steady_clock::now() < start + std::chrono::milliseconds(kWriterSettleMs))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        db.reopen();
        if (db.get_uuid() != uuid) return;
        std::string wanted = folder + "/changes" + std::to_string(db.get_revision() - 1);
        while (!exists(wanted) && std::chrono::steady_clock::now() < start + std::chrono::milliseconds(kChangesetSettleMs))
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } catch (...) {
        // A commit under way, a database being switched: answer now.
    }
}

std::atomic<int> open_connections{0};

void serve_connection(int fd, std::string index) {
    try {
        set_timeout(fd, SO_RCVTIMEO, kRequestSeconds);
        set_timeout(fd, SO_SNDTIMEO, kSendSeconds);
        keep_alive(fd);
        std::string revision = read_message(fd, 'R');
        // Xapian's own server serves a folder of databases by name; this one serves one
        // index, and the name says whether a replica in step may wait for a change.
        std::string name = read_message(fd, 'D');
        if (name == CX_REPLICATION_ON_CHANGE) wait_for_change(index, revision);
        // DatabaseMaster opens the index through its stub at each request, so a rebuilt or
        // compacted index (another database, another UUID) is sent whole.
        Xapian::DatabaseMaster(index).write_changesets_to_fd(fd, revision, nullptr);
    } catch (...) {
        // The replica's loss: it says so and tries again.
    }
    close(fd);
    --open_connections;
}

// Opens a TCP connection to host:port within `seconds`; the descriptor is published in
// *published (under `lock`) from its creation, so a stop can shut it down mid-connect.
int connect_to(const std::string &host, int port, double seconds, std::mutex &lock, int *published,
               const std::atomic<bool> &stopped) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    int resolved = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    if (resolved != 0) throw Xapian::NetworkError("cannot resolve " + host + ": " + gai_strerror(resolved));
    std::string failure = "cannot connect";
    int result = -1;
    for (addrinfo *a = found; a && result < 0; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) continue;
        {
            std::lock_guard<std::mutex> guard(lock);
            if (stopped) {
                close(fd);
                break;
            }
            *published = fd;
        }
        int error = 0;
        if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            error = errno;
            if (error == EINPROGRESS) {
                pollfd p{fd, POLLOUT, 0};
                int ready = poll(&p, 1, int(seconds * 1000));
                socklen_t size = sizeof error;
                if (ready == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0) {
                } else {
                    error = ready == 0 ? ETIMEDOUT : errno;
                }
            }
        }
        if (error == 0) {
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            result = fd;
        } else {
            failure = std::strerror(error);
            std::lock_guard<std::mutex> guard(lock);
            *published = -1;
            close(fd);
        }
    }
    freeaddrinfo(found);
    if (stopped && result >= 0) {
        std::lock_guard<std::mutex> guard(lock);
        *published = -1;
        close(result);
        result = -1;
    }
    if (result < 0) throw Xapian::NetworkError(stopped ? "stopped" : failure);
    return result;
}

// A replication master's first message has a type from 0 to 6 (Xapian's REPL_REPLY_*), and
// its "no more changes" (0) is empty. Xapian's remote protocol (a shard server) greets with a
// type-0 message that is not empty, which DatabaseReplica would take for "no more changes",
// and the replica would say it is in step with a server that sends nothing, for ever. So the
// first two bytes are looked at (left in place for DatabaseReplica) before it reads them.
void expect_replication(int fd) {
    unsigned char head[2];
    for (;;) {
        ssize_t n = recv(fd, head, 2, MSG_PEEK);
        if (n == 2) break;
        if (n == 0) throw Xapian::NetworkError("Connection closed unexpectedly");
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Xapian::NetworkTimeoutError(errno == EAGAIN ? "Timeout expired while waiting for the master" : "read failed", errno);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // one byte so far
    }
    if (head[0] > 6 || (head[0] == 0 && head[1] != 0))
        throw Xapian::NetworkError("it does not answer as a replication master: a shard server, or another service?");
}

}  // namespace

struct cx_replication_server {
    int listener = -1;
    std::string index;
};

struct cx_replica {
    std::string path;
    std::unique_ptr<Xapian::DatabaseReplica> replica;
    std::mutex lock;      // guards `socket` against a stop from another thread
    int socket = -1;
    std::atomic<bool> stopped{false};
};

extern "C" {

cx_status cx_replication_server_open(const char *index, const char *host, int port, int *bound_port,
                                     cx_replication_server **out, cx_error *error) {
    if (out) *out = nullptr;
    if (bound_port) *bound_port = 0;
    int fd = -1;
    try {
        if (!out || !index || !host || !bound_port) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        if (port < 0 || port > 65535) return fail(error, CX_INVALID_ARGUMENT, "the port must be between 0 and 65535");
        {
            // What replicas would get is checked once here: one index of this Presse's schema.
            Xapian::Database db(index);
            if (db.size() != 1)
                return fail(error, CX_INVALID_ARGUMENT, std::string(index) + " is a set of shards: serve each shard's index to its own replicas");
            schema::check_version(db);
        }
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_PASSIVE;
        addrinfo *found = nullptr;
        if (int resolved = getaddrinfo(host, std::to_string(port).c_str(), &hints, &found))
            return fail(error, CX_NETWORK, std::string("cannot listen on ") + host + ": " + gai_strerror(resolved));
        std::string failure;
        for (addrinfo *a = found; a && fd < 0; a = a->ai_next) {
            fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
            if (fd < 0) continue;
            int on = 1;
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
            if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, 64) != 0) {
                failure = std::strerror(errno);
                close(fd);
                fd = -1;
            }
        }
        freeaddrinfo(found);
        if (fd < 0) return fail(error, CX_NETWORK, std::string("cannot listen on ") + host + ":" + std::to_string(port) + ": " + failure);
        sockaddr_storage address{};
        socklen_t size = sizeof address;
        getsockname(fd, reinterpret_cast<sockaddr *>(&address), &size);
        *bound_port = ntohs(address.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port
                                                         : reinterpret_cast<sockaddr_in *>(&address)->sin_port);
        *out = new cx_replication_server{fd, index};
        return CX_OK;
    } catch (...) {
        if (fd >= 0) close(fd);
        return translate_exception(error);
    }
}

cx_status cx_replication_server_run(cx_replication_server *server, cx_error *error) {
    try {
        if (!server) return fail(error, CX_INVALID_ARGUMENT, "no server");
        // A replica that goes away mid-send must cost its connection, not the server.
        std::signal(SIGPIPE, SIG_IGN);
        for (;;) {
            int fd = accept4(server->listener, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno != EINTR) usleep(10000);  // no descriptor left: a pause, not a spin
                continue;
            }
            if (open_connections >= kMaxConnections) {
                close(fd);
                continue;
            }
            ++open_connections;
            try {
                std::thread(serve_connection, fd, server->index).detach();
            } catch (...) {
                close(fd);
                --open_connections;
            }
        }
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_replica_open(const char *path, cx_replica **out, cx_error *error) {
    if (out) *out = nullptr;
    try {
        if (!out || !path || !*path) return fail(error, CX_INVALID_ARGUMENT, "no path");
        std::unique_ptr<cx_replica> replica(new cx_replica());
        replica->path = path;
        replica->replica.reset(new Xapian::DatabaseReplica(path));
        *out = replica.release();
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_replica_connect(cx_replica *replica, const char *host, int port, double connect_seconds,
                             int on_change, cx_error *error) {
    try {
        if (!replica || !host) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        if (!replica->replica) replica->replica.reset(new Xapian::DatabaseReplica(replica->path));
        int fd = connect_to(host, port, connect_seconds, replica->lock, &replica->socket, replica->stopped);
        try {
            keep_alive(fd);
            send_all(fd, frame('R', replica->replica->get_revision_info()) + frame('D', on_change ? CX_REPLICATION_ON_CHANGE : "now"));
        } catch (...) {
            std::lock_guard<std::mutex> guard(replica->lock);
            replica->socket = -1;
            close(fd);
            throw;
        }
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_replica_receive(cx_replica *replica, double read_seconds, cx_replica_update *out, cx_error *error) {
    if (out) *out = cx_replica_update{};
    if (!replica || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
    int fd;
    {
        std::lock_guard<std::mutex> guard(replica->lock);
        fd = replica->socket;
    }
    if (fd < 0) return fail(error, CX_INVALID_ARGUMENT, "not connected");
    cx_status status = CX_OK;
    try {
        // Every read of Xapian's replica waits at most this long (it then throws
        // NetworkTimeoutError): a master that stops answering is a failure, not a hang.
        set_timeout(fd, SO_RCVTIMEO, read_seconds);
        expect_replication(fd);
        replica->replica->set_read_fd(fd);
        cx_replica_update update{};
        for (;;) {
            Xapian::ReplicationInfo info;
            bool more = replica->replica->apply_next_changeset(&info, 0.0);
            update.changesets += info.changeset_count;
            update.full_copies += info.fullcopy_count;
            if (info.changed) update.changed = 1;
            if (!more) break;
        }
        Xapian::Database live(replica->path);
        update.revision = live.get_revision();
        update.releases = live.get_doccount();
        *out = update;
    } catch (...) {
        status = translate_exception(error);
        // Xapian leaves the copy valid after a failed exchange; a fresh handle (reopened from
        // the stub at the next connect) starts the next one from what is on disk.
        try {
            replica->replica.reset();
        } catch (...) {
        }
    }
    std::lock_guard<std::mutex> guard(replica->lock);
    replica->socket = -1;
    close(fd);
    return status;
}

void cx_replica_stop(cx_replica *replica) {
    if (!replica) return;
    std::lock_guard<std::mutex> guard(replica->lock);
    replica->stopped = true;
    if (replica->socket >= 0) shutdown(replica->socket, SHUT_RDWR);
}

void cx_replica_close(cx_replica *replica) {
    if (!replica) return;
    try {
        std::lock_guard<std::mutex> guard(replica->lock);
        if (replica->socket >= 0) close(replica->socket);
        replica->socket = -1;
    } catch (...) {
    }
    try {
        delete replica;
    } catch (...) {
    }
}

}  // extern "C"
