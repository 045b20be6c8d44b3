// The last-resort handler for fatal signals (see cxapian.h). Only async-signal-safe calls
// (write, _exit) run inside the handler; the message is prepared beforehand.
#include <algorithm>
#include <csignal>
#include <cstring>
#include <unistd.h>

#include "cxapian.h"

namespace {

char fatal_message[1024];
size_t fatal_length = 0;
int fatal_status = 3;

extern "C" void on_fatal_signal(int) {
    if (fatal_length) {
        ssize_t ignored = write(2, fatal_message, fatal_length);
        (void)ignored;
    }
    _exit(fatal_status);
}

}  // namespace

extern "C" void cx_install_fatal_signal_message(const char *message, size_t message_len, int status) {
    fatal_length = message ? std::min(message_len, sizeof fatal_message) : 0;
    if (fatal_length) std::memcpy(fatal_message, message, fatal_length);
    fatal_status = status;
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_handler = on_fatal_signal;
    sigemptyset(&action.sa_mask);
    for (int signal_number : {SIGSEGV, SIGBUS, SIGFPE, SIGILL}) sigaction(signal_number, &action, nullptr);
}
