// tests/containers/net_sandbox.cpp: the network tests' namespace of their own (see
// net_sandbox.h).
#include "tests/containers/net_sandbox.h"

#include <sched.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <stdexcept>
#include <thread>

#include "common/error.h"
#include "common/file_io.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {
namespace {

using namespace std::chrono_literals;

// `sleep` in a network namespace of its own: the namespace lives as long as it does.
ChildProcess namespace_holder() {
  SpawnOptions options;
  options.before_exec = []() -> Result<void> {
    if (::unshare(CLONE_NEWNET) != 0) return Error::os("unshare(CLONE_NEWNET)", "", errno, "the network tests need root");
    return {};
  };
  return ChildProcess::spawn({"sleep", "3600"}, std::move(options)).value();
}

Completed run_in(const std::string& netns, std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  argv.insert(argv.begin(), {"nsenter", "--net=" + netns, "--"});
  RunOptions options;
  options.timeout = timeout;
  options.spawn.own_process_group = false;  // a timeout must not take a detached container with it
  return deploylab::run(argv, options).value();
}

void must(const Completed& done, const std::string& what) {
  if (done.status.code != 0) throw std::runtime_error("setting up the test network: " + what + ": " + transcript(done));
}

}  // namespace

NetSandbox NetSandbox::make() {
  NetSandbox sandbox(namespace_holder(), TempDir::create("deploylab-test-net-").value());
  must(sandbox.run({"ip", "link", "set", "lo", "up"}), "ip link set lo up");
  return sandbox;
}

NetSandbox::~NetSandbox() {
  if (!holder_.pid()) return;
  for (const std::string& id : containers_) (void)minictr({"delete", "--force", id}, 30s);
}

Completed NetSandbox::run(std::vector<std::string> argv, std::chrono::milliseconds timeout) const {
  return run_in(netns_path(), std::move(argv), timeout);
}

Completed NetSandbox::sh(const std::string& script, std::chrono::milliseconds timeout) const {
  return run({"sh", "-c", script}, timeout);
}

Completed NetSandbox::minictr(std::vector<std::string> args, std::chrono::milliseconds timeout) const {
  args.insert(args.begin(), {minictr_binary().string(), "--root", root().string()});
  return run(std::move(args), timeout);
}

Completed NetSandbox::minictr_detached(std::vector<std::string> args, const std::string& id) {
  track(id);
  std::vector<std::string> argv = {minictr_binary().string(), "--root", root().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::filesystem::path out = root() / (id + ".out"), err = root() / (id + ".err");
  Completed done = sh("exec " + shell_words(argv) + " >" + out.string() + " 2>" + err.string());
  done.out = read_file(out).value_or("");
  done.err = read_file(err).value_or("");
  return done;
}

std::string NetSandbox::address_of(const std::string& id) const {
  Completed done = minictr({"state", id});
  auto state = nlohmann::json::parse(done.out, nullptr, false);
  if (!state.is_object() || !state.contains("network")) return "";
  return state["network"].value("address", "");
}

Completed NetSandbox::fetch(const std::string& address, int port) const {
  return sh(http_get_script(address, port), 20s);
}

std::string http_get_script(const std::string& address, int port) {
  return "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 " + address + " " + std::to_string(port);
}

FarNetwork FarNetwork::make(const NetSandbox& sandbox, const std::string& link, const std::string& host_ip, const std::string& far_ip) {
  FarNetwork far(namespace_holder());
  must(sandbox.run({"ip", "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", std::to_string(far.holder_.pid())}),
       "a veth to the far namespace");
  must(sandbox.sh("ip addr add " + host_ip + "/24 dev " + link + " && ip link set " + link + " up"), "the near end");
  must(run_in(far.netns_path(), {"sh", "-c", "ip addr add " + far_ip + "/24 dev eth0 && ip link set eth0 up && ip link set lo up"}, 30s),
       "the far end");
  return far;
}

ChildProcess FarNetwork::spawn(std::vector<std::string> argv) const {
  argv.insert(argv.begin(), {"nsenter", "--net=" + netns_path(), "--"});
  SpawnOptions options;
  options.out = Stream::null;
  options.err = Stream::null;
  return ChildProcess::spawn(argv, std::move(options)).value();
}

TestBundle net_bundle(const std::string& id, const std::vector<std::string>& args) {
  TestBundle b = TestBundle::make(id);
  b.set_args(args);
  b.write_config();
  return b;
}

TestBundle web_server_bundle(const std::string& id) {
  TestBundle b = net_bundle(id, {"httpd", "-f", "-p", "80", "-h", "/www"});
  std::filesystem::create_directories(b.rootfs() / "www");
  write_file_atomic(b.rootfs() / "www/index.html", "hello from " + b.id() + "\n").value();
  return b;
}

Completed start(NetSandbox& s, const TestBundle& b, const std::string& net, std::vector<std::string> extra) {
  std::vector<std::string> args = {"run", "-d", "--net", net, "--bundle", b.dir().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(b.id());
  return s.minictr_detached(args, b.id());
}

Completed run_on(const NetSandbox& s, const TestBundle& b, const std::string& net) {
  return s.minictr({"run", "--net", net, "--bundle", b.dir().string(), b.id()});
}

Completed create_network(const NetSandbox& s, const std::string& name, const std::string& subnet) {
  std::vector<std::string> args = {"network", "create", name};
  if (!subnet.empty()) args.insert(args.end(), {"--subnet", subnet});
  return s.minictr(args);
}

Completed fetch_soon(const NetSandbox& s, const std::string& address, int port) {
  Completed done = s.fetch(address, port);
  for (int i = 0; i < 20 && done.out.find("hello") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    done = s.fetch(address, port);
  }
  return done;
}

std::string iptables_save(const NetSandbox& s) { return s.run({"iptables-save"}).out; }

std::string links(const NetSandbox& s) { return s.sh("ip -o link | cut -d: -f2 | cut -d@ -f1").out; }

}  // namespace deploylab::ctr::testing
