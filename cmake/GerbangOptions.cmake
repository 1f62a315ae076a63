# Warnings and sanitizers, applied through an interface target rather than global flags.
add_library(gerbang_warnings INTERFACE)
add_library(gerbang::warnings ALIAS gerbang_warnings)
target_compile_options(gerbang_warnings INTERFACE -Wall -Wextra -Wpedantic
                       $<$<BOOL:${GERBANG_WERROR}>:-Werror>)

if(GERBANG_SANITIZE)
  # Sanitizers must cover every object in the process (plugins and tests too), so this is
  # the one place that sets flags for the whole tree.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
  set(CMAKE_C_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

# gerbang_module(NAME SOURCES... [DEPS ...]): one static library per core responsibility,
# exported as gerbang::NAME.
function(gerbang_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(gerbang_${name} STATIC ${M_SOURCES})
  add_library(gerbang::${name} ALIAS gerbang_${name})
  target_include_directories(gerbang_${name} PUBLIC "${PROJECT_SOURCE_DIR}")
  target_link_libraries(gerbang_${name} PUBLIC ${M_DEPS} PRIVATE gerbang::warnings)
endfunction()
