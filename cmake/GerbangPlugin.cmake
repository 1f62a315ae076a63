# gerbang_add_plugin(NAME MANIFEST file.json SOURCES ...)
# Builds an agreement plugin: a shared object with hidden visibility and no undefined
# symbols, whose manifest JSON is compiled in (generated header "gerbang_manifest.h"
# defining `gerbang_manifest_json`). The .so lands in ${GERBANG_PLUGIN_OUTPUT_DIR} unless
# OUTPUT_DIR is given (broken test fixtures go elsewhere).
function(gerbang_add_plugin name)
  cmake_parse_arguments(P "" "MANIFEST;OUTPUT_DIR" "SOURCES" ${ARGN})
  if(NOT P_OUTPUT_DIR)
    set(P_OUTPUT_DIR "${GERBANG_PLUGIN_OUTPUT_DIR}")
  endif()
  set(gen "${CMAKE_CURRENT_BINARY_DIR}/${name}_gen")
  if(P_MANIFEST)
    get_filename_component(mf "${P_MANIFEST}" ABSOLUTE)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${mf}")
    file(READ "${mf}" GERBANG_MANIFEST_TEXT)
    configure_file("${PROJECT_SOURCE_DIR}/cmake/gerbang_manifest.h.in"
                   "${gen}/gerbang_manifest.h" @ONLY)
  endif()
  add_library(${name} MODULE ${P_SOURCES})
  target_include_directories(${name} PRIVATE "${gen}")
  target_link_libraries(${name} PRIVATE gerbang::sdk gerbang::warnings)
  set_target_properties(${name} PROPERTIES
    PREFIX "" OUTPUT_NAME "${name}"
    LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIR}"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(NOT GERBANG_SANITIZE)
    # With sanitizers the runtime's symbols come from the host executable.
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()
