# deploylab: the front door. Every target does its own set-up (packages, assets, build), so a
# newcomer needs only `make demo` and `make test` (README.md). The real work lives in CMake
# (CMakeLists.txt), scripts/deps.sh (packages and assets) and the `grade` tool (grading/).
#
#   make            deps + build everything
#   make deps       install the Debian packages and prepare build/assets (idempotent, quiet)
#   make test       the whole suite, the student-kit check (in the reference tree) and the
#                   sanitizer suite
#                   (make test LAB=3: only lab 3's tests)
#   make test-slow  the suites labelled slow (not part of make test)
#   make asan       build with ASan + UBSan into build-asan/ and run the suite there
#   make grade      grade every lab (make grade LAB=0 TESTS='FileLock.*' RESULTS=results.json)
#   make bench      the lecture's VM-versus-container tradeoff table, measured on this machine:
#                   build/bench/{tradeoff.md, tradeoff.csv, results.json, plots/} (bench/tradeoff/README.md;
#                   QUICK=1: about two minutes; ROUNDS=N; ONLY=containers,container-rows,isolation,network,exits,vms)
#   make bench-exits  what a VM exit costs here, natively and inside the test host (minivmm)
#   make bench-boot   VM boot: minivmm, QEMU microvm and libvirt side by side (ROUNDS=N ONLY=qemu,libvirt)
#   make bench-containers  container start: minictr, crun and runc side by side, and their smallest
#                   memory limit (ROUNDS=N, default 50; ONLY=minictr,crun)
#   make bench-network  TCP latency and throughput host->container, container->container and through
#                   a published port, next to the host's loopback (ROUNDS=N, default 10)
#   make bench-store    ministore beside a real etcd 3.4, both durable: puts/s with 1 and 16 clients,
#                   range and watch latency, lab 10's goals checked (ROUNDS=N, ONLY=ministore|etcd)
#   make fuzz       the fuzz targets under libFuzzer + ASan/UBSan (clang, build-fuzz/), FUZZ_SECONDS each
#   make demo       the main job: machine check, Linux booting in minivmm, busybox in minictr, the quick
#                   tradeoff table (under 3 minutes once deps are installed)
#   make student-kit / check-kit / doctor / clean

BUILD    ?= build
ASAN     ?= build-asan
CMAKE_GENERATOR ?= Ninja
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
LAB      ?=
TESTS    ?=
RESULTS  ?=
REPEAT   ?=
BUILD_FUZZ   ?= build-fuzz
FUZZ_SECONDS ?= 60

GRADE    := $(BUILD)/bin/grade
CTEST    := ctest --output-on-failure --no-tests=error -j $(JOBS) --timeout 900
# Lab numbers are two digits in labels (lab03), so `make test LAB=3` cannot match lab 13.
LAB_LABEL = lab$(shell printf '%02d' '$(LAB)' 2>/dev/null)

.PHONY: all deps configure build test test-slow asan grade student-kit check-kit doctor demo clean check-lab bench bench-exits bench-boot bench-containers bench-network bench-store fuzz

all: build

deps:
	@bash scripts/deps.sh --build-dir $(BUILD)

# Configure once; later builds re-run CMake by themselves when a CMakeLists.txt changes.
configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -G $(CMAKE_GENERATOR) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

check-lab:
	@if [ -n "$(LAB)" ] && ! ls -d labs/$$(printf '%02d' '$(LAB)')-* >/dev/null 2>&1; then \
	  echo "make: there is no lab $(LAB); the labs are: $$(ls -d labs/[0-9]*/ | xargs -n1 basename | tr '\n' ' ')" >&2; exit 2; fi

ifeq ($(LAB),)
test: build
	$(CTEST) --test-dir $(BUILD) -LE slow
# BEGIN SOLUTION
	@$(GRADE) check-kit
# STUB:
# END SOLUTION
	@$(MAKE) --no-print-directory asan
else
test: check-lab build
	$(CTEST) --test-dir $(BUILD) -L '^$(LAB_LABEL)$$'
endif

test-slow: build
	$(CTEST) --test-dir $(BUILD) -L slow

