// PDF releases: their text through poppler's pdftotext (Debian's poppler-utils), run as a
// helper process only while a PDF is read, as Recoll does. Linking poppler into the bridge
// instead made every `presse` process (each one-shot search) load 23 more shared libraries and
// start twice as slowly; a helper also keeps a PDF that crashes or exhausts poppler out of
// Presse's own process, and its memory and time are bounded from here (kill, address space).
//
// pdftotext runs with -bbox-layout: an XHTML stream of pages, blocks, lines and words. Its
// blocks are the PDF's paragraphs (plain pdftotext output has only lines, and a wrapped line
// that ends a sentence would end a paragraph there); its <head> carries the document's Title
// and CreationDate. The stream is parsed as it arrives (libxml2's push parser, SAX), so
// neither the XML (a dozen times the text) nor more than `max_text` of text is ever held.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "internal.h"
#include "sax_stream.h"

extern char **environ;

namespace {

// pdftotext's address space: poppler holds a page's objects, not the file, so a sane PDF
// needs far less; a hostile one (a bomb of nested streams) ends in a failed allocation here
// instead of in the machine's memory.
constexpr rlim_t kHelperAddressSpace = rlim_t(1) << 30;

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The text a -bbox-layout stream holds: words joined by spaces into lines, lines into
// blocks (one paragraph each), blocks separated by blank lines.
struct BboxText {
    size_t max_text = 0;
    bool too_long = false;
    std::string title, created, out;

    enum class Capture { none, title, word } capture = Capture::none;
    std::string word, line, block;
    int block_lines = 0, last_block_lines = 0;
    bool page_ended = false;

    void end_word() {
        if (word.empty()) return;
        if (!line.empty()) line += ' ';
        line += word;
        word.clear();
    }

    // Lines join with a space. A hyphen at a line's end stays: "Training- und" is as common in
    // releases as a word a typesetter hyphenated, and joining "Training" + "und" would invent
    // a word; only a soft hyphen (U+00AD), which marks a typesetter's break, is undone.
    void end_line() {
        end_word();
        if (line.empty()) return;
        ++block_lines;
        size_t n = block.size();
        bool soft_hyphen = n >= 2 && static_cast<unsigned char>(block[n - 2]) == 0xC2 && static_cast<unsigned char>(block[n - 1]) == 0xAD;
        if (soft_hyphen) block.resize(n - 2);
        else if (!block.empty()) block += ' ';
        block += line;
        line.clear();
    }

    // A block made only of digits (a page number) is the page's furniture, not the release.
    // The first block of a page continues the last one of the page before when that one was
    // cut by the page (cut_by_page).
    void end_block() {
        end_line();
        bool number = !block.empty() && block.find_first_not_of("0123456789 /") == std::string::npos;
        if (!block.empty() && !number) {
            if (!out.empty()) out += page_ended && cut_by_page(block) ? " " : "\n\n";
            out += block;
            page_ended = false;
            last_block_lines = block_lines;
            if (out.size() > max_text) too_long = true;
        }
        block.clear();
        block_lines = 0;
    }

    // The page's last block ends without closing punctuation, and it ran over several lines (a
    // paragraph, not a heading) or the next page's first block starts in lower case.
    bool cut_by_page(const std::string &next) const {
        unsigned char last = static_cast<unsigned char>(out.back());
        // . ! ? : ; " ' ) and the last byte of a closing quote or ellipsis (” » …).
        if (std::strchr(".!?:;\"')", last) || last == 0x9D || last == 0xBB || last == 0xA6) return false;
        unsigned char first = static_cast<unsigned char>(next[0]);
        bool lower = (first >= 'a' && first <= 'z') ||
                     (first == 0xC3 && next.size() > 1 && static_cast<unsigned char>(next[1]) >= 0x9F);
        return last_block_lines >= 2 || lower;
    }

    void start(const std::string &element, const cxapian::SaxAttributes &attributes) {
        if (element == "word") capture = Capture::word;
        else if (element == "title") capture = Capture::title;
        else if (element == "meta" && attributes["name"] == "CreationDate") created = attributes["content"];
    }

    void end(const std::string &element) {
        if (element == "word") end_word();
        else if (element == "line") end_line();
        else if (element == "block") end_block();
        else if (element == "page") page_ended = true;
        if (element == "word" || element == "title") capture = Capture::none;
    }

    void text(const char *chars, size_t length) {
        if (capture == Capture::word) {
            for (size_t i = 0; i < length; ++i)
                if (!is_space(static_cast<unsigned char>(chars[i]))) word += chars[i];
        } else if (capture == Capture::title) {
            title.append(chars, length);
        }
    }
};

double now_seconds() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// The helper process and the pipes it writes; whatever happens, the destructor leaves no
// process and no descriptor behind.
struct Helper {
    pid_t pid = -1;
    int out = -1, err = -1;
    int status = 0;
    bool reaped = false;

    ~Helper() {
        if (out >= 0) close(out);
        if (err >= 0) close(err);
        if (pid > 0 && !reaped) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        }
    }

