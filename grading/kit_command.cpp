// placeholder: being written
#include "grading/commands.h"
#include "common/error.h"
namespace deploylab::grading {
cli::Command kit_command() {
  return {"kit", "(being written)", [](auto&, auto&) {}, [](const auto&) -> int { throw NotImplemented("kit"); }};
}
}  // namespace deploylab::grading
