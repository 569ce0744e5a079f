# Test binaries. Two kinds:
#  - deploylab_unit_tests(): tests of our own infrastructure (common/, grading/), not graded;
#  - deploylab_lab_tests(): the graded tests of one lab, one binary per lab (labNN_tests). The
#    grader (grading/) runs the tests that the lab's lab.yaml lists from this binary, one at a
#    time. HIDDEN sources are the instructor's hidden tests: the student kit leaves those files
#    out, so they are compiled only where they exist.
# Both register their tests with CTest (one CTest test per GoogleTest case, except for binaries
# that need KVM: see below), labelled so `make test LAB=N` can pick a lab.

# Registers the tests of `target` with CTest. RUNS_ON kvm: the tests need a /dev/kvm that runs
# guests, so the binary runs through `vmhost auto` (hypervisor/vmhost/): natively where the
# machine has hardware KVM, else inside the KVM test host, saying which and why. A test-host boot
# costs about 8 s, so such a binary is one CTest test (one boot), not one per GoogleTest case.
function(deploylab_register_tests target labels runs_on)
  if(runs_on STREQUAL "kvm")
    # vmhost stops the test host itself after 600 s and says so, before CTest's own limit.
    add_test(NAME ${target} COMMAND $<TARGET_FILE:vmhost> auto --timeout 600 -- $<TARGET_FILE:${target}>)
    set_tests_properties(${target} PROPERTIES LABELS "${labels}" TIMEOUT 900)
    add_dependencies(${target} vmhost)
  elseif(NOT runs_on OR runs_on STREQUAL "host")
    gtest_discover_tests(${target} PROPERTIES LABELS "${labels}" DISCOVERY_TIMEOUT 60)
  else()
    message(FATAL_ERROR "${target}: RUNS_ON must be host or kvm, not ${runs_on}")
  endif()
endfunction()

function(deploylab_unit_tests)
  cmake_parse_arguments(ARG "" "NAME;LABEL;RUNS_ON" "SOURCES;LIBS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  deploylab_target_defaults(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main)
  deploylab_register_tests(${ARG_NAME} "${ARG_LABEL}" "${ARG_RUNS_ON}")
endfunction()

function(deploylab_lab_tests)
  cmake_parse_arguments(ARG "" "NAME;LAB;RUNS_ON" "SOURCES;HIDDEN;LIBS" ${ARGN})
  set(sources ${ARG_SOURCES})
  foreach(hidden IN LISTS ARG_HIDDEN)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${hidden})
      list(APPEND sources ${hidden})
    endif()
  endforeach()
  add_executable(${ARG_NAME} ${sources})
  deploylab_target_defaults(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main)
  # Lab numbers are two digits everywhere (labs/03-..., label lab03) so `ctest -L lab03` cannot
  # also match lab13.
  string(LENGTH "${ARG_LAB}" len)
  if(len EQUAL 1)
    set(label "lab0${ARG_LAB}")
  else()
    set(label "lab${ARG_LAB}")
  endif()
  deploylab_register_tests(${ARG_NAME} "${label};graded" "${ARG_RUNS_ON}")
endfunction()
