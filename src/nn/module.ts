import { convertArray } from "../tensor/creation.js";
import { isFloating } from "../tensor/dtype.js";
import { shapesEqual, shapeToString } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";

/** A module's tensors by dotted name ("0.weight", "bn.running_mean"), as torch's state_dict. */
export type StateDict = Record<string, Tensor>;

export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true). Shapes must match either way. */
  strict?: boolean;
}

/** What `loadStateDict` did not match (always empty when `strict`). */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Anything with a forward method: what `call` forwards to. */
interface HasForward {
  forward(...args: never[]): unknown;
}

type Fields = Record<string, unknown>;

function checkName(name: string, what: string): void {
  if (typeof name !== "string" || name === "" || name.includes(".")) {
    throw new Error(`${what}: name must be a non-empty string without ".", got ${JSON.stringify(name)}`);
  }
}

/**
 * Base class of every layer and model, after torch.nn.Module.
 *
 * A module's parameters, buffers and submodules are its own fields, found
 * by scanning them in the order they were created (class fields in
 * declaration order, then later assignments; integer-like names such as
 * "0", "1" come first, as JavaScript orders them):
 * - a field holding a `Module` is a child;
 * - a field holding a leaf `Tensor` that requires grad is a parameter, and
 *   so is any field registered with `registerParameter` (it stays one when
 *   frozen with `requiresGrad = false`);
 * - a field registered with `registerBuffer` is a buffer (state that is
 *   saved but not trained, such as BatchNorm's `running_mean`).
 * A field set to null (Linear's `bias` with `bias: false`) is skipped, and
 * so is a plain array of modules: hold those in a ModuleList.
 *
 * Subclasses define `forward`; `module.call(x)` is the same as
 * `module.forward(x)` and is typed from it.
 */
export class Module {
  /** Train mode (true) or eval mode: changes Dropout and BatchNorm. Set with `train()`/`eval()`. */
  training = true;
  readonly #parameterNames = new Set<string>();
  readonly #bufferNames = new Map<string, boolean>(); // name -> persistent

  /** The computation; subclasses override it with their own signature. */
  forward(..._args: never[]): unknown {
    throw new Error(`${this.constructor.name}.forward: this module does not define forward()`);
  }

  /** Runs `forward` (torch's `module(x)`). */
  call<M extends HasForward>(this: M, ...args: Parameters<M["forward"]>): ReturnType<M["forward"]> {
    return (this.forward as (...a: unknown[]) => ReturnType<M["forward"]>)(...args);
  }

  // ---- registration -------------------------------------------------------

  /**
   * Makes `tensor` the parameter `name` (a field of this module), marking it
   * `requiresGrad` (torch's `nn.Parameter`); null declares the slot empty.
   */
  registerParameter<T extends Tensor | null>(name: string, tensor: T): T {
    checkName(name, "registerParameter");
    if (this.#bufferNames.has(name)) throw new Error(`registerParameter: "${name}" is already a buffer`);
    if (tensor !== null) {
      if (!(tensor instanceof Tensor)) throw new TypeError(`registerParameter: "${name}" must be a Tensor or null`);
      if (!isFloating(tensor.dtype)) throw new TypeError(`registerParameter: "${name}" must be floating, got ${tensor.dtype}`);
      if (!tensor.isLeaf) {
        throw new Error(`registerParameter: "${name}" is computed by an op (not a leaf); pass tensor.detach() to make it a parameter`);
      }
      tensor.requiresGrad = true;
    }
    this.#parameterNames.add(name);
    (this as unknown as Fields)[name] = tensor;
    return tensor;
  }

  /**
   * Makes `tensor` the buffer `name`: saved in `stateDict` (unless not
   * `persistent`) and loaded by `loadStateDict`, but not a parameter.
   */
  registerBuffer<T extends Tensor | null>(name: string, tensor: T, persistent = true): T {
    checkName(name, "registerBuffer");
    if (this.#parameterNames.has(name)) throw new Error(`registerBuffer: "${name}" is already a parameter`);
    if (tensor !== null && !(tensor instanceof Tensor)) throw new TypeError(`registerBuffer: "${name}" must be a Tensor or null`);
    this.#bufferNames.set(name, persistent);
    (this as unknown as Fields)[name] = tensor;
    return tensor;
  }

  /** Makes `module` the child `name` (the same as assigning the field). */
  registerModule<T extends Module | null>(name: string, module: T): T {
    checkName(name, "registerModule");
    if (module !== null && !(module instanceof Module)) throw new TypeError(`registerModule: "${name}" must be a Module or null`);
    (this as unknown as Fields)[name] = module;
    return module;
  }

  /** The buffer registered as `name` (null if it is empty); throws if there is none. */
  getBuffer(name: string): Tensor | null {
    if (!this.#bufferNames.has(name)) throw new Error(`getBuffer: ${this.constructor.name} has no buffer "${name}"`);
    return ((this as unknown as Fields)[name] as Tensor | null | undefined) ?? null;
  }

  // ---- traversal ----------------------------------------------------------

  /** This module's own parameters (not its children's), in field order. */
  #ownParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, value] of Object.entries(this)) {
      if (!(value instanceof Tensor) || this.#bufferNames.has(name)) continue;
      if (this.#parameterNames.has(name) || (value.isLeaf && value.requiresGrad)) out.push([name, value]);
    }
    return out;
  }

  #ownBuffers(persistentOnly: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, value] of Object.entries(this)) {
      const persistent = this.#bufferNames.get(name);
      if (persistent === undefined || !(value instanceof Tensor)) continue;
      if (persistentOnly && !persistent) continue;
      out.push([name, value]);
    }
    return out;
  }

  /** Every Module-valued field, a module held twice included twice (the state dict names both). */
  #childFields(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  /** The direct submodules with their field names, each module once. */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    return this.#childFields().filter(([, m]) => !seen.has(m) && seen.add(m) !== undefined);
  }

