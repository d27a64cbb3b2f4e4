/**
 * Elementwise ops beyond the four arithmetic operators, one concept per
 * file: unary math (elementwise-math), powers (elementwise-pow), maximum /
 * minimum / clamp (elementwise-minmax), selection by a mask
 * (elementwise-select), comparisons (compare), floor division and
 * remainders (elementwise-division). Importing this module also attaches
 * their Tensor methods.
 */
export { exp, log, log1p, expm1, sqrt, rsqrt, abs, sign, square, reciprocal, sin, cos, floor, ceil, round, erf } from "./elementwise-math.js";
export { pow } from "./elementwise-pow.js";
export { maximum, minimum, clamp } from "./elementwise-minmax.js";
export { where, maskedFill } from "./elementwise-select.js";
export { eq, ne, lt, gt, le, ge, isFinite } from "./compare.js";
export { floorDivide, remainder, fmod } from "./elementwise-division.js";
