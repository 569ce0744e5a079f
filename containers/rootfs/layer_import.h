// containers/rootfs/layer_import.h: unpack one image layer (a tar file, plain or compressed)
// into a directory that overlayfs can use as a lower layer.
//
// Two jobs besides unpacking:
//
// 1. Safety. A layer is untrusted input unpacked by root. An entry named "/etc/cron.d/x" or
//    "../../etc/cron.d/x", a hard link to "/etc/shadow", or a symlink "x -> /etc" followed by an
//    entry "x/cron.d/y" would all write outside the layer directory, on the host. Every entry is
//    checked before it is written (and the error names it); libarchive's own SECURE_* flags are
//    a second line of defence that also refuses writing THROUGH a symlink. Absolute symlink
//    targets are allowed: they are only followed inside the container, whose "/" is the rootfs
//    ("bin/sh -> /bin/busybox" is in every image); relative ones may not climb out of the layer.
//
// 2. Whiteouts. A layer records a deletion of a file from the layers below as an empty file
//    ".wh.NAME" next to where NAME was, and "this directory replaces, not merges with, the one
//    below" as a file ".wh..wh..opq" in it (the OCI image spec, inherited from AUFS, because a
//    tarball must be portable across filesystems). overlayfs has its own on-disk form for both,
//    which is what the kernel checks while it merges directories: a character device with
//    device number 0/0 named NAME (no real device has that number, so it cannot clash with a
//    real file) and the extended attribute trusted.overlay.opaque="y" on the directory. The
//    import converts the first form into the second. Both need root (mknod, trusted.* xattrs).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace deploylab::ctr {

// Pure: the entry's path relative to the layer root, normalised ("./usr//bin/" -> "usr/bin";
// "./" -> ""), or an error for an absolute path or a ".." component.
Result<std::string> clean_entry_path(std::string_view name);

enum class LinkKind { hard, symbolic };

// Pure: a hard link's target must be a clean path inside the layer; a symlink's target may be
// absolute, but a relative one must not climb above the layer root from the link's directory
// ("a/b -> ../../etc" does). `entry` is the clean path of the link itself.
Result<void> check_link_target(const std::string& entry, std::string_view target, LinkKind kind);

enum class WhiteoutKind { none, file, opaque };
struct Whiteout {
  WhiteoutKind kind = WhiteoutKind::none;
  std::string path;  // file: the clean path of the hidden entry; opaque: the directory
};

// Pure: "a/.wh.b" -> {file, "a/b"}; "a/.wh..wh..opq" -> {opaque, "a"}; "a/b" -> {none}.
Whiteout classify_whiteout(const std::string& entry);

// Unpacks `tarball` (tar; gzip, xz, bzip2, zstd or none, detected from the content) into the
// existing, empty directory `layer_dir`. On error the directory holds a partial layer: the
// caller (image_store.h) unpacks into a temporary directory and renames it only on success.
Result<void> extract_layer(const std::filesystem::path& tarball, const std::filesystem::path& layer_dir);

}  // namespace deploylab::ctr
