// containers/oci/rlimit_type_test.cpp: config.json rlimit names and setrlimit numbers, both ways.
#include "containers/oci/rlimit_type.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

namespace deploylab::ctr {
namespace {

struct Row {
  std::string_view name;
  int resource;
};

// From getrlimit(2), independently of rlimit_type.cpp.
const Row kRows[] = {
    {"RLIMIT_AS", RLIMIT_AS},           {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},         {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},     {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},     {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING}, {"RLIMIT_STACK", RLIMIT_STACK},
};

TEST(RlimitType, EveryLinuxLimitMapsBothWays) {
  for (const auto& row : kRows) {
    SCOPED_TRACE(std::string(row.name));
    EXPECT_EQ(rlimit_resource(row.name), row.resource);
    EXPECT_EQ(rlimit_name(row.resource), row.name);
  }
  EXPECT_EQ(std::size(kRows), static_cast<std::size_t>(RLIMIT_NLIMITS)) << "Linux has more limits than this test";
}

TEST(RlimitType, NamesMustBeExact) {
  for (std::string_view bad : {"NOFILE", "rlimit_nofile", "RLIMIT_NOFILES", "RLIMIT_", ""}) {
    EXPECT_EQ(rlimit_resource(bad), std::nullopt) << "\"" << bad << "\" should not be a known rlimit type";
  }
  EXPECT_EQ(rlimit_name(-1), "");
  EXPECT_EQ(rlimit_name(RLIMIT_NLIMITS), "");
}

TEST(RlimitType, KnownNamesAreListedForMessages) {
  auto known = known_rlimit_names();
  EXPECT_EQ(known.rfind("RLIMIT_AS, RLIMIT_CORE", 0), 0u) << known;
  EXPECT_NE(known.find("RLIMIT_NOFILE"), std::string::npos) << known;
}

}  // namespace
}  // namespace deploylab::ctr
