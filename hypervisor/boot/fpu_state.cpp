// hypervisor/boot/fpu_state.cpp: the FNINIT-like starting FPU state (see fpu_state.h).
#include "hypervisor/boot/fpu_state.h"

namespace deploylab::hv {

kvm_fpu initial_fpu() {
  kvm_fpu fpu{};  // registers, status word, tag word (all empty), last instruction: zero
  fpu.fcw = kFcwAfterFninit;
  fpu.mxcsr = kMxcsrDefault;
  return fpu;
}

}  // namespace deploylab::hv
