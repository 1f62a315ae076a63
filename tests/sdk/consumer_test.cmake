# The SDK as a plugin author gets it (like fmt's find-package-test): install the SDK
# component of this build into an empty prefix, then configure, build and install the
# out-of-tree project in consumer/ against that prefix alone.
#   cmake -DGERBANG_BUILD_DIR=... -DCONSUMER_SOURCE=... -DWORK=... -DGENERATOR=...
#         -DC_COMPILER=... -DCXX_COMPILER=... -DLIBDIR=lib -DNM=... -P consumer_test.cmake
foreach(v GERBANG_BUILD_DIR CONSUMER_SOURCE WORK GENERATOR C_COMPILER CXX_COMPILER LIBDIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "consumer_test.cmake: -D${v}=... is required")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rv OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rv EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rv}):\n${out}")
  endif()
  message(STATUS "${what}: ok")
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix "${WORK}/prefix")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

run("install the SDK component"
    "${CMAKE_COMMAND}" --install "${GERBANG_BUILD_DIR}" --prefix "${prefix}" --component sdk)
foreach(f include/gerbang/sdk/plugin.h include/gerbang/sdk/plugin.hpp
          ${LIBDIR}/cmake/Gerbang/GerbangConfig.cmake
          ${LIBDIR}/cmake/Gerbang/GerbangConfigVersion.cmake
          ${LIBDIR}/cmake/Gerbang/GerbangTargets.cmake
          ${LIBDIR}/cmake/Gerbang/GerbangPlugin.cmake
          ${LIBDIR}/cmake/Gerbang/gerbang_manifest.h.in)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "the SDK install lacks ${f}")
  endif()
endforeach()
# The SDK is the only installed API: nothing of core/ may leak into it.
file(GLOB_RECURSE installed RELATIVE "${prefix}" "${prefix}/*")
foreach(f IN LISTS installed)
  if(NOT f MATCHES "^(include/gerbang/sdk/|${LIBDIR}/cmake/Gerbang/)")
    message(FATAL_ERROR "the SDK component installed an unexpected file: ${f}")
  endif()
endforeach()

# Only the prefix: no package registry, no source tree, no Boost/Poco/spdlog needed.
run("configure the consumer"
    "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE}" -B "${WORK}/build" -G "${GENERATOR}"
    "-DCMAKE_C_COMPILER=${C_COMPILER}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${prefix}"
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
run("build the consumer" "${CMAKE_COMMAND}" --build "${WORK}/build")
run("install the consumer" "${CMAKE_COMMAND}" --install "${WORK}/build" --prefix "${prefix}")

set(so "${prefix}/lib/gerbang/plugins/contoh-dinas.so")
if(NOT EXISTS "${so}")
  message(FATAL_ERROR "the consumer did not install ${so}")
endif()
if(NM)
  # Hidden visibility: the entry point is the one strong symbol the plugin exports. Weak
  # instantiations of standard-library templates (clang exports those, as libstdc++ gives
  # namespace std default visibility) are harmless: the host loads plugins RTLD_LOCAL.
  run("list exported symbols" "${NM}" -D --defined-only "${so}")
  string(REPLACE "\n" ";" lines "${last_output}")
  set(strong)
  foreach(line IN LISTS lines)
    if(line MATCHES "^[0-9a-fA-F]+ ([TDBR]) (.+)$")
      list(APPEND strong "${CMAKE_MATCH_2}")
    endif()
  endforeach()
  if(NOT strong STREQUAL "gerbang_plugin_entry_v1")
    message(FATAL_ERROR "${so} must export exactly gerbang_plugin_entry_v1; strong exports: "
                        "${strong}\n${last_output}")
  endif()
endif()
message(STATUS "consumer plugin: ${so}")
