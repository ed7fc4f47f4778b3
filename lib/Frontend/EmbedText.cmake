# Writes the text of INPUT to OUTPUT as a C++ raw string literal, so a file
# can be compiled into the binary with `#include`:
#   cmake -DINPUT=Prelude.act -DOUTPUT=Prelude.inc -P EmbedText.cmake
file(READ "${INPUT}" text)
set(delimiter "act_prelude")
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter")
endif()
file(WRITE "${OUTPUT}" "R\"${delimiter}(${text})${delimiter}\"\n")
