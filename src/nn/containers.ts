import { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

type Forwardable = { forward(input: unknown): unknown };

function checkModule(m: unknown, where: string): Module {
  if (!(m instanceof Module)) throw new TypeError(`${where}: expected a Module, got ${m === null ? "null" : typeof m}`);
  return m;
}

/** Every Module-valued field in order, repeats included (a module may run twice). */
function ownModules(container: Module): Module[] {
  return Object.values(container).filter((v): v is Module => v instanceof Module);
}

function resolveIndex(index: number, length: number, where: string): number {
  if (!Number.isInteger(index) || index < -length || index >= length) {
    throw new RangeError(`${where}: index ${index} is out of range for ${length} modules`);
  }
  return index < 0 ? index + length : index;
}

/**
 * Modules applied one after another, torch.nn.Sequential: children are
 * named "0", "1", ... (or by the keys of an object), so parameters are
 * "0.weight", "0.bias", ... `seq[i]` and `seq.at(i)` give the i-th module.
 */
export class Sequential extends Module {
  readonly [index: number]: Module;

  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && !(first instanceof Module) && typeof first === "object" && first !== null) {
      for (const [name, m] of Object.entries(first)) this.registerModule(name, checkModule(m, `Sequential: "${name}"`));
    } else {
      (modules as unknown[]).forEach((m, i) => this.registerModule(String(i), checkModule(m, `Sequential: argument ${i}`)));
    }
  }

  get length(): number {
    return ownModules(this).length;
  }

  /** The i-th module (negative counts from the end). */
  at(index: number): Module {
    const list = ownModules(this);
    return list[resolveIndex(index, list.length, "Sequential.at")]!;
  }

  /** Adds a module at the end, named by its position. */
  append(module: Module): this {
    this.registerModule(String(this.length), checkModule(module, "Sequential.append"));
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return ownModules(this)[Symbol.iterator]();
  }

  /** Feeds the input through each module in order. */
  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of ownModules(this)) x = (m as unknown as Forwardable).forward(x);
    if (!(x instanceof Tensor)) throw new TypeError("Sequential.forward: the last module did not return a Tensor");
    return x;
  }
}

/**
 * A list of submodules that registers them (torch.nn.ModuleList), so their
 * parameters are found; it has no forward of its own.
 */
export class ModuleList extends Module {
  readonly [index: number]: Module;

  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  get length(): number {
    return ownModules(this).length;
  }

  at(index: number): Module {
    const list = ownModules(this);
    return list[resolveIndex(index, list.length, "ModuleList.at")]!;
  }

  append(module: Module): this {
    this.registerModule(String(this.length), checkModule(module, "ModuleList.append"));
    return this;
  }

  extend(modules: Iterable<Module>): this {
    const list = [...modules];
    list.forEach((m, i) => checkModule(m, `ModuleList.extend: item ${i}`));
    for (const m of list) this.append(m);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return ownModules(this)[Symbol.iterator]();
  }
}
