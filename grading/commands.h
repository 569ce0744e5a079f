// grading/commands.h: the subcommands of the `grade` tool, one file each (like crun's src/*.c):
//   grade run        grade_command.cpp      build a lab, run its graded tests, score them
//   grade kit        kit_command.cpp        write the student kit from the reference tree
//   grade check-kit  check_kit_command.cpp  prove the kit builds and every graded test fails on it
//   grade doctor     doctor_command.cpp     check this machine for what the labs need
//   grade demo       demo_command.cpp       what `make demo` shows: doctor, Linux in minivmm, minictr, quick table
#pragma once

#include "common/cli.h"

namespace deploylab::grading {

cli::Command grade_command();
cli::Command kit_command();
cli::Command check_kit_command();
cli::Command doctor_command();
cli::Command demo_command();

}  // namespace deploylab::grading
