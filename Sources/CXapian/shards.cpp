// Several indexes searched as one (issue 17): local index folders and remote shards, each
// served by `presse shard-serve` over Xapian's remote protocol, combined in one Xapian
// Database so that one match ranks them together with the statistics of all of them.
#include <sys/prctl.h>
#include <sys/wait.h>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <set>

#include "asking.h"
#include "internal.h"
#include "lookups.h"
#include "schema.h"
#include "search_parts.h"

namespace schema = cxapian::schema;

using cxapian::fail;
using cxapian::translate_exception;

// Xapian's own TCP server classes (net/tcpserver.h, net/remotetcpserver.h): libxapian exports
// them, as xapian-tcpsrv uses them, but Debian does not install their headers. Declared here
// as Xapian 1.4 defines them, members included, since set_registry is inline: Presse's query
// parts must be registered with the server that rebuilds them.
// The layout below is 1.4.22's (checked against the installed library: the vtable's size and
// where the registry sits); another version must be checked again before it is built.
#if XAPIAN_MAJOR_VERSION != 1 || XAPIAN_MINOR_VERSION != 4 || XAPIAN_REVISION != 22
#error "shards.cpp declares Xapian 1.4.22's TcpServer and RemoteTcpServer by hand: check their layout for this Xapian"
#endif
class TcpServer {
  public:
    TcpServer(const std::string &host, int port, bool tcp_nodelay, bool verbose);
    virtual ~TcpServer();
    int accept_connection();
    virtual void handle_one_connection(int socket) = 0;
    // Presse's own, inline (no change to the layout): a connection's process closes the
    // listening socket it inherits.
    int listening_socket() const { return listen_socket; }

  protected:
    int listen_socket;
    bool verbose;
};

class RemoteTcpServer : public TcpServer {
  public:
    RemoteTcpServer(const std::vector<std::string> &dbpaths, const std::string &host, int port,
                    double active_timeout, double idle_timeout, bool writable, bool verbose);
    void set_registry(const Xapian::Registry &registry) { reg = registry; }
    void handle_one_connection(int socket) override;

  private:
    const std::vector<std::string> dbpaths;
    bool writable;
    double active_timeout;
    double idle_timeout;
    Xapian::Registry reg;
};

