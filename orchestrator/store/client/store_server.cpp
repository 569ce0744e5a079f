// orchestrator/store/client/store_server.cpp: StoreServer, a ministore or etcd on loopback for
// tests and benchmarks (see store_server.h).
//
// Starting one is: pick free ports, spawn the binary with its output going to
// DATA_DIR/server.log, then poll /v3/kv/range until it answers 200. The server's own "ready"
// line is not used because etcd prints none that is stable; an answered range is what every
// caller needs anyway. If the process dies or stays silent, the error carries the log.
#include "orchestrator/store/client/store_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <thread>

#include "common/child_process.h"
#include "common/file_io.h"
#include "common/unique_fd.h"
#include "orchestrator/store/client/endpoint.h"

namespace deploylab::store {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kEtcdBinary = "/usr/bin/etcd";

// BUILD/bin/ministore: test binaries and benchmarks sit in BUILD/bin too.
fs::path ministore_binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return self.parent_path() / "ministore";
}

fs::path default_binary(ServerKind kind) {
  return kind == ServerKind::etcd ? kEtcdBinary : ministore_binary();
}

bool is_executable(const fs::path& path) { return ::access(path.c_str(), X_OK) == 0; }

// Binds 127.0.0.1:0 and keeps the socket: the kernel's free port stays ours until it closes.
Result<std::pair<UniqueFd, int>> reserve_loopback_port() {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return Error::os("socket", "AF_INET", errno);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), length) != 0) {
    return Error::os("bind", "127.0.0.1:0", errno);
  }
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return Error::os("getsockname", "127.0.0.1:0", errno);
  }
  return std::pair<UniqueFd, int>(std::move(fd), ntohs(address.sin_port));
}

// Whether a server on `port` answers a range of one key with 200.
bool answers_range(int port) {
  httplib::Client http("127.0.0.1", port);
  http.set_connection_timeout(200ms);
  http.set_read_timeout(1s);
  http.set_socket_options(set_close_on_exec);
  auto answer = http.Post("/v3/kv/range", R"({"key":"AA=="})", "application/json");
  return answer && answer->status == 200;
}

// The last `limit` bytes of the server's log, for an error message.
std::string log_tail(const fs::path& log, std::size_t limit = 4000) {
  std::string text = read_file_or_empty(log);
  if (text.size() > limit) text = "...\n" + text.substr(text.size() - limit);
  return text;
}

}  // namespace

std::string to_string(ServerKind kind) { return kind == ServerKind::etcd ? "etcd" : "ministore"; }

std::optional<std::string> server_unavailable(ServerKind kind) {
  fs::path binary = default_binary(kind);
  if (is_executable(binary)) return std::nullopt;
  if (kind == ServerKind::etcd) {
    return "etcd not installed: " + binary.string() + " missing (make deps installs etcd-server)";
  }
  return "ministore not built: " + binary.string() + " missing (build it: cmake --build BUILD --target ministore)";
}

struct StoreServer::Impl {
  StoreServerOptions options;
  int port = 0;
  int peer_port = 0;  // etcd only: its raft port, which nobody else uses here
  std::string endpoint;
  fs::path log;
  ChildProcess child;

  std::vector<std::string> command_line() const {
    std::string client_url = "http://127.0.0.1:" + std::to_string(port);
    std::string peer_url = "http://127.0.0.1:" + std::to_string(peer_port);
    std::vector<std::string> argv;
    if (options.kind == ServerKind::etcd) {
      argv = {options.binary.string(), "--data-dir", (options.data_dir / "etcd").string(),
              "--name", "default", "--listen-client-urls", client_url, "--advertise-client-urls", client_url,
              "--listen-peer-urls", peer_url, "--initial-advertise-peer-urls", peer_url,
              "--initial-cluster", "default=" + peer_url};
    } else {
      argv = {options.binary.string(), "serve", "--data-dir", (options.data_dir / "ministore").string(),
              "--listen", "127.0.0.1:" + std::to_string(port)};
    }
    argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
    return argv;
  }

