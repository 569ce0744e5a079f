// grading/kit.cpp: writing the student kit (what goes in and how, see kit.h). The steps of
// write_student_kit(), in order: pick the files, make a fresh sibling directory, copy each file
// (stripped, rewritten or verbatim), check the result, rename it into place.
#include "grading/kit.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <map>
#include <set>
#include <vector>

#include "common/file_io.h"
#include "common/log.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "grading/lab_spec.h"
#include "grading/solution_markers.h"

namespace deploylab::grading {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarkerFile = ".student-kit";

// An absolute path without `.`, `..` or a trailing slash, so paths compare component by component.
fs::path absolute_normal(const fs::path& path) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(fs::absolute(path, ec), ec).lexically_normal();
  if (!out.has_filename() && out.has_parent_path() && out != out.root_path()) out = out.parent_path();
  return out;
}

// Files that never belong in a kit, wherever the list came from: CI scripts, build trees, the
// git metadata and a stale kit marker.
bool excluded_by_location(const fs::path& relative) {
  if (relative.empty()) return true;
  std::string first = relative.begin()->string();
  if (first == ".ci" || first == ".git" || first.starts_with("build")) return true;
  for (const auto& part : relative) {
    if (part == ".git") return true;
  }
  return relative == kMarkerFile;
}

// True when `source` is the top of a git work tree (not merely somewhere inside one).
bool is_git_top(const fs::path& source) {
  auto top = run({"git", "-C", source.string(), "rev-parse", "--show-toplevel"});
  if (!top.ok() || !top.value().status.success()) return false;
  std::string path = top.value().out;
  while (!path.empty() && path.back() == '\n') path.pop_back();
  std::error_code ec;
  return fs::equivalent(path, source, ec);
}

Result<std::vector<std::string>> git_files(const fs::path& source, FileSelection selection) {
  std::vector<std::string> argv = {"git", "-C", source.string(), "ls-files", "-z", "--cached"};
  if (selection == FileSelection::tracked_and_untracked) {
    argv.insert(argv.end(), {"--others", "--exclude-standard"});
  }
  std::string out = DL_TRY(run_checked(argv).context("listing the files of the reference tree"));
  std::vector<std::string> files;
  for (std::size_t start = 0; start < out.size();) {
    std::size_t end = out.find('\0', start);
    if (end == std::string::npos) end = out.size();
    if (end > start) files.push_back(out.substr(start, end - start));
    start = end + 1;
  }
  return files;
}

Result<std::vector<std::string>> walked_files(const fs::path& source) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(source, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    fs::path relative = it->path().lexically_relative(source);
    if (excluded_by_location(relative)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_directory()) files.push_back(relative.string());
  }
  if (ec) return Error::os("walking the reference tree", source.string(), ec.value());
  return files;
}

std::string short_commit(const fs::path& source) {
  auto head = run_checked({"git", "-C", source.string(), "rev-parse", "--short", "HEAD"});
  if (!head.ok()) return "";
  std::string commit = head.value();
  while (!commit.empty() && commit.back() == '\n') commit.pop_back();
  return commit;
}

bool looks_binary(std::string_view data) { return data.substr(0, 8192).find('\0') != std::string_view::npos; }

LabSpec visible_only(LabSpec spec) {
  std::erase_if(spec.tests, [](const GradedTest& t) { return t.visibility == Visibility::hidden; });
  spec.hidden_files.clear();
  return spec;
}

Result<void> write_with_mode(const fs::path& path, std::string_view data, fs::perms mode) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Error::os("mkdir", path.parent_path().string(), ec.value());
  {
    UniqueFd fd = DL_TRY(open_file(path, O_WRONLY | O_CREAT | O_EXCL, 0600));
    DL_TRY(write_all(fd.get(), data, path.string()));
  }
  fs::permissions(path, mode, fs::perm_options::replace, ec);
  if (ec) return Error::os("chmod", path.string(), ec.value());
  return {};
}

// Everything the copy needs to know about the reference tree, read once.
struct Plan {
  fs::path source;
  std::vector<std::string> files;
  std::set<std::string> hidden;             // relative paths to leave out
  std::map<std::string, LabSpec> lab_specs; // relative path of each lab.yaml -> its spec
};

