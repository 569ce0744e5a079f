// orchestrator/store/client/http_watch_stream.cpp: the reader thread of a watch (see
// http_watch_stream.h).
#include "orchestrator/store/client/http_watch_stream.h"

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "orchestrator/store/client/gateway_answer.h"
#include "orchestrator/store/client/json_stream.h"
#include "orchestrator/store/protocol/json_codec.h"

namespace deploylab::store {
namespace {

using namespace std::chrono_literals;

// A watch may stay silent for hours; only the destructor (or the server) ends it.
constexpr auto kIdleStream = std::chrono::hours(24);

class HttpWatchStream final : public WatchStream {
 public:
  HttpWatchStream(const Endpoint& endpoint, std::string url, std::string body, std::chrono::milliseconds timeout)
      : http_(endpoint.host, endpoint.port), url_(std::move(url)), body_(std::move(body)) {
    http_.set_connection_timeout(timeout);
    http_.set_write_timeout(timeout);
    http_.set_read_timeout(kIdleStream);
    http_.set_socket_options(set_close_on_exec);
    http_.set_tcp_nodelay(true);
    reader_ = std::thread([this] { run(); });
  }

  ~HttpWatchStream() override {
    stopping_ = true;
    // stop() shuts the socket down if a request is in flight, which wakes the reader's blocked
    // read. The reader may still be connecting when we get here, so repeat until it is gone.
    std::unique_lock lock(mutex_);
    while (!finished_) {
      lock.unlock();
      http_.stop();
      lock.lock();
      changed_.wait_for(lock, 20ms, [this] { return finished_; });
    }
    lock.unlock();
    reader_.join();
  }

  // Waits until the server answered the request with a status line, or the request failed.
  std::optional<StoreError> wait_until_answered(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [this] { return answered_; })) {
      return unreachable(url_, "no answer to POST /v3/watch within " + std::to_string(timeout.count()) + " ms");
    }
    if (status_ != 200 || (finished_ && queue_.empty())) {
      // Refused, or the connection failed: the stream's end carries the reason.
      changed_.wait(lock, [this] { return finished_; });
      return broken_;
    }
    return std::nullopt;
  }

  StoreResult<std::optional<WatchResponse>> next(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [this] { return !queue_.empty() || finished_; });
    if (!queue_.empty()) {
      WatchResponse message = std::move(queue_.front());
      queue_.pop_front();
      return std::optional<WatchResponse>(std::move(message));
    }
    if (finished_) return *broken_;
    return std::optional<WatchResponse>();
  }

 private:
  // The reader thread: one streaming request, each chunk fed to receive().
  void run() {
    httplib::Request request;
    request.method = "POST";
    request.path = "/v3/watch";
    request.body = body_;
    request.set_header("Content-Type", "application/json");
    request.response_handler = [this](const httplib::Response& response) { return answered(response.status); };
    request.content_receiver = [this](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
      return receive(std::string_view(data, size));
    };
    httplib::Response response;
    httplib::Error error = httplib::Error::Success;
    http_.send(request, response, error);
    finish(error);
  }

  bool answered(int status) {
    {
      std::lock_guard lock(mutex_);
      status_ = status;
      answered_ = true;
    }
    changed_.notify_all();
    return !stopping_;
  }

  // One chunk of the answer. A refusal's body is kept whole for its error; a stream's chunks
  // become messages. Returning false aborts the request.
  bool receive(std::string_view chunk) {
    if (stopping_) return false;
    if (status_ != 200) {
      error_body_.append(chunk);
      return true;
    }
    for (const std::string& text : splitter_.feed(chunk)) {
      if (!queue_message(text)) return false;
    }
    return true;
  }

  // Decodes one message and queues it; false (and the stream broken) if it is an error or
  // cannot be decoded.
  bool queue_message(const std::string& text) {
    StoreResult<WatchResponse> message = decode_message(text);
    std::lock_guard lock(mutex_);
    if (!message.ok()) {
      broken_ = message.error();
      return false;
    }
    queue_.push_back(std::move(message).value());
    changed_.notify_all();
    return true;
  }

  static StoreResult<WatchResponse> decode_message(const std::string& text) {
    StoreResult<nlohmann::json> parsed = json::parse_body(text);
    if (!parsed.ok()) return parsed.error();
    if (auto error = stream_error(parsed.value())) return *error;
    return json::decode<WatchResponse>(parsed.value());
  }

  // The request ended: say why, unless a message already did.
  void finish(httplib::Error error) {
    {
      std::lock_guard lock(mutex_);
      if (!broken_ && answered_ && status_ != 200) {
        broken_ = read_gateway_answer(status_, error_body_).error();
      } else if (!broken_) {
        std::string why = error == httplib::Error::Success ? "the server ended the stream" : httplib::to_string(error);
        broken_ = unreachable(url_, "watch stream broke: " + why + "; resume from the last revision seen + 1");
      }
      answered_ = true;
      finished_ = true;
    }
    changed_.notify_all();
  }

  httplib::Client http_;
  const std::string url_;
  const std::string body_;
  std::atomic<bool> stopping_{false};
  JsonStreamSplitter splitter_;  // reader thread only
  std::string error_body_;       // reader thread only

  std::mutex mutex_;
  std::condition_variable changed_;
  // Guarded by mutex_:
  bool answered_ = false;  // a status line arrived, or the request failed
  int status_ = 0;
  bool finished_ = false;  // the reader is done; broken_ says why
  std::deque<WatchResponse> queue_;
  std::optional<StoreError> broken_;

  std::thread reader_;  // last: starts after everything it uses exists
};

}  // namespace

StoreResult<std::unique_ptr<WatchStream>> open_http_watch(const Endpoint& endpoint, const std::string& url,
                                                          const WatchRequest& request,
                                                          std::chrono::milliseconds timeout) {
  auto stream = std::make_unique<HttpWatchStream>(endpoint, url, json::encode(request).dump(), timeout);
  if (auto refused = stream->wait_until_answered(timeout)) return *refused;
  return std::unique_ptr<WatchStream>(std::move(stream));
}

}  // namespace deploylab::store
