# fosim_set_warnings(target): the project's warning set, applied per target.
# FOSIM_WERROR turns every warning into an error (ON in CI).
function(fosim_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wimplicit-fallthrough)
  if(FOSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
