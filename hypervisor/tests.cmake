# hypervisor/tests.cmake: the unit tests of the hypervisor's own pieces that are not graded lab work
# (guest memory, exit words, CPU vendor, exit statistics, register dumps, guest images, machine
# configuration, the exit-benchmark report). Pure: no /dev/kvm, so they run on any host. Each test
# sits beside the code it tests; the graded tests of labs 01-03 are in labs/. Included at the end
# of hypervisor/CMakeLists.txt.
deploylab_unit_tests(NAME hypervisor_unit_tests LABEL hypervisor
  SOURCES
    kvm/guest_memory_test.cpp
    kvm/flex_array_test.cpp
    kvm/exit_reason_test.cpp
    kvm/cpu_vendor_test.cpp
    vmm/exit_stats_test.cpp
    vmm/register_dump_test.cpp
    vmm/guest_image_test.cpp
    vmm/machine_config_test.cpp
    vmm/kernel_console_test.cpp
    vmm/linux_boot_report_test.cpp
    minivmm/exit_bench_report_test.cpp
    minivmm/console_input_test.cpp
  LIBS deploylab_minivmm deploylab_vmm deploylab_kvm deploylab_common)
