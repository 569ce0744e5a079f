// labs/05-namespaces/namespaces_hidden_test.cpp: lab 05's hidden tests (instructor only; left out
// of the student kit): the same ideas in cases the visible tests do not show.
#include <gtest/gtest.h>

#include "labs/05-namespaces/namespaces_support.h"

namespace deploylab::ctr::testing {
namespace {

TEST(NamespacesHidden, TheDomainNameIsTheContainersToo) {
  TestBundle b = TestBundle::make("deploylab-test-l5h-domain");
  b.config()["domainname"] = "lab5.example";
  b.set_args({"cat", "/proc/sys/kernel/domainname"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_EQ(done.out, "lab5.example\n") << transcript(done);
}

TEST(NamespacesHidden, WithoutAPidNamespaceTheHostsProcessesShow) {
  TestBundle b = TestBundle::make("deploylab-test-l5h-nopid");
  auto& namespaces = b.config()["linux"]["namespaces"];
  for (auto it = namespaces.begin(); it != namespaces.end(); ++it) {
    if ((*it)["type"] == "pid") {
      namespaces.erase(it);
      break;
    }
  }
  b.set_args({"sh", "-c", "echo $$"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out, "1\n") << "no pid namespace was asked for: the program must not be pid 1\n" << transcript(done);
}

TEST(NamespacesHidden, SeveralRangesInOneUserNamespace) {
  if (running_in_a_chroot()) GTEST_SKIP() << "the kernel makes no user namespace for a process in a chroot (clone(2), EPERM)";
  TestBundle b = user_namespace_bundle("deploylab-test-l5h-ranges", 200000);
  b.config()["linux"]["uidMappings"] = {{{"containerID", 0}, {"hostID", 200000}, {"size", 1000}},
                                        {{"containerID", 1000}, {"hostID", 300000}, {"size", 1000}}};
  b.set_args({"cat", "/proc/self/uid_map"});
  Completed done = b.run();
  ASSERT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out.find("1000     300000       1000"), std::string::npos) << "both ranges must be in uid_map\n" << transcript(done);
}

}  // namespace
}  // namespace deploylab::ctr::testing
