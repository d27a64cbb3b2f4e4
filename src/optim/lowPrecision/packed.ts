// Low-precision buffers kept in Int32Array words, so that optimizer state
// stays plain data of the types the state-dict machinery stores exactly
// (float32, float64, int32): a Uint16Array (bfloat16) or Uint8Array (8-bit
// codes) view over the words' bytes does the work. Two bf16 or four codes
// share a word, in the platform's byte order (little-endian everywhere JS
// runs), so a saved state dict restores bit for bit.

/** Words holding `n` values of `bytes` bytes each (the last word padded with zeros). */
export function packedWords(n: number, bytes: 1 | 2): Int32Array {
  return new Int32Array(Math.ceil((n * bytes) / 4));
}

/** The first `n` bfloat16 slots of `words`, sharing its memory. */
export function bf16View(words: Int32Array, n: number): Uint16Array {
  return new Uint16Array(words.buffer, words.byteOffset, n);
}

/** The first `n` byte slots of `words`, sharing its memory. */
export function byteView(words: Int32Array, n: number): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, n);
}
