# web.cmake — the web console's assets (issue 7, docs/web-console.md). With AWARE_WEB (on by
# default when node and npm are found) the target `web_console` (part of ALL) builds web/ into
# ${AWARE_WEB_DIST} = build/web/dist, the folder awared serves as [meldkamer] web_root:
#   1. package.json + package-lock.json are copied to build/web and `npm ci` installs exactly the
#      locked versions there (--prefer-offline: from npm's cache when it has them; the source tree
#      never gets a node_modules). Re-run only when the lockfile changes.
#   2. tsconfig.json, src/, static/ and tools/ are copied, `tsc` compiles src/*.ts to ES modules
#      in dist/, and tools/copy-assets.mjs adds static/ and Leaflet's files.
# The assets are installed with the daemon into share/awared/web.
find_program(AWARE_NODE node)
find_program(AWARE_NPM npm)
if(AWARE_NODE AND AWARE_NPM)
  set(aware_web_default ON)
else()
  set(aware_web_default OFF)
endif()
option(AWARE_WEB "Build the web console's assets (needs node and npm)" ${aware_web_default})

set(AWARE_WEB_SRC ${PROJECT_SOURCE_DIR}/web)
set(AWARE_WEB_BUILD ${PROJECT_BINARY_DIR}/web)
set(AWARE_WEB_DIST ${AWARE_WEB_BUILD}/dist)

if(NOT AWARE_WEB)
  message(STATUS "web console: not built (AWARE_WEB=OFF; node or npm missing?)")
  return()
endif()
if(NOT AWARE_NODE OR NOT AWARE_NPM)
  message(FATAL_ERROR "AWARE_WEB=ON needs node and npm (Debian: apt-get install nodejs npm)")
endif()

# Every file the assets are built from (a glob, re-checked at each build: a new view's module or
# stylesheet needs no edit here, and a changed one rebuilds the assets).
file(GLOB_RECURSE AWARE_WEB_FILES CONFIGURE_DEPENDS RELATIVE ${AWARE_WEB_SRC}
  ${AWARE_WEB_SRC}/src/*.ts ${AWARE_WEB_SRC}/static/* ${AWARE_WEB_SRC}/tools/*.mjs)
list(APPEND AWARE_WEB_FILES tsconfig.json)
file(MAKE_DIRECTORY ${AWARE_WEB_BUILD})  # the working directory of the commands below
list(TRANSFORM AWARE_WEB_FILES PREPEND ${AWARE_WEB_SRC}/ OUTPUT_VARIABLE aware_web_inputs)

add_custom_command(
  OUTPUT ${AWARE_WEB_BUILD}/node_modules/.awared-stamp
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${AWARE_WEB_SRC}/package.json
          ${AWARE_WEB_SRC}/package-lock.json ${AWARE_WEB_BUILD}/
  COMMAND ${AWARE_NPM} ci --no-audit --no-fund --prefer-offline --loglevel=error
  COMMAND ${CMAKE_COMMAND} -E touch ${AWARE_WEB_BUILD}/node_modules/.awared-stamp
  DEPENDS ${AWARE_WEB_SRC}/package.json ${AWARE_WEB_SRC}/package-lock.json
  WORKING_DIRECTORY ${AWARE_WEB_BUILD}
  COMMENT "web console: npm ci (the locked versions of web/package-lock.json)"
  VERBATIM)

add_custom_command(
  OUTPUT ${AWARE_WEB_DIST}/index.html
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${AWARE_WEB_BUILD}/src ${AWARE_WEB_BUILD}/static
          ${AWARE_WEB_BUILD}/tools ${AWARE_WEB_DIST}
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${AWARE_WEB_SRC}/src ${AWARE_WEB_BUILD}/src
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${AWARE_WEB_SRC}/static ${AWARE_WEB_BUILD}/static
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${AWARE_WEB_SRC}/tools ${AWARE_WEB_BUILD}/tools
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${AWARE_WEB_SRC}/tsconfig.json ${AWARE_WEB_BUILD}/
  COMMAND ${AWARE_NODE} ${AWARE_WEB_BUILD}/node_modules/typescript/bin/tsc -p ${AWARE_WEB_BUILD}
  COMMAND ${AWARE_NODE} ${AWARE_WEB_BUILD}/tools/copy-assets.mjs
  DEPENDS ${AWARE_WEB_BUILD}/node_modules/.awared-stamp ${aware_web_inputs}
  WORKING_DIRECTORY ${AWARE_WEB_BUILD}
  COMMENT "web console: tsc and assets into ${AWARE_WEB_DIST}"
  VERBATIM)

add_custom_target(web_console ALL DEPENDS ${AWARE_WEB_DIST}/index.html)

include(GNUInstallDirs)
install(DIRECTORY ${AWARE_WEB_DIST}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/awared/web)
