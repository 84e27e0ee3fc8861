# clinflow_add_plugin(<name> SOURCES <files...> [OUTPUT_DIRECTORY <dir>])
# Builds a clinflow plugin library (a MODULE: loaded with dlopen, never linked against) named
# lib<name>.so. Used for the built-in plugins and installed with the SDK, so team plugins build
# the same way:
#   find_package(clinflow REQUIRED)
#   clinflow_add_plugin(unit_harmonise SOURCES unit_harmonise.cpp)
# Only the entry point (CLINFLOW_PLUGIN_ENTRY) is exported; everything else stays hidden, so two
# plugins' private helpers never collide in the host process.
function(clinflow_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "clinflow_add_plugin(${name}): SOURCES is required")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE clinflow::sdk)
  set_target_properties(${name} PROPERTIES CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
                                           POSITION_INDEPENDENT_CODE ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
endfunction()
