// grading/lab_spec_test.cpp: lab.yaml parsing, and the errors a broken lab.yaml gets.
#include "grading/lab_spec.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/temp_dir.h"

namespace deploylab::grading {
namespace {

const char* kGood = R"(
lab: 3
slug: long-mode
title: "Long mode"
prerequisites: [1, 2]
runs_on: kvm
test_binary: lab03_tests
student_files: [hypervisor/boot/long_mode.cpp]
hidden_files: [hypervisor/boot/long_mode_hidden_test.cpp]
sandbox: {network: host}
timeout: 20
demo: [minivmm, --guest, long]
tests:
  - {name: LongMode.PageTables, points: 3}
  - name: LongMode.Hidden
    points: 2.5
    timeout: 5
    visibility: hidden
)";

std::string error_of(const std::string& yaml) {
  auto spec = parse_lab_spec(yaml, "lab.yaml");
  return spec.ok() ? "(parsed fine)" : spec.error().message();
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(LabSpec, ParsesEveryField) {
  LabSpec spec = parse_lab_spec(kGood, "lab.yaml").value();
  EXPECT_EQ(spec.number, 3);
  EXPECT_EQ(spec.folder_name(), "03-long-mode");
  EXPECT_EQ(spec.label(), "lab03");
  EXPECT_EQ(spec.prerequisites, (std::vector<int>{1, 2}));
  EXPECT_EQ(spec.runs_on, RunsOn::kvm);
  EXPECT_EQ(spec.network, Network::host);
  EXPECT_EQ(spec.demo.size(), 3u);
  ASSERT_EQ(spec.tests.size(), 2u);
  EXPECT_EQ(spec.tests[0].timeout_s, 20);  // the lab default
  EXPECT_EQ(spec.tests[1].timeout_s, 5);
  EXPECT_EQ(spec.tests[1].visibility, Visibility::hidden);
  EXPECT_DOUBLE_EQ(spec.max_points(), 5.5);
  EXPECT_NE(spec.find_test("LongMode.Hidden"), nullptr);
}

TEST(LabSpec, EmitThenParseGivesTheSameSpec) {
  LabSpec spec = parse_lab_spec(kGood, "lab.yaml").value();
  LabSpec again = parse_lab_spec(emit_lab_spec(spec), "emitted").value();
  EXPECT_EQ(again.title, spec.title);
  EXPECT_EQ(again.student_files, spec.student_files);
  ASSERT_EQ(again.tests.size(), 2u);
  EXPECT_EQ(again.tests[1].points, 2.5);
  EXPECT_EQ(again.tests[1].visibility, Visibility::hidden);
  EXPECT_EQ(again.network, Network::host);
}

TEST(LabSpec, TypoInAKeyNamesTheKeyAndThePlace) {
  std::string msg = error_of(replace(kGood, "points: 3", "pionts: 3"));
  EXPECT_EQ(msg, "lab.yaml:14:33: unknown key `pionts` in a test (hint: known keys: name, points, timeout, visibility)");
}

TEST(LabSpec, YamlSyntaxErrorHasLineAndColumn) {
  std::string msg = error_of("lab: 1\ntests: [a, b\n");
  EXPECT_NE(msg.find("YAML syntax error"), std::string::npos) << msg;
  EXPECT_NE(msg.find("lab.yaml:3:1"), std::string::npos) << msg;
}

TEST(LabSpec, BadValuesAreExplained) {
  EXPECT_NE(error_of(replace(kGood, "points: 3", "points: three")).find("`points` must be a number of points"), std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "points: 3", "points: 0")).find("has no points"), std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "timeout: 5", "timeout: 99999")).find("out of range"), std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "LongMode.PageTables", "page tables")).find("not a GoogleTest Suite.Name"), std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "runs_on: kvm", "runs_on: cloud")).find("use host or kvm"), std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "visibility: hidden", "visibility: secret")).find("use visible or hidden"), std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "prerequisites: [1, 2]", "prerequisites: [1, 7]")).find("does not come before"), std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "network: host", "network: lan")).find("use none or host"), std::string::npos);
}

TEST(LabSpec, MissingOrDuplicateTests) {
  EXPECT_NE(error_of("lab: 1\nslug: a\ntitle: t\ntest_binary: b\n").find("non-empty `tests`"), std::string::npos);
  std::string twice = replace(kGood, "LongMode.Hidden", "LongMode.PageTables");
  EXPECT_NE(error_of(twice).find("listed twice"), std::string::npos);
  EXPECT_NE(error_of(replace(kGood, "title: \"Long mode\"\n", "")).find("missing key `title`"), std::string::npos);
}

TEST(LabSpec, HiddenTestsNeedHiddenFiles) {
  std::string msg = error_of(replace(kGood, "hidden_files: [hypervisor/boot/long_mode_hidden_test.cpp]\n", ""));
  EXPECT_NE(msg.find("hidden_files"), std::string::npos) << msg;
}

TEST(LabSpec, LoadChecksFolderNameAndHandout) {
  auto root = TempDir::create("deploylab-labs-").value();
  std::filesystem::create_directories(root / "labs/03-wrong-name");
  std::ofstream(root / "labs/03-wrong-name/lab.yaml") << kGood;
  auto wrong = discover_labs(root.path());
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("lives in labs/03-long-mode"), std::string::npos) << wrong.error().message();

  std::filesystem::rename(root / "labs/03-wrong-name", root / "labs/03-long-mode");
  auto no_readme = discover_labs(root.path());
  ASSERT_FALSE(no_readme.ok());
  EXPECT_NE(no_readme.error().message().find("README.md"), std::string::npos);

  std::ofstream(root / "labs/03-long-mode/README.md") << "# Lab 3\n";
  auto labs = discover_labs(root.path()).value();
  ASSERT_EQ(labs.size(), 1u);
  EXPECT_EQ(labs[0].dir, root / "labs/03-long-mode");
}

}  // namespace
}  // namespace deploylab::grading
