// bench/isolation/syscall_table.h: the system calls of x86_64 by number and name, and which
// kernel releases have each one, for syscall-census (syscall_census.cpp). Plain C++ with no
// deploylab library, so the static census links it as it is.
//
// Why a table of our own: the census must name what it finds, and it must know which numbers are
// system calls on the kernel it runs on WITHOUT calling them (calling is what it promises never to
// do). A number can be a hole (337-423 are unused on x86_64), a call x86_64 never had or dropped
// long ago (create_module, tuxcall, set_thread_area: the entry is sys_ni_syscall, which only says
// ENOSYS), a call newer than the running kernel (listns arrived in Linux 6.19), or a call only the
// kernel's uprobe trampoline makes (Caller below). Those are not counted. The census needs Linux
// 5.0 (seccomp user notification), so "since" is only written for calls added after 5.0. Numbers
// after the table's last entry are newer than this program and are not counted either: extend the
// table when Linux adds calls (arch/x86/entry/syscalls/syscall_64.tbl).
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace deploylab::bench::isolation {

// A Linux release, as "6.18" in `uname -r`.
struct Release {
  int major = 0;
  int minor = 0;
  friend auto operator<=>(const Release&, const Release&) = default;
};

inline constexpr Release kOld{};              // "since": before Linux 5.0; "removed": still there
inline constexpr Release kNotOnX86_64{1, 0};  // "removed": no kernel the census can run on has it

// Who makes the call: anyone, or only the kernel's own uprobe trampoline. uretprobe and uprobe
// are jumped to by code the kernel plants in a traced process; recent kernels let them pass
// seccomp unfiltered (a filter could not block them anyway), and made from anywhere else they only
// fail (SIGILL, ENXIO). Probing them would run them, so the census leaves them out.
enum class Caller { anyone, uprobe_trampoline };

struct SyscallEntry {
  int number = 0;
  std::string_view name;
  Release since = kOld;    // the release that added it
  Release removed = kOld;  // the release whose table entry became sys_ni_syscall (kOld: never)
  Caller caller = Caller::anyone;
};

// Every x86_64 number up to the table's end that has a name, in number order (holes left out).
std::span<const SyscallEntry> x86_64_syscalls();

// The entry for `number`, or nullptr for a hole or a number past the table's end.
const SyscallEntry* find_syscall(int number);
// The number of `name` ("keyctl" -> 250).
std::optional<int> syscall_number(std::string_view name);
// "keyctl" for 250; std::nullopt for a number the table does not know.
std::optional<std::string_view> syscall_name(int number);

// Whether `entry` is a working system call on a kernel of release `running`.
bool exists_on(const SyscallEntry& entry, Release running);
// Whether the census counts it there: it exists and anyone may call it.
bool counted_on(const SyscallEntry& entry, Release running);

// "6.18.44-fc-v657" -> {6, 18}; std::nullopt when the text does not start with MAJOR.MINOR.
std::optional<Release> parse_release(std::string_view uname_release);

}  // namespace deploylab::bench::isolation
