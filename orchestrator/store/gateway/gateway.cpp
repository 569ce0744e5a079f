// orchestrator/store/gateway/gateway.cpp: the HTTP side of the gateway, on cpp-httplib
// (gateway.h). Everything about the protocol is in routes.cpp and watch_lines.cpp; this file
// moves bytes, owns the threads, and turns HTTP's own failures (unknown path, wrong method,
// oversized body, a bug that threw) into etcd-style error bodies.
#include "orchestrator/store/gateway/gateway.h"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <thread>

#include "orchestrator/store/gateway/routes.h"
#include "orchestrator/store/gateway/watch_lines.h"
#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store::gateway {
namespace {

constexpr std::size_t kGrpcOverheadBytes = 512 * 1024;  // etcd's gRPC limit is the request limit + this
constexpr std::size_t kJsonRoomBytes = 64 * 1024;
constexpr std::size_t kKeepAliveRequests = 1000000;     // httplib's default (5) would reconnect often
// How long an idle kept-alive connection stays open. httplib checks for shutdown only between
// requests, so this is also how long stop() may wait for an idle client; clients reconnect
// transparently after it.
constexpr time_t kKeepAliveSeconds = 2;
constexpr std::chrono::seconds kStartTimeout{5};
constexpr int kListenBacklog = 1024;  // the kernel caps it at net.core.somaxconn

void send(httplib::Response& res, const Reply& reply) {
  res.status = reply.status;
  res.set_content(reply.body, "application/json");
}

// The body for an answer httplib made on its own (no handler wrote one), in etcd's shape.
Reply reply_for_http_status(const httplib::Request& req, int status) {
  if (status == 404 && is_known_path(req.path)) {
    std::string what = "method not allowed: " + req.method + " " + req.path + " (the gateway takes POST)";
    Reply reply = error_reply(StoreError{StoreErrc::invalid_argument, what});
    reply.status = 405;
    return reply;
  }
  if (status == 404) return error_reply(StoreError::make(StoreErrc::not_found));
  StoreErrc code = status == 413 ? StoreErrc::request_too_large : StoreErrc::invalid_argument;
  if (status >= 500) code = StoreErrc::internal;
  Reply reply = error_reply(StoreError::make(code, status == 413 ? "" : "HTTP " + std::to_string(status)));
  reply.status = status;
  return reply;
}

// The text of an exception a handler threw.
std::string what_of(std::exception_ptr thrown) {
  try {
    std::rethrow_exception(thrown);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

// One open watch stream: its lines, and its place among the max_watches.
struct OpenWatch {
  OpenWatch(std::unique_ptr<Watcher> watcher, Revision current, std::atomic<std::size_t>& open)
      : lines(std::move(watcher), current), open_watches(open) {}
  ~OpenWatch() { --open_watches; }
  OpenWatch(const OpenWatch&) = delete;
  OpenWatch& operator=(const OpenWatch&) = delete;

  WatchLines lines;
  std::atomic<std::size_t>& open_watches;
};

// One turn of a watch stream's loop (httplib calls it again and again while it returns true):
// end the stream if the client went away, else send whatever the watch has within `poll`.
bool pump(WatchLines& lines, httplib::DataSink& sink, std::chrono::milliseconds poll) {
  if (!sink.is_writable()) return false;
  std::string text = lines.next(poll);
  if (!text.empty() && !sink.write(text.data(), text.size())) return false;
  if (lines.finished()) sink.done();
  return true;
}

}  // namespace

std::size_t max_body_bytes(std::size_t max_request_bytes) {
  return (max_request_bytes + kGrpcOverheadBytes) / 3 * 4 + kJsonRoomBytes;
}

struct Gateway::Impl {
  Impl(Store& s, GatewayOptions o) : store(s), options(std::move(o)), routes(s, options.max_request_bytes) {}

  void configure_connections();
  void configure_handlers();
  void handle_post(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read);
  void open_watch(const std::string& body, httplib::Response& res);

  Store& store;
  GatewayOptions options;
  Routes routes;
  httplib::Server server;
  std::thread listener;
  int port = 0;
  int listen_fd = -1;  // the listening socket (owned by httplib)
  std::atomic<std::size_t> open_watches{0};
};

void Gateway::Impl::configure_connections() {
  // httplib's defaults for the listening socket are not a server's: it also sets SO_REUSEPORT,
  // which lets a second server bind the same port and silently take half the connections, and
  // it listens with a backlog of 5, so a burst of clients (64 watchers connecting at once)
  // overflows the queue and waits for SYN retries, a second or more each. So: SO_REUSEADDR only
  // (a restarted server can bind again at once), and remember the socket to widen the backlog
  // after bind (see start()). TCP_NODELAY, which accepted sockets inherit: httplib writes an
  // answer's headers and body separately, and with Nagle's algorithm the body would wait for
  // the client's delayed ACK, 40 ms per request.
  server.set_socket_options([this](int fd) {
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    listen_fd = fd;
  });
  std::size_t threads = options.threads;
  // httplib takes ownership of the queue it is given.
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(max_body_bytes(options.max_request_bytes));
  server.set_keep_alive_max_count(kKeepAliveRequests);
  server.set_keep_alive_timeout(kKeepAliveSeconds);
}

void Gateway::Impl::configure_handlers() {
  // A handler that reads the body itself: httplib's own reading would also parse a body sent
  // as application/x-www-form-urlencoded (curl -d's default) as a form and refuse it above 8 KiB.
  server.Post(".*", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
    handle_post(req, res, read);
  });
  using HandlerResponse = httplib::Server::HandlerResponse;
  server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return HandlerResponse::Unhandled;  // a reply of ours
    send(res, reply_for_http_status(req, res.status));
    return HandlerResponse::Handled;
  }));
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr thrown) {
    std::string what = what_of(thrown);
    spdlog::error("gateway: {} {} threw: {}", req.method, req.path, what);
    send(res, error_reply(StoreError::make(StoreErrc::internal, what)));
  });
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::debug("gateway: {}:{} {} {} -> {}", req.remote_addr, req.remote_port, req.method, req.path, res.status);
  });
}

