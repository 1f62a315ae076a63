# gerbang_add_plugin(NAME [MANIFEST file.json] SOURCES ... [OUTPUT_DIR dir]
#                    [INSTALL_DIR dir])
#
# Builds an agreement plugin: a shared object (MODULE library, no "lib" prefix) with hidden
# visibility and no undefined symbols, linked to gerbang::sdk only. With MANIFEST, the JSON
# file is compiled in: the generated header "gerbang_manifest.h" defines
#   static const char gerbang_manifest_json[];   // NUL-terminated, usable from C and C++
# Editing the manifest re-runs CMake and rebuilds the plugin.
#
# The .so lands in OUTPUT_DIR, else ${GERBANG_PLUGIN_OUTPUT_DIR} when set (inside the
# Gerbang tree: build/plugins), else the current binary directory.
#
# With INSTALL_DIR, `cmake --install` copies the .so there with mode 0644: the host refuses a
# plugin that group or others may write.
#
# This file is part of the installed SDK: find_package(Gerbang) makes the function
# available to plugin projects outside this tree (see docs/sdk.md).
set(_GERBANG_PLUGIN_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(gerbang_add_plugin name)
  cmake_parse_arguments(P "" "MANIFEST;OUTPUT_DIR;INSTALL_DIR" "SOURCES" ${ARGN})
  if(P_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "gerbang_add_plugin(${name}): unexpected arguments ${P_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT P_SOURCES)
    message(FATAL_ERROR "gerbang_add_plugin(${name}): SOURCES is required")
  endif()
  if(NOT P_OUTPUT_DIR)
    if(GERBANG_PLUGIN_OUTPUT_DIR)
      set(P_OUTPUT_DIR "${GERBANG_PLUGIN_OUTPUT_DIR}")
    else()
      set(P_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}")
    endif()
  endif()
  set(gen "${CMAKE_CURRENT_BINARY_DIR}/${name}_gen")
  if(P_MANIFEST)
    get_filename_component(mf "${P_MANIFEST}" ABSOLUTE)
    if(NOT EXISTS "${mf}")
      message(FATAL_ERROR "gerbang_add_plugin(${name}): manifest ${mf} does not exist")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${mf}")
    # The bytes go in as a char array rather than a string literal: no escaping to get
    # wrong, and no limit on literal length (ISO C only promises 4095 characters).
    file(READ "${mf}" hex HEX)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," GERBANG_MANIFEST_BYTES "${hex}")
    string(REGEX REPLACE "(([^,]*,){16})" "\\1\n  " GERBANG_MANIFEST_BYTES
           "${GERBANG_MANIFEST_BYTES}")
    configure_file("${_GERBANG_PLUGIN_CMAKE_DIR}/gerbang_manifest.h.in"
                   "${gen}/gerbang_manifest.h" @ONLY)
  endif()
  add_library(${name} MODULE ${P_SOURCES})
  target_include_directories(${name} PRIVATE "${gen}")
  target_link_libraries(${name} PRIVATE gerbang::sdk)
  if(TARGET gerbang::warnings)
    target_link_libraries(${name} PRIVATE gerbang::warnings)
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX "" OUTPUT_NAME "${name}"
    LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIR}"
    C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(NOT GERBANG_SANITIZE)
    # With sanitizers the runtime's symbols come from the host executable.
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
  endif()
  if(P_INSTALL_DIR)
    install(TARGETS ${name} LIBRARY DESTINATION "${P_INSTALL_DIR}"
            PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()
endfunction()
