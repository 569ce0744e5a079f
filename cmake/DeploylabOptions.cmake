# deploylab build options: the warning policy for our own code, the sanitizer build (make asan)
# and the small relaxation the generated student kit needs. Included by the top-level CMakeLists.

option(DEPLOYLAB_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

# The student kit (grading/kit.cpp writes the .student-kit marker) replaces solution bodies with
# stubs that throw, which leaves parameters and helpers unused. Those warnings say nothing about a
# student's code, so the files the marker lists as stubbed tolerate them (deploylab_relax_stubs(),
# called at the end of the top-level CMakeLists); every other warning is still an error, and every
# other file compiles exactly as in the reference tree.
set(DEPLOYLAB_STUDENT_KIT OFF)
if(EXISTS ${CMAKE_SOURCE_DIR}/.student-kit)
  set(DEPLOYLAB_STUDENT_KIT ON)
endif()

# ccache with paths made relative to the source root: the student-kit check builds a second copy
# of the tree, and most of its files are byte-identical to ours, so they come from the cache.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${CMAKE_SOURCE_DIR} CCACHE_NOHASHDIR=1
      ${CCACHE_PROGRAM})
endif()

# deploylab_target_defaults(target): flags every target of ours gets (not third-party code).
function(deploylab_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  target_include_directories(${target} PRIVATE ${CMAKE_SOURCE_DIR})
endfunction()

if(DEPLOYLAB_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# A program that runs inside a busybox container root, which has no shared libraries: linked
# statically. Sanitizers cannot link statically, so it is built without them even in the
# sanitizer build (its tests then still run it in the container).
function(deploylab_static_program target)
  deploylab_target_defaults(${target})
  target_compile_options(${target} PRIVATE -fno-sanitize=all)
  target_link_options(${target} PRIVATE -fno-sanitize=all -static -pthread)
endfunction()

# Every directory of the build, for source properties that must be seen by targets anywhere.
function(deploylab_all_directories dir out)
  set(all ${dir})
  get_property(subdirectories DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirectories)
    deploylab_all_directories(${sub} below)
    list(APPEND all ${below})
  endforeach()
  set(${out} ${all} PARENT_SCOPE)
endfunction()

# In the student kit: the stubbed files (listed in .student-kit) tolerate unused code.
function(deploylab_relax_stubs)
  if(NOT DEPLOYLAB_STUDENT_KIT)
    return()
  endif()
  file(STRINGS ${CMAKE_SOURCE_DIR}/.student-kit lines REGEX "^stubbed: ")
  set(files)
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^stubbed: " "${CMAKE_SOURCE_DIR}/" file "${line}")
    list(APPEND files ${file})
  endforeach()
  if(files)
    deploylab_all_directories(${CMAKE_SOURCE_DIR} directories)
    set_source_files_properties(${files} DIRECTORY ${directories} PROPERTIES COMPILE_OPTIONS
        "-Wno-unused-parameter;-Wno-unused-variable;-Wno-unused-function;-Wno-unused-but-set-variable")
  endif()
endfunction()
