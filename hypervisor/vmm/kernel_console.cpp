// hypervisor/vmm/kernel_console.cpp: recognising the console lines a VMM acts on (see
// kernel_console.h).
#include "hypervisor/vmm/kernel_console.h"

namespace deploylab::hv {

namespace {

constexpr std::size_t kLinesKept = 20;
constexpr std::size_t kLongestLine = 4096;  // a guest that never sends "\n" cannot grow us for ever

struct Announcement {
  std::string_view text;
  KernelConsole::Shutdown shutdown;
};

// The kernel's own words (kernel/reboot.c prints them with the "reboot: " prefix; kernel/panic.c).
constexpr Announcement kAnnouncements[] = {
    {"reboot: Power down", KernelConsole::Shutdown::power_off},
    {"reboot: Restarting system", KernelConsole::Shutdown::restart},
    {"reboot: System halted", KernelConsole::Shutdown::halt},
    {"Kernel panic - not syncing", KernelConsole::Shutdown::panic},
};

bool is_run_init(std::string_view line) {
  return line.rfind("Run ", 0) == 0 && line.find(" as init process") != std::string_view::npos;
}

}  // namespace

std::string to_string(KernelConsole::Shutdown shutdown) {
  switch (shutdown) {
    case KernelConsole::Shutdown::none: return "none";
    case KernelConsole::Shutdown::power_off: return "power-off";
    case KernelConsole::Shutdown::restart: return "reboot";
    case KernelConsole::Shutdown::halt: return "halt";
    case KernelConsole::Shutdown::panic: return "kernel panic";
  }
  return "?";
}

std::string_view without_printk_time(std::string_view line) {
  if (line.empty() || line.front() != '[') return line;
  std::size_t close = line.find(']');
  if (close == std::string_view::npos) return line;
  line.remove_prefix(close + 1);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  return line;
}

std::optional<KernelConsole::Shutdown> KernelConsole::feed(std::string_view bytes, Clock::time_point now) {
  std::optional<Shutdown> announced;
  for (char c : bytes) {
    if (c == '\r') continue;
    if (c != '\n' && partial_.size() < kLongestLine) {
      partial_.push_back(c);
      continue;
    }
    if (c != '\n') continue;  // an over-long line: the rest of it is dropped up to its end
    auto shutdown = take_line(std::move(partial_), now);
    partial_.clear();
    if (shutdown && !announced) announced = shutdown;
  }
  return announced;
}

std::optional<KernelConsole::Shutdown> KernelConsole::take_line(std::string line, Clock::time_point now) {
  std::string_view text = without_printk_time(line);
  std::optional<Shutdown> announced;
  if (!run_init_ && is_run_init(text)) run_init_ = now;
  if (shutdown_ == Shutdown::none) {
    for (const auto& announcement : kAnnouncements) {
      if (text.find(announcement.text) == std::string_view::npos) continue;
      shutdown_ = announcement.shutdown;
      shutdown_line_ = std::string(text.substr(text.find(announcement.text)));
      announced = shutdown_;
      break;
    }
  }
  recent_.push_back(std::move(line));
  if (recent_.size() > kLinesKept) recent_.pop_front();
  return announced;
}

std::string KernelConsole::last_lines(std::size_t count) const {
  std::string joined;
  std::size_t first = recent_.size() > count ? recent_.size() - count : 0;
  for (std::size_t i = first; i < recent_.size(); ++i) joined += recent_[i] + "\n";
  return joined;
}

}  // namespace deploylab::hv
