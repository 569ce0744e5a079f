// containers/oci/default_spec.h: the config.json that `minictr spec` writes, a starting point
// equivalent to what `runc spec` writes: a shell as root in a read-only "rootfs" directory next to
// config.json, in new pid, network, ipc, uts, mount and cgroup namespaces, with the small
// capability set and the /proc, /dev and /sys mounts a container needs, and with the corners of
// /proc and /sys that leak host information masked or made read-only.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace deploylab::ctr {

// The document, pretty-printed with tabs as runc prints it; parse_spec() accepts it.
std::string default_spec_json();

// The same with linux.seccomp set to `seccomp`: what `minictr spec` writes, with the default
// profile of containers/security/default_profile.h made for default_capabilities().
std::string default_spec_json(const nlohmann::ordered_json& seccomp);

// The names in the default's capability sets (runc spec's three).
std::vector<std::string> default_capabilities();

}  // namespace deploylab::ctr
