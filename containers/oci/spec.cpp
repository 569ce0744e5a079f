// containers/oci/spec.cpp: parse_spec() and load_spec() (see spec.h). The sections with the most
// fields have their own files: spec_process.cpp (process, hooks) and spec_linux.cpp (linux).
#include "containers/oci/spec.h"

#include <sys/stat.h>

#include <cerrno>

#include "common/file_io.h"
#include "containers/oci/spec_sections.h"

namespace deploylab::ctr {
namespace {

Result<std::string> parse_oci_version(const JsonObject& top) {
  auto version = DL_TRY(top.required_string("ociVersion"));
  if (version.rfind("1.", 0) != 0) {
    return json_error("ociVersion", "minictr reads runtime-spec 1.x documents, not \"" + version + "\"",
                      "runc spec writes \"1.0.2-dev\"");
  }
  return version;
}

Result<Root> parse_root(const JsonObject& top) {
  auto object = DL_TRY(top.required_object("root"));
  Root root;
  root.path = DL_TRY(object.required_string("path"));
  if (root.path.empty()) return json_error("root.path", "must not be empty", "the usual value is \"rootfs\"");
  root.readonly = DL_TRY(object.bool_or("readonly", false));
  return root;
}

Result<Mount> parse_mount(const JsonObject& entry) {
  Mount mount;
  mount.destination = DL_TRY(entry.required_string("destination"));
  if (!is_absolute_path(mount.destination)) {
    return json_error(entry.path_of("destination"), "must be an absolute path, not \"" + mount.destination + "\"",
                      "where the mount appears inside the container, e.g. \"/data\"");
  }
  mount.type = DL_TRY(entry.string_or("type", ""));
  mount.source = DL_TRY(entry.string_or("source", ""));
  mount.options = DL_TRY(entry.string_array("options"));
  return mount;
}

Result<std::vector<Mount>> parse_mounts(const JsonObject& top) {
  std::vector<Mount> mounts;
  for (const auto& entry : DL_TRY(top.object_array("mounts"))) mounts.push_back(DL_TRY(parse_mount(entry)));
  return mounts;
}

// runc's rule: setting a host or domain name in the runtime's own uts namespace would rename the
// host, so a container may only name itself in a uts namespace of its own.
Result<void> check_uts_names(const Spec& spec) {
  if (spec.linux_spec.has_namespace(NamespaceType::uts)) return {};
  for (std::string_view key : {"hostname", "domainname"}) {
    const auto& name = key == "hostname" ? spec.hostname : spec.domainname;
    if (!name.empty()) {
      return json_error(key, "is set, but the container shares the host's uts namespace",
                        "add {\"type\": \"uts\"} to linux.namespaces, or remove " + std::string(key));
    }
  }
  return {};
}

Result<Spec> parse_document(const JsonObject& top) {
  Spec spec;
  spec.oci_version = DL_TRY(parse_oci_version(top));
  auto process = DL_TRY(top.required_object("process"));
  spec.process = DL_TRY(parse_process(process));
  spec.root = DL_TRY(parse_root(top));
  spec.hostname = DL_TRY(top.string_or("hostname", ""));
  spec.domainname = DL_TRY(top.string_or("domainname", ""));
  spec.mounts = DL_TRY(parse_mounts(top));
  if (auto hooks = DL_TRY(top.optional_object("hooks"))) spec.hooks = DL_TRY(parse_hooks(*hooks));
  if (auto linux_object = DL_TRY(top.optional_object("linux"))) spec.linux_spec = DL_TRY(parse_linux(*linux_object));
  spec.annotations = DL_TRY(top.string_map("annotations"));
  DL_TRY(check_uts_names(spec));
  return spec;
}

Result<void> check_root_dir(const std::filesystem::path& root) {
  std::error_code error;
  auto status = std::filesystem::status(root, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    return Error::invalid("rootfs `" + root.string() + "` does not exist", "",
                          "unpack a root filesystem there, or point root.path in config.json at one");
  }
  if (error) return Error::os("stat", root.string(), error.value());
  if (status.type() != std::filesystem::file_type::directory) {
    return Error::invalid("rootfs `" + root.string() + "` is not a directory", "", "root.path names a directory");
  }
  return {};
}

}  // namespace

Result<Spec> parse_spec(std::string_view json, std::string_view origin) {
  const std::string where(origin);
  auto document = DL_TRY(parse_json_text(json).context(where));
  auto top = DL_TRY(JsonObject::from(document, "").context(where));
  return parse_document(top).context(where);
}

Result<Spec> load_spec(const std::filesystem::path& bundle) {
  auto dir = std::filesystem::absolute(bundle).lexically_normal();
  auto config = dir / "config.json";
  struct stat info{};
  if (::stat(config.c_str(), &info) != 0 && errno == ENOENT) {
    return Error::invalid("no config.json in", dir.string(), "write one with `minictr spec`");
  }
  auto text = DL_TRY(read_file(config));
  auto spec = DL_TRY(parse_spec(text, config.string()));
  // A relative root is relative to the bundle (runtime-spec config.md#root), not to the directory
  // minictr happens to be started from.
  spec.root.path = (dir / spec.root.path).lexically_normal();
  DL_TRY(check_root_dir(spec.root.path).context("loading bundle " + dir.string()));
  return spec;
}

}  // namespace deploylab::ctr
