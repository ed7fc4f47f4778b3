/* A CUDA host program against a GPU object: it includes the generated
   header and calls each launcher with the driver API's own types. It is
   only compiled and linked here (no GPU); on a machine with one it would
   run. */
#include <cuda.h>
#include <stdio.h>

#include "kernels.h"

int main(void) {
  CUdeviceptr x = 0, y = 0, bias = 0, dy = 0, da = 0;
  CUstream stream = NULL;
  if (cuInit(0) != CUDA_SUCCESS)
    return 0;
  int status = gelu_f32_cuda((const float *)x, (float *)y, 0, stream);
  status |= gelu_grad_f64_cuda((const double *)x, (const double *)dy,
                               (double *)y, 0, stream);
  status |= gelu_bias_f32_cuda((const float *)x, (const float *)bias,
                               (float *)y, 0, 0, stream);
  status |= scaled_tanh_grad_f32_cuda((const float *)x, (const float *)dy,
                                      (float *)y, 0, stream, 1.5f,
                                      (float *)da);
  printf("%d\n", status);
  return status;
}
