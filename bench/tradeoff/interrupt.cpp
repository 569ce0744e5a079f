// bench/tradeoff/interrupt.cpp: the flag behind interrupted() (interrupt.h).
#include "bench/tradeoff/interrupt.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>


namespace deploylab::bench {
namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

int g_wake[2] = {-1, -1};

void note_signal(int) {
  g_interrupted.store(true);
  char byte = 1;
  [[maybe_unused]] auto n = ::write(g_wake[1], &byte, 1);  // async-signal-safe; full or closed: fine
}

}  // namespace

void catch_interrupts() {
  if (g_wake[0] < 0 && ::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) g_wake[0] = g_wake[1] = -1;
  struct sigaction action {};
  action.sa_handler = note_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: waits return EINTR and the caller looks at the flag
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() { return g_interrupted.load(); }

const std::atomic<bool>& interrupt_flag() { return g_interrupted; }

int interrupt_wake_fd() { return g_wake[0]; }

}  // namespace deploylab::bench
