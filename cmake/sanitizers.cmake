# AWARE_SANITIZE=address;undefined (for example) builds everything with those sanitizers.
set(AWARE_SANITIZE "" CACHE STRING "Sanitizers to enable, e.g. address;undefined")
if(AWARE_SANITIZE)
  list(JOIN AWARE_SANITIZE "," _aware_san)
  add_compile_options(-fsanitize=${_aware_san} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${_aware_san})
endif()
