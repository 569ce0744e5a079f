// containers/security/process_security.cpp: planning and applying a process's capabilities,
// no_new_privs and seccomp filter (see process_security.h).
#include "containers/security/process_security.h"

#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "containers/security/capability_apply.h"
#include "containers/security/seccomp_filter.h"

namespace deploylab::ctr {
namespace {

Result<void> load_seccomp(const ProcessSecurity& security) {
  if (!security.seccomp) return {};
  SeccompFilter filter = DL_TRY(SeccompFilter::compile(*security.seccomp));
  return filter.load();
}

}  // namespace

Result<ProcessSecurity> plan_process_security(const Process& process, const nlohmann::json& seccomp) {
  ProcessSecurity security;
  security.capabilities = DL_TRY(plan_capabilities(process.capabilities, running_kernel_last_cap()));
  for (const std::string& warning : security.capabilities.warnings) spdlog::warn("{}", warning);
  security.no_new_privileges = process.no_new_privileges;
  if (!seccomp.is_null()) {
    security.seccomp = DL_TRY(parse_seccomp_profile(seccomp));
    DL_TRY(SeccompFilter::compile(*security.seccomp));  // what libseccomp refuses, refused now
  }
  return security;
}

SeccompLoadPoint seccomp_load_point(const ProcessSecurity& security) {
  return security.no_new_privileges ? SeccompLoadPoint::just_before_exec : SeccompLoadPoint::before_dropping_capabilities;
}

Result<void> drop_privileges(const ProcessSecurity& security, const std::function<Result<void>()>& change_user) {
  if (seccomp_load_point(security) == SeccompLoadPoint::before_dropping_capabilities) {
    DL_TRY(load_seccomp(security).context("loading linux.seccomp"));
  }
  DL_TRY(drop_bounding_set(security.capabilities, running_kernel_last_cap()).context("process.capabilities.bounding"));
  DL_TRY(change_user_and_set_capabilities(security.capabilities, change_user).context("process.capabilities"));
  if (security.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return Error::os("prctl(PR_SET_NO_NEW_PRIVS)", "process.noNewPrivileges", errno);
  }
  return {};
}

Result<void> load_seccomp_before_exec(const ProcessSecurity& security) {
  if (seccomp_load_point(security) != SeccompLoadPoint::just_before_exec) return {};
  return load_seccomp(security).context("loading linux.seccomp");
}

Result<void> switch_to_user(const User& user) {
  std::vector<gid_t> groups(user.additional_gids.begin(), user.additional_gids.end());
  if (::setgroups(groups.size(), groups.data()) != 0) return Error::os("setgroups", "process.user.additionalGids", errno);
  if (::setresgid(user.gid, user.gid, user.gid) != 0) {
    return Error::os("setresgid", std::to_string(user.gid), errno, "is the gid mapped in the user namespace?");
  }
  if (::setresuid(user.uid, user.uid, user.uid) != 0) {
    return Error::os("setresuid", std::to_string(user.uid), errno, "is the uid mapped in the user namespace?");
  }
  return {};
}

}  // namespace deploylab::ctr