# The KVM tests run in the test host, which boots with the main build's kernel and initramfs.
asan: deps
	@test -f $(ASAN)/CMakeCache.txt || cmake -S . -B $(ASAN) -G $(CMAKE_GENERATOR) -DDEPLOYLAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
	  -DDEPLOYLAB_ASSETS_BUILD_DIR=$(abspath $(BUILD)) >/dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  DEPLOYLAB_ASSETS=$(abspath $(BUILD))/assets $(CTEST) --test-dir $(ASAN) -LE 'slow|assets|vmhost'

grade: check-lab configure
	@cmake --build $(BUILD) --target grade > $(BUILD)/grade-build.log 2>&1 || { cat $(BUILD)/grade-build.log; exit 1; }
	@$(GRADE) run $(if $(LAB),--lab $(LAB)) $(if $(TESTS),--tests '$(TESTS)') \
	  $(if $(RESULTS),--results $(RESULTS)) $(if $(REPEAT),--repeat $(REPEAT))

# Every row of the tradeoff table (bench/tradeoff/README.md), side by side with QEMU and crun/runc. Needs
# root. QUICK=1 (or anything but 0) for a classroom's two minutes.
bench: build
	@$(BUILD)/bin/tradeoff-bench $(if $(filter-out 0,$(QUICK)),--quick) $(if $(ROUNDS),--rounds $(ROUNDS)) \
	  $(if $(ONLY),--only $(ONLY))

# The same benchmark twice, side by side: on this machine's own KVM, then inside vmhost (real
# nested KVM under QEMU's emulation). The in-kernel hypercall row is skipped natively under kvm_pvm.
bench-exits: build
	@echo "== natively"
	@$(BUILD)/bin/minivmm bench-exits
	@echo; echo "== inside the test host (vmhost)"
	@$(BUILD)/bin/vmhost run --build-dir $(abspath $(BUILD)) -- $(abspath $(BUILD))/bin/minivmm bench-exits

# The VM boot rows of the tradeoff table (bench/boot/README.md): the same kernel and initramfs under
# minivmm, QEMU microvm and a libvirt domain, round by round, on the same KVM: natively on hardware
# KVM, else inside vmhost. Needs root for the libvirt row.
bench-boot: build
	@$(BUILD)/bin/vmhost auto --build-dir $(abspath $(BUILD)) --mem 3G --timeout 3600 -- \
	  $(abspath $(BUILD))/bin/boot-bench $(if $(ROUNDS),--rounds $(ROUNDS)) $(if $(ONLY),--only $(ONLY)) \
	  --json $(abspath $(BUILD))/bench-boot.json

# The container rows of the tradeoff table (bench/containers/README.md): minictr, crun and runc run
# /bin/true from the same bundle, round by round, next to unshare and a bare fork+exec, and each
# runtime's smallest workable memory limit. Needs root; no KVM, so it runs natively.
bench-containers: build
	@$(BUILD)/bin/container-bench $(if $(ROUNDS),--rounds $(ROUNDS)) $(if $(ONLY),--only $(ONLY)) \
	  --json $(abspath $(BUILD))/bench-containers.json

# The network rows (bench/network/README.md): in a network namespace of its own, net-probe talks over
# the host's loopback, to a container over the bridge, between two containers and through a
# published port. Needs root; runs natively.
bench-network: build
	@$(BUILD)/bin/net-bench $(if $(ROUNDS),--rounds $(ROUNDS)) --json $(abspath $(BUILD))/bench-network.json

# The store rows (bench/store/README.md): ministore (--durability full, and normal for comparison)
# and a real etcd 3.4 on loopback, round by round, with lab 10's goals checked. No root needed.
bench-store: build
	@$(BUILD)/bin/store-bench $(if $(ROUNDS),--rounds $(ROUNDS)) $(if $(ONLY),--only $(ONLY)) \
	  --json $(abspath $(BUILD))/bench-store.json

# Every fuzz target (hypervisor/fuzz.cmake) under libFuzzer for FUZZ_SECONDS, corpora kept in
# $(BUILD_FUZZ); exits 1 on a crash. `make test` builds and smoke-runs the same targets with gcc.
fuzz: deps
	@BUILD=$(BUILD) BUILD_FUZZ=$(BUILD_FUZZ) FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) bash scripts/fuzz.sh $(FUZZ_TARGETS)

student-kit: build
	@$(GRADE) kit

check-kit: build
	@$(GRADE) check-kit

doctor: build
	@$(GRADE) doctor --build-dir $(BUILD)

demo: build
	@$(GRADE) demo --build-dir $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN)
