#!/usr/bin/env bash
# The demo: compiles examples/activations.act and two prelude activations to
# objects, links examples/demo.c against them and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

out=build/examples
mkdir -p "$out"
build/bin/actc examples/activations.act --dtype f32 --mcpu native -o "$out/activations.o" --header "$out/activations.h"
build/bin/actc --only gelu,silu --dtype f32 --mcpu native -o "$out/prelude.o" --header "$out/prelude.h"
cc -O2 -std=c11 -I"$out" examples/demo.c "$out/activations.o" "$out/prelude.o" -lm -o "$out/demo"
"$out/demo"
