// containers/rootfs/layer_import.cpp: checked tar extraction with libarchive and the OCI ->
// overlayfs whiteout conversion (see layer_import.h for the threats and the two formats).
#include "containers/rootfs/layer_import.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "containers/rootfs/mount_syscalls.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";

using ReadArchive = std::unique_ptr<archive, decltype(&archive_read_free)>;
using WriteArchive = std::unique_ptr<archive, decltype(&archive_write_free)>;

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = std::min(path.find('/', start), path.size());
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// "writing `etc/passwd`: Cannot extract through symlink evil" (libarchive's words last).
Error archive_error(archive* a, const std::string& what, const std::string& object) {
  const char* message = archive_error_string(a);
  return Error::invalid(what + " `" + object + "`" + (message != nullptr ? ": " + std::string(message) : std::string()));
}

// The libarchive writer: permissions, times, xattrs and (as root) numeric owners as in the tar;
// no writing through symlinks and no ".." (our checks come first; this is the second line).
WriteArchive open_disk_writer() {
  WriteArchive out(archive_write_disk_new(), archive_write_free);
  int flags = ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_XATTR |
              ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT;
  if (::geteuid() == 0) flags |= ARCHIVE_EXTRACT_OWNER;  // numeric ids: no lookup of host names
  archive_write_disk_set_options(out.get(), flags);
  return out;
}

Result<ReadArchive> open_tar(const fs::path& tarball) {
  ReadArchive in(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(in.get());  // gzip, xz, bzip2, zstd, none: detected from the bytes
  archive_read_support_format_tar(in.get());  // ustar, pax and GNU tar
  if (archive_read_open_filename(in.get(), tarball.c_str(), 64 * 1024) != ARCHIVE_OK) {
    return archive_error(in.get(), "cannot open the layer", tarball.string());
  }
  return in;
}

// ".wh.NAME" becomes a 0/0 character device NAME; ".wh..wh..opq" the opaque xattr on its dir.
Result<void> apply_whiteout(const Whiteout& whiteout, const fs::path& layer_dir) {
  // BEGIN SOLUTION lab 6: write an OCI whiteout in overlayfs's form: a 0/0 character device, or the opaque xattr
  const fs::path path = layer_dir / whiteout.path;
  if (whiteout.kind == WhiteoutKind::opaque) {
    DL_TRY(make_directories(path));
    if (::setxattr(path.c_str(), "trusted.overlay.opaque", "y", 1, 0) == 0) return {};
    return Error::os("setxattr trusted.overlay.opaque", path.string(), errno,
                     "trusted.* attributes need root and a filesystem with xattrs (ext4, xfs, tmpfs)");
  }
  DL_TRY(make_directories(path.parent_path()));
  if (::mknod(path.c_str(), S_IFCHR | 0, makedev(0, 0)) == 0) return {};
  return Error::os("mknod (whiteout)", path.string(), errno, "whiteouts are device nodes: run as root");
  // END SOLUTION
}

Result<void> copy_data(archive* in, archive* out, const std::string& entry) {
  const void* block = nullptr;
  size_t size = 0;
  la_int64_t offset = 0;
  for (;;) {
    int status = archive_read_data_block(in, &block, &size, &offset);
    if (status == ARCHIVE_EOF) return {};
    if (status < ARCHIVE_WARN) return archive_error(in, "reading", entry);
    if (archive_write_data_block(out, block, size, offset) < ARCHIVE_WARN) return archive_error(out, "writing", entry);
  }
}

// Checks one entry, points it into the layer directory, and writes it.
Result<void> extract_entry(archive* in, archive* out, archive_entry* entry, const fs::path& layer_dir) {
  const std::string name = archive_entry_pathname(entry);
  const std::string clean = DL_TRY(clean_entry_path(name));  // the error names the entry
  if (clean.empty()) return {};  // the layer root itself ("./"): the directory exists already
  Whiteout whiteout = classify_whiteout(clean);
  if (whiteout.kind != WhiteoutKind::none) return apply_whiteout(whiteout, layer_dir);
  if (const char* target = archive_entry_hardlink(entry)) {
    DL_TRY(check_link_target(clean, target, LinkKind::hard).context("entry `" + name + "`"));
    archive_entry_set_hardlink(entry, (layer_dir / DL_TRY(clean_entry_path(target))).c_str());
  }
  if (const char* target = archive_entry_symlink(entry)) {
    DL_TRY(check_link_target(clean, target, LinkKind::symbolic).context("entry `" + name + "`"));
  }
  archive_entry_set_pathname(entry, (layer_dir / clean).c_str());
  if (archive_write_header(out, entry) < ARCHIVE_WARN) return archive_error(out, "writing", name);
  if (archive_entry_size(entry) > 0) DL_TRY(copy_data(in, out, name));
  if (archive_write_finish_entry(out) < ARCHIVE_WARN) return archive_error(out, "finishing", name);
  return {};
}

}  // namespace