    // Returns 0, or the errno of the failure (ENOENT: pdftotext is not installed).
    int spawn(const char *const argv[]) {
        int out_pipe[2], err_pipe[2];
        // Close-on-exec: another thread's helper must not inherit these, or its EOF would
        // wait for this one's.
        if (pipe2(out_pipe, O_CLOEXEC) != 0) return errno;
        if (pipe2(err_pipe, O_CLOEXEC) != 0) {
            int e = errno;
            close(out_pipe[0]);
            close(out_pipe[1]);
            return e;
        }
        out = out_pipe[0];
        err = err_pipe[0];
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
        posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        // Default signal handling and an empty mask in the child, whatever Presse set (an
        // ignored SIGPIPE would be inherited, and the helper would not stop when we close).
        sigset_t all, none;
        sigfillset(&all);
        sigemptyset(&none);
        posix_spawnattr_setsigdefault(&attributes, &all);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
        int failed = posix_spawnp(&pid, argv[0], &actions, &attributes, const_cast<char *const *>(argv), environ);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
        close(out_pipe[1]);
        close(err_pipe[1]);
        if (failed) {
            pid = -1;
            return failed;
        }
        rlimit limit{kHelperAddressSpace, kHelperAddressSpace};
        prlimit(pid, RLIMIT_AS, &limit, nullptr);
        return 0;
    }

    void stop() {
        if (pid > 0 && !reaped) kill(pid, SIGKILL);
    }

    void reap() {
        if (pid <= 0 || reaped) return;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        reaped = true;
    }
};

// pdftotext's last "... Error: reason" line on stderr, for the skipped file's reason.
std::string helper_reason(const std::string &stderr_text) {
    std::string last;
    size_t start = 0;
    while (start < stderr_text.size()) {
        size_t end = stderr_text.find('\n', start);
        if (end == std::string::npos) end = stderr_text.size();
        std::string line = stderr_text.substr(start, end - start);
        size_t colon = line.find("Error: ");
        if (colon != std::string::npos) last = line.substr(colon + 7);
        start = end + 1;
    }
    if (last.size() > 120) last = last.substr(0, 120);
    return last;
}

}  // namespace

extern "C" cx_status cx_pdf_text(const char *path, size_t path_len, size_t max_text, int timeout_seconds, cx_bytes *title,
                                 cx_bytes *created, cx_bytes *text, cx_error *error) {
    for (cx_bytes *out : {title, created, text})
        if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!path || !title || !created || !text) return cxapian::fail(error, CX_INVALID_ARGUMENT, "missing argument");
        std::string file(path, path_len);
        if (file.empty() || file[0] == '-') file = "./" + file;  // never read as an option
        const char *argv[] = {"pdftotext", "-bbox-layout", "-enc", "UTF-8", file.c_str(), "-", nullptr};
        Helper helper;
        if (int failed = helper.spawn(argv)) {
            if (failed == ENOENT)
                return cxapian::fail(error, CX_INVALID_ARGUMENT, "pdftotext is not installed (Debian package poppler-utils)");
            return cxapian::fail(error, CX_IO, std::string("pdftotext could not be started: ") + std::strerror(failed));
        }

        BboxText result;
        result.max_text = max_text;
        cxapian::SaxStream<BboxText> parser(result);

        std::string stderr_text;
        std::string failure;
        double deadline = now_seconds() + timeout_seconds;
        char buffer[65536];
        bool out_open = true, err_open = true;
        while (out_open || err_open) {
            double left = deadline - now_seconds();
            if (left <= 0) {
                failure = "a PDF that pdftotext did not read within " + std::to_string(timeout_seconds) + " s";
                break;
            }
            pollfd fds[2] = {{out_open ? helper.out : -1, POLLIN, 0}, {err_open ? helper.err : -1, POLLIN, 0}};
            int ready = poll(fds, 2, static_cast<int>(left * 1000) + 1);
            if (ready < 0 && errno != EINTR) return cxapian::fail(error, CX_IO, std::string("poll: ") + std::strerror(errno));
            if (ready <= 0) continue;
            if (fds[0].revents) {
                ssize_t n = read(helper.out, buffer, sizeof buffer);
                if (n > 0) {
                    parser.feed(buffer, static_cast<size_t>(n));
                    if (result.too_long) {
                        failure = "a PDF whose text is longer than " + std::to_string(max_text >> 20) + " MB";
                        break;
                    }
                } else if (n == 0 || errno != EINTR) {
                    out_open = false;
                }
            }
            if (fds[1].revents) {
                ssize_t n = read(helper.err, buffer, sizeof buffer);
                if (n > 0) {
                    if (stderr_text.size() < 4096) stderr_text.append(buffer, static_cast<size_t>(n));
                } else if (n == 0 || errno != EINTR) {
                    err_open = false;
                }
            }
        }
        if (!failure.empty()) {
            helper.stop();
            helper.reap();
            return cxapian::fail(error, CX_INVALID_ARGUMENT, failure);
        }
        helper.reap();
        parser.finish();
        int status = helper.status;
        if (WIFSIGNALED(status)) {
            std::string reason = "pdftotext stopped by signal " + std::to_string(WTERMSIG(status));
            if (WTERMSIG(status) == SIGABRT || WTERMSIG(status) == SIGSEGV) reason += " (a damaged PDF, or one too large for 1 GB of memory)";
            return cxapian::fail(error, CX_INVALID_ARGUMENT, reason);
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
            std::string detail = helper_reason(stderr_text);
            if (detail.find("password") != std::string::npos)
                return cxapian::fail(error, CX_INVALID_ARGUMENT, "a PDF locked with a password");
            if (WEXITSTATUS(status) == 3)
                return cxapian::fail(error, CX_INVALID_ARGUMENT, "a PDF whose permissions forbid copying its text");
            return cxapian::fail(error, CX_INVALID_ARGUMENT,
                                 "a damaged or truncated PDF" + (detail.empty() ? "" : " (pdftotext: " + detail + ")"));
        }
        result.end_block();
        cxapian::copy_out(result.title, title);
        cxapian::copy_out(result.created, created);
        cxapian::copy_out(result.out, text);
        return CX_OK;
    } catch (...) {
        for (cx_bytes *out : {title, created, text}) cx_bytes_free(out);
        return cxapian::translate_exception(error);
    }
}
