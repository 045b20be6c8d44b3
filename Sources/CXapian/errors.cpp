// The exception translator: every entry point ends in `catch (...) { return
// translate_exception(error); }`, so the mapping from Xapian's classes to statuses lives here
// only (after xapian-bindings' generic/except.i): specific classes first, then the families,
// then std::bad_alloc, std::exception and "unknown". Nothing escapes, nothing is left unset.
#include <cstdlib>
#include <cstring>
#include <new>

#include "internal.h"

namespace cxapian {

cx_status fail(cx_error *error, cx_status status, const std::string &message) noexcept {
    if (error) {
        std::free(error->message);
        error->status = status;
        error->message = strndup(message.data(), message.size());
    }
    return status;
}

void copy_out(const std::string &bytes, cx_bytes *out) {
    out->data = static_cast<char *>(std::malloc(bytes.size() + 1));
    if (!out->data) throw std::bad_alloc();
    std::memcpy(out->data, bytes.data(), bytes.size());
    out->data[bytes.size()] = 0;
    out->length = bytes.size();
}

cx_status translate_exception(cx_error *error) noexcept {
    try {
        throw;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return fail(error, CX_NOT_FOUND, e.get_msg());
    } catch (const Xapian::DatabaseLockError &e) {
        return fail(error, CX_LOCKED, e.get_msg());
    } catch (const Xapian::DatabaseVersionError &e) {
        return fail(error, CX_VERSION, e.get_msg());
    } catch (const Xapian::DatabaseCorruptError &e) {
        return fail(error, CX_CORRUPT, e.get_msg());
    } catch (const Xapian::DatabaseModifiedError &e) {
        return fail(error, CX_MODIFIED, e.get_msg());
    } catch (const Xapian::DatabaseOpeningError &e) {
        return fail(error, CX_OPENING, e.get_msg());
    } catch (const Xapian::InvalidArgumentError &e) {
        return fail(error, CX_INVALID_ARGUMENT, e.get_msg());
    } catch (const Xapian::InvalidOperationError &e) {
        return fail(error, CX_INVALID_ARGUMENT, e.get_msg());
    } catch (const Xapian::NetworkError &e) {
        return fail(error, CX_NETWORK, e.get_msg());
    } catch (const Xapian::DatabaseError &e) {
        // Truncated tables surface as a plain DatabaseError ("EOF reading block", "Couldn't
        // read enough") as often as DatabaseCorruptError; both mean the same to a user.
        const std::string &msg = e.get_msg();
        if (msg.find("EOF") != std::string::npos || msg.find("Couldn't read") != std::string::npos ||
            msg.find("corrupt") != std::string::npos)
            return fail(error, CX_CORRUPT, e.get_description());
        return fail(error, CX_IO, e.get_description());
    } catch (const Xapian::Error &e) {
        return fail(error, CX_OTHER, e.get_description());
    } catch (const std::bad_alloc &) {
        return fail(error, CX_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception &e) {
        return fail(error, CX_OTHER, e.what());
    } catch (...) {
        return fail(error, CX_OTHER, "unknown C++ exception");
    }
}

}  // namespace cxapian

extern "C" const char *cx_status_to_string(cx_status status) {
    switch (status) {
    case CX_OK: return "ok";
    case CX_NOT_FOUND: return "not found";
    case CX_LOCKED: return "locked";
    case CX_CORRUPT: return "corrupt";
    case CX_OPENING: return "cannot open";
    case CX_VERSION: return "unsupported format version";
    case CX_MODIFIED: return "modified during read";
    case CX_INVALID_ARGUMENT: return "invalid argument";
    case CX_OUT_OF_MEMORY: return "out of memory";
    case CX_IO: return "database error";
    case CX_OTHER: return "error";
    case CX_NETWORK: return "shard unavailable";
    }
    return "error";
}

extern "C" void cx_error_clear(cx_error *error) {
    if (!error) return;
    std::free(error->message);
    error->message = nullptr;
    error->status = CX_OK;
}

extern "C" void cx_bytes_free(cx_bytes *bytes) {
    if (!bytes) return;
    std::free(bytes->data);
    bytes->data = nullptr;
    bytes->length = 0;
}
