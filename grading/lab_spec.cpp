// grading/lab_spec.cpp: parsing and checking lab.yaml (see lab_spec.h for the format).
#include "grading/lab_spec.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <regex>
#include <set>

#include "common/file_io.h"

namespace deploylab::grading {
namespace {

const std::set<std::string> kTopKeys = {"lab", "slug", "title", "prerequisites", "runs_on", "test_binary",
                                        "student_files", "hidden_files", "sandbox", "timeout", "demo", "tests"};
const std::set<std::string> kTestKeys = {"name", "points", "timeout", "visibility"};
constexpr double kMaxTimeout = 3600;

std::string join(const std::set<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// "labs/00-warmup/lab.yaml:7:5" for a node with a position, else just the file.
std::string where(const std::string& source, const YAML::Node& node) {
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return source;
  return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Error bad(const std::string& source, const YAML::Node& node, std::string what, std::string hint = {}) {
  // Located like a compiler diagnostic: "lab.yaml:14:33: unknown key ...".
  return Error::invalid(std::move(what), "", std::move(hint)).with_context(where(source, node));
}

Result<void> check_keys(const std::string& source, const YAML::Node& map, const std::set<std::string>& known,
                        const std::string& in) {
  for (const auto& entry : map) {
    auto key = entry.first.as<std::string>();
    if (!known.contains(key)) {
      return bad(source, entry.first, "unknown key `" + key + "` in " + in, "known keys: " + join(known));
    }
  }
  return {};
}

// Reads a scalar of type T, with an error naming the key and the expected kind.
template <class T>
Result<T> scalar(const std::string& source, const YAML::Node& parent, const std::string& key,
                 const std::string& kind) {
  YAML::Node node = parent[key];
  if (!node) return bad(source, parent, "missing key `" + key + "`", "add `" + key + ":` (" + kind + ")");
  try {
    if (!node.IsScalar()) throw YAML::Exception(node.Mark(), "");
    return node.as<T>();
  } catch (const YAML::Exception&) {
    return bad(source, node, "`" + key + "` must be " + kind);
  }
}

Result<std::vector<std::string>> string_list(const std::string& source, const YAML::Node& parent,
                                             const std::string& key) {
  YAML::Node node = parent[key];
  if (!node) return std::vector<std::string>{};
  if (!node.IsSequence()) return bad(source, node, "`" + key + "` must be a list", "write `" + key + ": [a, b]`");
  std::vector<std::string> out;
  for (const auto& item : node) {
    if (!item.IsScalar()) return bad(source, item, "every entry of `" + key + "` must be a string");
    out.push_back(item.as<std::string>());
  }
  return out;
}

Result<RunsOn> parse_runs_on(const std::string& source, const YAML::Node& doc) {
  if (!doc["runs_on"]) return RunsOn::host;
  auto word = DL_TRY(scalar<std::string>(source, doc, "runs_on", "host or kvm"));
  if (word == "host") return RunsOn::host;
  if (word == "kvm") return RunsOn::kvm;
  return bad(source, doc["runs_on"], "`runs_on: " + word + "` is not a place tests run", "use host or kvm");
}

Result<Network> parse_sandbox(const std::string& source, const YAML::Node& doc) {
  YAML::Node sandbox = doc["sandbox"];
  if (!sandbox) return Network::none;
  if (!sandbox.IsMap()) return bad(source, sandbox, "`sandbox` must be a map", "write `sandbox: {network: none}`");
  DL_TRY(check_keys(source, sandbox, {"network"}, "sandbox"));
  if (!sandbox["network"]) return Network::none;
  auto word = DL_TRY(scalar<std::string>(source, sandbox, "network", "none or host"));
  if (word == "none") return Network::none;
  if (word == "host") return Network::host;
  return bad(source, sandbox["network"], "`network: " + word + "` is not a sandbox network", "use none or host");
}

Result<double> parse_timeout(const std::string& source, const YAML::Node& parent, double fallback) {
  if (!parent["timeout"]) return fallback;
  double t = DL_TRY(scalar<double>(source, parent, "timeout", "a number of seconds"));
  if (t <= 0 || t > kMaxTimeout) {
    return bad(source, parent["timeout"], "timeout " + std::to_string(t) + " s is out of range",
               "use a number of seconds above 0 and at most 3600");
  }
  return t;
}

Result<GradedTest> parse_test(const std::string& source, const YAML::Node& node, double default_timeout) {
  if (!node.IsMap()) return bad(source, node, "every entry of `tests` must be a map", "write `- {name: Suite.Name, points: 1}`");
  DL_TRY(check_keys(source, node, kTestKeys, "a test"));
  GradedTest test;
  test.name = DL_TRY(scalar<std::string>(source, node, "name", "a GoogleTest name such as Suite.Name"));
  static const std::regex gtest_name(R"([A-Za-z_][A-Za-z0-9_]*(/[A-Za-z0-9_]+)?\.[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z0-9_]+)?)");
  if (!std::regex_match(test.name, gtest_name)) {
    return bad(source, node["name"], "test name `" + test.name + "` is not a GoogleTest Suite.Name",
               "use the names `" "--gtest_list_tests` prints, joined by a dot");
  }
  test.points = DL_TRY(scalar<double>(source, node, "points", "a number of points"));
  if (test.points <= 0) return bad(source, node["points"], "test `" + test.name + "` has no points", "give every graded test points > 0");
  test.timeout_s = DL_TRY(parse_timeout(source, node, default_timeout));
  if (node["visibility"]) {
    auto word = DL_TRY(scalar<std::string>(source, node, "visibility", "visible or hidden"));
    if (word == "hidden") test.visibility = Visibility::hidden;
    else if (word != "visible") return bad(source, node["visibility"], "visibility `" + word + "` is unknown", "use visible or hidden");
  }
  return test;
}

Result<std::vector<GradedTest>> parse_tests(const std::string& source, const YAML::Node& doc, double default_timeout) {
  YAML::Node tests = doc["tests"];
  if (!tests || !tests.IsSequence() || tests.size() == 0) {
    return bad(source, doc, "a lab needs a non-empty `tests` list", "list each graded test with its points");
  }
  std::vector<GradedTest> out;
  std::set<std::string> seen;
  for (const auto& node : tests) {
    GradedTest test = DL_TRY(parse_test(source, node, default_timeout));
    if (!seen.insert(test.name).second) return bad(source, node, "test `" + test.name + "` is listed twice");
    out.push_back(std::move(test));
  }
  return out;
}

Result<void> check_lab_rules(const std::string& source, const YAML::Node& doc, const LabSpec& spec) {
  if (spec.number < 0 || spec.number > 99) return bad(source, doc["lab"], "lab number must be 0..99");
  static const std::regex slug(R"([a-z0-9]+(-[a-z0-9]+)*)");
  if (!std::regex_match(spec.slug, slug)) return bad(source, doc["slug"], "slug `" + spec.slug + "` must be lower-case words joined by -");
  for (int p : spec.prerequisites) {
    if (p >= spec.number) return bad(source, doc["prerequisites"], "prerequisite lab " + std::to_string(p) + " does not come before this lab");
  }
  bool any_hidden = std::any_of(spec.tests.begin(), spec.tests.end(),
                                [](const GradedTest& t) { return t.visibility == Visibility::hidden; });
  if (any_hidden && spec.hidden_files.empty()) {
    return bad(source, doc["tests"], "hidden tests need the files that hold them in `hidden_files`",
               "otherwise the student kit would ship them");
  }
  return {};
}

}  // namespace

double LabSpec::max_points() const {
  double sum = 0;
  for (const auto& t : tests) sum += t.points;
  return sum;
}

std::string LabSpec::folder_name() const {
  char number_text[8];
  std::snprintf(number_text, sizeof(number_text), "%02d", number);
  return std::string(number_text) + "-" + slug;
}

std::string LabSpec::label() const { return "lab" + folder_name().substr(0, 2); }

const GradedTest* LabSpec::find_test(std::string_view name) const {
  for (const auto& t : tests) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string to_string(Visibility v) { return v == Visibility::hidden ? "hidden" : "visible"; }

Result<LabSpec> parse_lab_spec(std::string_view yaml_text, const std::string& source) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(yaml_text));
  } catch (const YAML::ParserException& e) {
    std::string place = source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return Error::invalid("YAML syntax error: " + e.msg, "", "check the indentation and the quoting around that place")
        .with_context(place);
  }
  if (!doc.IsMap()) return Error::invalid("lab.yaml must be a map of keys", source, "start from labs/00-warmup/lab.yaml");
  DL_TRY(check_keys(source, doc, kTopKeys, "lab.yaml"));
  LabSpec spec;
  spec.number = DL_TRY(scalar<int>(source, doc, "lab", "the lab number"));
  spec.slug = DL_TRY(scalar<std::string>(source, doc, "slug", "the folder name after NN-"));
  spec.title = DL_TRY(scalar<std::string>(source, doc, "title", "the lab's title"));
  spec.test_binary = DL_TRY(scalar<std::string>(source, doc, "test_binary", "the CMake target with the tests"));
  for (const auto& p : DL_TRY(string_list(source, doc, "prerequisites"))) {
    try {
      spec.prerequisites.push_back(std::stoi(p));
    } catch (const std::exception&) {
      return bad(source, doc["prerequisites"], "prerequisite `" + p + "` is not a lab number");
    }
  }
  spec.runs_on = DL_TRY(parse_runs_on(source, doc));
  spec.student_files = DL_TRY(string_list(source, doc, "student_files"));
  spec.hidden_files = DL_TRY(string_list(source, doc, "hidden_files"));
  spec.network = DL_TRY(parse_sandbox(source, doc));
  spec.demo = DL_TRY(string_list(source, doc, "demo"));
  double default_timeout = DL_TRY(parse_timeout(source, doc, 30));
  spec.tests = DL_TRY(parse_tests(source, doc, default_timeout));
  DL_TRY(check_lab_rules(source, doc, spec));
  return spec;
}

std::string emit_lab_spec(const LabSpec& spec) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "lab" << YAML::Value << spec.number;
  out << YAML::Key << "slug" << YAML::Value << spec.slug;
  out << YAML::Key << "title" << YAML::Value << YAML::DoubleQuoted << spec.title;
  out << YAML::Key << "prerequisites" << YAML::Value << YAML::Flow << spec.prerequisites;
  out << YAML::Key << "runs_on" << YAML::Value << (spec.runs_on == RunsOn::kvm ? "kvm" : "host");
  out << YAML::Key << "test_binary" << YAML::Value << spec.test_binary;
  out << YAML::Key << "student_files" << YAML::Value << YAML::Flow << spec.student_files;
  if (!spec.hidden_files.empty()) out << YAML::Key << "hidden_files" << YAML::Value << YAML::Flow << spec.hidden_files;
  out << YAML::Key << "sandbox" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "network"
      << YAML::Value << (spec.network == Network::host ? "host" : "none") << YAML::EndMap;
  if (!spec.demo.empty()) out << YAML::Key << "demo" << YAML::Value << YAML::Flow << spec.demo;
  out << YAML::Key << "tests" << YAML::Value << YAML::BeginSeq;
  for (const auto& t : spec.tests) {
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << t.name << YAML::Key << "points"
        << YAML::Value << t.points << YAML::Key << "timeout" << YAML::Value << t.timeout_s << YAML::Key
        << "visibility" << YAML::Value << to_string(t.visibility) << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  std::string header = "# labs/" + spec.folder_name() + "/lab.yaml: lab " + std::to_string(spec.number) +
                       " for the grader (`make grade LAB=" + std::to_string(spec.number) +
                       "`): its tests, their points and timeouts.\n# Written by the kit generator; the format is described "
                       "in grading/lab_spec.h.\n";
  return header + out.c_str() + "\n";
}

Result<LabSpec> load_lab_spec(const std::filesystem::path& lab_dir) {
  std::filesystem::path file = lab_dir / "lab.yaml";
  std::string text = DL_TRY(read_file(file).context("reading the lab description"));
  LabSpec spec = DL_TRY(parse_lab_spec(text, file.string()));
  spec.dir = lab_dir;
  if (lab_dir.filename() != spec.folder_name()) {
    return Error::invalid("lab folder name does not match lab.yaml", lab_dir.string(),
                          "lab " + std::to_string(spec.number) + " with slug `" + spec.slug + "` lives in labs/" + spec.folder_name());
  }
  if (!std::filesystem::exists(lab_dir / "README.md")) {
    return Error::invalid("lab has no handout", (lab_dir / "README.md").string(), "every lab needs a README.md handout");
  }
  return spec;
}

Result<std::vector<LabSpec>> discover_labs(const std::filesystem::path& source_root) {
  std::vector<LabSpec> labs;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(source_root / "labs", ec)) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "lab.yaml")) {
      labs.push_back(DL_TRY(load_lab_spec(entry.path())));
    }
  }
  if (ec) return Error::os("listing labs", (source_root / "labs").string(), ec.value(), "is --source the top of the deploylab tree?");
  std::sort(labs.begin(), labs.end(), [](const LabSpec& a, const LabSpec& b) { return a.number < b.number; });
  for (size_t i = 1; i < labs.size(); ++i) {
    if (labs[i].number == labs[i - 1].number) {
      return Error::invalid("two labs have number " + std::to_string(labs[i].number), labs[i].dir.string());
    }
  }
  return labs;
}

}  // namespace deploylab::grading
