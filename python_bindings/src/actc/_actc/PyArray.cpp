//===- PyArray.cpp - numpy arrays as kernel arguments ---------------------===//

#include "PyArray.h"

using namespace actc::python;

std::string actc::python::getDtypeSuffix(const py::dtype &dtype) {
  if (dtype.equal(py::dtype::of<float>()))
    return "f32";
  if (dtype.equal(py::dtype::of<double>()))
    return "f64";
  // numpy has IEEE half (float16); bfloat16 is not a numpy dtype.
  if (dtype.equal(py::dtype("float16")))
    return "f16";
  return "";
}

std::vector<py::ssize_t> actc::python::getShape(const py::array &array) {
  return std::vector<py::ssize_t>(array.shape(), array.shape() + array.ndim());
}

std::string actc::python::formatShape(const std::vector<py::ssize_t> &shape) {
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

static std::string typeName(py::handle value) {
  return py::str(py::type::handle_of(value).attr("__name__"));
}

py::array actc::python::checkInput(py::handle value, const std::string &what) {
  if (!py::isinstance<py::array>(value))
    throw py::type_error(what + " must be a numpy.ndarray, not " +
                         typeName(value) +
                         " (convert it with numpy.asarray(..., "
                         "dtype=numpy.float32))");
  auto array = py::reinterpret_borrow<py::array>(value);
  if (getDtypeSuffix(array.dtype()).empty())
    throw py::type_error(what + " has dtype " +
                         std::string(py::str(array.dtype())) +
                         "; expected float32, float64 or float16");
  if (!(array.flags() & py::array::c_style))
    throw py::value_error(what +
                          " is not C-contiguous; actc never copies: pass "
                          "numpy.ascontiguousarray(...)");
  return array;
}

void actc::python::checkLike(const py::array &array, const py::dtype &dtype,
                             const std::vector<py::ssize_t> &shape,
                             const std::string &what) {
  if (!array.dtype().equal(dtype))
    throw py::type_error(what + " has dtype " +
                         std::string(py::str(array.dtype())) + "; expected " +
                         std::string(py::str(dtype)));
  if (getShape(array) != shape)
    throw py::value_error(what + " has shape " + formatShape(getShape(array)) +
                          "; expected " + formatShape(shape));
}

py::array actc::python::makeOutput(py::handle out, const py::dtype &dtype,
                                   const std::vector<py::ssize_t> &shape,
                                   const std::string &what) {
  if (out.is_none())
    return py::array(dtype, shape);
  py::array array = checkInput(out, what);
  checkLike(array, dtype, shape, what);
  if (!array.writeable())
    throw py::value_error(what + " is read-only");
  return array;
}
