# Installs the CMake package (find_package(llmtrace CONFIG)) and a pkg-config file.
include(CMakePackageConfigHelpers)

set(LLMTRACE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/llmtrace)
install(EXPORT llmtraceTargets NAMESPACE llmtrace:: DESTINATION ${LLMTRACE_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/llmtraceConfig.cmake.in
  ${PROJECT_BINARY_DIR}/llmtraceConfig.cmake INSTALL_DESTINATION ${LLMTRACE_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/llmtraceConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/llmtraceConfig.cmake
              ${PROJECT_BINARY_DIR}/llmtraceConfigVersion.cmake
        DESTINATION ${LLMTRACE_CMAKE_DIR})

# Relocatable: the prefix is found from the .pc file's own location, so `cmake --install
# --prefix X` works whatever prefix was configured.
file(RELATIVE_PATH LLMTRACE_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" LLMTRACE_PC_TO_PREFIX "${LLMTRACE_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/llmtrace.pc.in ${PROJECT_BINARY_DIR}/llmtrace.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/llmtrace.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
