// common/error.cpp: formatting of deploylab::Error (see error.h for the contract).
#include "common/error.h"

#include <cstring>

namespace deploylab {

Error Error::os(std::string op, std::string object, int code, std::string hint) {
  Error e;
  e.op = std::move(op);
  e.object = std::move(object);
  e.code = code;
  e.hint = std::move(hint);
  return e;
}

Error Error::invalid(std::string what, std::string object, std::string hint) {
  Error e;
  e.op = std::move(what);
  e.object = std::move(object);
  e.hint = std::move(hint);
  return e;
}

Error&& Error::with_context(std::string outer) && {
  context.insert(context.begin(), std::move(outer));
  return std::move(*this);
}

Error& Error::with_context(std::string outer) & {
  context.insert(context.begin(), std::move(outer));
  return *this;
}

std::string Error::message() const {
  std::string out;
  for (const auto& layer : context) out += layer + ": ";
  out += op;
  if (!object.empty()) out += " `" + object + "`";
  if (code != 0) out += ": " + std::string(std::strerror(code)) + " [" + errno_name(code) + "]";
  if (!hint.empty()) out += " (hint: " + hint + ")";
  return out;
}

std::string errno_name(int code) {
  if (const char* name = strerrorname_np(code)) return name;
  return "errno " + std::to_string(code);
}

ErrorException::ErrorException(Error error)
    : std::runtime_error(error.message()), error_(std::move(error)) {}

NotImplemented::NotImplemented(const std::string& task) : std::logic_error("not implemented: " + task) {}

}  // namespace deploylab
