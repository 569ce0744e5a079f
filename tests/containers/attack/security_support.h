// tests/containers/attack/security_support.h: bundles for the container-security tests (lab 9):
// minictr's default config.json with the capabilities a test names and the default seccomp
// profile made for them (what `minictr spec` writes for its own capabilities), plus the attack
// program (attack/ctr_attack.cpp) bind-mounted read-only at /attack.
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "containers/oci/default_spec.h"
#include "containers/security/default_profile.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {

// The attack program this build made (CTR_ATTACK_BINARY comes from CMake).
inline std::string attack_binary() { return CTR_ATTACK_BINARY; }

// The default capabilities plus `extra`.
inline std::vector<std::string> default_caps_and(const std::vector<std::string>& extra) {
  std::vector<std::string> caps = default_capabilities();
  caps.insert(caps.end(), extra.begin(), extra.end());
  return caps;
}

// Bounding, effective, permitted and ambient all `caps`, as runc spec writes them.
inline void set_capabilities(TestBundle& bundle, const std::vector<std::string>& caps) {
  for (const char* set : {"bounding", "effective", "permitted", "ambient"}) bundle.config()["process"]["capabilities"][set] = caps;
}

// linux.seccomp = the default profile for `caps` (null: no filter at all).
inline void set_default_profile(TestBundle& bundle, const std::vector<std::string>& caps) {
  bundle.config()["linux"]["seccomp"] = nlohmann::json::parse(default_seccomp_profile(caps).dump());
}

// Container deploylab-test-sec-<what>-<pid>: default capabilities plus `extra`, the default
// profile for them, noNewPrivileges (the default's), /attack.
inline TestBundle confined_bundle(const std::string& what, const std::vector<std::string>& extra = {}) {
  TestBundle b = TestBundle::make("deploylab-test-sec-" + what + "-" + std::to_string(::getpid()));
  set_capabilities(b, default_caps_and(extra));
  set_default_profile(b, default_caps_and(extra));
  b.config()["mounts"].push_back({{"destination", "/attack"}, {"type", "bind"}, {"source", attack_binary()},
                                  {"options", {"bind", "ro"}}});
  return b;
}

// Runs `/attack ARGS...` in the bundle's container (minictr run).
inline Completed attack(TestBundle& bundle, std::vector<std::string> args) {
  args.insert(args.begin(), "/attack");
  bundle.set_args(args);
  return bundle.run();
}

// ctr_attack's exit codes: 0 blocked, 1 the attack succeeded.
inline constexpr int kAttackBlocked = 0;
inline constexpr int kAttackSucceeded = 1;

}  // namespace deploylab::ctr::testing