  /** The direct submodules, each once. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every submodule, depth-first, each once; this one is named `prefix` (""). */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (m: Module, name: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [child, sub] of m.namedChildren()) visit(sub, name === "" ? child : `${name}.${child}`);
    };
    visit(this, prefix);
    return out;
  }

  /** This module and every submodule, depth-first. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Every parameter with its dotted name ("fc1.weight"), in torch's order:
   * each module's own parameters, then its children's, depth-first. A tensor
   * shared by two modules is listed once. `recurse: false` lists only this
   * module's own.
   */
  namedParameters(prefix = "", recurse = true): [string, Tensor][] {
    return this.#collect(prefix, recurse, (m) => m.#ownParameters());
  }

  /** Every parameter (what an optimizer takes), in `namedParameters` order. */
  parameters(recurse = true): Tensor[] {
    return this.namedParameters("", recurse).map(([, t]) => t);
  }

  /** Every buffer with its dotted name ("bn.running_mean"), ordered as `namedParameters`. */
  namedBuffers(prefix = "", recurse = true): [string, Tensor][] {
    return this.#collect(prefix, recurse, (m) => m.#ownBuffers(false));
  }

  /** Every buffer, in `namedBuffers` order. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers("", recurse).map(([, t]) => t);
  }

  #collect(prefix: string, recurse: boolean, own: (m: Module) => [string, Tensor][]): [string, Tensor][] {
    const modules: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [path, m] of modules) {
      for (const [name, t] of own(m)) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([path === "" ? name : `${path}.${name}`, t]);
      }
    }
    return out;
  }

  /** Number of parameter elements (only those that require grad with `trainableOnly`). */
  numParameters(trainableOnly = false): number {
    let n = 0;
    for (const p of this.parameters()) if (!trainableOnly || p.requiresGrad) n += p.size;
    return n;
  }

  // ---- modes and bulk operations ------------------------------------------

  /** Sets train mode (`mode = true`) or eval mode on this module and every submodule. */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new TypeError(`train: mode must be a boolean, got ${String(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Eval mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient: to null (default, as torch 2) or to zeros in place. */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone || p.grad.gradFn !== null) p.grad = null;
      else p.grad.data.fill(0);
    }
  }

  /** Sets `requiresGrad` on every parameter (false freezes the module). */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /** Calls `fn` on every submodule (children first, then this one), as torch's apply. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---- state dict ---------------------------------------------------------

  /**
   * Copies of every parameter and persistent buffer by dotted name, in
   * torch's order (each module's parameters, then its buffers, then its
   * children's). Copies, so that a saved "best model" does not move with
   * training.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, t] of this.#stateEntries()) out[name] = new Tensor(t.data.slice(), t.shape);
    return out;
  }

  /** The live tensors behind `stateDict`, by name. */
  #stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const path = new Set<Module>();
    const visit = (m: Module, prefix: string): void => {
      if (path.has(m)) return; // a module that holds an ancestor: do not loop
      path.add(m);
      for (const [name, t] of m.#ownParameters()) out.push([prefix + name, t]);
      for (const [name, t] of m.#ownBuffers(true)) out.push([prefix + name, t]);
      for (const [name, child] of m.#childFields()) visit(child, `${prefix}${name}.`);
      path.delete(m);
    };
    visit(this, "");
    return out;
  }

  /**
   * Copies `stateDict`'s tensors into this module's parameters and buffers,
   * in place (converting dtype). Every name and shape is checked before
   * anything is written, so a failing load leaves the module unchanged. With
   * `strict` (default) missing and unexpected keys are errors; otherwise
   * they are returned. A shape mismatch is always an error.
   */
  loadStateDict(stateDict: StateDict, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    if (stateDict === null || typeof stateDict !== "object") {
      throw new TypeError(`loadStateDict: expected an object of tensors, got ${String(stateDict)}`);
    }
    const entries = this.#stateEntries();
    const expected = new Set(entries.map(([n]) => n));
    const missingKeys = entries.map(([n]) => n).filter((n) => !Object.hasOwn(stateDict, n));
    const unexpectedKeys = Object.keys(stateDict).filter((n) => !expected.has(n));
    const problems: string[] = [];
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.join(", ")}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.join(", ")}`);
    for (const [name, t] of entries) {
      if (!Object.hasOwn(stateDict, name)) continue;
      const src = stateDict[name];
      if (!(src instanceof Tensor)) {
        problems.push(`"${name}" is not a Tensor`);
      } else if (!shapesEqual(src.shape, t.shape)) {
        problems.push(`"${name}" has shape ${shapeToString(src.shape)} but the module's has ${shapeToString(t.shape)}`);
      }
    }
    if (problems.length > 0) {
      throw new Error(`loadStateDict: ${this.constructor.name}: ${problems.join("; ")} (nothing was loaded)`);
    }
    for (const [name, t] of entries) {
      const src = stateDict[name];
      if (src === undefined) continue;
      t.data.set(src.dtype === t.dtype ? src.data : convertArray(src.data, t.dtype));
    }
    return { missingKeys, unexpectedKeys };
  }

  // ---- printing -----------------------------------------------------------

  /** The constructor arguments shown by `toString` (override in layers). */
  extraRepr(): string {
    return "";
  }

  /** torch-style summary: `Sequential(\n  (0): Linear(inFeatures=2, ...)\n)`. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([name, m]) => `  (${name}): ${m.toString().split("\n").join("\n  ")}`);
    return `${head}\n${lines.join("\n")}\n)`;
  }
}
