// hypervisor/vmhost/freeze_watch.cpp: the heartbeat verdict (see freeze_watch.h).
#include "hypervisor/vmhost/freeze_watch.h"

namespace deploylab::vmhost {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

bool FreezeWatch::frozen_after(Clock::time_point now, const std::optional<std::string>& beat) {
  // Any change is a sign of life, even a half-written file: the guest was running to write it.
  if (beat && beat != last_beat_) {
    last_beat_ = beat;
    last_change_ = now;
    return false;
  }
  auto limit = last_beat_ ? limits_.silence : limits_.boot_grace;
  return now - last_change_ >= limit;
}

std::string FreezeWatch::describe(Clock::time_point now) const {
  auto quiet = std::chrono::duration_cast<std::chrono::seconds>(now - last_change_).count();
  if (!last_beat_) return "no heartbeat " + std::to_string(quiet) + " s after the start (the test host never reached its init)";
  return "no heartbeat for " + std::to_string(quiet) + " s (the last one was " + trimmed(*last_beat_) + ")";
}

}  // namespace deploylab::vmhost
