// orchestrator/store/test_threads.h: threads for the store's tests that turn an exception into
// a test failure instead of ending the test binary.
//
// A thread whose body throws (a failed StoreResult::value(), or a lab stub's "not implemented")
// would call std::terminate and kill the whole binary, skipping every destructor, so the test's
// temporary directory would stay behind. TestThreads keeps the first exception's message and
// hands it to the test after join().
#pragma once

#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace deploylab::store {

class TestThreads {
 public:
  ~TestThreads() { join(); }

  template <class Body>
  void start(Body body) {
    threads_.emplace_back([this, body = std::move(body)]() mutable {
      try {
        body();
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex_);
        if (first_error_.empty()) first_error_ = e.what();
      }
    });
  }

  // Waits for every thread; the first exception's message, or "" when none threw.
  std::string join() {
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
    return first_error_;
  }

 private:
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::string first_error_;
};

}  // namespace deploylab::store
