# Every dependency comes from Debian 12 packages (scripts/setup.sh installs them).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

# Debian's Poco config links DataPostgreSQL against PostgreSQL::client, which nothing
# defines: provide it from CMake's own FindPostgreSQL.
find_package(PostgreSQL REQUIRED)
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()
find_package(Poco 1.11 REQUIRED COMPONENTS Foundation Util Net NetSSL Crypto JSON XML Zip
             Data DataSQLite DataPostgreSQL)

find_package(Boost 1.74 REQUIRED)  # header-only parts: Boost.DLL
find_package(spdlog REQUIRED)
pkg_check_modules(PCSC REQUIRED IMPORTED_TARGET libpcsclite)

if(GERBANG_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(GERBANG_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