void Gateway::Impl::handle_post(const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& read) {
  std::string body;
  std::size_t limit = max_body_bytes(options.max_request_bytes);
  bool too_large = false;
  bool complete = read([&](const char* data, std::size_t size) {
    too_large = body.size() + size > limit;  // a chunked body that grew too large
    if (!too_large) body.append(data, size);
    return !too_large;
  });
  if (!complete) {
    // httplib refuses a Content-Length over the limit itself (413) and skips the body; in any
    // other case the rest of the body is still unread, so the connection cannot carry another
    // request.
    bool refused_by_httplib = res.status == 413;
    if (!refused_by_httplib) res.set_header("Connection", "close");
    return send(res, reply_for_http_status(req, refused_by_httplib || too_large ? 413 : 400));
  }
  if (req.path == kWatchPath) return open_watch(body, res);
  std::optional<Reply> reply = routes.call(req.path, body);
  send(res, reply ? *reply : error_reply(StoreError::make(StoreErrc::not_found)));
}

void Gateway::Impl::open_watch(const std::string& body, httplib::Response& res) {
  if (open_watches.fetch_add(1) >= options.max_watches) {
    --open_watches;
    return send(res, error_reply(StoreError{StoreErrc::unavailable,
                                            "etcdserver: too many watch streams open (" +
                                                std::to_string(options.max_watches) + "); try again later"}));
  }
  Revision current = store.revision();
  auto opened = routes.open_watch(body);
  if (auto* reply = std::get_if<Reply>(&opened)) {
    --open_watches;
    return send(res, *reply);
  }
  auto watch = std::make_shared<OpenWatch>(std::move(std::get<std::unique_ptr<Watcher>>(opened)), current,
                                           open_watches);
  auto poll = options.watch_poll;
  // The provider owns the watch; httplib drops it when the stream ends, which cancels and frees
  // the Watcher.
  res.set_chunked_content_provider("application/json", [watch, poll](std::size_t, httplib::DataSink& sink) {
    return pump(watch->lines, sink, poll);
  });
}

Gateway::Gateway(Store& store, GatewayOptions options) : impl_(std::make_unique<Impl>(store, std::move(options))) {
  impl_->configure_connections();
  impl_->configure_handlers();
}

Gateway::~Gateway() { stop(); }

Result<void> Gateway::start() {
  const auto& options = impl_->options;
  std::string address = options.host + ":" + std::to_string(options.port);
  if (impl_->listener.joinable()) return Error::invalid("the gateway is already serving", address);
  // A client that hangs up mid-answer must not kill the server: writes to its socket then fail
  // with EPIPE instead of raising SIGPIPE (httplib sends without MSG_NOSIGNAL).
  std::signal(SIGPIPE, SIG_IGN);
  errno = 0;
  int port = options.port == 0 ? impl_->server.bind_to_any_port(options.host)
                               : (impl_->server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port < 0) {
    return Error::os("bind", address, errno != 0 ? errno : EADDRNOTAVAIL,
                     "is another server listening there? choose another port, or port 0 for any free one");
  }
  impl_->port = port;
  // Calling listen() again on a listening socket only changes its backlog.
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, kListenBacklog);
  impl_->listener = std::thread([this] { impl_->server.listen_after_bind(); });
  // stop() only works on a running server, so do not return before it runs.
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!impl_->server.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return {};
}

int Gateway::port() const { return impl_->port; }

void Gateway::stop() {
  if (!impl_->listener.joinable()) return;
  impl_->server.stop();
  impl_->listener.join();
}

}  // namespace deploylab::store::gateway
