// placeholder: being written
#include "grading/commands.h"
#include "common/error.h"
namespace deploylab::grading {
cli::Command doctor_command() {
  return {"doctor", "(being written)", [](auto&, auto&) {}, [](const auto&) -> int { throw NotImplemented("doctor"); }};
}
}  // namespace deploylab::grading
