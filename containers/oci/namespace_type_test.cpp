// containers/oci/namespace_type_test.cpp: the three names of every namespace kind, both ways.
#include "containers/oci/namespace_type.h"

#include <gtest/gtest.h>

#include <sched.h>
#include <unistd.h>

namespace deploylab::ctr {
namespace {

struct Row {
  NamespaceType type;
  std::string_view oci;
  int flag;
  std::string_view proc;
};

// Written out again here, independently of namespace_type.cpp, from clone(2) and namespaces(7).
const Row kRows[] = {
    {NamespaceType::pid, "pid", CLONE_NEWPID, "pid"},
    {NamespaceType::network, "network", CLONE_NEWNET, "net"},
    {NamespaceType::mount, "mount", CLONE_NEWNS, "mnt"},
    {NamespaceType::ipc, "ipc", CLONE_NEWIPC, "ipc"},
    {NamespaceType::uts, "uts", CLONE_NEWUTS, "uts"},
    {NamespaceType::user, "user", CLONE_NEWUSER, "user"},
    {NamespaceType::cgroup, "cgroup", CLONE_NEWCGROUP, "cgroup"},
    {NamespaceType::time, "time", CLONE_NEWTIME, "time"},
};

TEST(NamespaceType, EveryKindMapsBothWays) {
  for (const auto& row : kRows) {
    SCOPED_TRACE(std::string(row.oci));
    EXPECT_EQ(oci_name(row.type), row.oci);
    EXPECT_EQ(namespace_type_from_oci_name(row.oci), row.type);
    EXPECT_EQ(clone_flag(row.type), row.flag);
    EXPECT_EQ(namespace_type_from_clone_flag(row.flag), row.type);
    EXPECT_EQ(proc_ns_name(row.type), row.proc);
    EXPECT_EQ(namespace_type_from_proc_ns_name(row.proc), row.type);
  }
  EXPECT_EQ(std::size(kRows), kAllNamespaceTypes.size()) << "a kind is missing from this test";
}

TEST(NamespaceType, TheProcNamesAreTheFilesInProcSelfNs) {
  for (auto type : kAllNamespaceTypes) {
    auto file = "/proc/self/ns/" + std::string(proc_ns_name(type));
    EXPECT_EQ(::access(file.c_str(), F_OK), 0) << file << " should exist on this kernel";
  }
}

TEST(NamespaceType, UnknownNamesAreRejected) {
  // The OCI name and the /proc name differ for network and mount: each table takes only its own.
  EXPECT_EQ(namespace_type_from_oci_name("net"), std::nullopt);
  EXPECT_EQ(namespace_type_from_oci_name("mnt"), std::nullopt);
  EXPECT_EQ(namespace_type_from_proc_ns_name("network"), std::nullopt);
  EXPECT_EQ(namespace_type_from_oci_name("PID"), std::nullopt);
  EXPECT_EQ(namespace_type_from_oci_name(""), std::nullopt);
  EXPECT_EQ(namespace_type_from_clone_flag(CLONE_NEWPID | CLONE_NEWNET), std::nullopt);
  EXPECT_EQ(namespace_type_from_clone_flag(0), std::nullopt);
}

TEST(NamespaceType, KnownNamesListEveryOciName) {
  EXPECT_EQ(known_namespace_names(), "pid, network, mount, ipc, uts, user, cgroup, time");
}

}  // namespace
}  // namespace deploylab::ctr
