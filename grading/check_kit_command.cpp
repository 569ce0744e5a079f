// placeholder: being written
#include "grading/commands.h"
#include "common/error.h"
namespace deploylab::grading {
cli::Command check_kit_command() {
  return {"check-kit", "(being written)", [](auto&, auto&) {}, [](const auto&) -> int { throw NotImplemented("check_kit"); }};
}
}  // namespace deploylab::grading