Result<Plan> make_plan(const fs::path& source, FileSelection selection, KitSummary& summary) {
  Plan plan{source, {}, {}, {}};
  for (const LabSpec& spec : DL_TRY(discover_labs(source).context("reading the labs"))) {
    for (const auto& hidden : spec.hidden_files) {
      plan.hidden.insert(fs::path(hidden).lexically_normal().string());
      if (!fs::exists(source / hidden)) spdlog::warn("lab {} lists hidden file {}, which does not exist", spec.number, hidden);
    }
    plan.lab_specs[(spec.dir / "lab.yaml").lexically_relative(source).string()] = spec;
  }
  if (is_git_top(source)) {
    plan.files = DL_TRY(git_files(source, selection));
    std::string commit = short_commit(source);
    summary.origin = "commit " + (commit.empty() ? std::string("(none yet)") : commit);
    if (selection == FileSelection::tracked_and_untracked) summary.origin += " plus untracked files";
  } else {
    plan.files = DL_TRY(walked_files(source));
    summary.origin = "a directory walk of " + source.string();
  }
  return plan;
}

// Copies one file of the plan into the kit, stripped or rewritten as its kind requires.
Result<void> copy_into_kit(const Plan& plan, const std::string& relative, const fs::path& kit, KitSummary& summary) {
  fs::path from = plan.source / relative;
  fs::path to = kit / relative;
  std::error_code ec;
  fs::file_status status = fs::symlink_status(from, ec);
  if (ec || !fs::exists(status)) return {};  // listed by git but deleted in the work tree
  if (fs::is_symlink(status)) {
    fs::create_directories(to.parent_path(), ec);
    fs::copy_symlink(from, to, ec);
    if (ec) return Error::os("copying symlink", from.string(), ec.value());
    ++summary.files_copied;
    return {};
  }
  if (!fs::is_regular_file(status)) return {};  // a submodule or a socket: not ours to ship
  std::string data = DL_TRY(read_file(from));
  if (auto spec = plan.lab_specs.find(relative); spec != plan.lab_specs.end()) {
    data = emit_lab_spec(visible_only(spec->second));
    ++summary.lab_specs_rewritten;
  } else if (!looks_binary(data)) {
    StrippedText stripped = DL_TRY(strip_solution_regions(data, relative));
    summary.regions_stripped += stripped.regions;
    if (stripped.regions > 0) {
      ++summary.files_stripped;
      summary.stubbed_files.push_back(relative);
    }
    data = std::move(stripped.text);
  }
  DL_TRY(write_with_mode(to, data, status.permissions()));
  ++summary.files_copied;
  return {};
}

// The last line of defence: nothing in the finished kit may carry a marker or be a hidden file.
Result<void> verify_kit(const fs::path& kit, const Plan& plan) {
  for (const auto& hidden : plan.hidden) {
    if (fs::exists(kit / hidden)) return Error::invalid("hidden file in the student kit", hidden);
  }
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(kit, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file() || it->is_symlink()) continue;
    std::string data = DL_TRY(read_file(it->path()));
    if (looks_binary(data)) continue;
    if (auto line = first_solution_marker(data)) {
      return Error::invalid("solution marker left in the student kit", "",
                            "a bug in grading/solution_markers.cpp: the region should have been stripped")
          .with_context(it->path().lexically_relative(kit).string() + ":" + std::to_string(*line));
    }
  }
  if (ec) return Error::os("walking the student kit", kit.string(), ec.value());
  return {};
}

// .student-kit: says what the tree is, and lists the files whose solutions became stubs. CMake
// (cmake/DeploylabOptions.cmake) reads that list: a stub leaves parameters and helpers unused, so
// only those files compile with the unused-code warnings relaxed, and every other file gets the
// reference tree's exact flags (and so its compiler cache entries).
std::string marker_text(const KitSummary& summary) {
  std::string text = "This is a generated deploylab student kit, from " + summary.origin + " of the reference tree.\n";
  for (const auto& file : summary.stubbed_files) text += "stubbed: " + file + "\n";
  return text;
}

