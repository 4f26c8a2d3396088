export {
  DEFAULT_CHOLESKY_TOLERANCE,
  invertSymmetric,
  type LdlFactor,
  ldlDecompose,
  ldlInverse,
  ldlSolve,
  quadraticFormInverse,
  sandwich,
  solveSymmetric,
} from "./cholesky.js";
