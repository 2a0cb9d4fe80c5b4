# llmtrace_cc_library(<layer> [DEPS targets...] [PRIVATE_DEPS targets...])
#
# One layer = one folder = one target. Sources are src/<layer>/*.cc, public headers
# include/llmtrace/<layer>/*.h. The target is llmtrace_<layer>, aliased llmtrace::<layer> and
# exported under that name.
function(llmtrace_cc_library layer)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/src/${layer}/*.cc")
  set(target llmtrace_${layer})
  add_library(${target} STATIC ${sources})
  add_library(llmtrace::${layer} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${layer} OUTPUT_NAME llmtrace_${layer})
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  install(TARGETS ${target} EXPORT llmtraceTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/llmtrace/${layer}
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/llmtrace)
endfunction()

# llmtrace_cc_test(<name> SOURCES files... DEPS targets...)
#
# One GoogleTest executable per layer; tests are discovered so ctest lists each TEST().
function(llmtrace_cc_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
endfunction()
