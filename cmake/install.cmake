# install.cmake — what `cmake --install build --prefix P` puts where, and the
# Debian package (`cpack -G DEB` in the build folder). Included by
# CMakeLists.txt, which defines the targets and OVERSIM_INSTALL_LUADIR /
# OVERSIM_INSTALL_DATADIR (the folders binding/l_paths.c finds data from).
#
#   P/bin/oversim                      the command
#   P/lib/liboversim.a                 the core, static (see README, Install)
#   P/include/oversim/*.h              its public headers: #include <oversim/train.h>
#   P/lib/pkgconfig/oversim.pc         pkg-config --cflags --libs oversim
#   P/lib/lua/5.4/oversim.so           require "oversim" from a stock lua5.4
#   P/share/oversim/                   scenarios/, analysis/, scripts/
#   P/share/man/man1/oversim.1         man oversim
#   P/share/doc/oversim/README.md

install(TARGETS oversim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS oversim_core ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
                     LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}) # LIBRARY: OVERSIM_CORE_SHARED
if(TARGET oversim_module)
  install(TARGETS oversim_module LIBRARY DESTINATION ${OVERSIM_INSTALL_LUADIR})
endif()

# Public headers: every core header but the core's own internals.
file(GLOB OVERSIM_HEADERS ${CMAKE_CURRENT_SOURCE_DIR}/core/*.h)
list(REMOVE_ITEM OVERSIM_HEADERS
  ${CMAKE_CURRENT_SOURCE_DIR}/core/overseer_internal.h # between overseer*.c and debate*.c only
  ${CMAKE_CURRENT_SOURCE_DIR}/core/debate_internal.h   # between debate*.c only
  ${CMAKE_CURRENT_SOURCE_DIR}/core/rm_internal.h       # between rm.c and rm_query.c only
  ${CMAKE_CURRENT_SOURCE_DIR}/core/policy_internal.h   # between policy.c and policy_step.c only
  ${CMAKE_CURRENT_SOURCE_DIR}/core/mlp_kernels.h       # model.c's products, per processor
  ${CMAKE_CURRENT_SOURCE_DIR}/core/world_kernels.h     # world_dot.c's, likewise
  ${CMAKE_CURRENT_SOURCE_DIR}/core/mathx.h)            # the core's numerics
install(FILES ${OVERSIM_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/oversim)

# oversim.pc: liboversim.a is static, so its dependencies are in Libs (not
# Libs.private) and a plain `pkg-config --libs oversim` links.
file(RELATIVE_PATH OVERSIM_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" OVERSIM_PC_TO_PREFIX "${OVERSIM_PC_TO_PREFIX}")
if(OVERSIM_BLAS STREQUAL "openblas") # GSL without its own CBLAS
  set(OVERSIM_PC_REQUIRES "")
  set(OVERSIM_PC_LIBS "-lgsl -lopenblas -lcsv -lm")
else()
  set(OVERSIM_PC_REQUIRES "Requires: gsl")
  set(OVERSIM_PC_LIBS "-lcsv -lm")
endif()
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/oversim.pc.in
               ${CMAKE_CURRENT_BINARY_DIR}/oversim.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/oversim.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The data the installed command and module find (binding/l_paths.c).
install(DIRECTORY scenarios analysis DESTINATION ${OVERSIM_INSTALL_DATADIR})
install(DIRECTORY scripts DESTINATION ${OVERSIM_INSTALL_DATADIR}
        PATTERN "*.png" EXCLUDE) # README's screenshot of the page
# Slurm: submit.sh and the job script, runnable from the install
install(PROGRAMS cluster/submit.sh cluster/sweep.sbatch DESTINATION ${OVERSIM_INSTALL_DATADIR}/cluster)
install(FILES cli/oversim.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# --- the Debian package: cpack -G DEB -> oversim_<version>_<arch>.deb ---------
# Installs under /usr: /usr/bin/oversim, /usr/lib/lua/5.4/oversim.so (on
# Debian's package.cpath), /usr/lib/pkgconfig/oversim.pc, /usr/share/oversim.
# dpkg-shlibdeps declares the libraries the command links (libgsl27,
# liblua5.4-0, libcsv3, libc6...); gnuplot draws the plots.
set(CPACK_PACKAGE_NAME oversim)
set(CPACK_PACKAGE_VENDOR oversim)
set(CPACK_PACKAGE_CONTACT "oversim developers <oversim@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "simulator of AI oversight: how RLHF selects for deception (C core, Lua scripts)")
set(CPACK_PACKAGE_DESCRIPTION
    "An overseer judges a model's outputs and its judgements train the model.\n"
    "oversim measures how that selects for deception where the overseer does\n"
    "not know or is wrong: a C core driven by Lua scripts, writing tidy CSV.\n"
    "Includes the oversim command, the Lua module for lua5.4, the static\n"
    "library liboversim with its headers and pkg-config file, the scenarios,\n"
    "the shipped experiments and their plots.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE) # the command and the module, as Debian ships them
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "gnuplot-nox | gnuplot")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "lua5.4, pkg-config, libgsl-dev, libcsv-dev")
include(CPack)
