// containers/net/iptables.cpp: iptables(8) runs for minictr's rules (see iptables.h).
#include "containers/net/iptables.h"

#include <chrono>

#include "common/error.h"
#include "common/subprocess.h"

namespace deploylab::ctr {
namespace {

using namespace std::chrono_literals;

const char* kHint = "is iptables installed (apt-get install iptables) and are the nat and filter tables available?";

Result<Completed> iptables(const std::vector<std::string>& argv) {
  RunOptions options;
  options.timeout = 30s;
  return run(argv, options).context("running " + shell_words(argv));
}

Result<void> iptables_checked(const std::vector<std::string>& argv) {
  Completed done = DL_TRY(iptables(argv));
  if (done.status.code == 0) return {};
  return Error::invalid(shell_words(argv) + " failed: " + done.err, "", kHint);
}

Result<bool> rule_present(const IptablesRule& rule) {
  Completed done = DL_TRY(iptables(check_argv(rule)));
  return done.status.code == 0;
}

Result<bool> chain_present(const IptablesChain& chain) {
  Completed done = DL_TRY(iptables({"iptables", "-w", "-t", chain.table, "-S", chain.name}));
  return done.status.code == 0;
}

// Adds the rule unless it is there; whether this call added it.
Result<bool> add_if_absent(const IptablesRule& rule) {
  if (DL_TRY(rule_present(rule))) return false;
  DL_TRY(iptables_checked(add_argv(rule)));
  return true;
}

}  // namespace

Result<void> ensure_own_chains() {
  for (const IptablesChain& chain : own_chains()) {
    if (DL_TRY(chain_present(chain))) continue;
    DL_TRY(iptables_checked({"iptables", "-w", "-t", chain.table, "-N", chain.name}));
  }
  return add_rules(jump_rules());
}

Result<void> remove_own_chains() {
  DL_TRY(delete_rules(jump_rules()));
  for (const IptablesChain& chain : own_chains()) {
    if (!DL_TRY(chain_present(chain))) continue;
    DL_TRY(iptables_checked({"iptables", "-w", "-t", chain.table, "-X", chain.name}));
  }
  return {};
}

Result<void> add_rules(const std::vector<IptablesRule>& rules) {
  std::vector<IptablesRule> added;
  for (const IptablesRule& rule : rules) {
    auto fresh = add_if_absent(rule);
    if (!fresh.ok()) {
      (void)delete_rules(added);
      return std::move(fresh).error();
    }
    if (fresh.value()) added.push_back(rule);
  }
  return {};
}

Result<void> delete_rules(const std::vector<IptablesRule>& rules) {
  Result<void> first_failure;
  for (auto rule = rules.rbegin(); rule != rules.rend(); ++rule) {
    auto present = rule_present(*rule);
    if (!present.ok() || !present.value()) continue;
    auto done = iptables_checked(delete_argv(*rule));
    if (!done.ok() && first_failure.ok()) first_failure = done;
  }
  return first_failure;
}

}  // namespace deploylab::ctr
