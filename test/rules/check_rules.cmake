# Generates the Prometheus rules from the shipped SLA file with the `llmtrace` binary, then runs
# `promtool check rules` on them and `promtool test rules` on test/rules/llmtrace_rules_test.yml.
# promtool resolves rule_files next to the test file, so both go to one build directory.
# Variables: LLMTRACE_CLI, SLA, TESTS, OUT.
find_program(PROMTOOL promtool)
if(NOT PROMTOOL)
  message(FATAL_ERROR
          "promtool is not installed; run scripts/setup.sh --tests (Debian package prometheus)")
endif()
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${OUT} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE out)
  message("${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()
run(${LLMTRACE_CLI} rules --sla ${SLA} --out-dir ${OUT})
file(COPY ${TESTS} DESTINATION ${OUT})
run(${PROMTOOL} check rules llmtrace-rules.yml)
get_filename_component(tests_name ${TESTS} NAME)
run(${PROMTOOL} test rules ${tests_name})