// An existing out_dir is replaced only if it is a kit we wrote (or empty): never someone's files.
Result<void> check_replaceable(const fs::path& out_dir) {
  std::error_code ec;
  if (!fs::exists(out_dir, ec)) return {};
  if (!fs::is_directory(out_dir, ec)) return Error::invalid("the kit's place is taken by a file", out_dir.string());
  if (fs::is_empty(out_dir, ec) || fs::exists(out_dir / kMarkerFile, ec)) return {};
  return Error::invalid("refusing to replace a directory that is not a student kit", out_dir.string(),
                        "it has no .student-kit file; remove it yourself or choose another --out");
}

Result<void> put_in_place(TempDir& staging, const fs::path& out_dir) {
  std::error_code ec;
  fs::remove_all(out_dir, ec);
  if (ec) return Error::os("removing the old student kit", out_dir.string(), ec.value());
  fs::permissions(staging.path(), fs::perms(0755), fs::perm_options::replace, ec);  // mkdtemp made it 0700
  if (::rename(staging.path().c_str(), out_dir.c_str()) != 0) {
    return Error::os("rename", staging.path().string() + " -> " + out_dir.string(), errno);
  }
  staging.release();
  return {};
}

}  // namespace

Result<void> check_kit_location(const fs::path& source_root, const fs::path& out_dir) {
  fs::path up = source_root.lexically_relative(out_dir);
  if (!up.empty() && *up.begin() != "..") {
    return Error::invalid("the student kit would replace the source tree", out_dir.string(),
                          "choose an --out outside " + source_root.string() + " or under its build/");
  }
  fs::path inside = out_dir.lexically_relative(source_root);
  if (inside.empty() || *inside.begin() == "..") return {};
  bool in_build_dir = inside.begin()->string().starts_with("build") && std::distance(inside.begin(), inside.end()) >= 2;
  if (in_build_dir) return {};
  return Error::invalid("refusing to write the student kit inside the source tree", out_dir.string(),
                        "use a directory under " + (source_root / "build").string() + " or outside the tree");
}

Result<KitSummary> write_student_kit(const fs::path& source_root, const fs::path& out_dir, FileSelection selection) {
  fs::path source = absolute_normal(source_root);
  fs::path out = absolute_normal(out_dir);
  DL_TRY(check_kit_location(source, out));
  DL_TRY(check_replaceable(out));
  KitSummary summary;
  summary.out_dir = out;
  Plan plan = DL_TRY(make_plan(source, selection, summary));

  std::error_code ec;
  fs::create_directories(out.parent_path(), ec);
  TempDir staging = DL_TRY(TempDir::create(out.filename().string() + ".tmp.", out.parent_path()));
  for (const auto& relative : plan.files) {
    fs::path normal = fs::path(relative).lexically_normal();
    if (excluded_by_location(normal)) continue;
    if (plan.hidden.contains(normal.string())) {
      ++summary.hidden_left_out;
      continue;
    }
    DL_TRY(copy_into_kit(plan, normal.string(), staging.path(), summary).context("writing the student kit"));
  }
  DL_TRY(write_with_mode(staging / kMarkerFile, marker_text(summary), fs::perms(0644)));
  DL_TRY(verify_kit(staging.path(), plan).context("checking the student kit"));
  DL_TRY(put_in_place(staging, out));
  return summary;
}

std::string describe(const KitSummary& summary) {
  auto row = [](std::string label, int count, const std::string& note = {}) {
    label.resize(26, ' ');
    return "  " + label + std::to_string(count) + (note.empty() ? "" : " (" + note + ")") + "\n";
  };
  return "student kit written to " + summary.out_dir.string() + " (from " + summary.origin + ")\n" +
         row("files copied:", summary.files_copied) +
         row("files stripped:", summary.files_stripped,
             std::to_string(summary.regions_stripped) + (summary.regions_stripped == 1 ? " solution region" : " solution regions") +
                 " replaced by stubs") +
         row("hidden files left out:", summary.hidden_left_out) +
         row("lab.yaml files rewritten:", summary.lab_specs_rewritten, "without their hidden tests");
}

}  // namespace deploylab::grading
