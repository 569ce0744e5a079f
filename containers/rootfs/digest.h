// containers/rootfs/digest.h: SHA-256 digests that name image layers.
//
// A layer is stored under the SHA-256 of the tar file it came from: the same tarball always
// lands in the same directory (importing twice is free), and the name is the "diff digest" an
// OCI manifest would list for an uncompressed layer (for a compressed one, the manifest's blob
// digest). deploylab has no crypto library, so the digest comes from coreutils' `sha256sum`
// (through common/subprocess.h): one process per layer costs nothing next to unpacking it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace deploylab::ctr {

// 64 lowercase hex digits.
Result<std::string> sha256_of_file(const std::filesystem::path& file);
Result<std::string> sha256_of_text(std::string_view text);

// True for 64 lowercase hex digits (a layer id as the store writes it).
bool is_sha256_hex(std::string_view text);

}  // namespace deploylab::ctr
