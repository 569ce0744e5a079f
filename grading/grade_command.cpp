// placeholder: being written
#include "grading/commands.h"
#include "common/error.h"
namespace deploylab::grading {
cli::Command grade_command() {
  return {"run", "(being written)", [](auto&, auto&) {}, [](const auto&) -> int { throw NotImplemented("grade"); }};
}
}  // namespace deploylab::grading