  // Spawns the server with stdout and stderr appended to the log, then waits until it answers.
  Result<void> launch() {
    UniqueFd out = DL_TRY(open_file(log, O_WRONLY | O_CREAT | O_APPEND));
    std::vector<std::string> argv = command_line();
    std::string banner = "==== starting:";
    for (const auto& arg : argv) banner += " " + arg;
    DL_TRY(write_all(out.get(), banner + "\n", log.string()));
    SpawnOptions spawn;
    int out_fd = out.get();
    pid_t parent = ::getpid();
    spawn.before_exec = [out_fd, parent]() -> Result<void> {
      if (::dup2(out_fd, STDOUT_FILENO) < 0 || ::dup2(out_fd, STDERR_FILENO) < 0) {
        return Error::os("dup2", "server log", errno);
      }
      // If the test process dies without running destructors (a CTest timeout kills it, or it
      // crashes), the server must not live on: the kernel kills it with its parent. Strictly,
      // with the parent *thread*, so servers are started from a thread that outlives them (the
      // tests' and the benchmark's main thread).
      if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return Error::os("prctl", "PR_SET_PDEATHSIG", errno);
      if (::getppid() != parent) return Error::invalid("the test process ended before its server started");
      return {};
    };
    child = DL_TRY(ChildProcess::spawn(argv, std::move(spawn)));
    return wait_ready();
  }

  Result<void> wait_ready() {
    auto deadline = std::chrono::steady_clock::now() + options.ready_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (answers_range(port)) return {};
      auto ended = DL_TRY(child.try_wait());
      if (ended) return failed_to_start(ended->describe() + " before answering /v3/kv/range on " + endpoint);
      std::this_thread::sleep_for(20ms);
    }
    (void)child.kill(SIGKILL);
    (void)child.wait();
    return failed_to_start("did not answer /v3/kv/range on " + endpoint + " within " +
                           std::to_string(options.ready_timeout.count()) + " ms (killed it)");
  }

  // Why the server is not up, with the end of its log: etcd and ministore both say what was wrong.
  Error failed_to_start(const std::string& why) const {
    return Error::invalid(to_string(options.kind) + " " + why + "; its output (" + log.string() + "):\n" +
                          log_tail(log));
  }

  Result<void> stop() {
    if (!child.running()) return {};
    DL_TRY(child.kill(SIGTERM));
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (DL_TRY(child.try_wait())) return {};
      std::this_thread::sleep_for(10ms);
    }
    (void)child.kill(SIGKILL);
    (void)child.wait();
    return Error::invalid("stopping " + to_string(options.kind) + ": still running 10 s after SIGTERM (killed)",
                          std::to_string(child.pid()), "its log is " + log.string());
  }
};

Result<StoreServer> StoreServer::start(StoreServerOptions options) {
  ignore_sigpipe();  // the readiness probe writes to a server that may have just died
  auto impl = std::make_unique<Impl>();
  if (options.binary.empty()) options.binary = default_binary(options.kind);
  if (!fs::is_directory(options.data_dir)) {
    return Error::invalid("starting a store server: data directory missing", options.data_dir.string(),
                          "create it first (TempDir::create)");
  }
  impl->options = std::move(options);
  impl->log = impl->options.data_dir / "server.log";
  auto [client_socket, client_port] = DL_TRY(reserve_loopback_port());
  auto [peer_socket, peer_port] = DL_TRY(reserve_loopback_port());
  impl->port = client_port;
  impl->peer_port = peer_port;
  impl->endpoint = "http://127.0.0.1:" + std::to_string(client_port);
  client_socket.reset();  // the server binds them next
  peer_socket.reset();
  DL_TRY(impl->launch().context("starting " + to_string(impl->options.kind) + " in " +
                                impl->options.data_dir.string()));
  return StoreServer(std::move(impl));
}

StoreServer::StoreServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

StoreServer::~StoreServer() {
  if (impl_) (void)impl_->stop();
}

StoreServer::StoreServer(StoreServer&&) noexcept = default;
StoreServer& StoreServer::operator=(StoreServer&& other) noexcept {
  if (this == &other) return *this;
  if (impl_) (void)impl_->stop();
  impl_ = std::move(other.impl_);
  return *this;
}

const std::string& StoreServer::endpoint() const { return impl_->endpoint; }
pid_t StoreServer::pid() const { return impl_->child.running() ? impl_->child.pid() : 0; }
ServerKind StoreServer::kind() const { return impl_->options.kind; }

void StoreServer::kill_now() {
  if (!impl_->child.running()) return;
  (void)impl_->child.kill(SIGKILL);
  (void)impl_->child.wait();
}

Result<void> StoreServer::stop() { return impl_->stop(); }

Result<void> StoreServer::restart() {
  DL_TRY(impl_->stop());
  return impl_->launch().context("restarting " + to_string(impl_->options.kind) + " on " + impl_->endpoint);
}

}  // namespace deploylab::store
