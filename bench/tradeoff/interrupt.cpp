// bench/tradeoff/interrupt.cpp: the flag behind interrupted() (interrupt.h).
#include "bench/tradeoff/interrupt.h"

#include <signal.h>


namespace deploylab::bench {
namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

void note_signal(int) { g_interrupted.store(true); }

}  // namespace

void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = note_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: waits return EINTR and the caller looks at the flag
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() { return g_interrupted.load(); }

const std::atomic<bool>& interrupt_flag() { return g_interrupted; }

}  // namespace deploylab::bench
