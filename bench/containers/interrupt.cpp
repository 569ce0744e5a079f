// bench/containers/interrupt.cpp: the flag behind interrupted() (interrupt.h).
#include "bench/containers/interrupt.h"

#include <signal.h>

#include <csignal>

namespace deploylab::bench {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void note_signal(int) { g_interrupted = 1; }

}  // namespace

void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = note_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: waits return EINTR and the caller looks at the flag
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() { return g_interrupted != 0; }

}  // namespace deploylab::bench
