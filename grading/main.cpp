// grading/main.cpp: the `grade` tool, the instructor's and the student's entry point to grading.
// `make grade`, `make student-kit`, `make check-kit` and `make doctor` all call it.
#include "grading/commands.h"

int main(int argc, char** argv) {
  using namespace deploylab::grading;
  return deploylab::cli::main("grade", "the deploylab auto-grader and student-kit tools",
                              {grade_command(), kit_command(), check_kit_command(), doctor_command(), demo_command()}, argc,
                              argv);
}
