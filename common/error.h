// common/error.h: the one error type of deploylab.
//
// Every failure in the kit is an Error that says what was being done (the operation), to what
// (the object), why (errno, when the OS said no) and what to do about it (the hint). Each layer
// that passes an error up adds a line of context, so a student sees the whole story:
//
//   starting container `web`: creating cgroup `/sys/fs/cgroup/memory/deploylab/web`:
//   mkdir: Permission denied [EACCES] (hint: run as root, or delegate the cgroup to your user)
//
// Errors travel inside Result<T> (common/result.h); code that cannot return one (constructors
// of CLI tools, test helpers) throws ErrorException, which carries the same Error.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace deploylab {

struct Error {
  std::string op;                    // what failed: a syscall ("mkdir") or an action ("parsing lab.yaml")
  std::string object;                // what it was done to: a path, a name, a pid; may be empty
  int code = 0;                      // errno when the OS refused; 0 for a logic error
  std::string hint;                  // what the reader can do about it; may be empty
  std::vector<std::string> context;  // outer layers, outermost first ("starting container `web`")

  // An error the OS reported (errno). `object` is quoted in the message.
  static Error os(std::string op, std::string object, int code, std::string hint = {});
  // An error of our own logic or of bad input: `what` says what is wrong.
  static Error invalid(std::string what, std::string object = {}, std::string hint = {});

  // Adds an outer layer of context and returns the error, for chaining on a temporary.
  Error&& with_context(std::string outer) &&;
  Error& with_context(std::string outer) &;

  // The whole story on one line, outermost context first (see the example above).
  std::string message() const;
};

// "ENOENT" for ENOENT: students search for the name, not the number.
std::string errno_name(int code);

// Thrown where a Result cannot be returned; what() is Error::message().
class ErrorException : public std::runtime_error {
 public:
  explicit ErrorException(Error error);
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

// What the student kit's stubs throw: "lab 3: set up the long-mode page tables". Tests that hit a
// stub fail with this text, which tells the student which task is still to do.
class NotImplemented : public std::logic_error {
 public:
  explicit NotImplemented(const std::string& task);
};

}  // namespace deploylab