namespace {

// A remote shard has this long to answer each message of a search, and to accept a
// connection: a shard that is down or hung is left out within these, never waited for.
constexpr useconds_t kShardTimeoutMs = 5000;
// How often a process that lives on tries a shard left out again (retry_left_out_shards): a
// down server answers a connection at once, a lost host costs a connection's time-out.
constexpr int kShardRetrySeconds = 10;
constexpr useconds_t kShardConnectTimeoutMs = 2000;
// The server's side: how long a connection may stay silent within an operation, and between
// operations (a searching process keeps its connection while it lives).
constexpr double kServerActiveTimeout = 60;
constexpr double kServerIdleTimeout = 600;

// Opens one shard and checks that it is an index of this Presse's schema.
void connect(cxapian::Shard &shard) {
    shard.live = false;
    if (shard.host.empty()) {
        // Each kind of failure keeps its kind (a missing shard reads as "no index").
        try {
            shard.database = Xapian::Database(shard.path);
        } catch (const Xapian::DatabaseNotFoundError &e) {
            throw Xapian::DatabaseNotFoundError("shard " + shard.name + ": " + e.get_msg());
        } catch (const Xapian::DatabaseVersionError &e) {
            throw Xapian::DatabaseVersionError("shard " + shard.name + ": " + e.get_msg());
        } catch (const Xapian::DatabaseOpeningError &e) {
            throw Xapian::DatabaseOpeningError("shard " + shard.name + ": " + e.get_msg());
        }
        // A shard is one database: a set of them inside a shard would number its releases
        // across its own databases, and shard_of (each release's compression dictionary)
        // would pick the wrong one.
        if (shard.database.size() != 1)
            throw Xapian::InvalidArgumentError("shard " + shard.name + " is itself a set of " +
                                               std::to_string(shard.database.size()) +
                                               " databases: name its shards in the list instead");
    } else {
        shard.database = Xapian::Remote::open(shard.host, shard.port, kShardTimeoutMs, kShardConnectTimeoutMs);
    }
    try {
        schema::check_version(shard.database);
    } catch (const Xapian::DatabaseVersionError &e) {
        throw Xapian::DatabaseVersionError("shard " + shard.name + ": " + e.get_msg());
    }
    shard.live = true;
}

// The combined database of the live shards, in their order.
void combine(cx_database *db) {
    auto combined = std::make_unique<Xapian::Database>();
    size_t live = 0;
    for (const auto &shard : db->shards)
        if (shard.live) {
            combined->add_database(shard.database);
            ++live;
        }
    if (live == 0) throw Xapian::NetworkError("no shard answered");
    db->reader = std::move(combined);
    db->database = db->reader.get();
    db->facets.reset();  // docids of another combination
    db->term_frequencies.clear();  // counted over other shards
}

// Connects every shard; a remote one that cannot be reached is left out with a warning
// unless every shard is required. A shard of another schema is an error either way: its
// answers would be wrong, not missing.
void connect_all(cx_database *db) {
    for (auto &shard : db->shards) {
        try {
            connect(shard);
        } catch (const Xapian::DatabaseVersionError &) {
            throw;
        } catch (const Xapian::Error &e) {
            // A local shard that cannot be opened is a wrong path or a damaged index, not a
            // shard that is down: an error.
            if (shard.host.empty()) throw;
            if (db->require_all_shards) throw Xapian::NetworkError("shard " + shard.name + " is unavailable: " + e.get_msg());
            db->warnings += "shard " + shard.name + " is unavailable (" + e.get_msg() + "): answering from the others\n";
        }
    }
    db->next_shard_retry = std::chrono::steady_clock::now() + std::chrono::seconds(kShardRetrySeconds);
    combine(db);
}

// Serves each connection in a process of its own, as Xapian's TcpServer::run does, but
// without its signal handlers: on SIGTERM it kills its whole process group, which is the
// shell or the test that started the shard. Here a connection's process dies with the server
// instead (PR_SET_PDEATHSIG), so stopping a shard stops all of it and nothing else.
// At most `most` connections are served at once: one more is accepted and closed at once (its
// searching side leaves the shard out, named, as one that is down), and said on standard
// error, rather than left waiting or given a process of its own.
[[noreturn]] void serve_connections(RemoteTcpServer &server, unsigned most) {
    std::signal(SIGCHLD, SIG_DFL);  // connections' processes are reaped (and counted) below
    const pid_t parent = getpid();
    std::set<pid_t> serving;
    bool refusing = false;  // said once until a connection is served again
    for (;;) {
        int connection;
        try {
            connection = server.accept_connection();
        } catch (const Xapian::NetworkError &) {
            // A client that went away before it was accepted, or no descriptor left: a pause,
            // so a lasting failure does not spin.
            usleep(10000);
            continue;
        }
        if (connection < 0) continue;
        for (pid_t ended; (ended = waitpid(-1, nullptr, WNOHANG)) > 0;) serving.erase(ended);
        if (serving.size() >= most) {
            close(connection);
            if (!refusing)
                std::fprintf(stderr, "presse: refusing connections: %u open, the most --max-connections allows\n", most);
            refusing = true;
            continue;
        }
        refusing = false;
        pid_t child = fork();
        if (child == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(0);  // the server ended before the line above
            // The listening socket is the server's: a connection's process that kept it would
            // hold the port after the server ended.
            close(server.listening_socket());
            try {
                server.handle_one_connection(connection);
            } catch (...) {
                // The client's loss: it reconnects or leaves the shard out.
            }
            _exit(0);
        }
        if (child > 0) serving.insert(child);
        close(connection);
    }
}

}  // namespace

