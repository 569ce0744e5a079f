// tests/containers/net_sandbox.h: a network namespace of the test's own, standing in for "the
// host" in the network tests (tests/containers/minictr_network_test.cpp, labs/08-network).
//
// minictr's network code changes the host: a bridge, veths, iptables rules, sysctls. The tests
// must never touch the real machine's, so each test makes a sandbox: a `sleep` process that
// unshared a network namespace, and runs every minictr (and ip, iptables, wget) in it through
// nsenter. Everything minictr makes there vanishes with the namespace when the sandbox ends,
// even if the test failed half-way; the destructor first force-deletes the containers the test
// started (their cgroups are the host's). This works in a chroot too: no /run/netns mounts.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/child_process.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {

class NetSandbox {
 public:
  // A fresh namespace with lo up, and a fresh minictr state root.
  static NetSandbox make();
  ~NetSandbox();
  NetSandbox(NetSandbox&&) = default;

  std::string netns_path() const { return "/proc/" + std::to_string(holder_.pid()) + "/ns/net"; }
  const std::filesystem::path& root() const { return root_.path(); }

  // argv run inside the namespace.
  Completed run(std::vector<std::string> argv, std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  // `sh -c SCRIPT` inside the namespace.
  Completed sh(const std::string& script, std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  // `minictr --root ROOT ARGS...` inside the namespace.
  Completed minictr(std::vector<std::string> args, std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  // `minictr run -d ...` (or create): the container keeps minictr's stdout and stderr, so they go
  // to files, read back once minictr has exited. `id` is deleted by the destructor.
  Completed minictr_detached(std::vector<std::string> args, const std::string& id);
  // Remembers a container to force-delete at the end.
  void track(const std::string& id) { containers_.push_back(id); }

  // "10.88.0.2", from `minictr state ID`'s network object; "" when there is none.
  std::string address_of(const std::string& id) const;
  // GET / from http://ADDRESS:PORT, from the sandbox host, with busybox nc (busybox's static
  // wget crashes resolving names under glibc).
  Completed fetch(const std::string& address, int port) const;

 private:
  NetSandbox(ChildProcess holder, TempDir root) : holder_(std::move(holder)), root_(std::move(root)) {}
  ChildProcess holder_;
  TempDir root_;
  std::vector<std::string> containers_;
};

// A shell command that prints the answer to GET / from http://ADDRESS:PORT (busybox nc).
std::string http_get_script(const std::string& address, int port);

// A bundle (test_bundle.h) with config.json written, whose program is `args`.
TestBundle net_bundle(const std::string& id, const std::vector<std::string>& args);
// A bundle whose container serves "hello from ID" on port 80 (busybox httpd).
TestBundle web_server_bundle(const std::string& id);

// `minictr run -d --net NET [EXTRA...] --bundle B ID`: the container keeps running.
Completed start(NetSandbox& s, const TestBundle& b, const std::string& net, std::vector<std::string> extra = {});
// `minictr run --net NET --bundle B ID` in the foreground: the program's output and exit code.
Completed run_on(const NetSandbox& s, const TestBundle& b, const std::string& net);
// `minictr network create NAME [--subnet SUBNET]`.
Completed create_network(const NetSandbox& s, const std::string& name, const std::string& subnet = "");
// GET / retried for two seconds, until the answer holds "hello" (a server coming up).
Completed fetch_soon(const NetSandbox& s, const std::string& address, int port);
// `iptables-save` of the sandbox host, and the names of its interfaces, one a line.
std::string iptables_save(const NetSandbox& s);
std::string links(const NetSandbox& s);

// A second namespace linked to a sandbox by a veth pair: "the internet" seen from the sandbox.
// The sandbox side is `host_ip`/24 on an interface named `link`; the far side is `far_ip`/24.
class FarNetwork {
 public:
  static FarNetwork make(const NetSandbox& sandbox, const std::string& link, const std::string& host_ip, const std::string& far_ip);
  std::string netns_path() const { return "/proc/" + std::to_string(holder_.pid()) + "/ns/net"; }
  // A process left running in the far namespace (killed with this object).
  ChildProcess spawn(std::vector<std::string> argv) const;

 private:
  explicit FarNetwork(ChildProcess holder) : holder_(std::move(holder)) {}
  ChildProcess holder_;
};

}  // namespace deploylab::ctr::testing
