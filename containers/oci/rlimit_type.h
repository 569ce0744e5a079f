// containers/oci/rlimit_type.h: config.json's rlimit names ("RLIMIT_NOFILE") and the numbers
// setrlimit(2) takes (RLIMIT_NOFILE = 7).
//
// The OCI spec names a process's resource limits by their C macro names, so one config.json
// means the same on every libc; the runtime turns each name into the number of the platform it
// runs on before it calls setrlimit/prlimit in the container's init. spec.cpp rejects a name that
// is not in this table, as runc does: a limit silently skipped is a limit not enforced.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace deploylab::ctr {

// The resource number of an OCI rlimit type; std::nullopt for an unknown name.
std::optional<int> rlimit_resource(std::string_view type);
// The OCI name of a resource number ("RLIMIT_NOFILE" for 7); "" for an unknown number.
std::string_view rlimit_name(int resource);
// "RLIMIT_AS, RLIMIT_CORE, ...": for error messages.
std::string known_rlimit_names();

}  // namespace deploylab::ctr
