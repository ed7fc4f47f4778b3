# Prints "scalar only: NAME" for each kernel (.entry) of a PTX file without a
# 128-bit global load (ld.global[.nc].v4.b32/f32 or .v2.b64/f64), then the
# counts.
/^\.visible \.entry/ { name = $3; kernels[name] = 1; n++ }
/ld\.global\.(nc\.)?v(4\.(b32|f32)|2\.(b64|f64))/ { if (!(name in vector)) m++; vector[name] = 1 }
END {
  for (k in kernels)
    if (!(k in vector))
      print "scalar only: " k
  print n " kernels, " m " with 128-bit loads"
}