Result<std::string> clean_entry_path(std::string_view name) {
  if (!name.empty() && name.front() == '/') {
    return Error::invalid("absolute path in a layer", std::string(name), "layer entries are relative to the layer root");
  }
  std::string clean;
  for (const std::string& part : split_path(name)) {
    if (part == ".") continue;
    if (part == "..") {
      return Error::invalid("`..` in a layer path would write outside the layer", std::string(name),
                            "this tarball is broken or malicious: do not import it");
    }
    if (!clean.empty()) clean += '/';
    clean += part;
  }
  return clean;
}

Result<void> check_link_target(const std::string& entry, std::string_view target, LinkKind kind) {
  if (kind == LinkKind::hard) {
    DL_TRY(clean_entry_path(target).context("hard link target"));
    return {};
  }
  if (!target.empty() && target.front() == '/') return {};  // followed inside the container's root only
  long depth = static_cast<long>(split_path(entry).size()) - 1;  // directories above the link
  for (const std::string& part : split_path(target)) {
    if (part == ".") continue;
    depth += part == ".." ? -1 : 1;
    if (depth < 0) {
      return Error::invalid("symlink target climbs out of the layer", entry + " -> " + std::string(target),
                            "a relative link may not go above the layer root");
    }
  }
  return {};
}

Whiteout classify_whiteout(const std::string& entry) {
  const std::size_t slash = entry.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : entry.substr(0, slash);
  const std::string base = slash == std::string::npos ? entry : entry.substr(slash + 1);
  if (base == kOpaqueMarker) return {WhiteoutKind::opaque, dir};
  if (!base.starts_with(kWhiteoutPrefix) || base.size() == kWhiteoutPrefix.size()) return {};
  std::string hidden = base.substr(kWhiteoutPrefix.size());
  return {WhiteoutKind::file, dir.empty() ? hidden : dir + "/" + hidden};
}

Result<void> extract_layer(const fs::path& tarball, const fs::path& layer_dir) {
  // libarchive refuses to write through ANY symlink on the path, including ones above the layer
  // (/var -> /srv/var): start from the real path.
  std::error_code error;
  const fs::path root = fs::canonical(layer_dir, error);
  if (error) return Error::os("realpath", layer_dir.string(), error.value(), "the layer directory must exist");
  ReadArchive in = DL_TRY(open_tar(tarball));
  WriteArchive out = open_disk_writer();
  archive_entry* entry = nullptr;
  for (;;) {
    int status = archive_read_next_header(in.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) return archive_error(in.get(), "reading the layer", tarball.string());
    DL_TRY(extract_entry(in.get(), out.get(), entry, root).context("extracting " + tarball.string()));
  }
  if (archive_write_close(out.get()) != ARCHIVE_OK) return archive_error(out.get(), "finishing", layer_dir.string());
  return {};
}

}  // namespace deploylab::ctr
