// containers/rootfs/digest.cpp: SHA-256 through `sha256sum` (see digest.h for why).
#include "containers/rootfs/digest.h"

#include "common/subprocess.h"

namespace deploylab::ctr {
namespace {

// sha256sum prints "<64 hex>  <name>\n"; the digest is the first word.
Result<std::string> first_word_digest(const std::string& output, const std::string& what) {
  std::string digest = output.substr(0, output.find(' '));
  if (is_sha256_hex(digest)) return digest;
  return Error::invalid("sha256sum printed no digest for " + what, output);
}

}  // namespace

Result<std::string> sha256_of_file(const std::filesystem::path& file) {
  std::string out = DL_TRY(run_checked({"sha256sum", "--", file.string()}).context("hashing " + file.string()));
  return first_word_digest(out, file.string());
}

Result<std::string> sha256_of_text(std::string_view text) {
  RunOptions options;
  options.input = std::string(text);
  std::string out = DL_TRY(run_checked({"sha256sum"}, std::move(options)).context("hashing a layer description"));
  return first_word_digest(out, "its input");
}

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace deploylab::ctr
