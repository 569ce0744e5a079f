// containers/oci/spec_sections.h: the parsers of config.json's big sections, one per file, that
// parse_spec() (spec.cpp) puts together: process and hooks (spec_process.cpp) and the "linux"
// object (spec_linux.cpp). Internal to containers/oci; callers use parse_spec().
#pragma once

#include "containers/oci/json_fields.h"
#include "containers/oci/spec.h"

namespace deploylab::ctr {

// "process": argv, env, cwd, user, capabilities, rlimits (spec_process.cpp).
Result<Process> parse_process(const JsonObject& process);
// "hooks": the five hook lists, with the deprecated "prestart" at the front of create_runtime.
Result<Hooks> parse_hooks(const JsonObject& hooks);
// "linux": namespaces and id mappings (checked against each other), resources, devices, paths.
Result<LinuxSpec> parse_linux(const JsonObject& linux_object);

// Whether `path` is absolute in the container's or host's file tree ("/proc").
inline bool is_absolute_path(std::string_view path) { return !path.empty() && path.front() == '/'; }

}  // namespace deploylab::ctr
