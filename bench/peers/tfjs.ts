// TensorFlow.js 4.22 as a peer, in the same process: the pure-JS "cpu"
// backend and the "wasm" backend (XNNPACK, SIMD; no threads in Node).
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

export { tf };
export type TfBackend = "cpu" | "wasm";

/** Makes `backend` current (tensors created under a backend stay on it). */
export async function useTf(backend: TfBackend): Promise<void> {
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`tfjs: backend ${backend} did not initialise`);
  }
  await tf.ready();
}

/** Whether a backend initialises here, or why not. */
export async function tfAvailable(backend: TfBackend): Promise<true | string> {
  try {
    await useTf(backend);
    return true;
  } catch (e) {
    return `tfjs ${backend} backend unavailable: ${(e as Error).message}`;
  }
}

export function tfVersion(): string {
  return `TensorFlow.js ${tf.version.tfjs}`;
}
