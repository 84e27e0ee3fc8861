# The installable SDK, end to end (cmake -P):
#   1. install the build tree into a temporary prefix,
#   2. configure and build examples/team_plugin against it (find_package(clinflow)),
#   3. load the team plugin and the installed built-in plugins through PluginRegistry,
#   4. run the team's workflow with the installed clinflow: built-in and team steps exchange tables.
# Variables: BUILD_DIR, SOURCE_DIR, WORK_DIR, LOAD_CHECK (the plugin_load_check executable).
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR LOAD_CHECK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "sdk_install_test: ${var} is not set")
  endif()
endforeach()

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sdk_install_test: ${what} failed (${rc})\n${out}\n${err}")
  endif()
  set(STEP_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run_step("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

foreach(f include/clinflow/plugin.hpp include/clinflow/value.hpp
          lib/cmake/clinflow/clinflowConfig.cmake lib/cmake/clinflow/clinflowConfigVersion.cmake
          lib/cmake/clinflow/ClinflowPlugin.cmake lib/clinflow/plugins/libread_table.so)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "sdk_install_test: ${f} was not installed")
  endif()
endforeach()

run_step("configure the team plugin" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/team_plugin
         -B ${WORK_DIR}/team -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix})
run_step("build the team plugin" ${CMAKE_COMMAND} --build ${WORK_DIR}/team)

run_step("load the team plugin" ${LOAD_CHECK} ${WORK_DIR}/team/libunit_harmonise.so)
if(NOT STEP_OUTPUT MATCHES "(^|\n)unit_harmonise 1\\.0\\.0\n")
  message(FATAL_ERROR "sdk_install_test: unit_harmonise not registered; got:\n${STEP_OUTPUT}")
endif()
run_step("load the installed built-ins" ${LOAD_CHECK} ${prefix}/lib/clinflow/plugins)
foreach(name read_table select_cohort label extract_features deidentify split curation_report filter_rows aggregate summarize write_csv noop)
  if(NOT STEP_OUTPUT MATCHES "(^|\n)${name} ")
    message(FATAL_ERROR "sdk_install_test: installed plugin ${name} missing; got:\n${STEP_OUTPUT}")
  endif()
endforeach()
# The installed command finds its own built-in folder and the team folder from the environment.
run_step("clinflow plugins" ${CMAKE_COMMAND} -E env CLINFLOW_PLUGIN_PATH=${WORK_DIR}/team
         ${prefix}/bin/clinflow plugins)
foreach(name "read_table 0.1.0" "unit_harmonise 1.0.0")
  if(NOT STEP_OUTPUT MATCHES "(^|\n)${name}")
    message(FATAL_ERROR "sdk_install_test: 'clinflow plugins' does not list ${name}:\n${STEP_OUTPUT}")
  endif()
endforeach()
# The team workflow runs: read_table (built-in) -> unit_harmonise (team) -> aggregate -> write_csv.
run_step("run the team workflow" ${CMAKE_COMMAND} -E chdir ${WORK_DIR}
         ${CMAKE_COMMAND} -E env CLINFLOW_PLUGIN_PATH=${WORK_DIR}/team
         ${prefix}/bin/clinflow run ${SOURCE_DIR}/examples/team_plugin/workflow.toml
         --project ${WORK_DIR}/project --no-progress)
file(READ ${WORK_DIR}/out/lactate_by_ward.csv by_ward)
if(NOT by_ward MATCHES "^ward,count,lactate_mean\n[A-Z]+,[0-9]+,[0-9.]+\n")
  message(FATAL_ERROR "sdk_install_test: unexpected team workflow output:\n${by_ward}")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "sdk_install_test: ok")
