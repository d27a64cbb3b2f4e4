/** Which optimizer suits which situation, printed by `nabla compare --help` (see docs/choosing-an-optimizer.md). */
export const OPTIMIZER_GUIDE = `Choosing an optimizer: TODO`;
