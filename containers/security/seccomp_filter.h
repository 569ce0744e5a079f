// containers/security/seccomp_filter.h: a SeccompProfile (seccomp_profile.h) compiled into a BPF
// filter with libseccomp, and loaded into the calling process.
//
// Compiling happens while the init still can do anything (it allocates, reads libseccomp's
// tables); loading is one seccomp(2) call, done as late as possible so the filter has to allow
// as few of the runtime's own calls as possible (process_security.h says where). Once loaded, a
// filter cannot be removed or loosened, by this process or any child: that is the point.
#pragma once

#include <memory>

#include <seccomp.h>

#include "common/result.h"
#include "containers/security/seccomp_profile.h"

namespace deploylab::ctr {

class SeccompFilter {
 public:
  // Builds the filter: the default action, the extra architectures, every rule.
  static Result<SeccompFilter> compile(const SeccompProfile& profile);

  // Installs it in the calling thread (all threads with SECCOMP_FILTER_FLAG_TSYNC). It does not
  // set no_new_privs: without it, the caller needs CAP_SYS_ADMIN.
  Result<void> load() const;

 private:
  struct Release {
    void operator()(void* ctx) const;
  };
  explicit SeccompFilter(void* ctx) : ctx_(ctx) {}
  std::unique_ptr<void, Release> ctx_;  // libseccomp's scmp_filter_ctx
};

// libseccomp's action value for `action` (with `errno_ret` for errno_ret and trace).
std::uint32_t libseccomp_action(SeccompAction action, std::uint32_t errno_ret);

}  // namespace deploylab::ctr
