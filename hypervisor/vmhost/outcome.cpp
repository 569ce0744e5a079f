// hypervisor/vmhost/outcome.cpp: reading the test host's evidence (see outcome.h).
#include "hypervisor/vmhost/outcome.h"

#include <charconv>

namespace deploylab::vmhost {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

// The console line that names a panic, if any.
std::optional<std::string> panic_line(const std::string& console) {
  auto at = console.find("Kernel panic");
  if (at == std::string::npos) return std::nullopt;
  auto start = console.rfind('\n', at);
  start = start == std::string::npos ? 0 : start + 1;
  return trimmed(console.substr(start, console.find('\n', at) - start));
}

// init's own complaint on the console ("vmhost-init: error: ..."): the only place it can say so
// when it fails before the job directory is mounted (loading the 9p modules, for one).
std::optional<std::string> init_error_line(const std::string& console) {
  const std::string tag = "vmhost-init: error: ";
  auto at = console.find(tag);
  if (at == std::string::npos) return std::nullopt;
  return trimmed(console.substr(at + tag.size(), console.find('\n', at) - at - tag.size()));
}

}  // namespace

std::string last_lines(const std::string& text, int count) {
  std::string t = trimmed(text);
  std::size_t at = t.size();
  for (int i = 0; i < count && at != std::string::npos && at > 0; ++i) at = t.rfind('\n', at - 1);
  return at == std::string::npos ? t : t.substr(at + 1);
}

Result<int> interpret(const Evidence& e) {
  std::string log_hint = e.console_path.empty() ? "" : "the guest's console is in " + e.console_path;
  if (e.status) {
    int code = -1;
    std::string text = trimmed(*e.status);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
    if (ec != std::errc() || end != text.data() + text.size() || code < 0 || code > 255) {
      return Error::invalid("the test host wrote an exit status that is not a number", text, log_hint);
    }
    return code;
  }
  if (e.interrupted) return Error::invalid("interrupted: the test host was stopped before the command finished");
  if (e.froze) {
    std::string tries = e.attempts > 1 ? " in each of " + std::to_string(e.attempts) + " attempts" : "";
    return Error::invalid("the test host froze" + tries + ": " + e.freeze_report, "",
                          "QEMU's emulated AMD-V sometimes loses the interrupt that wakes the test host; run the command "
                          "again, and if it keeps freezing, give it more attempts with --freeze-retries; " + log_hint);
  }
  if (e.timed_out) {
    return Error::invalid("the test host did not finish within " + std::to_string(static_cast<int>(e.timeout_s)) + " s",
                          "", "the command may be waiting forever, or need a longer --timeout; " + log_hint);
  }
  if (auto complaint = e.init_error ? std::optional<std::string>(trimmed(*e.init_error)) : init_error_line(e.console)) {
    return Error::invalid("the test host could not set up: " + *complaint, "", log_hint);
  }
  if (auto panic = panic_line(e.console)) {
    return Error::invalid("the test host's kernel panicked: " + *panic, "",
                          "the kernel and its initramfs may not match: rerun make deps; " + log_hint);
  }
  if (!e.qemu.success()) {
    return Error::invalid("QEMU " + e.qemu.describe() + " before the test host finished:\n" + last_lines(e.qemu_stderr, 10),
                          "", "check the QEMU command line with --log-level debug; " + log_hint);
  }
  return Error::invalid("the test host powered off without the command's exit status:\n" + last_lines(e.console, 15), "", log_hint);
}

}  // namespace deploylab::vmhost
