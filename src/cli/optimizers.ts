import * as optim from "../optim/index.js";
import type { ParamsInput } from "../optim/optimizer.js";
import type { StepOptimizer } from "../train/types.js";

export interface OptimizerFlags {
  lr?: number;
  momentum?: number;
  weightDecay?: number;
}

interface Entry {
  /** A learning rate that works for the built-in tasks. */
  lr: number;
  make(params: ParamsInput, lr: number, flags: OptimizerFlags): StepOptimizer;
  /** One line for --help: when to use it. */
  help: string;
}

const wd = (f: OptimizerFlags) => f.weightDecay ?? 0;

/** Optimizers selectable with --optimizer, by name. */
export const OPTIMIZERS: Record<string, Entry> = {
  sgd: {
    lr: 0.1,
    make: (p, lr, f) => new optim.SGD(p, { lr, momentum: f.momentum ?? 0, weightDecay: wd(f) }),
    help: "plain (mini-batch) gradient descent",
  },
  momentum: {
    lr: 0.05,
    make: (p, lr, f) => new optim.SGD(p, { lr, momentum: f.momentum ?? 0.9, weightDecay: wd(f) }),
    help: "SGD with heavy-ball momentum 0.9",
  },
  nesterov: {
    lr: 0.05,
    make: (p, lr, f) => new optim.SGD(p, { lr, momentum: f.momentum ?? 0.9, nesterov: true, weightDecay: wd(f) }),
    help: "SGD with Nesterov momentum 0.9",
  },
  adam: { lr: 1e-3, make: (p, lr, f) => new optim.Adam(p, { lr, weightDecay: wd(f) }), help: "Adam with bias correction" },
  adamw: { lr: 1e-3, make: (p, lr, f) => new optim.AdamW(p, { lr, weightDecay: f.weightDecay ?? 1e-2 }), help: "Adam with decoupled weight decay" },
  adamax: { lr: 2e-3, make: (p, lr, f) => new optim.Adamax(p, { lr, weightDecay: wd(f) }), help: "Adam with the infinity norm" },
  nadam: { lr: 2e-3, make: (p, lr, f) => new optim.NAdam(p, { lr, weightDecay: wd(f) }), help: "Adam with Nesterov momentum" },
  radam: { lr: 3e-3, make: (p, lr, f) => new optim.RAdam(p, { lr, weightDecay: wd(f) }), help: "Adam with a rectified warmup" },
  adagrad: { lr: 1e-2, make: (p, lr, f) => new optim.Adagrad(p, { lr, weightDecay: wd(f) }), help: "per-coordinate rates from summed squared gradients" },
  adadelta: { lr: 1.0, make: (p, lr, f) => new optim.Adadelta(p, { lr, weightDecay: wd(f) }), help: "AdaGrad with a decaying window, unit-free steps" },
  rmsprop: {
    lr: 1e-3,
    make: (p, lr, f) => new optim.RMSprop(p, { lr, momentum: f.momentum ?? 0, weightDecay: wd(f) }),
    help: "per-coordinate rates from a moving average of squared gradients",
  },
  rprop: { lr: 1e-3, make: (p, lr) => new optim.Rprop(p, { lr }), help: "sign-based steps (full batch)" },
  lion: { lr: 1e-3, make: (p, lr, f) => new optim.Lion(p, { lr, weightDecay: wd(f) }), help: "sign of interpolated momentum; half Adam's memory, 3-10x smaller lr than AdamW" },
  lamb: { lr: 3e-2, make: (p, lr, f) => new optim.LAMB(p, { lr, weightDecay: wd(f) }), help: "Adam with a layer-wise trust ratio; large-batch training" },
  lars: {
    lr: 3,
    make: (p, lr, f) => new optim.LARS(p, { lr, momentum: f.momentum ?? 0.9, weightDecay: wd(f) }),
    help: "SGD momentum with a layer-wise trust ratio; large-batch convnets",
  },
  adabelief: { lr: 1e-3, make: (p, lr, f) => new optim.AdaBelief(p, { lr, weightDecay: wd(f) }), help: "Adam scaled by the gradient's deviation from its prediction" },
  yogi: { lr: 1e-2, make: (p, lr, f) => new optim.Yogi(p, { lr, weightDecay: wd(f) }), help: "Adam whose second moment cannot jump; noisy gradients" },
  novograd: { lr: 3e-2, make: (p, lr, f) => new optim.NovoGrad(p, { lr, weightDecay: wd(f) }), help: "per-layer normalised gradients with momentum; half Adam's memory" },
  adafactor: {
    lr: 3e-2,
    make: (p, lr, f) => new optim.Adafactor(p, { lr, weightDecay: wd(f) }),
    help: "factored second moment: near-zero state for matrices; relative step and update clipping",
  },
  adopt: { lr: 3e-3, make: (p, lr, f) => new optim.ADOPT(p, { lr, weightDecay: wd(f) }), help: "Adam normalised by the previous second moment; converges for any beta2" },
  ademamix: { lr: 1e-3, make: (p, lr, f) => new optim.AdEMAMix(p, { lr, weightDecay: wd(f) }), help: "Adam plus a slow EMA of gradients; long runs that benefit from old gradients" },
  sm3: { lr: 3e-2, make: (p, lr, f) => new optim.SM3(p, { lr, momentum: f.momentum ?? 0.9 }), help: "memory-light Adagrad: row and column accumulators for matrices" },
  muon: {
    lr: 1e-2,
    make: (p, lr, f) => new optim.Muon(p, { lr, adjustLrFn: "match_rms_adamw", momentum: f.momentum ?? 0.95, weightDecay: f.weightDecay ?? 0.1 }),
    help: "orthogonalised momentum for 2-D weights, AdamW for the rest (slow on CPU: Newton-Schulz per step)",
  },
  "sgd-schedulefree": {
    lr: 1,
    make: (p, lr, f) => new optim.SGDScheduleFree(p, { lr, momentum: f.momentum ?? 0.9, weightDecay: wd(f) }),
    help: "SGD without an lr schedule; evaluation uses the running average",
  },
  "adamw-schedulefree": {
    lr: 5e-3,
    make: (p, lr, f) => new optim.AdamWScheduleFree(p, { lr, weightDecay: wd(f) }),
    help: "AdamW without an lr schedule (AlgoPerf self-tuning winner)",
  },
  prodigy: { lr: 1, make: (p, lr, f) => new optim.Prodigy(p, { lr, weightDecay: wd(f) }), help: "no lr to tune: estimates the step size (D-adaptation, grows fast)" },
  dadapt: { lr: 1, make: (p, lr, f) => new optim.DAdaptAdam(p, { lr, weightDecay: wd(f) }), help: "no lr to tune: D-adaptation over Adam" },
  cocob: { lr: 1, make: (p) => new optim.COCOB(p), help: "no learning rate at all (coin betting); robust, slower" },
  sam: {
    lr: 3e-3,
    make: (p, lr, f) => new optim.SAM(new optim.Adam(p, { lr, weightDecay: wd(f) })),
    help: "sharpness-aware Adam: flatter minima; two forward/backward passes per step",
  },
  lookahead: {
    lr: 3e-3,
    make: (p, lr, f) => new optim.Lookahead(new optim.Adam(p, { lr, weightDecay: wd(f) })),
    help: "Lookahead(Adam): k fast steps, then the slow weights move part way",
  },
  adam8bit: { lr: 3e-3, make: (p, lr, f) => new optim.Adam8bit(p, { lr, weightDecay: wd(f) }), help: "Adam with 8-bit block-wise quantised moments: a quarter of the state" },
  adamw8bit: { lr: 3e-3, make: (p, lr, f) => new optim.AdamW8bit(p, { lr, weightDecay: f.weightDecay ?? 1e-2 }), help: "AdamW with 8-bit moments" },
  "adamw-bf16": { lr: 3e-3, make: (p, lr, f) => new optim.AdamWBf16(p, { lr, weightDecay: f.weightDecay ?? 1e-2 }), help: "AdamW with bfloat16 moments: half the state" },
  asgd: { lr: 0.1, make: (p, lr, f) => new optim.ASGD(p, { lr, weightDecay: wd(f) }), help: "averaged SGD" },
};

export function makeOptimizer(name: string, params: ParamsInput, flags: OptimizerFlags): StepOptimizer {
  const entry = OPTIMIZERS[name];
  if (entry === undefined) throw new Error(`unknown optimizer "${name}" (expected one of ${Object.keys(OPTIMIZERS).join(", ")})`);
  return entry.make(params, flags.lr ?? entry.lr, flags);
}
