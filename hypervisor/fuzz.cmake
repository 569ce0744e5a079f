# hypervisor/fuzz.cmake: the hypervisor's fuzz targets (lab 04). Add one with
#   deploylab_fuzz_target(NAME x_fuzz SOURCES devices/x_fuzz.cpp LIBS deploylab_devices)
# (cmake/DeploylabFuzz.cmake explains the two builds; scripts/fuzz.sh runs them). Included at the
# end of hypervisor/CMakeLists.txt, so paths are relative to hypervisor/.
#
# Each target feeds untrusted bytes to code that reads what a guest or a file controls: the UART's
# register handler (every IN/OUT the guest makes) and the bzImage header parser (a file the user
# names).
# The 16550A UART: register accesses, bad accesses and typed input, checked against a model.
deploylab_fuzz_target(NAME serial_uart_fuzz SOURCES devices/serial_uart_fuzz.cpp
                      LIBS deploylab_devices)
# virtio-mmio + split virtqueue + virtio-blk: register sequences and ring contents from the guest.
deploylab_fuzz_target(NAME virtio_mmio_fuzz SOURCES devices/virtio_mmio_fuzz.cpp
                      LIBS deploylab_devices)
# The bzImage header parser: the file is the input; scripts/fuzz.sh seeds it with a real kernel.
deploylab_fuzz_target(NAME bzimage_fuzz SOURCES boot/bzimage_fuzz.cpp
                      LIBS deploylab_boot)
