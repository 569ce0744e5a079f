// common/result.h: Result<T>, a value or an Error (common/error.h), and DL_TRY to pass errors up.
//
// Functions that can fail return Result<T> instead of throwing, so the failure path is visible in
// the signature and every caller decides what to do with it:
//
//   Result<UniqueFd> open_config(const std::string& path);
//   Result<Config> load(const std::string& path) {
//     UniqueFd fd = DL_TRY(open_config(path).context("loading config"));
//     ...
//   }
//
// DL_TRY(expr) evaluates a Result; on error it returns the error from the enclosing function
// (which must itself return some Result), otherwise it yields the value. It is a GNU statement
// expression, the same early-return idiom SerenityOS's TRY uses; GCC and Clang both support it.
#pragma once

#include <utility>
#include <variant>

#include "common/error.h"

namespace deploylab {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // The value; throws ErrorException if there is none (use in tests and at the top of a CLI).
  T& value() & {
    throw_if_error();
    return std::get<T>(state_);
  }
  const T& value() const& {
    throw_if_error();
    return std::get<T>(state_);
  }
  T value() && {
    throw_if_error();
    return std::move(std::get<T>(state_));
  }
  T value_or(T fallback) && { return ok() ? std::move(std::get<T>(state_)) : std::move(fallback); }

  // The error; only valid when !ok().
  const Error& error() const& { return std::get<Error>(state_); }
  Error error() && { return std::move(std::get<Error>(state_)); }

  // Adds a layer of context to the error, if any (see Error::with_context).
  Result context(std::string outer) && {
    if (!ok()) std::get<Error>(state_).with_context(std::move(outer));
    return std::move(*this);
  }

  // Used by DL_TRY: moves the value out without a check (DL_TRY checked).
  T take() && { return std::move(std::get<T>(state_)); }

 private:
  void throw_if_error() const {
    if (!ok()) throw ErrorException(std::get<Error>(state_));
  }
  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing. `return {};` means success.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  void value() const {
    if (failed_) throw ErrorException(error_);
  }
  const Error& error() const& { return error_; }
  Error error() && { return std::move(error_); }
  Result context(std::string outer) && {
    if (failed_) error_.with_context(std::move(outer));
    return std::move(*this);
  }
  void take() && {}

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace deploylab

#define DL_TRY(expr)                                     \
  ({                                                     \
    auto dl_try_result_ = (expr);                        \
    if (!dl_try_result_.ok()) return std::move(dl_try_result_).error(); \
    std::move(dl_try_result_).take();                    \
  })
