// hypervisor/vmm/register_dump.cpp: registers as text (see register_dump.h).
#include "hypervisor/vmm/register_dump.h"

#include <fmt/format.h>

namespace deploylab::hv {

namespace {

std::string segment(const char* name, const kvm_segment& s) {
  return fmt::format("{}={:04x} base={:016x} limit={:08x} type={:x} l={} db={}", name, s.selector, s.base, s.limit,
                     s.type, s.l, s.db);
}

}  // namespace

std::string format_register_dump(const kvm_regs& r, const kvm_sregs& s) {
  std::string text;
  text += fmt::format("rip={:016x} rflags={:016x}\n", r.rip, r.rflags);
  text += fmt::format("rax={:016x} rbx={:016x} rcx={:016x} rdx={:016x}\n", r.rax, r.rbx, r.rcx, r.rdx);
  text += fmt::format("rsi={:016x} rdi={:016x} rsp={:016x} rbp={:016x}\n", r.rsi, r.rdi, r.rsp, r.rbp);
  text += fmt::format("r8 ={:016x} r9 ={:016x} r10={:016x} r11={:016x}\n", r.r8, r.r9, r.r10, r.r11);
  text += fmt::format("r12={:016x} r13={:016x} r14={:016x} r15={:016x}\n", r.r12, r.r13, r.r14, r.r15);
  text += fmt::format("cr0={:016x} cr2={:016x} cr3={:016x} cr4={:016x} efer={:016x}\n", s.cr0, s.cr2, s.cr3, s.cr4,
                      s.efer);
  text += segment("cs", s.cs) + "\n" + segment("ss", s.ss) + "\n" + segment("ds", s.ds) + "\n";
  text += fmt::format("gdt base={:016x} limit={:04x}  idt base={:016x} limit={:04x}\n", s.gdt.base, s.gdt.limit,
                      s.idt.base, s.idt.limit);
  return text;
}

}  // namespace deploylab::hv
