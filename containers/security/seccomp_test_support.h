// containers/security/seccomp_test_support.h: for the seccomp tests: run one system call in a
// forked child under a filter (no_new_privs set, so no root is needed) and report its errno. The
// filter dies with the child; the test process is never filtered.
#pragma once

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <optional>

#include "containers/security/seccomp_filter.h"

namespace deploylab::ctr::testing {

inline constexpr int kFilterFailed = 255;

// The errno `call` left (0 when it returned >= 0) in a child that loaded `profile` first
// (std::nullopt: no filter, the positive control); kFilterFailed if the filter did not load.
inline int errno_under_filter(const std::optional<SeccompProfile>& profile, const std::function<long()>& call) {
  pid_t child = ::fork();
  if (child == 0) {
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) ::_exit(kFilterFailed);
    if (profile) {
      auto filter = SeccompFilter::compile(*profile);
      if (!filter.ok() || !filter.value().load().ok()) ::_exit(kFilterFailed);
    }
    errno = 0;
    long result = call();
    ::_exit(result >= 0 ? 0 : (errno & 0xff));
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace deploylab::ctr::testing