namespace cxapian {

std::pair<const Xapian::Database *, unsigned> shard_of(const cx_database *db, Xapian::docid did) {
    if (db->shards.empty()) return {db->database, 0};
    std::vector<unsigned> live;
    for (unsigned i = 0; i < db->shards.size(); ++i)
        if (db->shards[i].live) live.push_back(i);
    unsigned which = live[(did - 1) % live.size()];
    return {&db->shards[which].database, which};
}

bool has_remote_shard(const cx_database *db) {
    for (const auto &shard : db->shards)
        if (shard.live && !shard.host.empty()) return true;
    return false;
}

void retry_left_out_shards(cx_database *db) {
    if (db->shards.empty()) return;
    auto now = std::chrono::steady_clock::now();
    if (now < db->next_shard_retry) return;
    db->next_shard_retry = now + std::chrono::seconds(kShardRetrySeconds);
    bool back = false;
    for (auto &shard : db->shards) {
        if (shard.live || shard.host.empty()) continue;
        try {
            connect(shard);
            back = true;
        } catch (const Xapian::Error &) {
            // Still down (or of another schema): left out; it was named when it went.
        }
    }
    if (back) combine(db);
}

bool reconnect_shards(cx_database *db) {
    if (db->shards.empty()) return false;
    size_t live = 0;
    for (auto &shard : db->shards) {
        if (shard.host.empty()) {
            live += shard.live;
            continue;
        }
        bool was_live = shard.live;
        try {
            connect(shard);
            ++live;
        } catch (const Xapian::Error &e) {
            if (db->require_all_shards) return false;
            if (was_live) db->warnings += "shard " + shard.name + " is unavailable (" + e.get_msg() + "): answering from the others\n";
        }
    }
    if (live == 0) return false;
    combine(db);
    return true;
}

}  // namespace cxapian

extern "C" {

cx_status cx_database_open_shards(const char *const *specs, size_t count, int flags, cx_database **out,
                                  cx_error *error) {
    if (out) *out = nullptr;
    std::unique_ptr<cx_database> db;
    try {
        if (!out || !specs || count == 0) return fail(error, CX_INVALID_ARGUMENT, "no shards");
        db.reset(new cx_database());
        db->require_all_shards = flags & CX_SHARDS_REQUIRE_ALL;
        for (size_t i = 0; i < count; ++i) {
            if (!specs[i]) return fail(error, CX_INVALID_ARGUMENT, "a shard is missing");
            cxapian::Shard shard;
            std::string spec = specs[i];
            if (spec.compare(0, 7, "remote ") == 0) {
                shard.name = spec.substr(7);
                size_t colon = shard.name.rfind(':');
                int port = colon == std::string::npos ? 0 : std::atoi(shard.name.c_str() + colon + 1);
                if (colon == std::string::npos || colon == 0 || port <= 0 || port > 65535)
                    return fail(error, CX_INVALID_ARGUMENT, "a remote shard is HOST:PORT, not '" + shard.name + "'");
                shard.host = shard.name.substr(0, colon);
                shard.port = unsigned(port);
            } else {
                shard.name = shard.path = spec;
            }
            db->shards.push_back(std::move(shard));
        }
        connect_all(db.get());
        *out = db.release();
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_database_take_warnings(cx_database *db, cx_bytes *out, cx_error *error) {
    if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!db || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        if (!db->warnings.empty()) cxapian::copy_out(db->warnings, out);
        db->warnings.clear();
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_database_left_out(const cx_database *db, cx_bytes *out, cx_error *error) {
    if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!db || !out) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        std::string names;
        for (const auto &shard : db->shards)
            if (!shard.live) names += shard.name + "\n";
        if (!names.empty()) cxapian::copy_out(names, out);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

struct cx_shard_server {
    RemoteTcpServer *server = nullptr;  // runs until the process ends: never destroyed
    unsigned max_connections = 0;
};

cx_status cx_shard_server_open(const char *index, const char *host, int port, unsigned max_connections,
                               cx_shard_server **out, cx_error *error) {
    if (out) *out = nullptr;
    try {
        if (!out || !index || !host) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        if (port <= 0 || port > 65535) return fail(error, CX_INVALID_ARGUMENT, "the port must be between 1 and 65535");
        if (max_connections == 0) return fail(error, CX_INVALID_ARGUMENT, "a server serves one connection at least");
        // Refused here rather than by each searching side: a shard of another schema is never served.
        schema::check_version(Xapian::Database(index));
        Xapian::Registry registry;
        cxapian::register_title_word_source(registry);
        registry.register_match_spy(cxapian::FacetSpy(nullptr));
        cxapian::register_lookups(registry, index);  // spelling and synonyms (lookups.h)
        auto server = new RemoteTcpServer({index}, host, port, kServerActiveTimeout, kServerIdleTimeout, false, false);
        server->set_registry(registry);
        *out = new cx_shard_server{server, max_connections};
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_shard_server_run(cx_shard_server *server, cx_error *error) {
    try {
        if (!server) return fail(error, CX_INVALID_ARGUMENT, "no server");
        serve_connections(*server->server, server->max_connections);
    } catch (...) {
        return translate_exception(error);
    }
}

}  // extern "C"
